import type { PamStore } from '../store/pamStore.ts';
import type { EventRecord } from '../store/records.ts';
import { EventHub } from './eventHub.ts';

const BATCH = 500;
/** A safety net under LISTEN/NOTIFY: a wake-up lost with a broken connection costs at most this. */
const POLL_MS = 1000;

/**
 * The event hub of a node that shares its store with other nodes. Every node, the one that made
 * a change included, learns of events from the outbox (the store's events table), in id order:
 * so the listeners of node B get what happened on node A, in the same order as A's own, once
 * each. A local publish only wakes the relay; the events come back from the store with the rest.
 */
export class RelayedEventHub extends EventHub {
  private readonly store: PamStore;
  private cursor = 0;
  private pumping: Promise<void> | undefined;
  private wakeAgain = false;
  private stopWatching: (() => Promise<void>) | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(store: PamStore) {
    super();
    this.store = store;
  }

  /** Starts after the events already committed: listeners connecting later replay with Last-Event-ID. */
  async start(): Promise<void> {
    this.cursor = await this.store.lastEventId();
    this.stopWatching = await this.store.watchEvents(() => this.wake());
    this.timer = setInterval(() => this.wake(), POLL_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.stopWatching?.();
    await this.pumping;
  }

  override publish(_event: EventRecord, _audience: Iterable<string>): void {
    this.wake();
  }

  /** Reads what the outbox holds past the cursor; wake-ups during a read cause one more read. */
  wake(): void {
    if (this.pumping) {
      this.wakeAgain = true;
      return;
    }
    this.pumping = this.pump().finally(() => {
      this.pumping = undefined;
      if (this.wakeAgain) {
        this.wakeAgain = false;
        this.wake();
      }
    });
  }

  /** Resolves once every event committed before the call has been delivered (tests, shutdown). */
  async settle(): Promise<void> {
    this.wake();
    while (this.pumping) await this.pumping;
  }

  private async pump(): Promise<void> {
    try {
      for (;;) {
        const events = await this.store.eventsAfter(this.cursor, BATCH);
        for (const event of events) {
          this.cursor = event.id;
          super.publish(event, event.audience ?? []);
        }
        if (events.length < BATCH) return;
      }
    } catch {
      // The database is away: the next wake-up (at the latest the poll) reads again from the cursor.
    }
  }
}
