import type { EventRecord } from '../store/records.ts';

export type EventListener = (event: EventRecord) => void;

/**
 * Fans committed events out to the connected listeners of each user. Events are already in the
 * store (the outbox) when they get here, so a listener that missed one catches up from there
 * with Last-Event-ID.
 */
export class EventHub {
  private readonly listeners = new Map<string, Set<EventListener>>();

  subscribe(userId: string, listener: EventListener): () => void {
    let set = this.listeners.get(userId);
    if (!set) {
      set = new Set();
      this.listeners.set(userId, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(userId);
    };
  }

  publish(event: EventRecord, audience: Iterable<string>): void {
    for (const userId of new Set(audience)) {
      for (const listener of this.listeners.get(userId) ?? []) listener(event);
    }
  }

  /** Connected listeners, of one user when `userId` is given. */
  listenerCount(userId?: string): number {
    if (userId !== undefined) return this.listeners.get(userId)?.size ?? 0;
    let count = 0;
    for (const set of this.listeners.values()) count += set.size;
    return count;
  }
}
