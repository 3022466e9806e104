import { describe, expect, it } from 'vitest';
import { CLOCK_JUMP_MS, idleVerdict, isClockJump } from '../../../main/shell/powerEvents.ts';

const fresh = { lockedForIdle: false };

describe('idle lock', () => {
  it('locks once the idle time reaches the setting', () => {
    expect(idleVerdict(fresh, 599, 'active', 10).lock).toBeNull();
    expect(idleVerdict(fresh, 600, 'idle', 10)).toEqual({ lock: 'idle', next: { lockedForIdle: true } });
  });

  it('locks once per idle stretch, and re-arms when the user is back', () => {
    const first = idleVerdict(fresh, 700, 'idle', 10);
    const again = idleVerdict(first.next, 715, 'idle', 10);
    expect(again.lock).toBeNull();
    const back = idleVerdict(again.next, 2, 'active', 10);
    expect(back.next.lockedForIdle).toBe(false);
    expect(idleVerdict(back.next, 600, 'idle', 10).lock).toBe('idle');
  });

  it('never locks for idle when the setting is 0', () => {
    expect(idleVerdict(fresh, 1_000_000, 'idle', 0).lock).toBeNull();
  });

  it('locks for a locked screen the desktop reports (Linux has no lock-screen event)', () => {
    expect(idleVerdict(fresh, 5, 'locked', 0).lock).toBe('screen');
    expect(idleVerdict(fresh, 5, 'locked', 10).lock).toBe('screen');
  });
});

describe('clock jumps', () => {
  it('sees a wall clock that moved more than the monotonic clock (sleep, NTP, the user)', () => {
    expect(isClockJump(15_000, 15_000)).toBe(false);
    expect(isClockJump(15_000 + CLOCK_JUMP_MS + 1, 15_000)).toBe(true);
    expect(isClockJump(15_000 - CLOCK_JUMP_MS - 1, 15_000)).toBe(true);
    expect(isClockJump(15_000 + CLOCK_JUMP_MS - 1, 15_000)).toBe(false);
  });
});
