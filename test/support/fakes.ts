/**
 * The one set of fakes of the host ports, for the service tests, the client core tests, the desktop
 * harness and the e2e harness: clipboard, notifier, OS keychain, tray, event sink, and two kinds of
 * timers.
 *
 * `FakeClock`/`FakeTimers`: time only moves when a test says so.
 * - `clock.advance(ms)`: time passes normally; the wall clock and the timers move together and
 *   every timer that falls due fires, in order, with the clock set to its due time.
 * - `clock.jump(ms)`: only the wall clock moves (sleep, NTP, the user changing the time); timers
 *   do not notice, as Node's monotonic timers do not during a suspend.
 * `ManualTimers`: real time passes, and the test fires chosen timers (reconnects, polls) by hand.
 */

import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import {
  type Clock,
  realTimers,
  type SecretBoxPort,
  systemClock,
  type TimerHandle,
  type Timers,
} from '../../client/ports.ts';
import type { AppEvent } from '../../common/ipc.ts';
import type { DesktopPorts } from '../../main/app/desktopApp.ts';
import type {
  ClipboardPort,
  EventSink,
  NotificationRequest,
  NotifierPort,
  TrayPort,
} from '../../main/services/ports.ts';
import type { TrayCheckout } from '../../main/services/trayMenu.ts';

/** Wall-clock milliseconds for the records' `at` (a FakeClock's `now`, or the real clock). */
type Now = () => number;
const realNow: Now = () => Date.now();

interface ScheduledTimer {
  id: number;
  dueAt: number;
  callback: () => void;
}

export class FakeTimers implements Timers {
  static readonly MAX_FIRINGS_PER_ADVANCE = 10_000;
  /** Monotonic milliseconds: what timers count in. */
  private monotonic = 0;
  private nextId = 1;
  private scheduled: ScheduledTimer[] = [];
  private readonly clock: FakeClock | null;

  constructor(clock: FakeClock | null = null) {
    this.clock = clock;
  }

  setTimeout(callback: () => void, ms: number): TimerHandle {
    const timer = { id: this.nextId++, dueAt: this.monotonic + Math.max(0, ms), callback };
    this.scheduled.push(timer);
    return timer.id;
  }

  clearTimeout(handle: TimerHandle): void {
    this.scheduled = this.scheduled.filter((timer) => timer.id !== handle);
  }

  /** How many callbacks are waiting. */
  pending(): number {
    return this.scheduled.length;
  }

  /** Milliseconds until the next callback is due, or null when none is. */
  nextDelay(): number | null {
    const next = this.earliest();
    return next ? next.dueAt - this.monotonic : null;
  }

  /** Lets `ms` pass, firing due callbacks in order (including ones they schedule within the window). */
  advance(ms: number): void {
    const target = this.monotonic + ms;
    for (let fired = 0; ; fired++) {
      const next = this.earliest();
      if (!next || next.dueAt > target) break;
      // A service re-arming a zero-delay timer forever would otherwise hang the test run.
      if (fired >= FakeTimers.MAX_FIRINGS_PER_ADVANCE)
        throw new Error('runaway timers: too many callbacks fired');
      this.step(next.dueAt - this.monotonic);
      this.scheduled = this.scheduled.filter((timer) => timer !== next);
      next.callback();
    }
    this.step(target - this.monotonic);
  }

  private step(ms: number): void {
    this.monotonic += ms;
    this.clock?.moveWall(ms);
  }

  private earliest(): ScheduledTimer | undefined {
    let best: ScheduledTimer | undefined;
    for (const timer of this.scheduled) {
      if (!best || timer.dueAt < best.dueAt || (timer.dueAt === best.dueAt && timer.id < best.id))
        best = timer;
    }
    return best;
  }
}

export class FakeClock implements Clock {
  private wall: number;
  readonly timers: FakeTimers;

  constructor(start: number | string = Date.parse('2025-06-02T09:00:00Z')) {
    this.wall = typeof start === 'string' ? Date.parse(start) : start;
    this.timers = new FakeTimers(this);
  }

  now(): number {
    return this.wall;
  }

  /** Time passes: due timers fire. */
  advance(ms: number): void {
    this.timers.advance(ms);
  }

  /** The wall clock alone moves (forwards or backwards); no timer fires. */
  jump(ms: number): void {
    this.wall += ms;
  }

  /** For FakeTimers: the wall clock follows the monotonic one. */
  moveWall(ms: number): void {
    this.wall += ms;
  }
}

/** A clock and its timers, linked. */
export function fakeTime(start?: number | string): { clock: FakeClock; timers: FakeTimers } {
  const clock = new FakeClock(start);
  return { clock, timers: clock.timers };
}

/** A recording clipboard: what was written (and when), each clear (and when), how often it was read. */
export class FakeClipboard implements ClipboardPort {
  value = '';
  readonly writes: Array<{ text: string; concealed: boolean; at: number }> = [];
  readonly clears: Array<{ at: number }> = [];
  reads = 0;
  private readonly now: Now;

  constructor(now: Now = realNow) {
    this.now = now;
  }

  async writeText(text: string, options: { concealed: boolean }): Promise<void> {
    this.value = text;
    this.writes.push({ text, concealed: options.concealed, at: this.now() });
  }

  async readText(): Promise<string> {
    this.reads++;
    return this.value;
  }

  async clear(): Promise<void> {
    this.value = '';
    this.clears.push({ at: this.now() });
  }

  /** Another application (or the user) puts something on the clipboard. */
  userCopies(text: string): void {
    this.value = text;
  }
}

export interface ShownNotification extends NotificationRequest {
  /** When it was shown (wall-clock ms). */
  at: number;
  onAction: (action: string, reply?: string) => void;
}

export class FakeNotifier implements NotifierPort {
  readonly shown: ShownNotification[] = [];
  readonly closed: string[] = [];
  private readonly now: Now;

  constructor(now: Now = realNow) {
    this.now = now;
  }

  show(request: NotificationRequest, onAction: (action: string, reply?: string) => void): void {
    this.shown.push({ ...request, at: this.now(), onAction });
  }

  close(id: string): void {
    this.closed.push(id);
  }

  /** The latest notification shown with this id. */
  last(id: string): ShownNotification {
    const found = this.shown.findLast((notification) => notification.id === id);
    if (!found) throw new Error(`no notification ${id}; shown: ${this.shown.map((n) => n.id).join(', ')}`);
    return found;
  }

  /** The user clicks the body (`'click'`) or a button (its action id) of the latest notification `id`. */
  click(id: string, action = 'click'): void {
    this.last(id).onAction(action);
  }

  /** The user types `text` in the reply field of the latest notification `id` and sends it. */
  reply(id: string, text: string): void {
    this.last(id).onAction('reply', text);
  }

  titles(): string[] {
    return this.shown.map((notification) => notification.title);
  }
}

export class FakeTray implements TrayPort {
  readonly counts: number[] = [];
  /** Each list of checkouts the tray was given, in order. */
  readonly checkoutLists: TrayCheckout[][] = [];

  setCheckouts(checkouts: readonly TrayCheckout[]): void {
    this.checkoutLists.push([...checkouts]);
  }

  setPendingCount(count: number): void {
    this.counts.push(count);
  }

  get current(): number | undefined {
    return this.counts.at(-1);
  }
}

export class RecordingSink implements EventSink {
  readonly events: AppEvent[] = [];

  emit(event: AppEvent): void {
    this.events.push(event);
  }

  ofType<T extends AppEvent['type']>(type: T): Array<Extract<AppEvent, { type: T }>> {
    return this.events.filter((event): event is Extract<AppEvent, { type: T }> => event.type === type);
  }

  clear(): void {
    this.events.length = 0;
  }
}

/** Lets pending promise chains (the async clipboard port) run to completion. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export interface FakeKeyring extends SecretBoxPort {
  /** Every plaintext handed to encrypt (the data keys it wrapped). */
  wrapped: Buffer[];
  setState(state: 'os' | 'basic_text' | 'unavailable'): void;
}

/**
 * The key of "this machine's" keychain: desktops started on the same data directory (a restart)
 * open each other's values, as on one machine.
 */
export const MACHINE_KEYCHAIN_KEY = Buffer.alloc(32, 0x5a);

/**
 * The OS keychain as a real AES-256-GCM key held in memory: two keyrings with different keys (the
 * default: a random one) do not open each other's values (decrypt throws), as when the user's
 * keychain is reset or the profile moves machines.
 */
export function fakeKeyring(
  options: { state?: 'os' | 'basic_text' | 'unavailable'; key?: Buffer; refuseEncrypt?: boolean } = {},
): FakeKeyring {
  const key = options.key ?? randomBytes(32);
  let state = options.state ?? 'os';
  const wrapped: Buffer[] = [];
  return {
    wrapped,
    setState(next) {
      state = next;
    },
    state: () => state,
    encrypt(plain) {
      if (options.refuseEncrypt) throw new Error('keychain locked');
      wrapped.push(Buffer.from(plain));
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain), cipher.final()]);
      return Buffer.concat([iv, body, cipher.getAuthTag()]);
    },
    decrypt(sealed) {
      const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12));
      decipher.setAuthTag(sealed.subarray(sealed.length - 16));
      return Buffer.concat([decipher.update(sealed.subarray(12, sealed.length - 16)), decipher.final()]);
    },
  };
}

/** Timers a test fires by hand, while real time passes; `waitPending()` resolves when one is set. */
export class ManualTimers {
  private pending: Array<{ id: number; callback: () => void; ms: number }> = [];
  private nextId = 1;
  private waiters: Array<(timer: { id: number; ms: number }) => void> = [];

  readonly timers = {
    setTimeout: (callback: () => void, ms: number): unknown => {
      const timer = { id: this.nextId++, callback, ms };
      this.pending.push(timer);
      for (const waiter of this.waiters.splice(0)) waiter(timer);
      return timer.id;
    },
    clearTimeout: (handle: unknown): void => {
      this.pending = this.pending.filter((timer) => timer.id !== handle);
    },
  };

  /** Delays of the timers still pending. */
  get delays(): number[] {
    return this.pending.map((timer) => timer.ms);
  }

  /** Waits until some timer is pending (e.g. the next poll is scheduled, so the current one is over). */
  async waitPending(timeoutMs = 20_000): Promise<void> {
    if (this.pending.length > 0) return;
    await new Promise<void>((resolve, reject) => {
      const guard = setTimeout(() => reject(new Error('no timer was set')), timeoutMs);
      this.waiters.push(() => {
        clearTimeout(guard);
        resolve();
      });
    });
  }

  /** Waits until a pending timer matches, then fires it (and only it). */
  async fire(test: (ms: number) => boolean = () => true, timeoutMs = 20_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const timer = this.pending.find((candidate) => test(candidate.ms));
      if (timer) {
        this.pending = this.pending.filter((candidate) => candidate !== timer);
        timer.callback();
        return timer.ms;
      }
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`no timer matched; pending: ${JSON.stringify(this.delays)}`);
      await new Promise<void>((resolve, reject) => {
        const guard = setTimeout(
          () => reject(new Error(`no timer matched; pending: ${JSON.stringify(this.delays)}`)),
          remaining,
        );
        this.waiters.push(() => {
          clearTimeout(guard);
          resolve();
        });
      });
    }
  }
}

/**
 * A desktop's OS ports, as the desktop and e2e harnesses hand them to createDesktopApp: the fakes
 * (to look at afterwards) and the ports object. Real time unless a clock and timers are given; the
 * keychain is "this machine's", so a restart on the same data directory opens its cache.
 */
export function fakeDesktopPorts(options: {
  emit(event: AppEvent): void;
  clock?: Clock;
  timers?: Timers;
  secretState?: 'os' | 'basic_text' | 'unavailable';
}) {
  const clipboard = new FakeClipboard();
  const notifier = new FakeNotifier();
  const secretBox = fakeKeyring({ state: options.secretState ?? 'os', key: MACHINE_KEYCHAIN_KEY });
  const tray = new FakeTray();
  const ports: DesktopPorts = {
    clipboard,
    notifier,
    secretBox,
    tray,
    events: { emit: options.emit },
    clock: options.clock ?? systemClock,
    timers: options.timers ?? realTimers,
  };
  return { clipboard, notifier, tray, ports };
}
