/**
 * Listeners of one kind of service event. `add` returns the listener's own cleanup, so several
 * parts of the app can follow the same event and each leaves on its own (no single-slot setter
 * that a second caller silently replaces).
 */
export class Subscribers<Args extends unknown[]> {
  private readonly listeners = new Set<(...args: Args) => Promise<void> | void>();

  add(listener: (...args: Args) => Promise<void> | void): () => void {
    // A wrapper per call: the same function added twice is two subscriptions, each with its cleanup.
    const entry = (...args: Args) => listener(...args);
    this.listeners.add(entry);
    return () => {
      this.listeners.delete(entry);
    };
  }

  /** Calls the listeners one after the other, in the order they were added, awaiting each. */
  async notify(...args: Args): Promise<void> {
    for (const listener of [...this.listeners]) await listener(...args);
  }
}
