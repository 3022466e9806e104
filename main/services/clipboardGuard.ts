import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock, TimerHandle, Timers } from '../../client/ports.ts';
import type { ClipboardPort, EventSink } from './ports.ts';

/** Why the app asks for the clipboard to be cleared (the timer's own deadline is not one of them). */
export type ClipboardClearReason = 'checkin' | 'expiry' | 'lock' | 'signOut' | 'quit';

/** What happened when the guard let go of a secret (for logs: never carries the secret). */
export interface ClipboardRelease {
  credentialId: string;
  reason: ClipboardClearReason | 'timeout';
  /** True when the clipboard still held the secret and was cleared; false when it was left alone. */
  wiped: boolean;
}

export interface CopySecretOptions {
  credentialId: string;
  /** Seconds until the clipboard is cleared (if it still holds the secret). */
  clearAfterSeconds: number;
}

export interface CopySecretResult {
  /** Wall-clock epoch milliseconds of the clear. */
  clearsAt: number;
}

export interface ClipboardGuardDeps {
  clipboard: ClipboardPort;
  clock: Clock;
  timers: Timers;
  events: EventSink;
  /**
   * Longest single timer wait. Timers count monotonic time, which stands still during a suspend
   * and ignores wall-clock changes; waking up at least this often re-reads the wall clock.
   */
  maxTimerMs?: number;
  onReleased?: (release: ClipboardRelease) => void;
}

interface HeldSecret {
  credentialId: string;
  salt: Buffer;
  digest: Buffer;
  clearsAt: number;
  /** Timer time still to run; guards against the wall clock being set back. */
  timerMsLeft: number;
}

const DEFAULT_MAX_TIMER_MS = 60_000;

function digestOf(salt: Buffer, text: string): Buffer {
  return createHash('sha256').update(salt).update(text, 'utf8').digest();
}

/**
 * Puts a password on the clipboard and takes it off again: after a delay, and on check-in,
 * expiry, lock, sign-out and quit. It only ever clears what it wrote: if the clipboard holds
 * anything else by then (the user copied something), it is left alone. The password itself is
 * not kept here, only a salted SHA-256 of it to recognise it.
 */
export class ClipboardGuard {
  private readonly clipboard: ClipboardPort;
  private readonly clock: Clock;
  private readonly timers: Timers;
  private readonly events: EventSink;
  private readonly maxTimerMs: number;
  private readonly onReleased: (release: ClipboardRelease) => void;
  private held: HeldSecret | null = null;
  private timer: TimerHandle | null = null;

  constructor(deps: ClipboardGuardDeps) {
    this.clipboard = deps.clipboard;
    this.clock = deps.clock;
    this.timers = deps.timers;
    this.events = deps.events;
    this.maxTimerMs = deps.maxTimerMs ?? DEFAULT_MAX_TIMER_MS;
    this.onReleased = deps.onReleased ?? (() => undefined);
  }

  async copySecret(value: string, options: CopySecretOptions): Promise<CopySecretResult> {
    if (!Number.isFinite(options.clearAfterSeconds) || options.clearAfterSeconds <= 0) {
      throw new RangeError('clearAfterSeconds must be a positive number.');
    }
    this.cancelTimer();
    this.held = null;
    await this.clipboard.writeText(value, { concealed: true });
    const salt = randomBytes(16);
    const clearsAt = this.clock.now() + options.clearAfterSeconds * 1000;
    this.held = {
      credentialId: options.credentialId,
      salt,
      digest: digestOf(salt, value),
      clearsAt,
      timerMsLeft: clearsAt - this.clock.now(),
    };
    this.arm();
    this.events.emit({
      type: 'clipboard.changed',
      state: 'copied',
      credentialId: options.credentialId,
      clearsAt: new Date(clearsAt).toISOString(),
    });
    return { clearsAt };
  }

  /**
   * Puts text that is no secret (an account name) on the clipboard, unconcealed and never cleared.
   * It replaces any password we were guarding, which is then no longer ours to clear.
   */
  async copyPlain(text: string): Promise<void> {
    const held = this.held;
    this.cancelTimer();
    this.held = null;
    await this.clipboard.writeText(text, { concealed: false });
    if (held) {
      this.events.emit({
        type: 'clipboard.changed',
        state: 'cleared',
        credentialId: held.credentialId,
        clearsAt: null,
      });
    }
  }

  /** The credential whose password we put on the clipboard, while we are still guarding it. */
  heldCredentialId(): string | null {
    return this.held?.credentialId ?? null;
  }

  /** Clears the clipboard now if it still holds our secret; forgets the secret either way. */
  clearIfOurs(reason: ClipboardClearReason): Promise<void> {
    return this.release(reason);
  }

  /** Same, but only when the secret on the clipboard is this credential's. */
  async clearForCredential(credentialId: string, reason: ClipboardClearReason): Promise<void> {
    if (this.held?.credentialId === credentialId) await this.clearIfOurs(reason);
  }

  /** After resume from sleep or a clock change: clear if the deadline passed, else re-arm. */
  recheck(): Promise<void> {
    if (!this.held) return Promise.resolve();
    this.cancelTimer();
    return this.checkDeadline();
  }

  /**
   * The deadline is on the wall clock (a suspend stops timers, not the wall clock), but the secret
   * never stays longer than the timers have counted either (the wall clock may be set back).
   */
  private async checkDeadline(): Promise<void> {
    if (!this.held) return;
    if (this.clock.now() >= this.held.clearsAt || this.held.timerMsLeft <= 0) await this.release('timeout');
    else this.arm();
  }

  private arm(): void {
    const held = this.held;
    if (!held) return;
    const wait = Math.max(0, Math.min(held.clearsAt - this.clock.now(), held.timerMsLeft, this.maxTimerMs));
    this.timer = this.timers.setTimeout(() => {
      this.timer = null;
      held.timerMsLeft -= wait;
      void this.checkDeadline();
    }, wait);
  }

  private cancelTimer(): void {
    if (this.timer === null) return;
    this.timers.clearTimeout(this.timer);
    this.timer = null;
  }

  private async release(reason: ClipboardRelease['reason']): Promise<void> {
    const held = this.held;
    if (!held) return;
    this.cancelTimer();
    this.held = null;
    const wiped = await this.stillOurs(held);
    if (wiped) await this.clipboard.clear().catch(() => undefined);
    // Either way the secret is no longer ours to guard: the window stops its countdown.
    this.events.emit({
      type: 'clipboard.changed',
      state: 'cleared',
      credentialId: held.credentialId,
      clearsAt: null,
    });
    this.onReleased({ credentialId: held.credentialId, reason, wiped });
  }

  private async stillOurs(held: HeldSecret): Promise<boolean> {
    let current: string;
    try {
      current = await this.clipboard.readText();
    } catch {
      // Cannot tell: wiping someone else's text is the lesser harm than leaving a password.
      return true;
    }
    return timingSafeEqual(digestOf(held.salt, current), held.digest);
  }
}
