import type Database from 'better-sqlite3';
import type { Clock, SecretBoxPort } from '../../client/ports.ts';
import { RowCipher } from './rowCipher.ts';

export type KeyringState = ReturnType<SecretBoxPort['state']>;
/** How the stored data key is protected: by the OS keychain, by safeStorage's Linux fallback (a known key), or not stored. */
export type KeyProtection = 'os' | 'basic_text' | 'memory';

/** The data key could not be recovered from the file: keyring changed, locked, or the row is damaged. */
export class DataKeyUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataKeyUnavailableError';
  }
}

/** safeStorage refused to wrap a new key (its state said it could). */
export class DataKeyWrapError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataKeyWrapError';
  }
}

const KEY_CHECK = 'coffre cache data key v1';
const KEY_CHECK_AAD = 'keyring.key_check:1';

interface KeyringRow {
  protection: string;
  wrapped: Buffer | null;
  key_check: Buffer;
}

export function protectionFor(state: KeyringState): KeyProtection {
  return state === 'unavailable' ? 'memory' : state;
}

/** The state, or 'unavailable' if asking throws (safeStorage before app ready, say). */
export function keyringState(secretBox: SecretBoxPort): KeyringState {
  try {
    const state = secretBox.state();
    return state === 'os' || state === 'basic_text' ? state : 'unavailable';
  } catch {
    return 'unavailable';
  }
}

function wrap(secretBox: SecretBoxPort, protection: KeyProtection, cipher: RowCipher): Buffer | null {
  if (protection === 'memory') return null;
  const raw = cipher.exportKey();
  try {
    return Buffer.from(secretBox.encrypt(raw));
  } catch {
    throw new DataKeyWrapError('The system keyring refused to protect the cache key.');
  } finally {
    raw.fill(0);
  }
}

/** A new random data key, wrapped and stored; the caller runs this inside the transaction that empties the data tables. */
export function createDataKey(
  db: Database.Database,
  secretBox: SecretBoxPort,
  protection: KeyProtection,
  clock: Clock,
): RowCipher {
  const raw = RowCipher.generateKey();
  const cipher = new RowCipher(raw);
  raw.fill(0);
  const wrapped = wrap(secretBox, protection, cipher);
  db.prepare(
    `INSERT INTO keyring (id, protection, wrapped, key_check, created_at) VALUES (1, ?, ?, ?, ?)
     ON CONFLICT(id) DO UPDATE SET protection = excluded.protection, wrapped = excluded.wrapped,
       key_check = excluded.key_check, created_at = excluded.created_at`,
  ).run(protection, wrapped, cipher.seal(KEY_CHECK, KEY_CHECK_AAD), clock.now());
  return cipher;
}

export function hasDataKey(db: Database.Database): boolean {
  return db.prepare('SELECT 1 FROM keyring WHERE id = 1').get() !== undefined;
}

/**
 * Unwraps the stored data key and proves it right with the sealed check value. A key wrapped by
 * the Linux fallback is wrapped again by the OS keychain once one is there; a key is never
 * re-wrapped downwards.
 */
export function unlockDataKey(
  db: Database.Database,
  secretBox: SecretBoxPort,
  state: KeyringState,
): { cipher: RowCipher; protection: KeyProtection } {
  const row = db.prepare('SELECT protection, wrapped, key_check FROM keyring WHERE id = 1').get() as
    | KeyringRow
    | undefined;
  if (!row?.wrapped || (row.protection !== 'os' && row.protection !== 'basic_text')) {
    throw new DataKeyUnavailableError('The cache key was not stored.');
  }
  let raw: Buffer;
  try {
    raw = Buffer.from(secretBox.decrypt(row.wrapped));
  } catch {
    throw new DataKeyUnavailableError('The system keyring could not unwrap the cache key.');
  }
  let cipher: RowCipher;
  try {
    cipher = new RowCipher(raw);
    if (cipher.openText(row.key_check, KEY_CHECK_AAD) !== KEY_CHECK) throw new Error('key check');
  } catch {
    throw new DataKeyUnavailableError('The unwrapped cache key is not the one the cache was written with.');
  } finally {
    raw.fill(0);
  }
  let protection: KeyProtection = row.protection;
  if (protection === 'basic_text' && state === 'os') {
    try {
      const wrapped = wrap(secretBox, 'os', cipher);
      db.prepare(`UPDATE keyring SET protection = 'os', wrapped = ? WHERE id = 1`).run(wrapped);
      protection = 'os';
    } catch (error) {
      // Still readable as it is; try again at the next open.
      if (!(error instanceof DataKeyWrapError)) throw error;
    }
  }
  return { cipher, protection };
}
