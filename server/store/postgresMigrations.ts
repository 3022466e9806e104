import { EVERYONE_GROUP_ID, EVERYONE_GROUP_NAME } from '../../common/vaultAccess.ts';
import { AUDIT_GENESIS_HASH } from './auditChain.ts';

/**
 * The PostgreSQL schema, version for version the same as MIGRATIONS (migrations.ts) for SQLite: a
 * database of either engine at version N holds the same tables and meaning, so `coffre-server
 * migrate` and the "schema newer than this server" refusal read the same numbers. The SQL differs
 * where the dialects do (booleans, case-insensitive names through lower(), identity columns).
 * Never edit a shipped migration: append a new one to both lists (a test checks they match).
 *
 * Two rows serialise what must happen in one order across server nodes, each locked by the
 * transactions that move it and released at their commit: `change_sequence` (incremental sync
 * numbers) and `audit_head` (the audit hash chain's last link, and the event outbox: events are
 * numbered under that lock, so a reader never sees event N+1 committed before event N).
 */
export const POSTGRES_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE users (
    id TEXT PRIMARY KEY,
    username TEXT NOT NULL,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    roles TEXT NOT NULL,
    disabled BOOLEAN NOT NULL DEFAULT false,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
  );
  CREATE UNIQUE INDEX users_username ON users (lower(username));
  CREATE TABLE tokens (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
  );
  CREATE INDEX tokens_expiry ON tokens(expires_at);
  CREATE INDEX tokens_user ON tokens(user_id);
  CREATE TABLE vaults (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    policy TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
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
    password_changed_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    deleted_at BIGINT
  );
  CREATE INDEX credentials_vault ON credentials(vault_id, name);
  CREATE INDEX credentials_name ON credentials(lower(name));
  CREATE TABLE checkouts (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id),
    credential_id TEXT NOT NULL REFERENCES credentials(id),
    approver_id TEXT REFERENCES users(id),
    reason TEXT NOT NULL,
    approver_message TEXT NOT NULL,
    status SMALLINT NOT NULL,
    duration INTEGER NOT NULL,
    extended_minutes INTEGER NOT NULL DEFAULT 0,
    requested_at BIGINT NOT NULL,
    scheduled_start BIGINT,
    checkout_at BIGINT,
    checkin_at BIGINT,
    expires_at BIGINT,
    expiring_notified BOOLEAN NOT NULL DEFAULT false,
    updated_at BIGINT NOT NULL
  );
  CREATE INDEX checkouts_credential_status ON checkouts(credential_id, status);
  CREATE INDEX checkouts_user_status ON checkouts(user_id, status);
  CREATE INDEX checkouts_approver_status ON checkouts(approver_id, status);
  CREATE INDEX checkouts_open ON checkouts(status, expires_at) WHERE status IN (1, 2, 4);
  CREATE TABLE events (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    type TEXT NOT NULL,
    at BIGINT NOT NULL,
    data TEXT NOT NULL
  );
  CREATE TABLE event_audience (
    event_id BIGINT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL,
    PRIMARY KEY (user_id, event_id)
  );
  CREATE TABLE audit (
    id BIGINT PRIMARY KEY,
    at BIGINT NOT NULL,
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
  CREATE TABLE audit_head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    last_id BIGINT NOT NULL,
    hash TEXT NOT NULL
  );
  INSERT INTO audit_head (id, last_id, hash) VALUES (1, 0, '${AUDIT_GENESIS_HASH}');
  `,
  `
  CREATE INDEX checkouts_user_credential_open ON checkouts(user_id, credential_id, requested_at)
    WHERE status IN (1, 2, 4);
  `,
  `
  ALTER TABLE credentials ADD COLUMN change_seq BIGINT NOT NULL DEFAULT 0;
  UPDATE credentials SET change_seq = numbered.seq
    FROM (SELECT id, ROW_NUMBER() OVER (ORDER BY created_at, id) AS seq FROM credentials) AS numbered
    WHERE credentials.id = numbered.id;
  CREATE UNIQUE INDEX credentials_change_seq ON credentials(change_seq);
  CREATE TABLE change_sequence (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    value BIGINT NOT NULL
  );
  INSERT INTO change_sequence (id, value) SELECT 1, COALESCE(MAX(change_seq), 0) FROM credentials;
  `,
  // 4: as SQLite's (server_meta), and the sign-in throttle's counters, shared by the nodes (a
  // SQLite server is one process and keeps them in memory).
  `
  CREATE TABLE server_meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
  CREATE TABLE login_throttle (
    key TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    last_at BIGINT NOT NULL,
    blocked_until BIGINT NOT NULL
  );
  CREATE INDEX login_throttle_last ON login_throttle(last_at);
  `,
  // 5: as SQLite's: the sealed DVLS session key of a token, vault tombstones, checkout policies.
  `
  ALTER TABLE tokens ADD COLUMN session_key_sealed TEXT;
  ALTER TABLE vaults ADD COLUMN deleted_at BIGINT;
  CREATE TABLE checkout_policies (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    fields TEXT NOT NULL,
    is_default BOOLEAN NOT NULL DEFAULT false,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
  );
  CREATE UNIQUE INDEX checkout_policies_name ON checkout_policies (lower(name));
  CREATE UNIQUE INDEX checkout_policies_default ON checkout_policies(is_default) WHERE is_default;
  -- DVLS always has a default checkout policy: Coffre's default policy, in DVLS's fields.
  INSERT INTO checkout_policies (id, name, fields, is_default, created_at, updated_at)
    VALUES ('00000000-0000-4000-8000-0000000000df', 'Default',
      '{"checkoutApprovalMode":1,"checkoutReasonMode":3,"allowCheckoutOwnerAsApprover":2,"includeAdminsAsApprovers":2,"includeManagersAsApprovers":2,"checkoutTime":120}',
      true, 0, 0);
  `,
  // 6: as SQLite's: the edit version of vaults and credentials (compare-and-set of admin edits).
  `
  ALTER TABLE vaults ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
  ALTER TABLE credentials ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
  `,
  // 7: per-vault permissions, as SQLite's.
  `
  CREATE TABLE groups (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    builtin BOOLEAN NOT NULL DEFAULT false,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
  );
  CREATE UNIQUE INDEX groups_name ON groups (lower(name));
  CREATE TABLE group_members (
    group_id TEXT NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users(id),
    PRIMARY KEY (group_id, user_id)
  );
  CREATE INDEX group_members_user ON group_members(user_id);
  CREATE TABLE vault_members (
    vault_id TEXT NOT NULL REFERENCES vaults(id),
    member_type TEXT NOT NULL CHECK (member_type IN ('user', 'group')),
    member_id TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('view', 'request', 'approve', 'manage')),
    PRIMARY KEY (vault_id, member_type, member_id)
  );
  CREATE INDEX vault_members_member ON vault_members(member_type, member_id);
  INSERT INTO groups (id, name, description, builtin, created_at, updated_at)
    VALUES ('${EVERYONE_GROUP_ID}', '${EVERYONE_GROUP_NAME}', 'Every user', true, 0, 0);
  INSERT INTO vault_members (vault_id, member_type, member_id, role)
    SELECT id, 'group', '${EVERYONE_GROUP_ID}', 'approve' FROM vaults WHERE deleted_at IS NULL;
  `,
];
