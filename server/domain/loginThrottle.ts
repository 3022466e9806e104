/**
 * Slows down password guessing without handing attackers a way to lock victims out.
 *
 * Three counters of failed sign-ins, each forgotten after `windowMs` without a new failure:
 * - per (username, address) pair: after `freeFailures` failures, each further failure makes the
 *   pair wait twice as long as the previous one (1 s, 2 s, 4 s… up to the window). This is what
 *   slows a guesser; the same user from another address is not slowed by it.
 * - per username: at `maxFailuresPerUser` failures (from any address) the user is under a
 *   ceiling: only addresses that have not failed for this user may still try. The right password
 *   from a clean address still signs in, so a distributed attacker cannot lock the victim out,
 *   but gets at most one guess per address per window.
 * - per address: at `maxFailuresPerAddress` failures (any usernames), the address waits out the
 *   window (password spraying). Behind a reverse proxy this needs the real client address
 *   (`--trust-proxy`), or every client shares one counter.
 *
 * Every attempt is counted BEFORE the password is verified, in one synchronous step with the
 * check: requests in flight at the same moment cannot all pass the check and then all guess.
 * A success gives back its attempt (so signing in many times from one address never throttles
 * it) and clears the pair and the username.
 */

export interface ThrottleEntry {
  failures: number;
  /** When the last failure was recorded (ms). */
  lastAt: number;
  /** Before this instant (ms), the key may not try. */
  blockedUntil: number;
}

export type ThrottleWrites = ReadonlyMap<string, ThrottleEntry | null>;

/**
 * Where the counters live: in memory for one server node, or in the store when several nodes
 * share the work (a PostgreSQL store implements `transact` as one transaction over the rows of
 * `keys`, `SELECT … FOR UPDATE` then upserts/deletes).
 */
export interface ThrottleState {
  /**
   * Reads the entries of `keys`, lets `change` decide what to write (an entry, or null to delete
   * it) and writes it, as ONE atomic step: no other call reads these entries in between.
   */
  transact<T>(
    keys: readonly string[],
    change: (entries: ReadonlyMap<string, ThrottleEntry>) => { writes: ThrottleWrites; result: T },
  ): T;
}

/** Counters in a Map; atomic because `transact` runs synchronously. Bounded in size. */
export class MemoryThrottleState implements ThrottleState {
  private readonly entries = new Map<string, ThrottleEntry>();
  private readonly maxEntries: number;

  constructor(maxEntries = 100_000) {
    this.maxEntries = maxEntries;
  }

  transact<T>(
    keys: readonly string[],
    change: (entries: ReadonlyMap<string, ThrottleEntry>) => { writes: ThrottleWrites; result: T },
  ): T {
    const current = new Map<string, ThrottleEntry>();
    for (const key of keys) {
      const entry = this.entries.get(key);
      if (entry) current.set(key, entry);
    }
    const { writes, result } = change(current);
    for (const [key, entry] of writes) {
      // Re-inserting moves the key to the end: the Map's order is least recently written first.
      this.entries.delete(key);
      if (entry) this.entries.set(key, entry);
    }
    // Many distinct usernames must not grow memory without end: forget the least recently
    // written counters first (an attacker able to do this is throttled per address anyway).
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
    return result;
  }

  size(): number {
    return this.entries.size;
  }
}

export interface ThrottleOptions {
  windowMs: number;
  maxFailuresPerUser: number;
  maxFailuresPerAddress: number;
  /** Failures a (username, address) pair may make before it is slowed down. */
  freeFailures: number;
  /** The first delay after the free failures; doubles with each further failure, up to `windowMs`. */
  baseDelayMs: number;
}

export type Admission =
  | { admitted: false; retryAfterSeconds: number }
  | {
      admitted: true;
      /** This attempt made the username reach its ceiling (if it fails: a lockout to audit). */
      reachesUserCeiling: boolean;
      /** This attempt made the address reach its limit (if it fails: a lockout to audit). */
      reachesAddressLimit: boolean;
    };

/** The key of a username in the counters: one key for every spelling the store treats as the same. */
export function usernameKey(username: string): string {
  return username.normalize('NFKC').toLowerCase();
}

export class LoginThrottle {
  private readonly state: ThrottleState;
  private readonly options: ThrottleOptions;

  constructor(options: ThrottleOptions, state: ThrottleState = new MemoryThrottleState()) {
    this.options = options;
    this.state = state;
  }

  /** Checks and, if admitted, counts the attempt as a failure until `succeeded` says otherwise. */
  admit(username: string, address: string, now: number): Admission {
    const keys = keysOf(username, address);
    return this.state.transact<Admission>([keys.pair, keys.user, keys.address], (entries) => {
      const pair = this.live(entries.get(keys.pair), now);
      const user = this.live(entries.get(keys.user), now);
      const addr = this.live(entries.get(keys.address), now);
      const { windowMs, maxFailuresPerUser, maxFailuresPerAddress } = this.options;
      const waits: number[] = [];
      if (pair && pair.blockedUntil > now) waits.push(pair.blockedUntil - now);
      if (addr && addr.failures >= maxFailuresPerAddress) waits.push(addr.lastAt + windowMs - now);
      if (user && user.failures >= maxFailuresPerUser && pair) waits.push(user.lastAt + windowMs - now);
      if (waits.length > 0) {
        const retryAfterSeconds = Math.max(1, Math.ceil(Math.max(...waits) / 1000));
        return { writes: new Map(), result: { admitted: false, retryAfterSeconds } };
      }
      const pairFailures = (pair?.failures ?? 0) + 1;
      const userFailures = (user?.failures ?? 0) + 1;
      const addressFailures = (addr?.failures ?? 0) + 1;
      const writes = new Map<string, ThrottleEntry>([
        [
          keys.pair,
          { failures: pairFailures, lastAt: now, blockedUntil: now + this.delayAfter(pairFailures) },
        ],
        [keys.user, { failures: userFailures, lastAt: now, blockedUntil: 0 }],
        [keys.address, { failures: addressFailures, lastAt: now, blockedUntil: 0 }],
      ]);
      return {
        writes,
        result: {
          admitted: true,
          reachesUserCeiling: userFailures === maxFailuresPerUser,
          reachesAddressLimit: addressFailures === maxFailuresPerAddress,
        },
      };
    });
  }

  /** The admitted attempt was right: clear the pair and the username, give the address its attempt back. */
  succeeded(username: string, address: string, now: number): void {
    const keys = keysOf(username, address);
    this.state.transact([keys.pair, keys.user, keys.address], (entries) => {
      const addr = this.live(entries.get(keys.address), now);
      const failures = (addr?.failures ?? 1) - 1;
      const writes = new Map<string, ThrottleEntry | null>([
        [keys.pair, null],
        [keys.user, null],
        [keys.address, addr && failures > 0 ? { ...addr, failures } : null],
      ]);
      return { writes, result: undefined };
    });
  }

  /**
   * The entry, unless it has been forgotten: no failure for a whole window. (No wait is left
   * then either: a delay never exceeds the window.)
   */
  private live(entry: ThrottleEntry | undefined, now: number): ThrottleEntry | undefined {
    if (!entry) return undefined;
    return now - entry.lastAt >= this.options.windowMs ? undefined : entry;
  }

  private delayAfter(failures: number): number {
    const over = failures - this.options.freeFailures;
    if (over < 0) return 0;
    return Math.min(this.options.windowMs, this.options.baseDelayMs * 2 ** Math.min(over, 30));
  }
}

function keysOf(username: string, address: string) {
  const user = usernameKey(username);
  return {
    pair: `pair\u0000${user}\u0000${address}`,
    user: `user\u0000${user}`,
    address: `address\u0000${address}`,
  };
}
