import { createHmac, randomBytes } from 'node:crypto';

interface Entry {
  userId: string;
  /** The stored hash the password was verified against: a changed password voids the entry. */
  passwordHash: string;
  until: number;
}

/**
 * Recently verified HTTP Basic credentials. A client of the MIM dialect behind IIS sends them with
 * every call; without this each call would cost an argon2 verification. Entries are keyed by an
 * HMAC under a per-process random key (the password itself is never kept), live a minute, and hold
 * only while the user's stored password hash is still the one they were verified against.
 */
export class BasicAuthCache {
  private readonly key = randomBytes(32);
  private readonly entries = new Map<string, Entry>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;

  constructor(ttlMs = 60_000, maxEntries = 10_000) {
    this.ttlMs = ttlMs;
    this.maxEntries = maxEntries;
  }

  keyOf(username: string, password: string): string {
    return createHmac('sha256', this.key)
      .update(username.normalize('NFKC').toLowerCase())
      .update('\0')
      .update(password)
      .digest('base64');
  }

  get(key: string, now: number): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry && entry.until > now) return entry;
    this.entries.delete(key);
    return undefined;
  }

  set(key: string, userId: string, passwordHash: string, now: number): void {
    this.entries.delete(key);
    this.entries.set(key, { userId, passwordHash, until: now + this.ttlMs });
    while (this.entries.size > this.maxEntries)
      this.entries.delete(this.entries.keys().next().value as string);
  }
}
