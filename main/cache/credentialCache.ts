/**
 * The desktop app's encrypted local cache: vaults, credentials (metadata only), my checkouts,
 * settings and sync state, sign-in tokens. Plain Node (better-sqlite3's N-API build loads in Node
 * and Electron alike); never imports electron: the OS keychain comes in as a SecretBoxPort.
 *
 * At rest: every value is AES-256-GCM under a random 32-byte data key (rowCipher.ts), bound to its
 * table, column and row. The data key is stored in the database file itself, wrapped by
 * safeStorage (dataKey.ts): one file holds the key and what it protects, so they are created in
 * one transaction, wiped together, and can never be mismatched (a sidecar key file restored from
 * a backup, or left behind by a crash, would pair a key with a database it does not open).
 *
 * Search: at open the cache decrypts one small "search" value per credential (vault, digest and
 * folded name/username/host) into an in-memory index (searchIndex.ts); a query scans that index
 * and decrypts only the rows of the page it returns.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { type Clock, type SecretBoxPort, systemClock } from '../../client/ports.ts';
import type { Checkout, Credential, Vault } from '../../common/checkout.ts';
import {
  createDataKey,
  DataKeyUnavailableError,
  DataKeyWrapError,
  hasDataKey,
  type KeyProtection,
  type KeyringState,
  keyringState,
  protectionFor,
  unlockDataKey,
} from './dataKey.ts';
import { foldForSearch, SEARCH_FOLD_VERSION } from './foldText.ts';
import { decodeIndexSnapshot, encodeIndexSnapshot } from './indexSnapshot.ts';
import { CACHE_APPLICATION_ID, CACHE_MIGRATIONS } from './migrations.ts';
import { CacheIntegrityError, type RowCipher } from './rowCipher.ts';
import { CredentialSearchIndex, type IndexEntry, searchTextOf } from './searchIndex.ts';

export interface CredentialCacheQuery {
  vaultId?: string;
  /** Case- and accent-insensitive substring of name, username or host. */
  search?: string;
  /** Keeps only the credentials it accepts (the status filter, decided on `heldCredentials()`). */
  accept?: (id: string) => boolean;
  /** Listed first, in the result's order (starred ones). */
  favourites?: ReadonlySet<string>;
  /** Listed after the favourites, in this order (recently used). */
  recent?: readonly string[];
  /** By vault name, then as usual within a vault. */
  byVault?: boolean;
  offset: number;
  limit: number;
}

/** A credential someone holds or has requested: its `checkout` field and whether it is exclusive. */
export interface HeldCredential {
  checkout: NonNullable<Credential['checkout']>;
  exclusive: boolean;
}

export interface CredentialCachePage {
  /** Matches where name, username or host starts with the search first, then the others; each group in name order. */
  data: Credential[];
  total: number;
}

/**
 * What the services keep on this machine. It never stores a password: there is no method that
 * takes one, and a Credential carries none (the password is fetched from the server each time it
 * is shown or copied, and lives in main-process memory only meanwhile).
 *
 * Everything is encrypted at rest. Tokens are kept only when the data key is protected by a real
 * OS keychain (`canPersistSecrets()`); otherwise `storeToken` does nothing and returns false.
 */
export interface CredentialCache {
  /** Adds or replaces vaults (by id). */
  upsertVaults(vaults: Vault[]): void;
  /** Forgets vaults (by id). */
  removeVaults(ids: string[]): void;
  /** In name order (case- and accent-insensitive). */
  listVaults(): Vault[];
  /** Adds or replaces credentials, in one transaction; a credential identical to the cached one is not rewritten. */
  upsertCredentials(credentials: Credential[]): void;
  removeCredentials(ids: string[]): void;
  credentialIds(): string[];
  getCredential(id: string): Credential | undefined;
  queryCredentials(query: CredentialCacheQuery): CredentialCachePage;
  /**
   * The credentials whose `checkout` field is set, by id: few, kept apart (and persisted) so that
   * a status filter does not open every row.
   */
  heldCredentials(): ReadonlyMap<string, HeldCredential>;
  /** Adds or replaces checkouts (by id); the newest MAX_CACHED_CHECKOUTS by request time are kept. */
  putCheckouts(checkouts: Checkout[]): void;
  /** Newest request first. */
  listCheckouts(): Checkout[];
  getMeta<T>(key: string): T | undefined;
  /** Any JSON value; `undefined` removes the key. */
  setMeta(key: string, value: unknown): void;
  /** Returns false, storing nothing, when `canPersistSecrets()` is false. */
  storeToken(profileId: string, token: string): boolean;
  loadToken(profileId: string): string | undefined;
  clearToken(profileId: string): void;
  /** True only when the data key is wrapped by a real OS keychain (safeStorage state 'os'). */
  canPersistSecrets(): boolean;
  /** Deletes everything (tokens and settings included) and replaces the data key; the cache stays open and usable. */
  wipe(): void;
  close(): void;
}

/** The meta key of the held credentials (`heldCredentials()`), as [id, HeldCredential] pairs. */
const HELD_KEY = 'heldCredentials';

function sameHeld(a: ReadonlyMap<string, HeldCredential>, b: ReadonlyMap<string, HeldCredential>): boolean {
  if (a.size !== b.size) return false;
  for (const [id, held] of a) {
    const other = b.get(id);
    if (!other || JSON.stringify(other) !== JSON.stringify(held)) return false;
  }
  return true;
}

export type CacheWarningCode = 'keyring_unavailable' | 'keyring_plaintext' | 'cache_reset';

export interface OpenCacheOptions {
  /**
   * The database file (its -wal and -shm sit beside it). ':memory:' keeps everything in memory,
   * for this process only: tokens are then not kept (`canPersistSecrets()` is false).
   */
  file: string;
  secretBox: SecretBoxPort;
  clock?: Clock;
  /** How many credentials read by queries are kept decrypted (as JSON) for the next ones; 0: none. Default RECENT_ROWS. */
  recentRows?: number;
}

export interface OpenCacheResult {
  cache: CredentialCache;
  /** 'reset': the file could not be read (keyring changed, damaged file, newer schema) and was rebuilt empty. */
  opened: 'created' | 'existing' | 'reset';
  /** English text for the user; the renderer shows its own translation of `warningCode`. */
  warning: string | null;
  warningCode: CacheWarningCode | null;
}

export const MAX_CACHED_CHECKOUTS = 1000;
/** Decrypted credentials kept as JSON for the next queries (about 1.5 MB at 2000). */
export const RECENT_ROWS = 2000;

const WARNINGS: Record<CacheWarningCode, string> = {
  keyring_unavailable:
    'The system keyring is unavailable: the local cache is kept in memory for this session only, and your sign-in will not be remembered.',
  keyring_plaintext:
    'No system keyring was found, so the local cache is protected by a key that is not secret and your sign-in will not be remembered. Install or unlock a keyring (GNOME Keyring, KWallet) to fix this.',
  cache_reset:
    'The local cache could not be read (the system keyring changed or the file was damaged) and was rebuilt empty; it fills again at the next sync. You may need to sign in again.',
};
const IN_MEMORY_FALLBACK =
  'The local cache file could not be opened: the cache is kept in memory for this session only, and your sign-in will not be remembered.';

/** SQLite's verdicts on a file that is damaged or is not a database (not: busy, locked, I/O). */
const UNREADABLE_SQLITE_CODES = /^SQLITE_(NOTADB|CORRUPT|FORMAT)/;

/** Errors that say the file cannot be read back, so deleting it loses nothing. */
function isUnreadable(error: unknown): boolean {
  if (error instanceof DataKeyUnavailableError || error instanceof CacheIntegrityError) return true;
  if (error instanceof SyntaxError) return true; // a value that decrypted but is not JSON
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && UNREADABLE_SQLITE_CODES.test(code);
}

/**
 * Opens (or creates) the cache. Never throws: a file that cannot be read back (keyring changed,
 * damaged, not a database, newer schema) is deleted and rebuilt (`opened: 'reset'`); a file that
 * cannot be opened at all (locked by another process, unwritable directory) is left alone and the
 * cache runs in memory for this session.
 */
export function openCache(options: OpenCacheOptions): OpenCacheResult {
  const clock = options.clock ?? systemClock;
  const state = keyringState(options.secretBox);
  const keyringCode: CacheWarningCode | null =
    state === 'unavailable' ? 'keyring_unavailable' : state === 'basic_text' ? 'keyring_plaintext' : null;
  const recentRows = options.recentRows ?? RECENT_ROWS;
  const open = (file: string, state: KeyringState) =>
    openDatabase(file, { secretBox: options.secretBox, state, clock, recentRows });
  const inMemory = () => open(':memory:', 'unavailable').cache;

  if (state === 'unavailable' || options.file === ':memory:') {
    // Nothing reaches the disk that a later session could not read back. A file left by an
    // earlier session stays as it is: it may open again once the keyring is back.
    return result(inMemory(), 'created', keyringCode);
  }

  const existed = fileHasContent(options.file);
  let failure: unknown;
  try {
    const { cache, fresh } = open(options.file, state);
    return result(cache, fresh ? 'created' : 'existing', keyringCode);
  } catch (error) {
    failure = error;
  }
  if (isUnreadable(failure)) {
    removeDatabaseFiles(options.file);
    try {
      const { cache } = open(options.file, state);
      return result(cache, existed ? 'reset' : 'created', existed ? 'cache_reset' : keyringCode, keyringCode);
    } catch (error) {
      failure = error;
    }
  }
  // Leave no half-made file behind; a file that was there and is not known to be unreadable stays.
  if (!existed) removeDatabaseFiles(options.file);
  if (failure instanceof DataKeyWrapError) return result(inMemory(), 'created', 'keyring_unavailable');
  return {
    cache: inMemory(),
    opened: existed && isUnreadable(failure) ? 'reset' : 'created',
    warning: IN_MEMORY_FALLBACK,
    warningCode: 'cache_reset',
  };
}

function result(
  cache: CredentialCache,
  opened: OpenCacheResult['opened'],
  code: CacheWarningCode | null,
  also: CacheWarningCode | null = null,
): OpenCacheResult {
  const codes = [code, also].filter((c, i, all): c is CacheWarningCode => c !== null && all.indexOf(c) === i);
  return {
    cache,
    opened,
    warning: codes.length > 0 ? codes.map((c) => WARNINGS[c]).join(' ') : null,
    warningCode: code,
  };
}

function fileHasContent(file: string): boolean {
  try {
    return fs.statSync(file).size > 0;
  } catch {
    return false;
  }
}

function removeDatabaseFiles(file: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) {
    try {
      fs.rmSync(file + suffix, { force: true });
    } catch {
      // Best effort: a file that cannot be removed makes the next open fail, and that is handled.
    }
  }
}

function openDatabase(
  file: string,
  options: { secretBox: SecretBoxPort; state: KeyringState; clock: Clock; recentRows: number },
): { cache: SqliteCredentialCache; fresh: boolean } {
  const { secretBox, state, clock } = options;
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  try {
    db.pragma('busy_timeout = 2000');
    // The first statement that reads the file: one that is not a database throws here.
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    // Deleted rows are overwritten with zeros, not left in free pages.
    db.pragma('secure_delete = ON');
    db.pragma('temp_store = MEMORY');
    db.pragma('journal_size_limit = 8388608');
    migrate(db);
    const protection = protectionFor(state);
    let cipher: RowCipher;
    let stored: KeyProtection;
    let fresh = false;
    if (hasDataKey(db)) {
      ({ cipher, protection: stored } = unlockDataKey(db, secretBox, state));
    } else {
      // No key yet: whatever rows a half-created file holds cannot be read; start them over.
      cipher = db.transaction(() => {
        for (const table of DATA_TABLES) db.exec(`DELETE FROM ${table}`);
        return createDataKey(db, secretBox, protection, clock);
      })();
      stored = protection;
      fresh = true;
    }
    const cache = new SqliteCredentialCache(db, cipher, {
      secretBox,
      clock,
      protection: stored,
      persistSecrets: state === 'os' && stored === 'os',
      recentRows: options.recentRows,
    });
    cache.load();
    return { cache, fresh };
  } catch (error) {
    try {
      db.close();
    } catch {
      // Already unusable.
    }
    throw error;
  }
}

function migrate(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > CACHE_MIGRATIONS.length) {
    throw new CacheIntegrityError(`The cache was written by a newer version (schema ${current}).`);
  }
  if (current > 0 && db.pragma('application_id', { simple: true }) !== CACHE_APPLICATION_ID) {
    throw new CacheIntegrityError('The file is not a Coffre cache.');
  }
  CACHE_MIGRATIONS.slice(current).forEach((sql, offset) => {
    db.transaction(() => {
      db.exec(sql);
      db.pragma(`user_version = ${current + offset + 1}`);
    })();
  });
}

const DATA_TABLES = [
  'credentials',
  'credential_data',
  'index_snapshot',
  'vaults',
  'checkouts',
  'meta',
  'tokens',
] as const;
const SNAPSHOT_AAD = 'index_snapshot.data:1';

/**
 * The plaintext of `credentials.search`: fold version (1 byte), vault id length (2) and vault id,
 * digest (6), folded text (the rest). Binary, so the text decodes into its own flat string; a
 * substring of a larger decoded value would keep the whole value alive in the index.
 */
function encodeSearch(vaultId: string, digest: number, text: string): Buffer {
  const vault = Buffer.from(vaultId, 'utf8');
  const body = Buffer.from(text, 'utf8');
  const plain = Buffer.allocUnsafe(9 + vault.length + body.length);
  plain[0] = SEARCH_FOLD_VERSION;
  plain.writeUInt16BE(vault.length, 1);
  vault.copy(plain, 3);
  plain.writeUIntBE(digest, 3 + vault.length, 6);
  body.copy(plain, 9 + vault.length);
  return plain;
}

/** Null when folded by another version of foldText.ts. `vaultIds` interns the few vault ids. */
function decodeSearch(
  plain: Buffer,
  vaultIds: Map<string, string>,
): { vaultId: string; digest: number; text: string } | null {
  if (plain.length < 9 || plain[0] !== SEARCH_FOLD_VERSION) return null;
  const vaultLength = plain.readUInt16BE(1);
  if (9 + vaultLength > plain.length) return null;
  const decoded = plain.toString('utf8', 3, 3 + vaultLength);
  let vaultId = vaultIds.get(decoded);
  if (vaultId === undefined) {
    vaultId = decoded;
    vaultIds.set(decoded, decoded);
  }
  return {
    vaultId,
    digest: plain.readUIntBE(3 + vaultLength, 6),
    text: plain.toString('utf8', 9 + vaultLength),
  };
}

function digestOf(json: string): number {
  // 48 bits: exact in a double, and a miss (an update taken for "unchanged") has odds of 2^-48.
  return createHash('sha256').update(json).digest().readUIntBE(0, 6);
}

function byFoldedName(a: { name: string; id: string }, b: { name: string; id: string }): number {
  const x = foldForSearch(a.name);
  const y = foldForSearch(b.name);
  if (x !== y) return x < y ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

class SqliteCredentialCache implements CredentialCache {
  private readonly db: Database.Database;
  private cipher: RowCipher;
  private readonly secretBox: SecretBoxPort;
  private readonly clock: Clock;
  private readonly protection: KeyProtection;
  private readonly persistSecrets: boolean;
  private readonly index = new CredentialSearchIndex();
  private readonly statements = new Map<string, Database.Statement>();
  private closed = false;
  /** Whether index_snapshot holds a row (which then matches the credentials table). */
  private snapshotPresent = false;
  /**
   * The JSON of the credentials read most recently, by index entry (a changed credential gets a
   * new entry, so a stale value is never found). Paging, retyping a search and the rows at the top
   * of the list come back without SQLite or AES; each read still parses a fresh object.
   */
  private readonly recent = new Map<IndexEntry, string>();
  private readonly recentRows: number;
  private readonly held = new Map<string, HeldCredential>();

  constructor(
    db: Database.Database,
    cipher: RowCipher,
    options: {
      secretBox: SecretBoxPort;
      clock: Clock;
      protection: KeyProtection;
      persistSecrets: boolean;
      recentRows: number;
    },
  ) {
    this.db = db;
    this.cipher = cipher;
    this.secretBox = options.secretBox;
    this.clock = options.clock;
    this.protection = options.protection;
    this.persistSecrets = options.persistSecrets;
    this.recentRows = options.recentRows;
  }

  /**
   * Builds the search index (from the snapshot written at the last close if it is there and
   * matches, else from every row) and reads every small table once, so that a damaged or foreign
   * row is found now (and the file rebuilt) rather than in the middle of a session. Throws on any.
   */
  load(): void {
    if (!this.persistSecrets) this.db.exec('DELETE FROM tokens');
    const snapshot = this.stmt('SELECT data FROM index_snapshot WHERE id = 1').pluck(true).get() as
      | Buffer
      | undefined;
    this.snapshotPresent = snapshot !== undefined && this.loadSnapshot(snapshot);
    if (!this.snapshotPresent) {
      if (snapshot !== undefined) this.db.exec('DELETE FROM index_snapshot');
      this.loadRows();
    }
    for (const [key, value] of this.rows<[string, Buffer]>('SELECT key, value FROM meta')) {
      const parsed: unknown = JSON.parse(this.cipher.openText(value, `meta.value:${key}`));
      if (key === HELD_KEY && Array.isArray(parsed)) {
        for (const [id, held] of parsed as Array<[string, HeldCredential]>)
          if (this.index.get(id)) this.held.set(id, held);
      }
    }
    for (const [id, data] of this.rows<[string, Buffer]>('SELECT id, data FROM vaults')) {
      JSON.parse(this.cipher.openText(data, `vaults.data:${id}`));
    }
    for (const [id, data] of this.rows<[string, Buffer]>('SELECT id, data FROM checkouts')) {
      JSON.parse(this.cipher.openText(data, `checkouts.data:${id}`));
    }
    for (const [profileId, value] of this.rows<[string, Buffer]>('SELECT profile_id, value FROM tokens')) {
      this.cipher.open(value, `tokens.value:${profileId}`).fill(0);
    }
  }

  /** The index from the snapshot; false (the caller reads the rows) if it does not open or does not match. */
  private loadSnapshot(sealed: Buffer): boolean {
    let plain: Buffer;
    try {
      plain = this.cipher.open(sealed, SNAPSHOT_AAD);
    } catch {
      return false;
    }
    const decoded = decodeIndexSnapshot(plain);
    plain.fill(0);
    if (!decoded) return false;
    const count = this.stmt('SELECT count(*) FROM credentials').pluck(true).get() as number;
    if (count !== decoded.entries.length) return false;
    return this.index.loadSorted(decoded.entries, decoded.joinedTexts);
  }

  /** The index from every row's search value: ~1 s at 100 000 credentials (one decryption each). */
  private loadRows(): void {
    const entries: IndexEntry[] = [];
    const stale: Array<{ rid: number; id: string }> = [];
    const vaultIds = new Map<string, string>();
    const rows = this.stmt('SELECT rid, id, search FROM credentials').raw(true).iterate() as IterableIterator<
      [number, string, Buffer]
    >;
    for (const [rid, id, search] of rows) {
      const plain = this.cipher.open(search, `credentials.search:${id}`);
      const decoded = decodeSearch(plain, vaultIds);
      plain.fill(0);
      if (decoded) entries.push({ id, rid, ...decoded });
      else stale.push({ rid, id });
    }
    // Folded by an older version of foldText.ts: fold again from the full row, and store that.
    if (stale.length > 0) {
      this.db.transaction(() => {
        for (const { rid, id } of stale) {
          const sealed = this.stmt('SELECT data FROM credential_data WHERE rid = ?').pluck(true).get(rid) as
            | Buffer
            | undefined;
          const { credential, json } = this.openCredential(id, sealed);
          entries.push(this.writeCredential(credential, json, digestOf(json)));
        }
      })();
    }
    this.index.load(entries);
  }

  /** Called inside every transaction that changes the credentials table. */
  private invalidateSnapshot(): void {
    if (!this.snapshotPresent) return;
    this.stmt('DELETE FROM index_snapshot').run();
    this.snapshotPresent = false;
  }

  upsertVaults(vaults: Vault[]): void {
    if (vaults.length === 0) return;
    const put = this.stmt('INSERT OR REPLACE INTO vaults (id, data) VALUES (?, ?)');
    this.db.transaction(() => {
      for (const vault of vaults)
        put.run(vault.id, this.cipher.seal(JSON.stringify(vault), `vaults.data:${vault.id}`));
    })();
  }

  removeVaults(ids: string[]): void {
    const remove = this.stmt('DELETE FROM vaults WHERE id = ?');
    this.db.transaction(() => {
      for (const id of ids) remove.run(id);
    })();
  }

  listVaults(): Vault[] {
    const vaults: Vault[] = [];
    for (const [id, data] of this.rows<[string, Buffer]>('SELECT id, data FROM vaults')) {
      const vault = this.openOrDrop<Vault>('vaults', 'id', id, () =>
        JSON.parse(this.cipher.openText(data, `vaults.data:${id}`)),
      );
      if (vault) vaults.push(vault);
    }
    return vaults.sort(byFoldedName);
  }

  upsertCredentials(credentials: Credential[]): void {
    if (credentials.length === 0) return;
    const held = new Map(this.held);
    for (const credential of credentials) {
      if (credential.checkout)
        held.set(credential.id, { checkout: credential.checkout, exclusive: credential.policy.exclusive });
      else held.delete(credential.id);
    }
    const heldChanged = !sameHeld(held, this.held);
    const changed = this.db.transaction(() => {
      const entries: IndexEntry[] = [];
      for (const credential of credentials) {
        const json = JSON.stringify(credential);
        const digest = digestOf(json);
        if (this.index.get(credential.id)?.digest === digest) continue;
        entries.push(this.writeCredential(credential, json, digest));
      }
      if (heldChanged) this.setMeta(HELD_KEY, [...held]);
      return entries;
    })();
    if (heldChanged) this.replaceHeld(held);
    // Only after the commit: a failed batch leaves the index as the disk is.
    for (const entry of changed) this.forgetRecent(entry.id);
    this.index.upsert(changed);
  }

  removeCredentials(ids: string[]): void {
    ids = ids.filter((id) => this.index.get(id) !== undefined);
    if (ids.length === 0) return;
    const remove = this.stmt('DELETE FROM credentials WHERE id = ? RETURNING rid').pluck(true);
    const removeData = this.stmt('DELETE FROM credential_data WHERE rid = ?');
    const held = new Map(this.held);
    for (const id of ids) held.delete(id);
    const heldChanged = held.size !== this.held.size;
    this.db.transaction(() => {
      this.invalidateSnapshot();
      for (const id of ids) {
        const rid = remove.get(id) as number | undefined;
        if (rid !== undefined) removeData.run(rid);
      }
      if (heldChanged) this.setMeta(HELD_KEY, [...held]);
    })();
    if (heldChanged) this.replaceHeld(held);
    for (const id of ids) this.forgetRecent(id);
    this.index.remove(ids);
  }

  private replaceHeld(next: ReadonlyMap<string, HeldCredential>): void {
    this.held.clear();
    for (const [id, held] of next) this.held.set(id, held);
  }

  heldCredentials(): ReadonlyMap<string, HeldCredential> {
    return this.held;
  }

  /** Each vault's place in name order, for the list sorted by vault. */
  private vaultRanks(): Map<string, number> {
    return new Map(this.listVaults().map((vault, rank) => [vault.id, rank]));
  }

  private forgetRecent(id: string): void {
    const entry = this.index.get(id);
    if (entry) this.recent.delete(entry);
  }

  credentialIds(): string[] {
    return this.index.ids();
  }

  getCredential(id: string): Credential | undefined {
    const entry = this.index.get(id);
    return entry ? this.readCredentials([entry])[0] : undefined;
  }

  queryCredentials(query: CredentialCacheQuery): CredentialCachePage {
    const { byVault, ...rest } = query;
    const page = this.index.query(byVault ? { ...rest, vaultRank: this.vaultRanks() } : rest);
    const data = this.readCredentials(page.entries);
    // A row dropped as unreadable is gone from the index too; the count says so.
    return { data, total: page.total - (page.entries.length - data.length) };
  }

  putCheckouts(checkouts: Checkout[]): void {
    if (checkouts.length === 0) return;
    const put = this.stmt('INSERT OR REPLACE INTO checkouts (id, data) VALUES (?, ?)');
    const remove = this.stmt('DELETE FROM checkouts WHERE id = ?');
    this.db.transaction(() => {
      for (const checkout of checkouts) {
        put.run(checkout.id, this.cipher.seal(JSON.stringify(checkout), `checkouts.data:${checkout.id}`));
      }
      const count = this.stmt('SELECT count(*) FROM checkouts').pluck(true).get() as number;
      if (count <= MAX_CACHED_CHECKOUTS) return;
      for (const old of this.readCheckouts().slice(MAX_CACHED_CHECKOUTS)) remove.run(old.id);
    })();
  }

  listCheckouts(): Checkout[] {
    return this.readCheckouts();
  }

  getMeta<T>(key: string): T | undefined {
    const value = this.stmt('SELECT value FROM meta WHERE key = ?').pluck(true).get(key) as
      | Buffer
      | undefined;
    if (value === undefined) return undefined;
    return this.openOrDrop<T>('meta', 'key', key, () =>
      JSON.parse(this.cipher.openText(value, `meta.value:${key}`)),
    );
  }

  setMeta(key: string, value: unknown): void {
    if (value === undefined) {
      this.stmt('DELETE FROM meta WHERE key = ?').run(key);
      return;
    }
    const sealed = this.cipher.seal(JSON.stringify(value), `meta.value:${key}`);
    this.stmt('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run(key, sealed);
  }

  storeToken(profileId: string, token: string): boolean {
    if (!this.persistSecrets) return false;
    const sealed = this.cipher.seal(token, `tokens.value:${profileId}`);
    this.stmt('INSERT OR REPLACE INTO tokens (profile_id, value) VALUES (?, ?)').run(profileId, sealed);
    return true;
  }

  loadToken(profileId: string): string | undefined {
    if (!this.persistSecrets) return undefined;
    const value = this.stmt('SELECT value FROM tokens WHERE profile_id = ?').pluck(true).get(profileId) as
      | Buffer
      | undefined;
    if (value === undefined) return undefined;
    return this.openOrDrop('tokens', 'profile_id', profileId, () => {
      const plain = this.cipher.open(value, `tokens.value:${profileId}`);
      const token = plain.toString('utf8');
      plain.fill(0);
      return token;
    });
  }

  clearToken(profileId: string): void {
    this.stmt('DELETE FROM tokens WHERE profile_id = ?').run(profileId);
  }

  canPersistSecrets(): boolean {
    return this.persistSecrets;
  }

  wipe(): void {
    this.cipher = this.db.transaction(() => {
      for (const table of DATA_TABLES) this.db.exec(`DELETE FROM ${table}`);
      this.snapshotPresent = false;
      try {
        // A new key: nothing written before the wipe opens with what is stored after it.
        return createDataKey(this.db, this.secretBox, this.protection, this.clock);
      } catch {
        return this.cipher;
      }
    })();
    this.index.clear();
    this.recent.clear();
    this.held.clear();
    // Old pages (ciphertext, zeroed by secure_delete in the database) leave the WAL too.
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }

  /** Writes the index snapshot (so the next open is fast), then closes. Never throws for the snapshot. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (!this.snapshotPresent && !this.db.memory && this.index.size > 0) {
      try {
        const plain = encodeIndexSnapshot(this.index.inOrder());
        const sealed = this.cipher.seal(plain, SNAPSHOT_AAD);
        plain.fill(0);
        this.stmt('INSERT OR REPLACE INTO index_snapshot (id, data) VALUES (1, ?)').run(sealed);
      } catch {
        // Without it the next open reads every row: slower, same result.
      }
    }
    this.index.clear();
    this.recent.clear();
    this.db.close();
  }

  private stmt(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  private writeCredential(credential: Credential, json: string, digest: number): IndexEntry {
    this.invalidateSnapshot();
    const text = searchTextOf(credential);
    const id = credential.id;
    const rid = this.stmt(
      `INSERT INTO credentials (id, search) VALUES (?, ?)
       ON CONFLICT(id) DO UPDATE SET search = excluded.search
       RETURNING rid`,
    )
      .pluck(true)
      .get(
        id,
        this.cipher.seal(encodeSearch(credential.vaultID, digest, text), `credentials.search:${id}`),
      ) as number;
    this.stmt('INSERT OR REPLACE INTO credential_data (rid, data) VALUES (?, ?)').run(
      rid,
      this.cipher.seal(json, `credentials.data:${id}`),
    );
    return { id, rid, vaultId: credential.vaultID, digest, text };
  }

  /** The page's credentials, in its order, read with one statement. */
  private readCredentials(entries: readonly IndexEntry[]): Credential[] {
    if (entries.length === 0) return [];
    // Looked up once, before anything is added: adding can evict an entry later in this page.
    const known = entries.map((entry) => this.recent.get(entry));
    const missing = entries.filter((_, i) => known[i] === undefined);
    const rows =
      missing.length === 0
        ? []
        : (this.stmt('SELECT rid, data FROM credential_data WHERE rid IN (SELECT value FROM json_each(?))')
            .raw(true)
            .all(JSON.stringify(missing.map((entry) => entry.rid))) as Array<[number, Buffer]>);
    const sealedByRid = new Map(rows);
    const credentials: Credential[] = [];
    const unreadable: string[] = [];
    entries.forEach((entry, i) => {
      const json = known[i];
      if (json !== undefined) {
        // Most recently used last: the first key is the one to evict.
        this.recent.delete(entry);
        this.recent.set(entry, json);
        credentials.push(JSON.parse(json) as Credential);
        return;
      }
      try {
        const opened = this.openCredential(entry.id, sealedByRid.get(entry.rid));
        credentials.push(opened.credential);
        if (this.recentRows > 0) {
          this.recent.set(entry, opened.json);
          if (this.recent.size > this.recentRows) this.recent.delete(this.recent.keys().next().value!);
        }
      } catch (error) {
        if (!(error instanceof CacheIntegrityError) && !(error instanceof SyntaxError)) throw error;
        unreadable.push(entry.id);
      }
    });
    // Altered or moved rows: drop them; the next sync brings them back (their digest went with them).
    if (unreadable.length > 0) this.removeCredentials(unreadable);
    return credentials;
  }

  private openCredential(id: string, sealed: Buffer | undefined): { credential: Credential; json: string } {
    if (!sealed) throw new CacheIntegrityError('A credential has no data row.');
    const json = this.cipher.openText(sealed, `credentials.data:${id}`);
    const credential = JSON.parse(json) as Credential;
    if (credential?.id !== id) throw new CacheIntegrityError('A credential row holds another credential.');
    return { credential, json };
  }

  private readCheckouts(): Checkout[] {
    const checkouts: Checkout[] = [];
    for (const [id, data] of this.rows<[string, Buffer]>('SELECT id, data FROM checkouts')) {
      const checkout = this.openOrDrop<Checkout>('checkouts', 'id', id, () =>
        JSON.parse(this.cipher.openText(data, `checkouts.data:${id}`)),
      );
      if (checkout) checkouts.push(checkout);
    }
    return checkouts.sort((a, b) =>
      a.requestDateTime === b.requestDateTime
        ? a.id.localeCompare(b.id)
        : a.requestDateTime < b.requestDateTime
          ? 1
          : -1,
    );
  }

  /** All rows of a small table, as arrays; read fully first, so a row can be deleted while going through them. */
  private rows<Row extends unknown[]>(sql: string): Row[] {
    return this.stmt(sql).raw(true).all() as Row[];
  }

  /** Reads a small row; one that no longer opens is deleted and reads as absent. */
  private openOrDrop<T>(table: string, column: string, key: string, open: () => T): T | undefined {
    try {
      return open();
    } catch (error) {
      if (!(error instanceof CacheIntegrityError) && !(error instanceof SyntaxError)) throw error;
      this.db.prepare(`DELETE FROM ${table} WHERE ${column} = ?`).run(key);
      return undefined;
    }
  }
}
