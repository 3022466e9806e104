import { beforeEach, describe, expect, it } from 'vitest';
import {
  type ClipboardClearReason,
  ClipboardGuard,
  type ClipboardRelease,
} from '../../../main/services/clipboardGuard.ts';
import {
  FakeClipboard,
  type FakeClock,
  type FakeTimers,
  fakeTime,
  RecordingSink,
  settle,
} from '../../support/fakes.ts';

const SECRET = 'S3cr3t-p@ssw0rd-4711';
const CRED_A = '11111111-1111-4111-8111-111111111111';
const CRED_B = '22222222-2222-4222-8222-222222222222';

let clock: FakeClock;
let timers: FakeTimers;
let clipboard: FakeClipboard;
let events: RecordingSink;
let releases: ClipboardRelease[];
let guard: ClipboardGuard;

beforeEach(() => {
  ({ clock, timers } = fakeTime('2025-06-02T09:00:00Z'));
  clipboard = new FakeClipboard(() => clock.now());
  events = new RecordingSink();
  releases = [];
  guard = new ClipboardGuard({
    clipboard,
    clock,
    timers,
    events,
    onReleased: (release) => releases.push(release),
  });
});

/** Every string and byte buffer reachable from `root`, except through the objects in `skip`. */
function reachableValues(root: unknown, skip: Set<unknown>): Array<string | Buffer> {
  const found: Array<string | Buffer> = [];
  const seen = new Set<unknown>();
  const visit = (value: unknown): void => {
    if (typeof value === 'string') {
      found.push(value);
      return;
    }
    if (value === null || typeof value !== 'object' || seen.has(value) || skip.has(value)) return;
    seen.add(value);
    if (Buffer.isBuffer(value) || value instanceof Uint8Array) {
      found.push(Buffer.from(value));
      return;
    }
    if (value instanceof Map) {
      for (const [key, entry] of value) {
        visit(key);
        visit(entry);
      }
      return;
    }
    if (value instanceof Set) {
      for (const entry of value) visit(entry);
      return;
    }
    for (const key of Reflect.ownKeys(value)) visit((value as Record<PropertyKey, unknown>)[key]);
  };
  visit(root);
  return found;
}

describe('ClipboardGuard.copySecret', () => {
  it('writes the secret marked as concealed and reports when it will be cleared', async () => {
    const { clearsAt } = await guard.copySecret(SECRET, { credentialId: CRED_A, clearAfterSeconds: 30 });

    expect(clipboard.writes).toEqual([
      { text: SECRET, concealed: true, at: Date.parse('2025-06-02T09:00:00Z') },
    ]);
    expect(clearsAt).toBe(Date.parse('2025-06-02T09:00:30Z'));
    expect(events.events).toEqual([
      {
        type: 'clipboard.changed',
        state: 'copied',
        credentialId: CRED_A,
        clearsAt: '2025-06-02T09:00:30.000Z',
      },
    ]);
    expect(guard.heldCredentialId()).toBe(CRED_A);
  });

  it('refuses a non-positive delay without touching the clipboard', async () => {
    await expect(guard.copySecret(SECRET, { credentialId: CRED_A, clearAfterSeconds: 0 })).rejects.toThrow(
      new RangeError('clearAfterSeconds must be a positive number.'),
    );
    await expect(
      guard.copySecret(SECRET, { credentialId: CRED_A, clearAfterSeconds: Number.NaN }),
    ).rejects.toThrow(RangeError);
    expect(clipboard.writes).toEqual([]);
    expect(timers.pending()).toBe(0);
  });

  it('never keeps the plain secret, only a digest of it', async () => {
    await guard.copySecret(SECRET, { credentialId: CRED_A, clearAfterSeconds: 30 });

    // The injected ports are the caller's (the fake clipboard holds the value, as the OS does).
    const ports = new Set<unknown>([clipboard, clock, timers, events]);
    const values = reachableValues(guard, ports);
    const secretBytes = Buffer.from(SECRET, 'utf8');
    expect(values.some((value) => typeof value === 'string' && value.includes(SECRET))).toBe(false);
    expect(values.some((value) => Buffer.isBuffer(value) && value.includes(secretBytes))).toBe(false);
    expect(JSON.stringify(guard, (_key, value) => (ports.has(value) ? undefined : value))).not.toContain(
      SECRET,
    );
    // It does hold something that identifies the copy (a 32-byte SHA-256), and the credential id.
    expect(values.some((value) => Buffer.isBuffer(value) && value.length === 32)).toBe(true);
    expect(values).toContain(CRED_A);
  });
});

describe('ClipboardGuard timer', () => {
  it('clears the clipboard at the deadline, not before', async () => {
    await guard.copySecret(SECRET, { credentialId: CRED_A, clearAfterSeconds: 30 });

    clock.advance(29_999);

    await settle();
    expect(clipboard.value).toBe(SECRET);
    expect(clipboard.clears).toHaveLength(0);

    clock.advance(1);

    await settle();
    expect(clipboard.value).toBe('');
    expect(clipboard.clears).toHaveLength(1);
    expect(events.ofType('clipboard.changed').at(-1)).toEqual({
      type: 'clipboard.changed',
      state: 'cleared',
      credentialId: CRED_A,
      clearsAt: null,
    });
    expect(releases).toEqual([{ credentialId: CRED_A, reason: 'timeout', wiped: true }]);
    expect(guard.heldCredentialId()).toBeNull();
    expect(timers.pending()).toBe(0);
  });

  it('leaves the clipboard alone if the user copied something else meanwhile', async () => {
    await guard.copySecret(SECRET, { credentialId: CRED_A, clearAfterSeconds: 30 });
    clock.advance(10_000);
    await settle();
    clipboard.userCopies('a shopping list');

    clock.advance(20_000);

    await settle();

    expect(clipboard.value).toBe('a shopping list');
    expect(clipboard.clears).toHaveLength(0);
    expect(releases).toEqual([{ credentialId: CRED_A, reason: 'timeout', wiped: false }]);
    // The window stops its countdown all the same.
    expect(events.ofType('clipboard.changed').map((event) => event.state)).toEqual(['copied', 'cleared']);
    expect(guard.heldCredentialId()).toBeNull();
  });

  it('a second copy replaces the first one and its timer', async () => {
    await guard.copySecret(SECRET, { credentialId: CRED_A, clearAfterSeconds: 30 });
    clock.advance(20_000);
    await settle();
    await guard.copySecret('other-secret', { credentialId: CRED_B, clearAfterSeconds: 30 });
    expect(timers.pending()).toBe(1);

    clock.advance(10_000); // the first copy's deadline

    await settle();
    expect(clipboard.value).toBe('other-secret');
    expect(clipboard.clears).toHaveLength(0);

    await guard.clearForCredential(CRED_A, 'checkin'); // no longer ours to clear
    expect(clipboard.value).toBe('other-secret');

    clock.advance(20_000); // the second copy's deadline

    await settle();
    expect(clipboard.value).toBe('');
    expect(clipboard.clears).toHaveLength(1);
    expect(events.ofType('clipboard.changed').map((event) => [event.state, event.credentialId])).toEqual([
      ['copied', CRED_A],
      ['copied', CRED_B],
      ['cleared', CRED_B],
    ]);
  });

  it('clears at wake-up when a sleep skipped the timer (recheck from the shell)', async () => {
    await guard.copySecret(SECRET, { credentialId: CRED_A, clearAfterSeconds: 30 });
    clock.advance(5_000);
    await settle();
    clock.jump(2 * 3600_000); // suspended for two hours: no timer fired
    await settle();

    expect(clipboard.value).toBe(SECRET);
    await guard.recheck();

    expect(clipboard.value).toBe('');
    expect(releases).toEqual([{ credentialId: CRED_A, reason: 'timeout', wiped: true }]);
    expect(timers.pending()).toBe(0);
  });

  it('a timer firing compares the wall clock, so a sleep is caught even without recheck', async () => {
    await guard.copySecret(SECRET, { credentialId: CRED_A, clearAfterSeconds: 600 });
    clock.jump(600_000); // slept through the whole delay
    await settle();

    clock.advance(60_000); // the first (capped) wake-up

    await settle();

    expect(clipboard.value).toBe('');
    expect(releases).toEqual([{ credentialId: CRED_A, reason: 'timeout', wiped: true }]);
  });

  it('recheck before the deadline keeps a single timer armed for the remaining time', async () => {
    await guard.copySecret(SECRET, { credentialId: CRED_A, clearAfterSeconds: 30 });
    clock.advance(10_000);
    await settle();
    await guard.recheck();
    await guard.recheck();

    expect(timers.pending()).toBe(1);
    expect(timers.nextDelay()).toBe(20_000);
    clock.advance(19_999);
    await settle();
    expect(clipboard.value).toBe(SECRET);
    clock.advance(1);
    await settle();
    expect(clipboard.value).toBe('');
  });

  it('the wall clock set back does not keep the secret longer than the delay', async () => {
    await guard.copySecret(SECRET, { credentialId: CRED_A, clearAfterSeconds: 30 });
    clock.jump(-3600_000);
    await settle();

    clock.advance(29_999);

    await settle();
    expect(clipboard.value).toBe(SECRET);
    clock.advance(1);
    await settle();
    expect(clipboard.value).toBe('');
  });

  it('a recheck with nothing copied does nothing', async () => {
    await guard.recheck();
    expect(timers.pending()).toBe(0);
    expect(events.events).toEqual([]);
  });
});

describe('ClipboardGuard.clearIfOurs / clearForCredential', () => {
  const reasons: ClipboardClearReason[] = ['checkin', 'expiry', 'lock', 'signOut', 'quit'];

  it.each(reasons)('clears now on %s, cancels the timer, and only once', async (reason) => {
    await guard.copySecret(SECRET, { credentialId: CRED_A, clearAfterSeconds: 30 });

    await guard.clearIfOurs(reason);
    await guard.clearIfOurs(reason);

    expect(clipboard.value).toBe('');
    expect(clipboard.clears).toHaveLength(1);
    expect(timers.pending()).toBe(0);
    expect(releases).toEqual([{ credentialId: CRED_A, reason, wiped: true }]);
    expect(events.ofType('clipboard.changed').map((event) => event.state)).toEqual(['copied', 'cleared']);
  });

  it('leaves what the user copied since then', async () => {
    await guard.copySecret(SECRET, { credentialId: CRED_A, clearAfterSeconds: 30 });
    clipboard.userCopies('https://example.com');

    await guard.clearIfOurs('lock');

    expect(clipboard.value).toBe('https://example.com');
    expect(clipboard.clears).toHaveLength(0);
    expect(releases).toEqual([{ credentialId: CRED_A, reason: 'lock', wiped: false }]);
    // Nothing is held any more: a later quit must not clear the user's text either.
    await guard.clearIfOurs('quit');
    expect(clipboard.clears).toHaveLength(0);
  });

  it('does nothing when nothing was copied', async () => {
    clipboard.userCopies('unrelated');
    await guard.clearIfOurs('quit');
    expect(clipboard.value).toBe('unrelated');
    expect(clipboard.reads).toBe(0);
    expect(events.events).toEqual([]);
  });

  it('clearForCredential with nothing copied does nothing', async () => {
    clipboard.userCopies('unrelated');
    await guard.clearForCredential(CRED_A, 'checkin');
    expect(clipboard.value).toBe('unrelated');
    expect(releases).toEqual([]);
  });

  it('clearForCredential only touches that credential’s secret', async () => {
    await guard.copySecret(SECRET, { credentialId: CRED_A, clearAfterSeconds: 30 });

    await guard.clearForCredential(CRED_B, 'expiry');
    expect(clipboard.value).toBe(SECRET);
    expect(timers.pending()).toBe(1);

    await guard.clearForCredential(CRED_A, 'expiry');
    expect(clipboard.value).toBe('');
    expect(releases).toEqual([{ credentialId: CRED_A, reason: 'expiry', wiped: true }]);
  });

  it('clears when the clipboard cannot be read (a password left behind is the worse outcome)', async () => {
    await guard.copySecret(SECRET, { credentialId: CRED_A, clearAfterSeconds: 30 });
    clipboard.readText = () => {
      throw new Error('clipboard busy');
    };

    await guard.clearIfOurs('signOut');

    expect(clipboard.clears).toHaveLength(1);
  });
});
