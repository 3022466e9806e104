/**
 * The sign-in throttle's rules on their own (server/domain/loginThrottle.ts), with a hand-held
 * clock: fast enough for mutation testing, which runs these once per planted bug.
 */
import { describe, expect, it } from 'vitest';
import { LoginThrottle, MemoryThrottleState, usernameKey } from '../../server/domain/loginThrottle.ts';

const WINDOW = 15 * 60_000;
const options = {
  windowMs: WINDOW,
  maxFailuresPerUser: 10,
  maxFailuresPerAddress: 30,
  freeFailures: 3,
  baseDelayMs: 1000,
};
const T0 = 1_000_000;

function admitted(throttle: LoginThrottle, user: string, address: string, at: number): boolean {
  return throttle.admit(user, address, at).admitted;
}

describe('LoginThrottle', () => {
  it('admits the free failures of a pair, then waits 1 s, 2 s, 4 s… capped at the window', () => {
    const throttle = new LoginThrottle(options);
    for (let i = 0; i < 3; i++) expect(admitted(throttle, 'bob', 'a', T0)).toBe(true);
    expect(throttle.admit('bob', 'a', T0)).toEqual({ admitted: false, retryAfterSeconds: 1 });
    expect(throttle.admit('bob', 'a', T0 + 999).admitted).toBe(false);
    expect(admitted(throttle, 'bob', 'a', T0 + 1000)).toBe(true);
    expect(throttle.admit('bob', 'a', T0 + 1000)).toEqual({ admitted: false, retryAfterSeconds: 2 });
    // Far more failures never wait longer than the window.
    const capped = new LoginThrottle({ ...options, maxFailuresPerUser: 1000, maxFailuresPerAddress: 1000 });
    let at = T0;
    for (let i = 0; i < 40; i++) {
      const answer = capped.admit('bob', 'a', at);
      if (!answer.admitted) {
        expect(answer.retryAfterSeconds).toBeLessThanOrEqual(WINDOW / 1000);
        at += answer.retryAfterSeconds * 1000;
        expect(capped.admit('bob', 'a', at).admitted).toBe(true);
      }
    }
  });

  it('refused attempts are not counted: waiting out the delay is enough', () => {
    const throttle = new LoginThrottle(options);
    for (let i = 0; i < 3; i++) throttle.admit('bob', 'a', T0);
    for (let i = 0; i < 50; i++) expect(admitted(throttle, 'bob', 'a', T0 + 10)).toBe(false);
    expect(admitted(throttle, 'bob', 'a', T0 + 1000)).toBe(true);
  });

  it('the user ceiling refuses addresses that failed and admits a clean one, once', () => {
    const throttle = new LoginThrottle(options);
    const first = [];
    for (let i = 0; i < 10; i++) first.push(throttle.admit('bob', `a${i}`, T0));
    expect(first.filter((answer) => answer.admitted && answer.reachesUserCeiling)).toHaveLength(1);
    expect((first[9] as { reachesUserCeiling: boolean }).reachesUserCeiling).toBe(true);
    const again = throttle.admit('bob', 'a0', T0 + 5000);
    expect(again.admitted).toBe(false);
    expect(again).toEqual({ admitted: false, retryAfterSeconds: WINDOW / 1000 - 5 });
    expect(admitted(throttle, 'bob', 'clean', T0 + 5000)).toBe(true);
    expect(admitted(throttle, 'bob', 'clean', T0 + 5000)).toBe(false);
    // Another user is not concerned, even from an address where both failed.
    expect(admitted(throttle, 'kelly', 'a0', T0 + 5000)).toBe(true);
    expect(admitted(throttle, 'kelly', 'a0', T0 + 5000)).toBe(true);
  });

  it('the address limit counts every username, reports the attempt that reaches it, and ends with the window', () => {
    const throttle = new LoginThrottle(options);
    const answers = Array.from({ length: 30 }, (_, i) => throttle.admit(`user${i}`, 'spray', T0 + i));
    expect(answers.every((answer) => answer.admitted)).toBe(true);
    expect(answers.map((answer) => answer.admitted && answer.reachesAddressLimit)).toEqual([
      ...Array(29).fill(false),
      true,
    ]);
    expect(throttle.admit('fresh', 'spray', T0 + 100)).toEqual({
      admitted: false,
      retryAfterSeconds: Math.ceil((T0 + 29 + WINDOW - (T0 + 100)) / 1000),
    });
    expect(admitted(throttle, 'fresh', 'elsewhere', T0 + 100)).toBe(true);
    expect(admitted(throttle, 'fresh', 'spray', T0 + 29 + WINDOW)).toBe(true);
  });

  it('a success clears the pair and the user, and gives the address its attempt back', () => {
    const throttle = new LoginThrottle({ ...options, maxFailuresPerAddress: 3 });
    throttle.admit('bob', 'a', T0);
    throttle.admit('bob', 'a', T0);
    throttle.admit('bob', 'a', T0);
    throttle.succeeded('bob', 'a', T0);
    // The address has 2 failures left on its counter, so one more attempt reaches its limit of 3.
    const next = throttle.admit('kelly', 'a', T0);
    expect(next).toEqual({ admitted: true, reachesUserCeiling: false, reachesAddressLimit: true });
    throttle.succeeded('kelly', 'a', T0);
    // Successes alone never throttle an address.
    const busy = new LoginThrottle({ ...options, maxFailuresPerAddress: 2 });
    for (let i = 0; i < 10; i++) {
      expect(admitted(busy, `u${i}`, 'office', T0)).toBe(true);
      busy.succeeded(`u${i}`, 'office', T0);
    }
  });

  it('a success clears the pair and the user: free attempts again, and no ceiling left', () => {
    const throttle = new LoginThrottle(options);
    for (let i = 0; i < 3; i++) throttle.admit('bob', 'a', T0);
    throttle.succeeded('bob', 'a', T0);
    for (let i = 0; i < 3; i++) expect(admitted(throttle, 'bob', 'a', T0)).toBe(true);
    const other = new LoginThrottle(options);
    for (let i = 0; i < 9; i++) other.admit('bob', `a${i}`, T0);
    other.succeeded('bob', 'clean', T0);
    // 9 failures then a success: the user's counter is gone, so a0 (which failed) may try again.
    expect(admitted(other, 'bob', 'a0', T0)).toBe(true);
    expect(admitted(other, 'bob', 'a0', T0)).toBe(true);
  });

  it('the longest of the waits is the one announced', () => {
    const throttle = new LoginThrottle({ ...options, maxFailuresPerAddress: 3 });
    for (let i = 0; i < 3; i++) throttle.admit('bob', 'a', T0);
    // The pair waits 1 s, the address a whole window: Retry-After is the window.
    expect(throttle.admit('bob', 'a', T0)).toEqual({ admitted: false, retryAfterSeconds: WINDOW / 1000 });
  });

  it('keeps no counter for nothing: a success with no failures left leaves the state empty', () => {
    const state = new MemoryThrottleState();
    const throttle = new LoginThrottle(options, state);
    // A success without a live admission (the address counter expired meanwhile) is harmless.
    expect(() => throttle.succeeded('bob', 'a', T0)).not.toThrow();
    expect(state.size()).toBe(0);
    throttle.admit('bob', 'a', T0);
    expect(state.size()).toBe(3);
    throttle.succeeded('bob', 'a', T0);
    expect(state.size()).toBe(0);
    throttle.admit('bob', 'a', T0);
    throttle.admit('kelly', 'a', T0);
    throttle.succeeded('bob', 'a', T0);
    // kelly's pair and user, and the address with her failure.
    expect(state.size()).toBe(3);
  });

  it('counters are forgotten a window after the last failure', () => {
    const throttle = new LoginThrottle(options);
    for (let i = 0; i < 3; i++) throttle.admit('bob', 'a', T0);
    expect(admitted(throttle, 'bob', 'a', T0 + 1000)).toBe(true);
    // Four failures: the next would wait 2 s; after a quiet window the pair starts afresh.
    const later = T0 + 1000 + WINDOW;
    for (let i = 0; i < 3; i++) expect(admitted(throttle, 'bob', 'a', later)).toBe(true);
    expect(admitted(throttle, 'bob', 'a', later)).toBe(false);
  });

  it('one key for every spelling of a username', () => {
    expect(usernameKey('BOB')).toBe(usernameKey('bob'));
    expect(usernameKey('ｂｏｂ')).toBe(usernameKey('bob'));
    expect(usernameKey('bob')).not.toBe(usernameKey('bobby'));
  });

  it('the in-memory state stays within its bound, forgetting the least recently written first', () => {
    const state = new MemoryThrottleState(5);
    const throttle = new LoginThrottle(options, state);
    for (let i = 0; i < 10; i++) throttle.admit(`user${i}`, `addr${i}`, T0);
    expect(state.size()).toBe(5);
  });
});
