/**
 * Hand-driven fakes of the service ports. Time only moves when a test says so:
 * - `clock.advance(ms)`: time passes normally; the wall clock and the timers move together and
 *   every timer that falls due fires, in order, with the clock set to its due time.
 * - `clock.jump(ms)`: only the wall clock moves (sleep, NTP, the user changing the time); timers
 *   do not notice, as Node's monotonic timers do not during a suspend.
 */

import type { Clock, TimerHandle, Timers } from '../../../client/ports.ts';
import type { AppEvent } from '../../../common/ipc.ts';
import type {
  ClipboardPort,
  EventSink,
  NotificationRequest,
  NotifierPort,
  TrayPort,
} from '../../../main/services/ports.ts';

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

export class FakeClipboard implements ClipboardPort {
  value = '';
  readonly writes: Array<{ text: string; concealed: boolean }> = [];
  clears = 0;
  reads = 0;

  async writeText(text: string, options: { concealed: boolean }): Promise<void> {
    this.value = text;
    this.writes.push({ text, concealed: options.concealed });
  }

  async readText(): Promise<string> {
    this.reads++;
    return this.value;
  }

  async clear(): Promise<void> {
    this.value = '';
    this.clears++;
  }

  /** Another application (or the user) puts something on the clipboard. */
  userCopies(text: string): void {
    this.value = text;
  }
}

export interface ShownNotification extends NotificationRequest {
  onAction: (action: string) => void;
}

export class FakeNotifier implements NotifierPort {
  readonly shown: ShownNotification[] = [];
  readonly closed: string[] = [];

  show(request: NotificationRequest, onAction: (action: string) => void): void {
    this.shown.push({ ...request, onAction });
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

  titles(): string[] {
    return this.shown.map((notification) => notification.title);
  }
}

export class FakeTray implements TrayPort {
  readonly counts: number[] = [];

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
