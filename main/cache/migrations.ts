/**
 * Schema of the desktop cache, as in server/store/migrations.ts: versioned steps applied in order,
 * one transaction each, `PRAGMA user_version` records how far a file has come. Never edit a
 * shipped step: append one.
 *
 * Only row ids, meta keys and profile ids are in clear; every value column is an AES-256-GCM
 * BLOB (see rowCipher.ts) sealed with the data key, whose associated data names table, column and
 * row. The data key itself sits in `keyring`, wrapped by the OS keychain (Electron safeStorage).
 *
 * The first release ships as several steps so that the upgrade path (an older file gains tables
 * and keeps its rows) is exercised by the tests from day one.
 */
export const CACHE_APPLICATION_ID = 0x436f4331; // 'CoC1': tells our cache from any other SQLite file.

export const CACHE_MIGRATIONS: readonly string[] = [
  // 1: the data key, settings and sync state, vaults, credentials.
  `
  PRAGMA application_id = ${CACHE_APPLICATION_ID};
  CREATE TABLE keyring (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    -- 'os' | 'basic_text': wrapped by safeStorage; 'memory': not stored (wrapped is NULL).
    protection TEXT NOT NULL,
    wrapped BLOB,
    -- A constant sealed with the data key: proves an unwrapped key is the right one.
    key_check BLOB NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value BLOB NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE vaults (
    id TEXT PRIMARY KEY,
    data BLOB NOT NULL
  ) WITHOUT ROWID;
  -- Two tables so that opening reads only the small search values (~15 MB at 100 000
  -- credentials), not every credential's JSON (~65 MB more).
  CREATE TABLE credentials (
    rid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    -- What the search index needs: vault id, digest, folded name/username/host. Read at open.
    search BLOB NOT NULL
  );
  CREATE TABLE credential_data (
    rid INTEGER PRIMARY KEY,
    -- The whole Credential as JSON; read only for the rows a query returns.
    data BLOB NOT NULL
  );
  `,
  // 2: checkouts (history and offline display) and sign-in tokens.
  `
  CREATE TABLE checkouts (
    id TEXT PRIMARY KEY,
    data BLOB NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE tokens (
    profile_id TEXT PRIMARY KEY,
    value BLOB NOT NULL
  ) WITHOUT ROWID;
  `,
  // 3: the search index as one value (indexSnapshot.ts). Present only while it matches the
  // credentials table: every change to that table deletes it in the same transaction.
  `
  CREATE TABLE index_snapshot (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    data BLOB NOT NULL
  );
  `,
];
