import { EVERYONE_GROUP_ID, EVERYONE_GROUP_NAME } from '../../common/vaultAccess.ts';

/**
 * Versioned schema migrations, applied in order inside one transaction each; `PRAGMA user_version`
 * records how far a database has come. Never edit a shipped migration: append a new one.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE users (
    id TEXT PRIMARY KEY,
    username TEXT NOT NULL UNIQUE COLLATE NOCASE,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    roles TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE TABLE tokens (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
  );
  CREATE INDEX tokens_expiry ON tokens(expires_at);
  CREATE TABLE vaults (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    policy TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE TABLE credentials (
    id TEXT PRIMARY KEY,
    vault_id TEXT NOT NULL REFERENCES vaults(id),
    name TEXT NOT NULL,
    username TEXT NOT NULL,
    host TEXT NOT NULL,
    description TEXT NOT NULL,
    policy TEXT NOT NULL,
    password_sealed TEXT NOT NULL,
    password_changed_at INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    deleted_at INTEGER
  );
  CREATE INDEX credentials_vault ON credentials(vault_id, name);
  CREATE INDEX credentials_name ON credentials(name COLLATE NOCASE);
  CREATE TABLE checkouts (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id),
    credential_id TEXT NOT NULL REFERENCES credentials(id),
    approver_id TEXT REFERENCES users(id),
    reason TEXT NOT NULL,
    approver_message TEXT NOT NULL,
    status INTEGER NOT NULL,
    duration INTEGER NOT NULL,
    extended_minutes INTEGER NOT NULL DEFAULT 0,
    requested_at INTEGER NOT NULL,
    scheduled_start INTEGER,
    checkout_at INTEGER,
    checkin_at INTEGER,
    expires_at INTEGER,
    expiring_notified INTEGER NOT NULL DEFAULT 0,
    updated_at INTEGER NOT NULL
  );
  CREATE INDEX checkouts_credential_status ON checkouts(credential_id, status);
  CREATE INDEX checkouts_user_status ON checkouts(user_id, status);
  CREATE INDEX checkouts_approver_status ON checkouts(approver_id, status);
  CREATE INDEX checkouts_open ON checkouts(status, expires_at) WHERE status IN (1, 2, 4);
  CREATE TABLE events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    type TEXT NOT NULL,
    at INTEGER NOT NULL,
    data TEXT NOT NULL
  );
  CREATE TABLE event_audience (
    event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL,
    PRIMARY KEY (user_id, event_id)
  ) WITHOUT ROWID;
  CREATE TABLE audit (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    actor_id TEXT,
    actor_name TEXT,
    action TEXT NOT NULL,
    credential_id TEXT,
    checkout_id TEXT,
    details TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
  );
  CREATE INDEX audit_at ON audit(at);
  CREATE INDEX audit_credential ON audit(credential_id, at);
  CREATE INDEX audit_actor ON audit(actor_id, at);
  `,
  // 2: a user's open checkout of one credential (asked on every request and password read) found
  // by one index seek, not by walking all of the user's open checkouts.
  `
  CREATE INDEX checkouts_user_credential_open ON checkouts(user_id, credential_id, requested_at)
    WHERE status IN (1, 2, 4);
  `,
  // 3: incremental sync. Every change to what the credential list shows of a credential gives it the
  // next number of one server-wide sequence (change_sequence), so a client can ask for what changed
  // after the last number it saw. Soft-deleted rows keep theirs: they are the tombstones. Existing
  // rows are numbered by rowid (unique), so `changedSince=0` lists everything.
  `
  ALTER TABLE credentials ADD COLUMN change_seq INTEGER NOT NULL DEFAULT 0;
  UPDATE credentials SET change_seq = rowid;
  CREATE UNIQUE INDEX credentials_change_seq ON credentials(change_seq);
  CREATE TABLE change_sequence (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    value INTEGER NOT NULL
  );
  INSERT INTO change_sequence (id, value) SELECT 1, COALESCE(MAX(change_seq), 0) FROM credentials;
  `,
  // 4: facts about the deployment that every server process must agree on (the master key check:
  // a node started with another key would seal passwords the others cannot open).
  `
  CREATE TABLE server_meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
  `,
  // 5: Devolutions Server's wire format (issue 12). A token signed in through New-DSSession's
  // handshake keeps its session key sealed with the master key beside it, so every node (and the
  // same node after a restart) encrypts its passwords under it. Vaults (DVLS's PAM folders) can be
  // deleted, leaving a tombstone as credentials do (deleted credentials still name their vault).
  // Checkout policies are DVLS's named sets of checkout fields, kept as DVLS writes them (JSON).
  `
  ALTER TABLE tokens ADD COLUMN session_key_sealed TEXT;
  ALTER TABLE vaults ADD COLUMN deleted_at INTEGER;
  CREATE TABLE checkout_policies (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    fields TEXT NOT NULL,
    is_default INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE UNIQUE INDEX checkout_policies_default ON checkout_policies(is_default) WHERE is_default = 1;
  -- DVLS always has a default checkout policy: Coffre's default policy, in DVLS's fields.
  INSERT INTO checkout_policies (id, name, fields, is_default, created_at, updated_at)
    VALUES ('00000000-0000-4000-8000-0000000000df', 'Default',
      '{"checkoutApprovalMode":1,"checkoutReasonMode":3,"allowCheckoutOwnerAsApprover":2,"includeAdminsAsApprovers":2,"includeManagersAsApprovers":2,"checkoutTime":120}',
      1, 0, 0);
  `,
  // 6: compare-and-set for administrators' edits. A vault's or credential's version goes up by one
  // with each edit; an edit sent with the version it was made from is refused (409) once another
  // edit came between. Passwords and checkouts do not move it: they are not what the edit form shows.
  `
  ALTER TABLE vaults ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
  ALTER TABLE credentials ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
  `,
  // 7: per-vault permissions (common/vaultAccess.ts). A vault's members are users or groups, each
  // with a role there. Everyone (built in, every user a member without rows in group_members)
  // gets `approve` on every vault that exists now (not deleted ones, which have no members): an
  // existing server keeps working as before.
  `
  CREATE TABLE groups (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    description TEXT NOT NULL,
    builtin INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE TABLE group_members (
    group_id TEXT NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users(id),
    PRIMARY KEY (group_id, user_id)
  ) WITHOUT ROWID;
  CREATE INDEX group_members_user ON group_members(user_id);
  CREATE TABLE vault_members (
    vault_id TEXT NOT NULL REFERENCES vaults(id),
    member_type TEXT NOT NULL CHECK (member_type IN ('user', 'group')),
    member_id TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('view', 'request', 'approve', 'manage')),
    PRIMARY KEY (vault_id, member_type, member_id)
  ) WITHOUT ROWID;
  CREATE INDEX vault_members_member ON vault_members(member_type, member_id);
  INSERT INTO groups (id, name, description, builtin, created_at, updated_at)
    VALUES ('${EVERYONE_GROUP_ID}', '${EVERYONE_GROUP_NAME}', 'Every user', 1, 0, 0);
  INSERT INTO vault_members (vault_id, member_type, member_id, role)
    SELECT id, 'group', '${EVERYONE_GROUP_ID}', 'approve' FROM vaults WHERE deleted_at IS NULL;
  `,
];
