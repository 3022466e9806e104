/**
 * Slows down password guessing: after `maxFailures` failed logins for one key (a username, an
 * address) within `windowMs`, further attempts for that key are refused until the oldest failure
 * leaves the window. Kept in memory: a restart forgets, which is acceptable for a throttle.
 */
export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();
  private readonly maxFailures: number;
  private readonly windowMs: number;

  constructor(options: { maxFailures: number; windowMs: number }) {
    this.maxFailures = options.maxFailures;
    this.windowMs = options.windowMs;
  }

  /** Seconds to wait before `key` may try again, or 0. */
  retryAfterSeconds(key: string, now: number): number {
    const recent = this.recent(key, now);
    if (recent.length < this.maxFailures) return 0;
    return Math.max(1, Math.ceil((recent[0]! + this.windowMs - now) / 1000));
  }

  recordFailure(key: string, now: number): void {
    const recent = this.recent(key, now);
    recent.push(now);
    this.failures.set(key, recent.slice(-this.maxFailures));
  }

  reset(key: string): void {
    this.failures.delete(key);
  }

  private recent(key: string, now: number): number[] {
    const recent = (this.failures.get(key) ?? []).filter((at) => at > now - this.windowMs);
    if (recent.length === 0) this.failures.delete(key);
    return recent;
  }
}
