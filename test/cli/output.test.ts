/** What a checkout's details show by status, durations as people write them, and fitted tables. */
import { describe, expect, it } from 'vitest';
import { MESSAGES } from '../../cli/messages.ts';
import { checkoutDetails, table } from '../../cli/output.ts';
import { durationPresets, formatMinutes, parseDuration } from '../../common/duration.ts';

const base = {
  id: '11111111-1111-4111-8111-111111111111',
  userID: '22222222-2222-4222-8222-222222222222',
  username: 'kelly',
  credentialID: '33333333-3333-4333-8333-333333333333',
  credentialName: 'Oracle SYS',
  approverID: null,
  approverName: 'Alice Gagnon',
  reason: 'patch',
  approverMessage: '',
  duration: 120,
  requestDateTime: '2026-03-05T09:00:00.000Z',
  scheduledStart: null,
  checkoutDateTime: null,
  checkInDateTime: null,
  expiresAt: null,
};

describe('checkout details by status', () => {
  const en = MESSAGES.en;
  it('a denied request shows when it was denied: no "Checked in", no duration, no "Expires"', () => {
    const text = checkoutDetails(
      { ...base, status: 3, checkInDateTime: '2026-03-05T09:05:00.000Z' },
      en,
      'en',
    );
    expect(text).toMatch(/^Denied:/m);
    expect(text).not.toMatch(/Checked in|Expires|Duration/);
  });
  it('a checked-in checkout shows when, and no "Expires"', () => {
    const text = checkoutDetails(
      {
        ...base,
        status: 5,
        checkoutDateTime: '2026-03-05T09:00:00.000Z',
        checkInDateTime: '2026-03-05T09:30:00.000Z',
        expiresAt: '2026-03-05T11:00:00.000Z',
      },
      en,
      'en',
    );
    expect(text).toMatch(/^Checked in:/m);
    expect(text).not.toMatch(/Expires/);
  });
  it('an active checkout shows the time left once, next to its end', () => {
    const now = Date.parse('2026-03-05T09:55:00.000Z');
    const text = checkoutDetails(
      {
        ...base,
        status: 4,
        checkoutDateTime: '2026-03-05T09:00:00.000Z',
        expiresAt: '2026-03-05T11:00:00.000Z',
      },
      en,
      'en',
      now,
    );
    expect(text).toMatch(/^Expires:\s+.+ \(1\u00a0h\u00a005 left\)$/m);
    expect(text).not.toMatch(/Checked in/);
  });
});

describe('durations', () => {
  it.each([
    ['2h', 120],
    ['90m', 90],
    ['1h30m', 90],
    ['1h30', 90],
    ['1 h 30 min', 90],
    ['45', 45],
    ['45min', 45],
  ])('%s is %i minutes', (text, minutes) => {
    expect(parseDuration(text)).toBe(minutes);
  });
  it.each(['', 'soon', '0', '0h', 'h', '2d', '-5', '1.5h'])('%j is not a duration', (text) => {
    expect(parseDuration(text)).toBeNull();
  });
  it('formats hours and minutes', () => {
    expect(formatMinutes(10)).toBe('10\u00a0min');
    expect(formatMinutes(65)).toBe('1\u00a0h\u00a005');
    expect(formatMinutes(120)).toBe('2\u00a0h');
  });
  it('offers presets within the policy, with its bounds and default', () => {
    expect(durationPresets({ minDuration: 10, maxDuration: 480, defaultDuration: 120 })).toEqual([
      10, 15, 30, 60, 120, 240, 480,
    ]);
    expect(durationPresets({ minDuration: 45, maxDuration: 90 })).toEqual([45, 60, 90]);
  });
});

describe('table', () => {
  it('cuts the widest column with an ellipsis until the table fits', () => {
    const text = table(
      ['Name', 'Account'],
      [['Oracle SYS', 'a-very-long-account-name@a-very-long-host.example.com']],
      { maxWidth: 40 },
    );
    for (const line of text.split('\n')) expect([...line].length).toBeLessThanOrEqual(40);
    expect(text).toContain('Oracle SYS  a-very-long-account-name@a-…');
  });
  it('leaves a table that fits as it is', () => {
    expect(table(['A', 'B'], [['x', 'y']], { maxWidth: 80 })).toBe('A  B\n─  ─\nx  y');
  });
});
