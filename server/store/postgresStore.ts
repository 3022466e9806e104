import { createHash } from 'node:crypto';
import pg from 'pg';
import { CheckoutStatus } from '../../common/checkout.ts';
import { EVERYONE_GROUP_ID, type VaultRole, vaultRoleAllows } from '../../common/vaultAccess.ts';
import type { ThrottleEntry, ThrottleState, ThrottleWrites } from '../domain/loginThrottle.ts';
import { AUDIT_GENESIS_HASH, auditRowHash } from './auditChain.ts';
import { windowOf } from './checkoutWindow.ts';
import {
  type CheckoutPatch,
  type EditOutcome,
  type InsertCheckoutResult,
  type PamStore,
  type PasswordChange,
  type RequiredVaultRole,
  type SideEffects,
  type TransitionResult,
  VaultDeletedError,
} from './pamStore.ts';
import { POSTGRES_MIGRATIONS } from './postgresMigrations.ts';
import type {
  AuditQuery,
  AuditRecord,
  CheckoutPolicyRecord,
  CheckoutRecord,
  CredentialChange,
  CredentialQuery,
  CredentialRecord,
  EventRecord,
  GroupRecord,
  NewCheckout,
  TokenRecord,
  UserRecord,
  VaultMemberRecord,
  VaultRecord,
} from './records.ts';
import {
  highestRoles,
  mapAudit,
  mapCheckout,
  mapCheckoutPolicy,
  mapCredential,
  mapEvent,
  mapGroup,
  mapToken,
  mapUser,
  mapVault,
  mapVaultMember,
  type Row,
  withData,
} from './sqliteStore.ts';

/** Anything that runs a query: the pool, or the client of one transaction. */
type Queryable = Pick<pg.PoolClient, 'query'>;

export interface PostgresStoreOptions {
  /** postgres://user:password@host:port/database */
  url: string;
  /** Apply pending migrations on open (default); otherwise refuse a database that is behind. */
  migrate?: boolean;
  /** Connections of this process's pool. */
  poolSize?: number;
}

const OPEN_STATUSES = `(${CheckoutStatus.Pending}, ${CheckoutStatus.Granted}, ${CheckoutStatus.Active})`;
const HOLDING_STATUSES = `(${CheckoutStatus.Granted}, ${CheckoutStatus.Active})`;
const EVENTS_CHANNEL = 'coffre_events';
const SWEEPER_LOCK = 'coffre:sweeper';
const MIGRATION_LOCK = 'coffre:migrate';

/** BIGINT columns (epoch milliseconds, ids, counts) stay below 2^53: read them as numbers. */
const TYPES = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
};

/** Errors after which the whole transaction may simply run again. */
const RETRYABLE = new Set(['40001', '40P01']);

const CHECKOUT_SELECT = `
  SELECT c.*, u.username AS username, cr.name AS credential_name,
         COALESCE(a.display_name, a.username) AS approver_name,
         COALESCE(NULLIF(u.display_name, ''), u.username) AS user_display_name,
         cr.username AS credential_username, cr.host AS credential_host, cr.vault_id AS vault_id,
         v.name AS vault_name
  FROM checkouts c
  JOIN users u ON u.id = c.user_id
  JOIN credentials cr ON cr.id = c.credential_id
  LEFT JOIN vaults v ON v.id = cr.vault_id
  LEFT JOIN users a ON a.id = c.approver_id`;

export class SchemaVersionError extends Error {}

/**
 * The store of a server running as several nodes on one PostgreSQL database. What must hold
 * across nodes holds in the database, not in a process: an exclusive credential is locked (row
 * lock on the credential) while a checkout of it is decided; transitions are compare-and-set on
 * the status under the checkout's row lock; the audit chain and the event outbox advance under the
 * lock of the one `audit_head` row, so they have one order and no fork. Lock order, always:
 * credential rows, then `change_sequence`, then `audit_head` (no deadlock between writers).
 */
export class PostgresStore implements PamStore {
  readonly shared = true;
  private readonly pool: pg.Pool;
  private readonly url: string;
  private leaseClient: pg.Client | undefined;
  private leaseHeld = false;
  private readonly watchers = new Set<() => Promise<void>>();
  private throttleWrites = 0;
  /** The schema versions before and after this store was opened. */
  migration = { from: 0, to: 0 };

  private constructor(options: PostgresStoreOptions) {
    this.url = options.url;
    this.pool = new pg.Pool({
      connectionString: options.url,
      max: options.poolSize ?? 10,
      types: TYPES,
      keepAlive: true,
      application_name: 'coffre-server',
    });
    // An idle connection that breaks (database restart, network) is dropped, not fatal.
    this.pool.on('error', () => undefined);
  }

  static async open(options: PostgresStoreOptions): Promise<PostgresStore> {
    const store = new PostgresStore(options);
    try {
      store.migration = await store.migrate(options.migrate ?? true);
      return store;
    } catch (error) {
      await store.close();
      throw error;
    }
  }

  /** The schema version this server knows. */
  static readonly schemaVersion = POSTGRES_MIGRATIONS.length;

  /**
   * Brings the schema to this server's version, one transaction for all, under an advisory lock:
   * two nodes starting together migrate once. Returns the versions before and after.
   */
  async migrate(apply = true): Promise<{ from: number; to: number }> {
    return this.transaction(async (client) => {
      await this.exec(client, 'SELECT pg_advisory_xact_lock(hashtext($1))', [MIGRATION_LOCK]);
      await this.exec(
        client,
        'CREATE TABLE IF NOT EXISTS schema_version (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL)',
      );
      const from = await readSchemaVersion(client);
      const known = POSTGRES_MIGRATIONS.length;
      if (from > known) {
        throw new SchemaVersionError(
          `The database schema (version ${from}) is newer than this server understands (${known}).`,
        );
      }
      if (from < known && !apply) {
        throw new SchemaVersionError(
          `The database schema (version ${from}) is older than this server's (${known}): run coffre-server migrate.`,
        );
      }
      // Several statements each: the simple query protocol, not a prepared statement.
      for (const sql of POSTGRES_MIGRATIONS.slice(from)) await client.query(sql);
      await this.exec(
        client,
        `INSERT INTO schema_version (id, version) VALUES (1, $1)
         ON CONFLICT (id) DO UPDATE SET version = EXCLUDED.version`,
        [known],
      );
      return { from, to: known };
    });
  }

  async close(): Promise<void> {
    for (const stop of [...this.watchers]) await stop();
    this.leaseHeld = false;
    await this.leaseClient?.end().catch(() => undefined);
    this.leaseClient = undefined;
    await this.pool.end().catch(() => undefined);
  }

  /** Runs `work` in one transaction; a deadlock or serialisation failure runs it again. */
  private async transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const client = await this.pool.connect();
      let broken: Error | undefined;
      try {
        await this.exec(client, 'BEGIN');
        const result = await work(client);
        await this.exec(client, 'COMMIT');
        return result;
      } catch (error) {
        await this.exec(client, 'ROLLBACK').catch((rollbackError: Error) => {
          broken = rollbackError;
        });
        const code = (error as { code?: string }).code;
        if (!(code && RETRYABLE.has(code) && attempt < 10)) throw error;
      } finally {
        client.release(broken);
      }
    }
  }

  /**
   * Every statement goes through here. PostgreSQL's text cannot hold U+0000 (SQLite's can): it is
   * stored as U+FFFD, the character that already stands for what cannot be represented (lone
   * surrogates become it on their way to UTF-8), rather than failing the request.
   */
  private exec(q: Queryable, sql: string, params: unknown[] = []): Promise<pg.QueryResult> {
    return q.query({
      // Named: each connection parses and plans a statement once, then only binds and runs it.
      name: statementName(sql),
      text: sql,
      values: params.map((value) =>
        typeof value === 'string'
          ? cleanText(value)
          : Array.isArray(value)
            ? value.map((item) => (typeof item === 'string' ? cleanText(item) : item))
            : value,
      ),
    });
  }

  private async one(q: Queryable, sql: string, params: unknown[] = []): Promise<Row | undefined> {
    return (await this.exec(q, sql, params)).rows[0] as Row | undefined;
  }

  private async all(q: Queryable, sql: string, params: unknown[] = []): Promise<Row[]> {
    return (await this.exec(q, sql, params)).rows as Row[];
  }

  /** Writes the audit rows and events of a change; must run inside the change's transaction. */
  private async writeEffects(client: Queryable, effects: SideEffects): Promise<EventRecord[]> {
    if (effects.audit.length === 0 && effects.events.length === 0) return [];
    // The chain head's row lock: one writer at a time extends the chain and numbers events.
    const head = (await this.one(client, 'SELECT last_id, hash FROM audit_head WHERE id = 1 FOR UPDATE'))!;
    let lastId = head.last_id as number;
    let prevHash = head.hash as string;
    for (const entry of effects.audit) {
      const row = {
        id: lastId + 1,
        at: entry.at,
        actorId: entry.actorId,
        actorName: entry.actorName,
        action: entry.action,
        credentialId: entry.credentialId ?? null,
        checkoutId: entry.checkoutId ?? null,
        details: entry.details ?? '',
      };
      const hash = auditRowHash(prevHash, row);
      await this.exec(
        client,
        `INSERT INTO audit (id, at, actor_id, actor_name, action, credential_id, checkout_id, details, prev_hash, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [
          row.id,
          row.at,
          row.actorId,
          row.actorName,
          row.action,
          row.credentialId,
          row.checkoutId,
          row.details,
          prevHash,
          hash,
        ],
      );
      lastId = row.id;
      prevHash = hash;
    }
    if (effects.audit.length > 0) {
      await this.exec(client, 'UPDATE audit_head SET last_id = $1, hash = $2 WHERE id = 1', [
        lastId,
        prevHash,
      ]);
    }
    const events: EventRecord[] = [];
    for (const event of effects.events) {
      const audience = [...new Set(event.audience)];
      const { id } = (await this.one(
        client,
        'INSERT INTO events (type, at, data) VALUES ($1, $2, $3) RETURNING id',
        [event.type, event.at, JSON.stringify(event.data)],
      ))!;
      await this.exec(
        client,
        'INSERT INTO event_audience (event_id, user_id) SELECT $1, unnest($2::text[])',
        [id, audience],
      );
      events.push({ id: id as number, type: event.type, at: event.at, data: event.data, audience });
    }
    // Delivered to every listening node when (and only if) the transaction commits.
    if (events.length > 0)
      await this.exec(client, 'SELECT pg_notify($1, $2)', [EVENTS_CHANNEL, String(events.at(-1)!.id)]);
    return events;
  }

  private async allocateChangeSeq(client: Queryable, count = 1): Promise<number> {
    const { value } = (await this.one(
      client,
      'UPDATE change_sequence SET value = value + $1 WHERE id = 1 RETURNING value',
      [count],
    ))!;
    return (value as number) - count + 1;
  }

  private async touchCredential(client: Queryable, credentialId: string): Promise<void> {
    const seq = await this.allocateChangeSeq(client);
    await this.exec(client, 'UPDATE credentials SET change_seq = $1 WHERE id = $2', [seq, credentialId]);
  }

  // users and tokens

  insertUser(user: UserRecord, effects: SideEffects): Promise<void> {
    return this.transaction(async (client) => {
      await this.exec(
        client,
        `INSERT INTO users (id, username, display_name, password_hash, roles, disabled, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [
          user.id,
          user.username,
          user.displayName,
          user.passwordHash,
          JSON.stringify(user.roles),
          user.disabled,
          user.createdAt,
          user.updatedAt,
        ],
      );
      await this.writeEffects(client, effects);
    });
  }

  updateUser(
    user: UserRecord,
    effects: SideEffects,
    options: { revokeTokens?: boolean } = {},
  ): Promise<void> {
    return this.transaction(async (client) => {
      await this.exec(
        client,
        `UPDATE users SET username = $2, display_name = $3, password_hash = $4, roles = $5, disabled = $6,
           updated_at = $7 WHERE id = $1`,
        [
          user.id,
          user.username,
          user.displayName,
          user.passwordHash,
          JSON.stringify(user.roles),
          user.disabled,
          user.updatedAt,
        ],
      );
      if (user.disabled || options.revokeTokens) {
        await this.exec(client, 'DELETE FROM tokens WHERE user_id = $1', [user.id]);
      }
      await this.writeEffects(client, effects);
    });
  }

  async getUser(id: string): Promise<UserRecord | undefined> {
    return mapUser(await this.one(this.pool, 'SELECT * FROM users WHERE id = $1', [id]));
  }

  async getUserByName(username: string): Promise<UserRecord | undefined> {
    return mapUser(
      await this.one(this.pool, 'SELECT * FROM users WHERE lower(username) = lower($1)', [username]),
    );
  }

  async listUsers(): Promise<UserRecord[]> {
    return (await this.all(this.pool, 'SELECT * FROM users ORDER BY lower(username), username')).map(
      (row) => mapUser(row)!,
    );
  }

  async countUsers(): Promise<number> {
    return (await this.one(this.pool, 'SELECT COUNT(*) AS n FROM users'))!.n as number;
  }

  async insertToken(token: TokenRecord): Promise<void> {
    await this.exec(
      this.pool,
      'INSERT INTO tokens (token_hash, user_id, created_at, expires_at, session_key_sealed) VALUES ($1, $2, $3, $4, $5)',
      [token.tokenHash, token.userId, token.createdAt, token.expiresAt, token.sessionKeySealed ?? null],
    );
  }

  async getToken(tokenHash: string): Promise<TokenRecord | undefined> {
    return mapToken(await this.one(this.pool, 'SELECT * FROM tokens WHERE token_hash = $1', [tokenHash]));
  }

  async getActorByToken(tokenHash: string, now: number): Promise<UserRecord | undefined> {
    return mapUser(
      await this.one(
        this.pool,
        `SELECT u.* FROM users u JOIN tokens t ON t.user_id = u.id
         WHERE t.token_hash = $1 AND t.expires_at > $2 AND NOT u.disabled`,
        [tokenHash, now],
      ),
    );
  }

  async revokeToken(tokenHash: string): Promise<void> {
    await this.exec(this.pool, 'DELETE FROM tokens WHERE token_hash = $1', [tokenHash]);
  }

  async purgeExpiredTokens(now: number): Promise<number> {
    return (await this.exec(this.pool, 'DELETE FROM tokens WHERE expires_at <= $1', [now])).rowCount ?? 0;
  }

  // vaults and credentials

  insertVault(
    vault: VaultRecord,
    members: VaultMemberRecord[],
    effects: SideEffects,
  ): Promise<'inserted' | 'not_found'> {
    return this.transaction(async (client) => {
      if (!(await this.membersExist(client, members))) return 'not_found';
      await this.exec(
        client,
        `INSERT INTO vaults (id, name, description, policy, created_at, updated_at, version)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [
          vault.id,
          vault.name,
          vault.description,
          JSON.stringify(vault.policy),
          vault.createdAt,
          vault.updatedAt,
          vault.version,
        ],
      );
      await this.writeVaultMembers(client, vault.id, members);
      await this.writeEffects(client, effects);
      return 'inserted';
    });
  }

  updateVault(vault: VaultRecord, effects: SideEffects, expectedVersion: number): Promise<EditOutcome> {
    return this.transaction(async (client) => {
      const written = await this.exec(
        client,
        `UPDATE vaults SET name = $2, description = $3, policy = $4, updated_at = $5, version = version + 1
         WHERE id = $1 AND version = $6 AND deleted_at IS NULL`,
        [
          vault.id,
          vault.name,
          vault.description,
          JSON.stringify(vault.policy),
          vault.updatedAt,
          expectedVersion,
        ],
      );
      if (written.rowCount === 0) return 'stale';
      // Credentials inherit the vault's policy: each gets a change number of its own (incremental sync).
      await this.touchVaultCredentials(client, vault.id, vault.updatedAt);
      await this.writeEffects(client, effects);
      return 'updated';
    });
  }

  /**
   * Marks every live credential of the vault as changed (incremental sync), each with a number of
   * its own. Their rows are locked first, in id order, to keep the store's lock order.
   */
  private async touchVaultCredentials(client: Queryable, vaultId: string, at: number): Promise<void> {
    const ids = (
      await this.all(
        client,
        'SELECT id FROM credentials WHERE vault_id = $1 AND deleted_at IS NULL ORDER BY id FOR NO KEY UPDATE',
        [vaultId],
      )
    ).map((row) => row.id as string);
    if (ids.length === 0) return;
    const first = await this.allocateChangeSeq(client, ids.length);
    await this.exec(
      client,
      `UPDATE credentials SET updated_at = $1, change_seq = numbered.seq
       FROM (SELECT id, $2::bigint - 1 + ordinality AS seq FROM unnest($3::text[]) WITH ORDINALITY AS t(id)) AS numbered
       WHERE credentials.id = numbered.id`,
      [at, first, ids],
    );
  }

  // vault permissions

  private async holdsVaultRole(
    client: Queryable,
    checkout: NewCheckout,
    required: RequiredVaultRole,
  ): Promise<boolean> {
    await this.exec(client, 'SELECT 1 FROM vaults WHERE id = $1 FOR SHARE', [required.vaultId]);
    const inVault = await this.one(client, 'SELECT 1 FROM credentials WHERE id = $1 AND vault_id = $2', [
      checkout.credentialId,
      required.vaultId,
    ]);
    const roles = await this.rolesOf(client, checkout.userId);
    return inVault !== undefined && vaultRoleAllows(roles.get(required.vaultId), required.role);
  }

  async vaultRolesOf(userId: string): Promise<Map<string, VaultRole>> {
    return this.rolesOf(this.pool, userId);
  }

  private async rolesOf(q: Queryable, userId: string): Promise<Map<string, VaultRole>> {
    const rows = await this.all(
      q,
      `SELECT vault_id, role FROM vault_members
       WHERE (member_type = 'user' AND member_id = $1)
          OR (member_type = 'group' AND (member_id = $2
              OR member_id IN (SELECT group_id FROM group_members WHERE user_id = $1)))`,
      [userId, EVERYONE_GROUP_ID],
    );
    return highestRoles(rows as Array<{ vault_id: string; role: VaultRole }>);
  }

  async listVaultMembers(vaultId: string): Promise<VaultMemberRecord[]> {
    return (
      await this.all(
        this.pool,
        'SELECT * FROM vault_members WHERE vault_id = $1 ORDER BY member_type, member_id',
        [vaultId],
      )
    ).map(mapVaultMember);
  }

  setVaultMembers(
    vaultId: string,
    members: VaultMemberRecord[],
    effects: SideEffects,
  ): Promise<'set' | 'not_found'> {
    return this.transaction(async (client) => {
      // The vault row serialises concurrent replacements of its members.
      if (
        !(await this.one(client, 'SELECT 1 FROM vaults WHERE id = $1 AND deleted_at IS NULL FOR UPDATE', [
          vaultId,
        ]))
      ) {
        return 'not_found';
      }
      if (!(await this.membersExist(client, members))) return 'not_found';
      await this.exec(client, 'DELETE FROM vault_members WHERE vault_id = $1', [vaultId]);
      await this.writeVaultMembers(client, vaultId, members);
      await this.touchVaultCredentials(client, vaultId, effects.audit[0]?.at ?? Date.now());
      await this.writeEffects(client, effects);
      return 'set';
    });
  }

  private async membersExist(client: Queryable, members: VaultMemberRecord[]): Promise<boolean> {
    const users = members.filter((m) => m.memberType === 'user').map((m) => m.memberId);
    const groups = members.filter((m) => m.memberType === 'group').map((m) => m.memberId);
    return (await this.usersExist(client, users)) && (await this.countIn(client, 'groups', groups));
  }

  private async usersExist(client: Queryable, ids: string[]): Promise<boolean> {
    return this.countIn(client, 'users', ids);
  }

  /** Whether every id (duplicates ignored) names a row of `table`; the rows are share-locked. */
  private async countIn(client: Queryable, table: 'users' | 'groups', ids: string[]): Promise<boolean> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return true;
    const found = await this.all(
      client,
      `SELECT id FROM ${table} WHERE id = ANY($1::text[]) ORDER BY id FOR KEY SHARE`,
      [unique],
    );
    return found.length === unique.length;
  }

  private async writeVaultMembers(
    client: Queryable,
    vaultId: string,
    members: VaultMemberRecord[],
  ): Promise<void> {
    if (members.length === 0) return;
    await this.exec(
      client,
      `INSERT INTO vault_members (vault_id, member_type, member_id, role)
       SELECT $1, t.member_type, t.member_id, t.role
       FROM unnest($2::text[], $3::text[], $4::text[]) AS t(member_type, member_id, role)`,
      [vaultId, members.map((m) => m.memberType), members.map((m) => m.memberId), members.map((m) => m.role)],
    );
  }

  async listGroups(): Promise<GroupRecord[]> {
    return (await this.all(this.pool, 'SELECT * FROM groups ORDER BY builtin DESC, lower(name), id')).map(
      (row) => mapGroup(row)!,
    );
  }

  async getGroup(id: string): Promise<GroupRecord | undefined> {
    return mapGroup(await this.one(this.pool, 'SELECT * FROM groups WHERE id = $1', [id]));
  }

  async listGroupMembers(groupId: string): Promise<string[]> {
    return (
      await this.all(this.pool, 'SELECT user_id FROM group_members WHERE group_id = $1 ORDER BY user_id', [
        groupId,
      ])
    ).map((row) => row.user_id as string);
  }

  insertGroup(
    group: GroupRecord,
    memberIds: string[],
    effects: SideEffects,
  ): Promise<'inserted' | 'not_found'> {
    return this.transaction(async (client) => {
      if (!(await this.usersExist(client, memberIds))) return 'not_found';
      await this.exec(
        client,
        `INSERT INTO groups (id, name, description, builtin, created_at, updated_at)
         VALUES ($1, $2, $3, false, $4, $5)`,
        [group.id, group.name, group.description, group.createdAt, group.updatedAt],
      );
      await this.writeGroupMembers(client, group.id, memberIds);
      await this.writeEffects(client, effects);
      return 'inserted';
    });
  }

  updateGroup(
    group: GroupRecord,
    memberIds: string[] | undefined,
    effects: SideEffects,
  ): Promise<'updated' | 'not_found'> {
    return this.transaction(async (client) => {
      if (!(await this.one(client, 'SELECT 1 FROM groups WHERE id = $1 FOR UPDATE', [group.id]))) {
        return 'not_found';
      }
      if (memberIds && !(await this.usersExist(client, memberIds))) return 'not_found';
      await this.exec(
        client,
        'UPDATE groups SET name = $2, description = $3, updated_at = $4 WHERE id = $1',
        [group.id, group.name, group.description, group.updatedAt],
      );
      if (memberIds) {
        await this.exec(client, 'DELETE FROM group_members WHERE group_id = $1', [group.id]);
        await this.writeGroupMembers(client, group.id, memberIds);
        for (const vaultId of await this.vaultsOfGroup(client, group.id)) {
          await this.touchVaultCredentials(client, vaultId, group.updatedAt);
        }
      }
      await this.writeEffects(client, effects);
      return 'updated';
    });
  }

  deleteGroup(id: string, effects: SideEffects): Promise<'deleted' | 'not_found'> {
    return this.transaction(async (client) => {
      if (!(await this.one(client, 'SELECT 1 FROM groups WHERE id = $1 AND NOT builtin FOR UPDATE', [id]))) {
        return 'not_found';
      }
      const at = effects.audit[0]?.at ?? Date.now();
      for (const vaultId of await this.vaultsOfGroup(client, id)) {
        await this.touchVaultCredentials(client, vaultId, at);
      }
      await this.exec(client, "DELETE FROM vault_members WHERE member_type = 'group' AND member_id = $1", [
        id,
      ]);
      await this.exec(client, 'DELETE FROM groups WHERE id = $1', [id]);
      await this.writeEffects(client, effects);
      return 'deleted';
    });
  }

  private async writeGroupMembers(client: Queryable, groupId: string, memberIds: string[]): Promise<void> {
    if (memberIds.length === 0) return;
    await this.exec(
      client,
      'INSERT INTO group_members (group_id, user_id) SELECT $1, u FROM unnest($2::text[]) AS u',
      [groupId, [...new Set(memberIds)]],
    );
  }

  /**
   * The vaults the group is a member of, their rows locked for update: who may do what there is
   * changing, and a checkout request share-locks its vault to read it (insertCheckout).
   */
  private async vaultsOfGroup(client: Queryable, groupId: string): Promise<string[]> {
    const ids = (
      await this.all(
        client,
        "SELECT vault_id FROM vault_members WHERE member_type = 'group' AND member_id = $1 ORDER BY vault_id",
        [groupId],
      )
    ).map((row) => row.vault_id as string);
    if (ids.length > 0) {
      await this.exec(client, 'SELECT 1 FROM vaults WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE', [
        ids,
      ]);
    }
    return ids;
  }

  async getVault(id: string): Promise<VaultRecord | undefined> {
    return mapVault(
      await this.one(this.pool, 'SELECT * FROM vaults WHERE id = $1 AND deleted_at IS NULL', [id]),
    );
  }

  async listVaults(): Promise<VaultRecord[]> {
    return (
      await this.all(this.pool, 'SELECT * FROM vaults WHERE deleted_at IS NULL ORDER BY lower(name), id')
    ).map((row) => mapVault(row)!);
  }

  deleteVault(id: string, effects: SideEffects): Promise<'deleted' | 'not_found' | 'not_empty'> {
    return this.transaction(async (client) => {
      // FOR UPDATE waits for, and then holds off, every transaction writing a credential into the
      // vault (they take FOR KEY SHARE in assertLiveVault): none commits into it once it is deleted.
      const vault = await this.one(
        client,
        'SELECT id FROM vaults WHERE id = $1 AND deleted_at IS NULL FOR UPDATE',
        [id],
      );
      if (!vault) return 'not_found';
      const live = await this.one(
        client,
        'SELECT 1 FROM credentials WHERE vault_id = $1 AND deleted_at IS NULL LIMIT 1',
        [id],
      );
      if (live) return 'not_empty';
      const at = effects.audit[0]?.at ?? Date.now();
      await this.exec(client, 'UPDATE vaults SET deleted_at = $1, updated_at = $1 WHERE id = $2', [at, id]);
      // Its members go with it: the vault row's lock serialises this with setVaultMembers.
      await this.exec(client, 'DELETE FROM vault_members WHERE vault_id = $1', [id]);
      await this.writeEffects(client, effects);
      return 'deleted';
    });
  }

  private async assertLiveVault(client: Queryable, vaultId: string): Promise<void> {
    const vault = await this.one(
      client,
      'SELECT id FROM vaults WHERE id = $1 AND deleted_at IS NULL FOR KEY SHARE',
      [vaultId],
    );
    if (!vault) throw new VaultDeletedError();
  }

  async listCheckoutPolicies(): Promise<CheckoutPolicyRecord[]> {
    return (
      await this.all(this.pool, 'SELECT * FROM checkout_policies ORDER BY is_default DESC, lower(name), id')
    ).map((row) => mapCheckoutPolicy(row)!);
  }

  async getCheckoutPolicy(id: string): Promise<CheckoutPolicyRecord | undefined> {
    return mapCheckoutPolicy(
      await this.one(this.pool, 'SELECT * FROM checkout_policies WHERE id = $1', [id]),
    );
  }

  saveCheckoutPolicy(
    policy: CheckoutPolicyRecord,
    options: { replace: boolean },
    effects: SideEffects,
  ): Promise<'saved' | 'not_found'> {
    return this.transaction(async (client) => {
      if (options.replace) {
        const found = await this.one(client, 'SELECT id FROM checkout_policies WHERE id = $1 FOR UPDATE', [
          policy.id,
        ]);
        if (!found) return 'not_found';
      }
      // One default at a time (a unique index): the previous one stops being it first.
      if (policy.isDefault) {
        await this.exec(
          client,
          'UPDATE checkout_policies SET is_default = false WHERE is_default AND id <> $1',
          [policy.id],
        );
      }
      const values = [policy.id, policy.name, JSON.stringify(policy.fields), policy.isDefault];
      if (options.replace) {
        await this.exec(
          client,
          'UPDATE checkout_policies SET name = $2, fields = $3, is_default = $4, updated_at = $5 WHERE id = $1',
          [...values, policy.updatedAt],
        );
      } else {
        await this.exec(
          client,
          `INSERT INTO checkout_policies (id, name, fields, is_default, created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6)`,
          [...values, policy.createdAt, policy.updatedAt],
        );
      }
      await this.writeEffects(client, effects);
      return 'saved';
    });
  }

  deleteCheckoutPolicy(id: string, effects: SideEffects): Promise<'deleted' | 'not_found'> {
    return this.transaction(async (client) => {
      const changed =
        (await this.exec(client, 'DELETE FROM checkout_policies WHERE id = $1', [id])).rowCount ?? 0;
      if (changed > 0) await this.writeEffects(client, effects);
      return changed > 0 ? 'deleted' : 'not_found';
    });
  }

  insertCredential(credential: CredentialRecord, effects: SideEffects): Promise<void> {
    return this.transaction(async (client) => {
      await this.assertLiveVault(client, credential.vaultId);
      const changeSeq = await this.allocateChangeSeq(client);
      await this.exec(
        client,
        `INSERT INTO credentials (id, vault_id, name, username, host, description, policy, password_sealed,
           password_changed_at, created_at, updated_at, change_seq, version)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
        [
          credential.id,
          credential.vaultId,
          credential.name,
          credential.username,
          credential.host,
          credential.description,
          JSON.stringify(credential.policy),
          credential.passwordSealed,
          credential.passwordChangedAt,
          credential.createdAt,
          credential.updatedAt,
          changeSeq,
          credential.version,
        ],
      );
      await this.writeEffects(client, effects);
    });
  }

  updateCredential(
    credential: CredentialRecord,
    effects: SideEffects,
    expectedVersion: number,
  ): Promise<EditOutcome> {
    return this.transaction(async (client) => {
      await this.assertLiveVault(client, credential.vaultId);
      const written = await this.exec(
        client,
        `UPDATE credentials SET vault_id = $2, name = $3, username = $4, host = $5, description = $6, policy = $7,
           updated_at = $8, version = version + 1
         WHERE id = $1 AND deleted_at IS NULL AND version = $9`,
        [
          credential.id,
          credential.vaultId,
          credential.name,
          credential.username,
          credential.host,
          credential.description,
          JSON.stringify(credential.policy),
          credential.updatedAt,
          expectedVersion,
        ],
      );
      if (written.rowCount === 0) return 'stale';
      await this.touchCredential(client, credential.id);
      await this.writeEffects(client, effects);
      return 'updated';
    });
  }

  deleteCredential(
    id: string,
    now: number,
    effects: SideEffects,
  ): Promise<'deleted' | 'not_found' | 'has_open_checkouts'> {
    return this.transaction(async (client) => {
      // The credential's lock first: no checkout of it is decided while the deletion is.
      await this.lockCredential(client, id);
      const open = await this.one(
        client,
        `SELECT id FROM checkouts WHERE credential_id = $1 AND (status = ${CheckoutStatus.Pending}
           OR (status IN ${HOLDING_STATUSES} AND (expires_at IS NULL OR expires_at > $2))) LIMIT 1`,
        [id, now],
      );
      if (open) return 'has_open_checkouts';
      const at = effects.audit[0]?.at ?? Date.now();
      const changed =
        (
          await this.exec(
            client,
            'UPDATE credentials SET deleted_at = $1, updated_at = $1 WHERE id = $2 AND deleted_at IS NULL',
            [at, id],
          )
        ).rowCount ?? 0;
      if (changed) {
        await this.touchCredential(client, id);
        await this.writeEffects(client, effects);
      }
      return changed > 0 ? 'deleted' : 'not_found';
    });
  }

  async getCredential(id: string): Promise<CredentialRecord | undefined> {
    return mapCredential(
      await this.one(this.pool, 'SELECT * FROM credentials WHERE id = $1 AND deleted_at IS NULL', [id]),
    );
  }

  async listCredentials(query: CredentialQuery): Promise<{ data: CredentialRecord[]; total: number }> {
    const where = ['deleted_at IS NULL'];
    const params: unknown[] = [];
    if (query.vaultId) {
      params.push(query.vaultId);
      where.push(`vault_id = $${params.length}`);
    }
    if (query.vaultIds) {
      params.push([...query.vaultIds]);
      where.push(`vault_id = ANY($${params.length}::text[])`);
    }
    if (query.search) {
      params.push(`%${query.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
      const p = `$${params.length}`;
      where.push(`(name ILIKE ${p} OR username ILIKE ${p} OR host ILIKE ${p})`);
    }
    const whereSql = where.join(' AND ');
    const total = (await this.one(
      this.pool,
      `SELECT COUNT(*) AS n FROM credentials WHERE ${whereSql}`,
      params,
    ))!.n as number;
    const rows = await this.all(
      this.pool,
      `SELECT * FROM credentials WHERE ${whereSql} ORDER BY lower(name), id
       LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, query.limit, query.offset],
    );
    return { data: rows.map((row) => mapCredential(row)!), total };
  }

  async currentChangeSeq(): Promise<number> {
    return (await this.one(this.pool, 'SELECT value FROM change_sequence WHERE id = 1'))!.value as number;
  }

  async listCredentialChanges(
    since: number,
    limit: number,
  ): Promise<{ changes: CredentialChange[]; total: number }> {
    const total = (await this.one(this.pool, 'SELECT COUNT(*) AS n FROM credentials WHERE change_seq > $1', [
      since,
    ]))!.n as number;
    const rows = await this.all(
      this.pool,
      'SELECT * FROM credentials WHERE change_seq > $1 ORDER BY change_seq LIMIT $2',
      [since, limit],
    );
    const changes = rows.map((row) => ({
      seq: row.change_seq as number,
      id: row.id as string,
      credential: row.deleted_at === null ? mapCredential(row)! : null,
    }));
    return { changes, total };
  }

  setCredentialPassword(
    credentialId: string,
    passwordSealed: string,
    at: number,
    effects: SideEffects,
  ): Promise<EventRecord[]> {
    return this.transaction((client) =>
      this.writePassword(client, { credentialId, passwordSealed, at, effects }),
    );
  }

  private async writePassword(client: Queryable, change: PasswordChange): Promise<EventRecord[]> {
    await this.exec(
      client,
      'UPDATE credentials SET password_sealed = $1, password_changed_at = $2, updated_at = $2 WHERE id = $3',
      [change.passwordSealed, change.at, change.credentialId],
    );
    await this.touchCredential(client, change.credentialId);
    return this.writeEffects(client, change.effects);
  }

  // checkouts

  /** Locks the credential's row until the transaction ends: checkouts of it are decided one at a time. */
  private async lockCredential(client: Queryable, credentialId: string): Promise<void> {
    await this.exec(client, 'SELECT 1 FROM credentials WHERE id = $1 FOR NO KEY UPDATE', [credentialId]);
  }

  /**
   * Another checkout of the credential holding it at some moment of [begin, end): an Active one
   * not yet ended at `begin`, or an approved scheduled (Granted) one whose own window overlaps.
   */
  private async holderOf(
    client: Queryable,
    credentialId: string,
    window: { begin: number; end: number },
    exceptId: string | null,
    activeOnly = false,
  ): Promise<Row | undefined> {
    return this.one(
      client,
      `SELECT id FROM checkouts WHERE credential_id = $1 AND id IS DISTINCT FROM $2
         AND (expires_at IS NULL OR expires_at > $3)
         AND (status = ${CheckoutStatus.Active}
              OR (NOT $5::boolean AND status = ${CheckoutStatus.Granted} AND COALESCE(scheduled_start, 0) < $4))
       LIMIT 1`,
      [credentialId, exceptId, window.begin, window.end, activeOnly],
    );
  }

  insertCheckout(
    checkout: NewCheckout,
    options: { exclusive: boolean; now: number; requireRole?: RequiredVaultRole | undefined },
    effects: SideEffects,
  ): Promise<InsertCheckoutResult> {
    return this.transaction(async (client): Promise<InsertCheckoutResult> => {
      // The vault row first (share): every change of who may do what there locks it for update,
      // so the role read below stays true until this transaction commits. Vault before credential,
      // as updateVault and setVaultMembers take them.
      if (options.requireRole && !(await this.holdsVaultRole(client, checkout, options.requireRole))) {
        return { ok: false, reason: 'vault_role' };
      }
      await this.lockCredential(client, checkout.credentialId);
      const duplicate = await this.one(
        client,
        `SELECT id FROM checkouts WHERE credential_id = $1 AND user_id = $2 AND status IN ${OPEN_STATUSES}
           AND (expires_at IS NULL OR expires_at > $3) LIMIT 1`,
        [checkout.credentialId, checkout.userId, options.now],
      );
      if (duplicate) return { ok: false, reason: 'duplicate_request' };
      const live = await this.one(client, 'SELECT 1 FROM credentials WHERE id = $1 AND deleted_at IS NULL', [
        checkout.credentialId,
      ]);
      if (!live) return { ok: false, reason: 'credential_deleted' };
      if (
        options.exclusive &&
        (await this.holderOf(client, checkout.credentialId, windowOf(checkout, options.now), null))
      ) {
        return { ok: false, reason: 'already_checked_out' };
      }
      await this.exec(
        client,
        `INSERT INTO checkouts (id, user_id, credential_id, approver_id, reason, approver_message, status, duration,
           extended_minutes, requested_at, scheduled_start, checkout_at, checkin_at, expires_at, expiring_notified,
           updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
        [
          checkout.id,
          checkout.userId,
          checkout.credentialId,
          checkout.approverId,
          checkout.reason,
          checkout.approverMessage,
          checkout.status,
          checkout.duration,
          checkout.extendedMinutes,
          checkout.requestedAt,
          checkout.scheduledStart,
          checkout.checkoutAt,
          checkout.checkinAt,
          checkout.expiresAt,
          checkout.expiringNotified,
          checkout.updatedAt,
        ],
      );
      await this.touchCredential(client, checkout.credentialId);
      const record = (await this.readCheckout(client, checkout.id))!;
      return {
        ok: true,
        checkout: record,
        events: await this.writeEffects(client, withData(effects, record)),
      };
    });
  }

  transitionCheckout(
    id: string,
    expected: CheckoutStatus,
    patch: CheckoutPatch,
    options: {
      exclusiveNow?: number | undefined;
      unchanged?: CheckoutPatch | undefined;
      setPassword?: PasswordChange | undefined;
    },
    effects: SideEffects,
  ): Promise<TransitionResult> {
    return this.transaction(async (client): Promise<TransitionResult> => {
      // A checkout's credential never changes: read it, lock the credential, then the checkout.
      const found = await this.one(client, 'SELECT credential_id FROM checkouts WHERE id = $1', [id]);
      if (!found) return { ok: false, reason: 'stale' };
      await this.lockCredential(client, found.credential_id as string);
      await this.exec(client, 'SELECT 1 FROM checkouts WHERE id = $1 FOR NO KEY UPDATE', [id]);
      const current = await this.readCheckout(client, id);
      if (!current || current.status !== expected) return { ok: false, reason: 'stale' };
      const unchanged = Object.entries(options.unchanged ?? {}) as Array<[keyof CheckoutPatch, unknown]>;
      if (unchanged.some(([key, value]) => current[key] !== value)) return { ok: false, reason: 'stale' };
      const updatedAt = effects.audit[0]?.at ?? effects.events[0]?.at ?? Date.now();
      const next: CheckoutRecord = { ...current, ...patch, updatedAt };
      if (
        options.exclusiveNow !== undefined &&
        (await this.holderOf(
          client,
          current.credentialId,
          windowOf(next, options.exclusiveNow),
          id,
          // A scheduled checkout starting: its window was checked against the others when it was
          // approved, so only an Active holder stops it (of two due at once, the first to start wins).
          current.status === CheckoutStatus.Granted && next.status === CheckoutStatus.Active,
        ))
      ) {
        return { ok: false, reason: 'already_checked_out' };
      }
      await this.exec(
        client,
        // approver_id too: a pooled request (MIM: any approver of the role) learns its decider here.
        `UPDATE checkouts SET status = $3, approver_message = $4, checkout_at = $5, checkin_at = $6, expires_at = $7,
           extended_minutes = $8, expiring_notified = $9, updated_at = $10, approver_id = $11, duration = $12
         WHERE id = $1 AND status = $2`,
        [
          id,
          expected,
          next.status,
          next.approverMessage,
          next.checkoutAt,
          next.checkinAt,
          next.expiresAt,
          next.extendedMinutes,
          next.expiringNotified,
          updatedAt,
          next.approverId,
          next.duration,
        ],
      );
      if (next.status !== current.status || next.expiresAt !== current.expiresAt) {
        await this.touchCredential(client, current.credentialId);
      }
      const events = await this.writeEffects(client, withData(effects, next));
      if (options.setPassword) events.push(...(await this.writePassword(client, options.setPassword)));
      return { ok: true, checkout: next, events };
    });
  }

  private async readCheckout(q: Queryable, id: string): Promise<CheckoutRecord | undefined> {
    return mapCheckout(await this.one(q, `${CHECKOUT_SELECT} WHERE c.id = $1`, [id]));
  }

  getCheckout(id: string): Promise<CheckoutRecord | undefined> {
    return this.readCheckout(this.pool, id);
  }

  async findOpenCheckout(userId: string, credentialId: string): Promise<CheckoutRecord | undefined> {
    return mapCheckout(
      await this.one(
        this.pool,
        `${CHECKOUT_SELECT} WHERE c.user_id = $1 AND c.credential_id = $2 AND c.status IN ${OPEN_STATUSES}
         ORDER BY c.requested_at DESC LIMIT 1`,
        [userId, credentialId],
      ),
    );
  }

  async listCheckoutsOfUser(userId: string, statuses: CheckoutStatus[] | null): Promise<CheckoutRecord[]> {
    const filter = statuses ? `AND c.status IN (${statuses.map(Number).join(',')})` : '';
    return (
      await this.all(
        this.pool,
        `${CHECKOUT_SELECT} WHERE c.user_id = $1 ${filter} ORDER BY c.requested_at DESC`,
        [userId],
      )
    ).map((row) => mapCheckout(row)!);
  }

  async listCheckoutsToApprove(approverId: string): Promise<CheckoutRecord[]> {
    return (
      await this.all(
        this.pool,
        `${CHECKOUT_SELECT} WHERE c.approver_id = $1 AND c.status = ${CheckoutStatus.Pending} ORDER BY c.requested_at`,
        [approverId],
      )
    ).map((row) => mapCheckout(row)!);
  }

  async holdersOf(credentialIds: string[], now: number): Promise<Map<string, CheckoutRecord>> {
    const holders = new Map<string, CheckoutRecord>();
    if (credentialIds.length === 0) return holders;
    const rows = await this.all(
      this.pool,
      `${CHECKOUT_SELECT} WHERE c.credential_id = ANY($1::text[]) AND c.status IN ${HOLDING_STATUSES}
         AND (c.expires_at IS NULL OR c.expires_at > $2)
         AND (c.status = ${CheckoutStatus.Active} OR COALESCE(c.scheduled_start, 0) <= $2)
       ORDER BY c.status DESC, c.requested_at`,
      [credentialIds, now],
    );
    for (const row of rows) {
      const record = mapCheckout(row)!;
      if (!holders.has(record.credentialId)) holders.set(record.credentialId, record);
    }
    return holders;
  }

  async listDueCheckouts(now: number, warnMs: number): Promise<CheckoutRecord[]> {
    return (
      await this.all(
        this.pool,
        `${CHECKOUT_SELECT}
         WHERE (c.status = ${CheckoutStatus.Granted} AND c.scheduled_start <= $1)
            OR (c.status = ${CheckoutStatus.Active} AND c.expires_at <= $1)
            OR (c.status = ${CheckoutStatus.Active} AND NOT c.expiring_notified AND c.expires_at <= $2)
         ORDER BY c.expires_at`,
        [now, now + warnMs],
      )
    ).map((row) => mapCheckout(row)!);
  }

  async listAllCheckouts(statuses: CheckoutStatus[] | null): Promise<CheckoutRecord[]> {
    const filter = statuses ? `WHERE c.status IN (${statuses.map(Number).join(',')})` : '';
    return (await this.all(this.pool, `${CHECKOUT_SELECT} ${filter} ORDER BY c.requested_at DESC`)).map(
      (row) => mapCheckout(row)!,
    );
  }

  // events and audit

  async eventsSince(userId: string, afterId: number, limit: number): Promise<EventRecord[]> {
    return (
      await this.all(
        this.pool,
        `SELECT e.* FROM event_audience ea JOIN events e ON e.id = ea.event_id
         WHERE ea.user_id = $1 AND ea.event_id > $2 ORDER BY ea.event_id LIMIT $3`,
        [userId, afterId, limit],
      )
    ).map(mapEvent);
  }

  async lastEventId(): Promise<number> {
    return (await this.one(this.pool, 'SELECT COALESCE(MAX(id), 0) AS id FROM events'))!.id as number;
  }

  async audienceOf(eventId: number): Promise<string[]> {
    return (
      await this.all(this.pool, 'SELECT user_id FROM event_audience WHERE event_id = $1', [eventId])
    ).map((row) => row.user_id as string);
  }

  appendAudit(effects: SideEffects): Promise<EventRecord[]> {
    return this.transaction((client) => this.writeEffects(client, effects));
  }

  async listAudit(query: AuditQuery): Promise<AuditRecord[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (query.from !== undefined) add('at >= ?', query.from);
    if (query.to !== undefined) add('at <= ?', query.to);
    if (query.credentialId) add('credential_id = ?', query.credentialId);
    if (query.userId) add('actor_id = ?', query.userId);
    const whereSql = where.length ? `WHERE ${where.join(' AND ')}` : '';
    return (
      await this.all(
        this.pool,
        `SELECT * FROM audit ${whereSql} ORDER BY id LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
        [...params, query.limit, query.offset],
      )
    ).map(mapAudit);
  }

  async verifyAuditChain(): Promise<number | null> {
    let prevHash = AUDIT_GENESIS_HASH;
    let afterId = 0;
    for (;;) {
      const rows = await this.all(this.pool, 'SELECT * FROM audit WHERE id > $1 ORDER BY id LIMIT 1000', [
        afterId,
      ]);
      for (const row of rows) {
        const record = mapAudit(row);
        if (record.prevHash !== prevHash || auditRowHash(prevHash, record) !== record.hash) return record.id;
        prevHash = record.hash;
        afterId = record.id;
      }
      if (rows.length < 1000) return null;
    }
  }

  // several server nodes

  async eventsAfter(afterId: number, limit: number): Promise<EventRecord[]> {
    const rows = await this.all(
      this.pool,
      `SELECT e.*, COALESCE((SELECT array_agg(user_id) FROM event_audience WHERE event_id = e.id), '{}') AS audience
       FROM events e WHERE e.id > $1 ORDER BY e.id LIMIT $2`,
      [afterId, limit],
    );
    return rows.map((row) => ({ ...mapEvent(row), audience: row.audience as string[] }));
  }

  /**
   * LISTEN on a connection of its own. When that connection breaks it reconnects, and calls the
   * listener once connected again: what was committed meanwhile is read from the outbox.
   */
  async watchEvents(listener: () => void): Promise<() => Promise<void>> {
    let client: pg.Client | undefined;
    let stopped = false;
    let retry: NodeJS.Timeout | undefined;
    const connect = async (): Promise<void> => {
      const next = new pg.Client({ connectionString: this.url, keepAlive: true, types: TYPES });
      next.on('notification', () => listener());
      next.on('error', () => undefined);
      next.on('end', () => {
        if (!stopped) retry = setTimeout(() => void connect().catch(() => undefined), 500);
      });
      client = next;
      await next.connect();
      await next.query(`LISTEN ${EVENTS_CHANNEL}`);
      listener();
    };
    await connect().catch(() => {
      retry = setTimeout(() => void connect().catch(() => undefined), 500);
    });
    const stop = async () => {
      stopped = true;
      clearTimeout(retry);
      this.watchers.delete(stop);
      await client?.end().catch(() => undefined);
    };
    this.watchers.add(stop);
    return stop;
  }

  /**
   * A session advisory lock held by a connection of its own: when this node dies its session
   * ends and PostgreSQL frees the lock, so another node's next attempt takes it.
   */
  async holdSweeperLease(): Promise<boolean> {
    try {
      if (!this.leaseClient) {
        const client = new pg.Client({
          connectionString: this.url,
          keepAlive: true,
          types: TYPES,
          // Operators (and the multi-node test) see in pg_stat_activity which process sweeps.
          application_name: `coffre-sweeper:${process.pid}`,
        });
        client.on('error', () => undefined);
        client.on('end', () => {
          if (this.leaseClient === client) {
            this.leaseClient = undefined;
            this.leaseHeld = false;
          }
        });
        this.leaseClient = client;
        await client.connect();
      }
      if (this.leaseHeld) {
        // Still connected means still held.
        await this.leaseClient.query('SELECT 1');
        return true;
      }
      const { rows } = await this.leaseClient.query('SELECT pg_try_advisory_lock(hashtext($1)) AS held', [
        SWEEPER_LOCK,
      ]);
      this.leaseHeld = rows[0].held === true;
      return this.leaseHeld;
    } catch {
      const client = this.leaseClient;
      this.leaseClient = undefined;
      this.leaseHeld = false;
      await client?.end().catch(() => undefined);
      return false;
    }
  }

  async withClusterLock<T>(name: string, work: () => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await this.exec(client, 'SELECT pg_advisory_lock(hashtext($1))', [`coffre:${name}`]);
      try {
        return await work();
      } finally {
        await this.exec(client, 'SELECT pg_advisory_unlock(hashtext($1))', [`coffre:${name}`]);
      }
    } finally {
      client.release();
    }
  }

  async claimMeta(key: string, value: string): Promise<string> {
    await this.exec(
      this.pool,
      'INSERT INTO server_meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING',
      [key, value],
    );
    return (await this.one(this.pool, 'SELECT value FROM server_meta WHERE key = $1', [key]))!
      .value as string;
  }

  /** The sign-in throttle's counters, shared by the nodes. */
  throttleState(): ThrottleState {
    return new PostgresThrottleState(this);
  }

  throttleTransaction<T>(
    keys: readonly string[],
    change: (entries: ReadonlyMap<string, ThrottleEntry>) => { writes: ThrottleWrites; result: T },
  ): Promise<T> {
    return this.transaction(async (client) => {
      const sorted = [...new Set(keys)].sort();
      for (const key of sorted) await this.exec(client, 'SELECT pg_advisory_xact_lock(hashtext($1))', [key]);
      const rows = await this.all(client, 'SELECT * FROM login_throttle WHERE key = ANY($1::text[])', [
        sorted,
      ]);
      const entries = new Map<string, ThrottleEntry>(
        rows.map((row) => [
          keys.find((key) => cleanText(key) === row.key) ?? (row.key as string),
          {
            failures: row.failures as number,
            lastAt: row.last_at as number,
            blockedUntil: row.blocked_until as number,
          },
        ]),
      );
      const { writes, result } = change(entries);
      // Now and then, forget the counters of keys quiet for a day (every window has long ended).
      this.throttleWrites++;
      const lastAt = Math.max(0, ...[...writes.values()].map((entry) => entry?.lastAt ?? 0));
      if (this.throttleWrites % 1000 === 0 && lastAt > 0) {
        await this.exec(client, 'DELETE FROM login_throttle WHERE last_at < $1 AND blocked_until < $1', [
          lastAt - 24 * 60 * 60_000,
        ]);
      }
      for (const [key, entry] of writes) {
        if (entry) {
          await this.exec(
            client,
            `INSERT INTO login_throttle (key, failures, last_at, blocked_until) VALUES ($1, $2, $3, $4)
             ON CONFLICT (key) DO UPDATE SET failures = $2, last_at = $3, blocked_until = $4`,
            [key, entry.failures, entry.lastAt, entry.blockedUntil],
          );
        } else {
          await this.exec(client, 'DELETE FROM login_throttle WHERE key = $1', [key]);
        }
      }
      return result;
    });
  }

  async checkReady(): Promise<void> {
    const version = await readSchemaVersion(this.pool);
    if (version !== POSTGRES_MIGRATIONS.length) {
      throw new SchemaVersionError(
        `The database schema is at version ${version}; this server needs ${POSTGRES_MIGRATIONS.length}.`,
      );
    }
  }
}

/** PostgreSQL's text cannot hold U+0000. */
function cleanText(value: string): string {
  return value.replaceAll('\0', '\uFFFD');
}

const statementNames = new Map<string, string>();

function statementName(sql: string): string {
  let name = statementNames.get(sql);
  if (!name) {
    name = `coffre_${createHash('sha1').update(sql).digest('hex').slice(0, 20)}`;
    statementNames.set(sql, name);
  }
  return name;
}

/**
 * The sign-in throttle's counters in the database, shared by every node: one transaction takes a
 * transaction-scoped advisory lock per key (in key order: no deadlock), reads the rows, lets the
 * throttle decide and writes its decision before anyone else may read them.
 */
class PostgresThrottleState implements ThrottleState {
  private readonly store: PostgresStore;

  constructor(store: PostgresStore) {
    this.store = store;
  }

  transact<T>(
    keys: readonly string[],
    change: (entries: ReadonlyMap<string, ThrottleEntry>) => { writes: ThrottleWrites; result: T },
  ): Promise<T> {
    return this.store.throttleTransaction(keys, change);
  }
}

async function readSchemaVersion(q: Queryable): Promise<number> {
  const { rows } = await q.query('SELECT version FROM schema_version WHERE id = 1');
  return (rows[0]?.version as number | undefined) ?? 0;
}
