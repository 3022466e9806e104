import type { Clock, TimerHandle, Timers } from '../../client/ports.ts';
import { type Checkout, CheckoutStatus } from '../../common/checkout.ts';
import type { EventSink, NotifierPort } from './ports.ts';

/** Notification texts, in the user's language (main/services/i18n/). */
export interface ExpiryMessages {
  /** `time` is already formatted (`formatTime`). */
  expiringTitle(credentialName: string, time: string): string;
  expiringBody(credentialName: string, time: string): string;
  expiredTitle(credentialName: string): string;
  expiredBody(credentialName: string): string;
  extendAction: string;
}

/** The notification action that asks for an extension. */
export const EXTEND_ACTION = 'extend';
/** The warning comes this long before `expiresAt` (the server's `checkout.expiring` is T-5 min too). */
export const DEFAULT_WARN_BEFORE_MS = 5 * 60_000;
const DEFAULT_MAX_TIMER_MS = 60_000;

export interface ExpirySchedulerDeps {
  notifier: NotifierPort;
  clock: Clock;
  timers: Timers;
  events: EventSink;
  /** An object, or a function read at each notification (follows a language change). */
  messages: ExpiryMessages | (() => ExpiryMessages);
  /** e.g. `14:05` / `14 h 05`, in the user's locale and time zone. */
  formatTime: (epochMs: number) => string;
  /** The user pressed "Extend" on the warning. */
  onExtendRequested: (checkoutId: string) => void;
  /** A checkout reached its `expiresAt`: the app clears its clipboard and refreshes. */
  onExpired: (checkout: Checkout) => void;
  /** The user clicked the body of a notification. */
  onOpen?: (checkoutId: string) => void;
  warnBeforeMs?: number;
  /**
   * Longest single timer wait: timers count monotonic time, which stands still during a suspend
   * and ignores wall-clock changes, so waking up at least this often re-reads the wall clock.
   */
  maxTimerMs?: number;
}

interface Tracked {
  checkout: Checkout;
  expiresAt: number;
  warned: boolean;
  expired: boolean;
}

export function notificationIdFor(checkoutId: string): string {
  return `expiry:${checkoutId}`;
}

/**
 * Warns the user before their active checkouts expire and tells them when one has. It never
 * trusts a timer to have fired on time: every wake-up compares each `expiresAt` with the wall
 * clock, fires what is due (each notice once per `expiresAt`) and sleeps until the next one.
 */
export class ExpiryScheduler {
  private readonly notifier: NotifierPort;
  private readonly clock: Clock;
  private readonly timers: Timers;
  private readonly events: EventSink;
  private readonly messages: () => ExpiryMessages;
  private readonly formatTime: (epochMs: number) => string;
  private readonly onExtendRequested: (checkoutId: string) => void;
  private readonly onExpired: (checkout: Checkout) => void;
  private readonly onOpen: (checkoutId: string) => void;
  private readonly warnBeforeMs: number;
  private readonly maxTimerMs: number;
  private readonly tracked = new Map<string, Tracked>();
  private timer: TimerHandle | null = null;

  constructor(deps: ExpirySchedulerDeps) {
    this.notifier = deps.notifier;
    this.clock = deps.clock;
    this.timers = deps.timers;
    this.events = deps.events;
    const messages = deps.messages;
    this.messages = typeof messages === 'function' ? messages : () => messages;
    this.formatTime = deps.formatTime;
    this.onExtendRequested = deps.onExtendRequested;
    this.onExpired = deps.onExpired;
    this.onOpen = deps.onOpen ?? (() => undefined);
    this.warnBeforeMs = deps.warnBeforeMs ?? DEFAULT_WARN_BEFORE_MS;
    this.maxTimerMs = deps.maxTimerMs ?? DEFAULT_MAX_TIMER_MS;
  }

  /**
   * Replaces the tracked set with the Active ones among `checkouts`. A checkout already tracked
   * keeps what it was told unless its `expiresAt` changed (extended: the warning re-arms).
   */
  track(checkouts: readonly Checkout[]): void {
    const next = new Map<string, Tracked>();
    for (const checkout of checkouts) {
      if (checkout.status !== CheckoutStatus.Active || checkout.expiresAt === null) continue;
      const expiresAt = Date.parse(checkout.expiresAt);
      if (Number.isNaN(expiresAt)) continue;
      const known = this.tracked.get(checkout.id);
      if (known && known.expiresAt === expiresAt) {
        // Same object: a wake-up in progress (onExpired calling back into track) sees the flags.
        known.checkout = checkout;
        next.set(checkout.id, known);
      } else {
        // A warning about the old time is stale now.
        if (known?.warned && !known.expired) this.notifier.close(notificationIdFor(checkout.id));
        next.set(checkout.id, { checkout, expiresAt, warned: false, expired: false });
      }
    }
    const now = this.clock.now();
    const lapsed: Tracked[] = [];
    for (const [id, gone] of this.tracked) {
      if (next.has(id) || gone.expired) continue;
      // Gone because it expired before we looked (a refresh after a sleep ran before recheck):
      // the user is still told, and the app still clears its clipboard.
      if (now >= gone.expiresAt) lapsed.push(gone);
      // Checked in or ended elsewhere: its warning no longer applies (an expiry notice stays).
      else if (gone.warned) this.notifier.close(notificationIdFor(id));
    }
    this.tracked.clear();
    for (const [id, entry] of next) this.tracked.set(id, entry);
    for (const entry of lapsed) this.expire(entry);
    this.wake();
  }

  /** After resume from sleep or a clock change: fire whatever is due (once) and reschedule. */
  recheck(): void {
    this.wake();
  }

  /** The ids being watched (for diagnostics and tests). */
  trackedIds(): string[] {
    return [...this.tracked.keys()];
  }

  private wake(): void {
    this.cancelTimer();
    const now = this.clock.now();
    for (const entry of [...this.tracked.values()]) {
      if (entry.expired || this.tracked.get(entry.checkout.id) !== entry) continue;
      if (now >= entry.expiresAt) this.expire(entry);
      else if (!entry.warned && now >= entry.expiresAt - this.warnBeforeMs) this.warn(entry);
    }
    this.arm();
  }

  private arm(): void {
    this.cancelTimer();
    let next = Number.POSITIVE_INFINITY;
    for (const entry of this.tracked.values()) {
      if (entry.expired) continue;
      next = Math.min(next, entry.warned ? entry.expiresAt : entry.expiresAt - this.warnBeforeMs);
    }
    if (next === Number.POSITIVE_INFINITY) return;
    const wait = Math.max(0, Math.min(next - this.clock.now(), this.maxTimerMs));
    this.timer = this.timers.setTimeout(() => {
      this.timer = null;
      this.wake();
    }, wait);
  }

  private cancelTimer(): void {
    if (this.timer === null) return;
    this.timers.clearTimeout(this.timer);
    this.timer = null;
  }

  private warn(entry: Tracked): void {
    entry.warned = true;
    const { checkout } = entry;
    const messages = this.messages();
    const time = this.formatTime(entry.expiresAt);
    this.notifier.show(
      {
        id: notificationIdFor(checkout.id),
        title: messages.expiringTitle(checkout.credentialName, time),
        body: messages.expiringBody(checkout.credentialName, time),
        actions: [{ id: EXTEND_ACTION, label: messages.extendAction }],
      },
      (action) => {
        if (action === EXTEND_ACTION) this.onExtendRequested(checkout.id);
        else if (action === 'click') this.onOpen(checkout.id);
      },
    );
    this.events.emit({
      type: 'expiry.warning',
      checkoutId: checkout.id,
      credentialName: checkout.credentialName,
      expiresAt: new Date(entry.expiresAt).toISOString(),
    });
  }

  private expire(entry: Tracked): void {
    entry.expired = true;
    const { checkout } = entry;
    const messages = this.messages();
    this.notifier.show(
      {
        id: notificationIdFor(checkout.id),
        title: messages.expiredTitle(checkout.credentialName),
        body: messages.expiredBody(checkout.credentialName),
      },
      (action) => {
        if (action === 'click') this.onOpen(checkout.id);
      },
    );
    this.onExpired(checkout);
  }
}
