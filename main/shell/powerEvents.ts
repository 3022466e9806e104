/**
 * Locks the session when the machine does: screen lock, suspend, or no input for the configured
 * minutes; and tells the app after a resume or a wall-clock jump so every deadline is re-checked.
 *
 * powerMonitor's `lock-screen` exists on macOS and Windows only; on Linux the poll sees the lock
 * through getSystemIdleState() === 'locked' (where the desktop reports it). The idle decision and
 * the clock-jump detection are pure.
 */
import type { PowerMonitor } from 'electron';
import type { LockReason } from '../services/sessionService.ts';

export const IDLE_POLL_MS = 15_000;
/** A wall-clock step bigger than this, against the monotonic clock, counts as a jump. */
export const CLOCK_JUMP_MS = 30_000;

export type SystemIdleState = ReturnType<PowerMonitor['getSystemIdleState']>;

export interface IdleWatchState {
  /** True once we locked for this stretch of inactivity; re-armed when the user is back. */
  lockedForIdle: boolean;
}

export type IdleVerdict = { lock: LockReason | null; next: IdleWatchState };

/**
 * One poll: `idleSeconds` of no input, the desktop's state, the setting (0 = never lock for idle).
 * Locks once per idle stretch, not at every poll.
 */
export function idleVerdict(
  state: IdleWatchState,
  idleSeconds: number,
  systemState: SystemIdleState,
  autoLockMinutes: number,
): IdleVerdict {
  const limitSeconds = autoLockMinutes > 0 ? autoLockMinutes * 60 : Number.POSITIVE_INFINITY;
  const away = systemState === 'locked' || idleSeconds >= limitSeconds;
  if (!away) return { lock: null, next: { lockedForIdle: false } };
  if (state.lockedForIdle) return { lock: null, next: state };
  return { lock: systemState === 'locked' ? 'screen' : 'idle', next: { lockedForIdle: true } };
}

/** Whether the wall clock moved differently from the monotonic clock (sleep not reported, NTP, user). */
export function isClockJump(wallDeltaMs: number, monotonicDeltaMs: number): boolean {
  return Math.abs(wallDeltaMs - monotonicDeltaMs) > CLOCK_JUMP_MS;
}

export interface PowerEventsDeps {
  powerMonitor: PowerMonitor;
  autoLockMinutes(): number;
  lock(reason: LockReason): void;
  resumed(): void;
  pollMs?: number;
}

/** Starts watching; returns the stop function. */
export function watchPowerEvents(deps: PowerEventsDeps): () => void {
  const { powerMonitor } = deps;
  let state: IdleWatchState = { lockedForIdle: false };
  let lastWall = Date.now();
  let lastMonotonic = performance.now();

  const onLockScreen = () => deps.lock('screen');
  const onSuspend = () => deps.lock('suspend');
  const onResume = () => {
    lastWall = Date.now();
    lastMonotonic = performance.now();
    deps.resumed();
  };
  powerMonitor.on('lock-screen', onLockScreen);
  powerMonitor.on('suspend', onSuspend);
  powerMonitor.on('resume', onResume);

  const poll = () => {
    const wall = Date.now();
    const monotonic = performance.now();
    if (isClockJump(wall - lastWall, monotonic - lastMonotonic)) deps.resumed();
    lastWall = wall;
    lastMonotonic = monotonic;

    const minutes = deps.autoLockMinutes();
    const threshold = Math.max(1, Math.round(minutes * 60));
    const verdict = idleVerdict(
      state,
      powerMonitor.getSystemIdleTime(),
      powerMonitor.getSystemIdleState(threshold),
      minutes,
    );
    state = verdict.next;
    if (verdict.lock) deps.lock(verdict.lock);
  };
  const interval = setInterval(poll, deps.pollMs ?? IDLE_POLL_MS);
  interval.unref();

  return () => {
    clearInterval(interval);
    powerMonitor.off('lock-screen', onLockScreen);
    powerMonitor.off('suspend', onSuspend);
    powerMonitor.off('resume', onResume);
  };
}
