import { describe, expect, it } from 'vitest';
import {
  formatAge,
  formatClock,
  formatDateTime,
  formatDuration,
  formatNumber,
  formatSeconds,
  formatTimeLeft,
  localInputToIso,
  resolveLanguage,
  secondsLeft,
} from '../../renderer/src/format.ts';

const NBSP = '\u00a0';

describe('formatClock', () => {
  it('writes local time as 24-hour HH:MM', () => {
    expect(formatClock(new Date(2026, 2, 5, 9, 7))).toBe('09:07');
    expect(formatClock(new Date(2026, 2, 5, 14, 30))).toBe('14:30');
    expect(formatClock(new Date(2026, 2, 5, 0, 0).toISOString())).toBe('00:00');
  });

  it('shows placeholders for an invalid date', () => {
    expect(formatClock('not a date')).toBe('--:--');
  });
});

describe('countdowns', () => {
  it('counts whole seconds left, rounding up and never below zero', () => {
    const now = Date.parse('2026-01-01T10:00:00.000Z');
    expect(secondsLeft('2026-01-01T10:00:27.000Z', now)).toBe(27);
    expect(secondsLeft('2026-01-01T10:00:26.001Z', now)).toBe(27);
    expect(secondsLeft('2026-01-01T09:59:00.000Z', now)).toBe(0);
    expect(secondsLeft('garbage', now)).toBe(0);
  });

  it('writes time left as a duration, not a clock: "10 min", "1 h 05", seconds in the last minute', () => {
    expect(formatTimeLeft(0)).toBe(`0${NBSP}s`);
    expect(formatTimeLeft(27)).toBe(`27${NBSP}s`);
    expect(formatTimeLeft(59.2)).toBe(`1${NBSP}min`);
    expect(formatTimeLeft(60)).toBe(`1${NBSP}min`);
    // Minutes round up: 9 min 01 s left reads "10 min", until the tenth minute has gone.
    expect(formatTimeLeft(541)).toBe(`10${NBSP}min`);
    expect(formatTimeLeft(600)).toBe(`10${NBSP}min`);
    expect(formatTimeLeft(3540)).toBe(`59${NBSP}min`);
    expect(formatTimeLeft(3541)).toBe(`1${NBSP}h`);
    expect(formatTimeLeft(3600)).toBe(`1${NBSP}h`);
    expect(formatTimeLeft(3601)).toBe(`1${NBSP}h${NBSP}01`);
    expect(formatTimeLeft(3900)).toBe(`1${NBSP}h${NBSP}05`);
    expect(formatTimeLeft(26 * 3600)).toBe(`26${NBSP}h`);
    expect(formatTimeLeft(-5)).toBe(`0${NBSP}s`);
  });

  it('writes seconds with a no-break space', () => {
    expect(formatSeconds(27)).toBe(`27${NBSP}s`);
    expect(formatSeconds(26.2)).toBe(`27${NBSP}s`);
  });
});

describe('formatDuration in both languages', () => {
  it('writes minutes, hours and days, a no-break space before each unit', () => {
    expect(formatDuration(45, 'en')).toBe(`45${NBSP}min`);
    expect(formatDuration(120, 'en')).toBe(`2${NBSP}h`);
    expect(formatDuration(150, 'en')).toBe(`2${NBSP}h 30${NBSP}min`);
    expect(formatDuration(0, 'en')).toBe(`0${NBSP}min`);
    expect(formatDuration(1440 + 240, 'en')).toBe(`1${NBSP}d 4${NBSP}h`);
  });

  it('uses "j" for days in French and the same units otherwise', () => {
    expect(formatDuration(150, 'fr')).toBe(`2${NBSP}h 30${NBSP}min`);
    expect(formatDuration(2 * 1440 + 5, 'fr')).toBe(`2${NBSP}j 5${NBSP}min`);
  });

  it('says how long ago, or null under a minute', () => {
    const now = Date.parse('2026-01-01T10:00:00.000Z');
    expect(formatAge('2026-01-01T09:59:30.000Z', now, 'en')).toBeNull();
    expect(formatAge('2026-01-01T09:55:00.000Z', now, 'en')).toBe(`5${NBSP}min`);
    expect(formatAge('2026-01-01T07:30:00.000Z', now, 'fr')).toBe(`2${NBSP}h 30${NBSP}min`);
  });
});

describe('numbers and dates by language', () => {
  it('groups thousands as each language does', () => {
    expect(formatNumber(100000, 'en')).toBe('100,000');
    // French groups with a narrow no-break space.
    expect(formatNumber(100000, 'fr')).toMatch(/^100[\u202f\u00a0]000$/);
  });

  it('writes date and 24-hour time', () => {
    const date = new Date(2026, 2, 5, 14, 30);
    expect(formatDateTime(date, 'en')).toContain('14:30');
    expect(formatDateTime(date, 'en')).toContain('Mar');
    expect(formatDateTime(date, 'fr')).toContain('14:30');
    expect(formatDateTime(date, 'fr')).toContain('mars');
    expect(formatDateTime('nope', 'fr')).toBe('');
  });
});

describe('resolveLanguage', () => {
  it("follows the OS for 'system', French only for fr-*", () => {
    expect(resolveLanguage('system', 'fr-CA')).toBe('fr');
    expect(resolveLanguage('system', 'FR')).toBe('fr');
    expect(resolveLanguage('system', 'en-GB')).toBe('en');
    expect(resolveLanguage('system', 'de-DE')).toBe('en');
    expect(resolveLanguage(undefined, undefined)).toBe('en');
  });

  it('keeps an explicit choice whatever the OS says', () => {
    expect(resolveLanguage('en', 'fr-FR')).toBe('en');
    expect(resolveLanguage('fr', 'en-US')).toBe('fr');
  });
});

describe('localInputToIso', () => {
  it('turns a datetime-local value into an ISO instant, empty into undefined', () => {
    expect(localInputToIso('')).toBeUndefined();
    expect(localInputToIso('2026-03-05T14:30')).toBe(new Date(2026, 2, 5, 14, 30).toISOString());
    expect(localInputToIso('garbage')).toBeUndefined();
  });
});
