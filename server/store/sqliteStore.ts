import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { CheckoutStatus } from '../../common/checkout.ts';
import type { PolicyPatch } from '../../common/policy.ts';
import type { Role } from '../../common/roles.ts';
import {
  EVERYONE_GROUP_ID,
  higherVaultRole,
  type VaultRole,
  vaultRoleAllows,
} from '../../common/vaultAccess.ts';
import { AUDIT_GENESIS_HASH, auditRowHash } from './auditChain.ts';
import { windowOf } from './checkoutWindow.ts';
import { MIGRATIONS } from './migrations.ts';
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

export type Durability = 'normal' | 'full';

export interface SqliteStoreOptions {
  /** A file path, or ':memory:'. */
  file: string;
  /**
   * 'normal' (WAL + synchronous=NORMAL): a committed change survives a crash of the process;
   * 'full' (synchronous=FULL): it also survives a power loss, at the cost of an fsync per commit.
   */
  durability?: Durability;
}

export type Row = Record<string, unknown>;

/** A user's vault memberships, their own and their groups' (Everyone's included). */
const VAULT_ROLES_SQL = `SELECT vault_id, role FROM vault_members
  WHERE (member_type = 'user' AND member_id = @userId)
     OR (member_type = 'group' AND (member_id = @everyone
         OR member_id IN (SELECT group_id FROM group_members WHERE user_id = @userId)))`;

const OPEN_STATUSES = `(${CheckoutStatus.Pending}, ${CheckoutStatus.Granted}, ${CheckoutStatus.Active})`;
const HOLDING_STATUSES = `(${CheckoutStatus.Granted}, ${CheckoutStatus.Active})`;

/*
 * Names come from correlated subqueries, not JOINs: the foreign keys make the rows the same, and
 * with this SQLite build (STAT4) a prepared JOIN costs 5-8x more per execution than the same
 * lookups as subqueries (24 µs against 3 µs for one checkout; bench/server spends its time here).
 */
const CHECKOUT_SELECT = `
  SELECT c.*,
         (SELECT username FROM users WHERE id = c.user_id) AS username,
         (SELECT name FROM credentials WHERE id = c.credential_id) AS credential_name,
         (SELECT COALESCE(display_name, username) FROM users WHERE id = c.approver_id) AS approver_name,
         (SELECT COALESCE(NULLIF(display_name, ''), username) FROM users WHERE id = c.user_id) AS user_display_name,
         (SELECT username FROM credentials WHERE id = c.credential_id) AS credential_username,
         (SELECT host FROM credentials WHERE id = c.credential_id) AS credential_host,
         (SELECT vault_id FROM credentials WHERE id = c.credential_id) AS vault_id,
         (SELECT v.name FROM credentials cr JOIN vaults v ON v.id = cr.vault_id WHERE cr.id = c.credential_id) AS vault_name
  FROM checkouts c`;

export class SqliteStore implements PamStore {
  readonly shared = false;
  readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();
  private readonly pending: Array<{
    work: () => unknown;
    resolve: (value: unknown) => void;
    reject: (error: unknown) => void;
  }> = [];

  constructor(options: SqliteStoreOptions) {
    if (options.file !== ':memory:') fs.mkdirSync(path.dirname(options.file), { recursive: true });
    this.db = new Database(options.file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${options.durability === 'full' ? 'FULL' : 'NORMAL'}`);
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('busy_timeout = 5000');
    this.migrate();
  }

  async close(): Promise<void> {
    this.db.close();
  }

  private migrate(): void {
    const current = this.db.pragma('user_version', { simple: true }) as number;
    if (current > MIGRATIONS.length) {
      throw new Error(
        `The database schema (version ${current}) is newer than this server understands (${MIGRATIONS.length}).`,
      );
    }
    MIGRATIONS.slice(current).forEach((sql, offset) => {
      this.db.transaction(() => {
        this.db.exec(sql);
        this.db.pragma(`user_version = ${current + offset + 1}`);
      })();
    });
  }

  private stmt(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  /** Writes the audit rows and events of a change; must run inside the change's transaction. */
  private writeEffects(effects: SideEffects): EventRecord[] {
    for (const entry of effects.audit) {
      const last = this.stmt('SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1').get() as
        | { id: number; hash: string }
        | undefined;
      const row = {
        id: (last?.id ?? 0) + 1,
        at: entry.at,
        actorId: entry.actorId,
        actorName: entry.actorName,
        action: entry.action,
        credentialId: entry.credentialId ?? null,
        checkoutId: entry.checkoutId ?? null,
        details: entry.details ?? '',
      };
      const prevHash = last?.hash ?? AUDIT_GENESIS_HASH;
      this.stmt(
        `INSERT INTO audit (id, at, actor_id, actor_name, action, credential_id, checkout_id, details, prev_hash, hash)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        row.id,
        row.at,
        row.actorId,
        row.actorName,
        row.action,
        row.credentialId,
        row.checkoutId,
        row.details,
        prevHash,
        auditRowHash(prevHash, row),
      );
    }
    return effects.events.map((event) => {
      const info = this.stmt('INSERT INTO events (type, at, data) VALUES (?, ?, ?)').run(
        event.type,
        event.at,
        JSON.stringify(event.data),
      );
      const id = Number(info.lastInsertRowid);
      for (const userId of new Set(event.audience)) {
        this.stmt('INSERT INTO event_audience (event_id, user_id) VALUES (?, ?)').run(id, userId);
      }
      return { id, type: event.type, at: event.at, data: event.data, audience: [...new Set(event.audience)] };
    });
  }

  /**
   * The next `count` numbers of the change sequence (the first is returned); must run inside the
   * change's transaction, so a rolled-back change gives its numbers back and a committed one is
   * visible with its number at once (one connection, synchronous commits: no reader ever sees a
   * number whose change is not committed yet, so a client never skips one).
   */
  private allocateChangeSeq(count = 1): number {
    const { value } = this.stmt(
      'UPDATE change_sequence SET value = value + ? WHERE id = 1 RETURNING value',
    ).get(count) as { value: number };
    return value - count + 1;
  }

  /** Marks a credential as changed in what the list shows of it (incremental sync). */
  private touchCredential(credentialId: string): void {
    this.stmt('UPDATE credentials SET change_seq = ? WHERE id = ?').run(
      this.allocateChangeSeq(),
      credentialId,
    );
  }

  /**
   * Group commit: every change asked for during one turn of the event loop runs in one SQLite
   * transaction, each inside its own savepoint (a change that throws is rolled back alone), and
   * all are acknowledged after the single COMMIT. Each change still reads the state its
   * predecessors left, so compare-and-set and exclusivity hold; only the fsync is shared.
   */
  private inTransaction<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (this.pending.length === 1) setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    const batch = this.pending.splice(0);
    const outcomes: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
    try {
      this.db
        .transaction(() => {
          for (const change of batch) {
            try {
              outcomes.push({ ok: true, value: this.db.transaction(change.work)() });
            } catch (error) {
              outcomes.push({ ok: false, error });
            }
          }
        })
        .immediate();
    } catch (error) {
      for (const change of batch) change.reject(error);
      return;
    }
    batch.forEach((change, index) => {
      const outcome = outcomes[index]!;
      if (outcome.ok) change.resolve(outcome.value);
      else change.reject(outcome.error);
    });
  }

  // users and tokens

  insertUser(user: UserRecord, effects: SideEffects): Promise<void> {
    return this.inTransaction(() => {
      this.stmt(
        `INSERT INTO users (id, username, display_name, password_hash, roles, disabled, created_at, updated_at)
         VALUES (@id, @username, @displayName, @passwordHash, @roles, @disabled, @createdAt, @updatedAt)`,
      ).run(userParams(user));
      this.writeEffects(effects);
    });
  }

  updateUser(
    user: UserRecord,
    effects: SideEffects,
    options: { revokeTokens?: boolean } = {},
  ): Promise<void> {
    return this.inTransaction(() => {
      this.stmt(
        `UPDATE users SET username = @username, display_name = @displayName, password_hash = @passwordHash,
           roles = @roles, disabled = @disabled, updated_at = @updatedAt WHERE id = @id`,
      ).run(userParams(user));
      if (user.disabled || options.revokeTokens)
        this.stmt('DELETE FROM tokens WHERE user_id = ?').run(user.id);
      this.writeEffects(effects);
    });
  }

  async getUser(id: string): Promise<UserRecord | undefined> {
    return mapUser(this.stmt('SELECT * FROM users WHERE id = ?').get(id) as Row | undefined);
  }

  async getUserByName(username: string): Promise<UserRecord | undefined> {
    return mapUser(this.stmt('SELECT * FROM users WHERE username = ?').get(username) as Row | undefined);
  }

  async listUsers(): Promise<UserRecord[]> {
    return (this.stmt('SELECT * FROM users ORDER BY username').all() as Row[]).map((row) => mapUser(row)!);
  }

  async countUsers(): Promise<number> {
    return (this.stmt('SELECT COUNT(*) AS n FROM users').get() as { n: number }).n;
  }

  async insertToken(token: TokenRecord): Promise<void> {
    this.stmt(
      'INSERT INTO tokens (token_hash, user_id, created_at, expires_at, session_key_sealed) VALUES (?, ?, ?, ?, ?)',
    ).run(token.tokenHash, token.userId, token.createdAt, token.expiresAt, token.sessionKeySealed ?? null);
  }

  async getToken(tokenHash: string): Promise<TokenRecord | undefined> {
    return mapToken(this.stmt('SELECT * FROM tokens WHERE token_hash = ?').get(tokenHash) as Row | undefined);
  }

  async revokeToken(tokenHash: string): Promise<void> {
    this.stmt('DELETE FROM tokens WHERE token_hash = ?').run(tokenHash);
  }

  async purgeExpiredTokens(now: number): Promise<number> {
    return this.stmt('DELETE FROM tokens WHERE expires_at <= ?').run(now).changes;
  }

  // vaults and credentials

  insertVault(
    vault: VaultRecord,
    members: VaultMemberRecord[],
    effects: SideEffects,
  ): Promise<'inserted' | 'not_found'> {
    return this.inTransaction(() => {
      if (!this.membersExist(members)) return 'not_found';
      this.stmt(
        `INSERT INTO vaults (id, name, description, policy, created_at, updated_at, version)
         VALUES (@id, @name, @description, @policy, @createdAt, @updatedAt, @version)`,
      ).run({ ...vault, policy: JSON.stringify(vault.policy) });
      this.writeVaultMembers(vault.id, members);
      this.writeEffects(effects);
      return 'inserted';
    });
  }

  updateVault(vault: VaultRecord, effects: SideEffects, expectedVersion: number): Promise<EditOutcome> {
    return this.inTransaction(() => {
      const written = this.stmt(
        `UPDATE vaults SET name = @name, description = @description, policy = @policy, updated_at = @updatedAt,
           version = version + 1
         WHERE id = @id AND version = @expectedVersion AND deleted_at IS NULL`,
      ).run({
        id: vault.id,
        name: vault.name,
        description: vault.description,
        policy: JSON.stringify(vault.policy),
        updatedAt: vault.updatedAt,
        expectedVersion,
      }).changes;
      if (written === 0) return 'stale';
      // Credentials inherit the vault's policy: touching them lets clients' incremental sync see it.
      this.touchVaultCredentials(vault.id, vault.updatedAt);
      this.writeEffects(effects);
      return 'updated';
    });
  }

  /**
   * Marks every live credential of the vault as changed (incremental sync). Each gets a number of
   * its own: changes are paged by number, and a page must not split a tie.
   */
  private touchVaultCredentials(vaultId: string, at: number): void {
    const count = (
      this.stmt('SELECT COUNT(*) AS n FROM credentials WHERE vault_id = ? AND deleted_at IS NULL').get(
        vaultId,
      ) as { n: number }
    ).n;
    if (count === 0) return;
    const first = this.allocateChangeSeq(count);
    this.stmt(
      `UPDATE credentials SET updated_at = ?, change_seq = numbered.seq
       FROM (SELECT id, ? - 1 + ROW_NUMBER() OVER (ORDER BY id) AS seq
             FROM credentials WHERE vault_id = ? AND deleted_at IS NULL) AS numbered
       WHERE credentials.id = numbered.id`,
    ).run(at, first, vaultId);
  }

  async getVault(id: string): Promise<VaultRecord | undefined> {
    return mapVault(
      this.stmt('SELECT * FROM vaults WHERE id = ? AND deleted_at IS NULL').get(id) as Row | undefined,
    );
  }

  async listVaults(): Promise<VaultRecord[]> {
    return (
      this.stmt('SELECT * FROM vaults WHERE deleted_at IS NULL ORDER BY name COLLATE NOCASE').all() as Row[]
    ).map((row) => mapVault(row)!);
  }

  deleteVault(id: string, effects: SideEffects): Promise<'deleted' | 'not_found' | 'not_empty'> {
    return this.inTransaction(() => {
      if (!this.stmt('SELECT 1 FROM vaults WHERE id = ? AND deleted_at IS NULL').get(id)) return 'not_found';
      if (this.stmt('SELECT 1 FROM credentials WHERE vault_id = ? AND deleted_at IS NULL LIMIT 1').get(id)) {
        return 'not_empty';
      }
      const at = effects.audit[0]?.at ?? Date.now();
      this.stmt('UPDATE vaults SET deleted_at = ?, updated_at = ? WHERE id = ?').run(at, at, id);
      this.stmt('DELETE FROM vault_members WHERE vault_id = ?').run(id);
      this.writeEffects(effects);
      return 'deleted';
    });
  }

  private assertLiveVault(vaultId: string): void {
    if (!this.stmt('SELECT 1 FROM vaults WHERE id = ? AND deleted_at IS NULL').get(vaultId)) {
      throw new VaultDeletedError();
    }
  }

  // vault permissions

  async vaultRolesOf(userId: string): Promise<Map<string, VaultRole>> {
    const rows = this.stmt(VAULT_ROLES_SQL).all({ userId, everyone: EVERYONE_GROUP_ID }) as Array<{
      vault_id: string;
      role: VaultRole;
    }>;
    return highestRoles(rows);
  }

  async listVaultMembers(vaultId: string): Promise<VaultMemberRecord[]> {
    return (
      this.stmt('SELECT * FROM vault_members WHERE vault_id = ? ORDER BY member_type, member_id').all(
        vaultId,
      ) as Row[]
    ).map(mapVaultMember);
  }

  setVaultMembers(
    vaultId: string,
    members: VaultMemberRecord[],
    effects: SideEffects,
  ): Promise<'set' | 'not_found'> {
    return this.inTransaction(() => {
      if (!this.stmt('SELECT 1 FROM vaults WHERE id = ? AND deleted_at IS NULL').get(vaultId))
        return 'not_found';
      if (!this.membersExist(members)) return 'not_found';
      this.stmt('DELETE FROM vault_members WHERE vault_id = ?').run(vaultId);
      this.writeVaultMembers(vaultId, members);
      this.touchVaultCredentials(vaultId, effects.audit[0]?.at ?? Date.now());
      this.writeEffects(effects);
      return 'set';
    });
  }

  /** Inside a transaction: the credential is in the vault and the requester holds the role there. */
  private holdsVaultRole(checkout: NewCheckout, required: RequiredVaultRole): boolean {
    const inVault = this.stmt('SELECT 1 FROM credentials WHERE id = ? AND vault_id = ?').get(
      checkout.credentialId,
      required.vaultId,
    );
    const rows = this.stmt(VAULT_ROLES_SQL).all({
      userId: checkout.userId,
      everyone: EVERYONE_GROUP_ID,
    }) as Array<{
      vault_id: string;
      role: VaultRole;
    }>;
    return Boolean(inVault) && vaultRoleAllows(highestRoles(rows).get(required.vaultId), required.role);
  }

  private membersExist(members: VaultMemberRecord[]): boolean {
    return members.every((member) =>
      this.stmt(`SELECT 1 FROM ${member.memberType === 'user' ? 'users' : 'groups'} WHERE id = ?`).get(
        member.memberId,
      ),
    );
  }

  private writeVaultMembers(vaultId: string, members: VaultMemberRecord[]): void {
    const insert = this.stmt(
      'INSERT INTO vault_members (vault_id, member_type, member_id, role) VALUES (?, ?, ?, ?)',
    );
    for (const member of members) insert.run(vaultId, member.memberType, member.memberId, member.role);
  }

  async listGroups(): Promise<GroupRecord[]> {
    return (this.stmt('SELECT * FROM groups ORDER BY builtin DESC, name COLLATE NOCASE').all() as Row[]).map(
      (row) => mapGroup(row)!,
    );
  }

  async getGroup(id: string): Promise<GroupRecord | undefined> {
    return mapGroup(this.stmt('SELECT * FROM groups WHERE id = ?').get(id) as Row | undefined);
  }

  async listGroupMembers(groupId: string): Promise<string[]> {
    return (
      this.stmt('SELECT user_id FROM group_members WHERE group_id = ? ORDER BY user_id').all(
        groupId,
      ) as Array<{
        user_id: string;
      }>
    ).map((row) => row.user_id);
  }

  insertGroup(
    group: GroupRecord,
    memberIds: string[],
    effects: SideEffects,
  ): Promise<'inserted' | 'not_found'> {
    return this.inTransaction(() => {
      if (!this.usersExist(memberIds)) return 'not_found';
      this.stmt(
        `INSERT INTO groups (id, name, description, builtin, created_at, updated_at)
         VALUES (@id, @name, @description, 0, @createdAt, @updatedAt)`,
      ).run({
        id: group.id,
        name: group.name,
        description: group.description,
        createdAt: group.createdAt,
        updatedAt: group.updatedAt,
      });
      this.writeGroupMembers(group.id, memberIds);
      this.writeEffects(effects);
      return 'inserted';
    });
  }

  updateGroup(
    group: GroupRecord,
    memberIds: string[] | undefined,
    effects: SideEffects,
  ): Promise<'updated' | 'not_found'> {
    return this.inTransaction(() => {
      if (!this.stmt('SELECT 1 FROM groups WHERE id = ?').get(group.id)) return 'not_found';
      if (memberIds && !this.usersExist(memberIds)) return 'not_found';
      this.stmt(
        'UPDATE groups SET name = @name, description = @description, updated_at = @updatedAt WHERE id = @id',
      ).run({ id: group.id, name: group.name, description: group.description, updatedAt: group.updatedAt });
      if (memberIds) {
        this.stmt('DELETE FROM group_members WHERE group_id = ?').run(group.id);
        this.writeGroupMembers(group.id, memberIds);
        for (const vaultId of this.vaultsOfGroup(group.id))
          this.touchVaultCredentials(vaultId, group.updatedAt);
      }
      this.writeEffects(effects);
      return 'updated';
    });
  }

  deleteGroup(id: string, effects: SideEffects): Promise<'deleted' | 'not_found'> {
    return this.inTransaction(() => {
      if (!this.stmt('SELECT 1 FROM groups WHERE id = ? AND builtin = 0').get(id)) return 'not_found';
      const at = effects.audit[0]?.at ?? Date.now();
      for (const vaultId of this.vaultsOfGroup(id)) this.touchVaultCredentials(vaultId, at);
      this.stmt("DELETE FROM vault_members WHERE member_type = 'group' AND member_id = ?").run(id);
      this.stmt('DELETE FROM groups WHERE id = ?').run(id);
      this.writeEffects(effects);
      return 'deleted';
    });
  }

  private usersExist(ids: string[]): boolean {
    return ids.every((id) => this.stmt('SELECT 1 FROM users WHERE id = ?').get(id));
  }

  private writeGroupMembers(groupId: string, memberIds: string[]): void {
    const insert = this.stmt('INSERT INTO group_members (group_id, user_id) VALUES (?, ?)');
    for (const userId of new Set(memberIds)) insert.run(groupId, userId);
  }

  private vaultsOfGroup(groupId: string): string[] {
    return (
      this.stmt("SELECT vault_id FROM vault_members WHERE member_type = 'group' AND member_id = ?").all(
        groupId,
      ) as Array<{ vault_id: string }>
    ).map((row) => row.vault_id);
  }

  insertCredential(credential: CredentialRecord, effects: SideEffects): Promise<void> {
    return this.inTransaction(() => {
      this.assertLiveVault(credential.vaultId);
      this.stmt(
        `INSERT INTO credentials (id, vault_id, name, username, host, description, policy, password_sealed,
           password_changed_at, created_at, updated_at, change_seq, version)
         VALUES (@id, @vaultId, @name, @username, @host, @description, @policy, @passwordSealed,
           @passwordChangedAt, @createdAt, @updatedAt, @changeSeq, @version)`,
      ).run({
        ...credential,
        policy: JSON.stringify(credential.policy),
        changeSeq: this.allocateChangeSeq(),
      });
      this.writeEffects(effects);
    });
  }

  updateCredential(
    credential: CredentialRecord,
    effects: SideEffects,
    expectedVersion: number,
  ): Promise<EditOutcome> {
    return this.inTransaction(() => {
      this.assertLiveVault(credential.vaultId);
      const written = this.stmt(
        `UPDATE credentials SET vault_id = @vaultId, name = @name, username = @username, host = @host,
           description = @description, policy = @policy, updated_at = @updatedAt, version = version + 1
         WHERE id = @id AND deleted_at IS NULL AND version = @expectedVersion`,
      ).run({
        id: credential.id,
        vaultId: credential.vaultId,
        name: credential.name,
        username: credential.username,
        host: credential.host,
        description: credential.description,
        policy: JSON.stringify(credential.policy),
        updatedAt: credential.updatedAt,
        expectedVersion,
      }).changes;
      if (written === 0) return 'stale';
      this.touchCredential(credential.id);
      this.writeEffects(effects);
      return 'updated';
    });
  }

  async listCheckoutPolicies(): Promise<CheckoutPolicyRecord[]> {
    return (
      this.stmt(
        'SELECT * FROM checkout_policies ORDER BY is_default DESC, name COLLATE NOCASE, id',
      ).all() as Row[]
    ).map((row) => mapCheckoutPolicy(row)!);
  }

  async getCheckoutPolicy(id: string): Promise<CheckoutPolicyRecord | undefined> {
    return mapCheckoutPolicy(
      this.stmt('SELECT * FROM checkout_policies WHERE id = ?').get(id) as Row | undefined,
    );
  }

  saveCheckoutPolicy(
    policy: CheckoutPolicyRecord,
    options: { replace: boolean },
    effects: SideEffects,
  ): Promise<'saved' | 'not_found'> {
    return this.inTransaction(() => {
      const row = { ...policy, fields: JSON.stringify(policy.fields), isDefault: policy.isDefault ? 1 : 0 };
      if (options.replace && !this.stmt('SELECT 1 FROM checkout_policies WHERE id = ?').get(policy.id)) {
        return 'not_found';
      }
      // One default at a time (a unique index): the previous one stops being it first.
      if (policy.isDefault) {
        this.stmt('UPDATE checkout_policies SET is_default = 0 WHERE is_default = 1 AND id <> ?').run(
          policy.id,
        );
      }
      this.stmt(
        options.replace
          ? `UPDATE checkout_policies SET name = @name, fields = @fields, is_default = @isDefault,
               updated_at = @updatedAt WHERE id = @id`
          : `INSERT INTO checkout_policies (id, name, fields, is_default, created_at, updated_at)
             VALUES (@id, @name, @fields, @isDefault, @createdAt, @updatedAt)`,
      ).run(options.replace ? { ...row, createdAt: undefined } : row);
      this.writeEffects(effects);
      return 'saved';
    });
  }

  deleteCheckoutPolicy(id: string, effects: SideEffects): Promise<'deleted' | 'not_found'> {
    return this.inTransaction(() => {
      const changed = this.stmt('DELETE FROM checkout_policies WHERE id = ?').run(id).changes;
      if (changed > 0) this.writeEffects(effects);
      return changed > 0 ? 'deleted' : 'not_found';
    });
  }

  deleteCredential(
    id: string,
    now: number,
    effects: SideEffects,
  ): Promise<'deleted' | 'not_found' | 'has_open_checkouts'> {
    return this.inTransaction(() => {
      const open = this.stmt(
        `SELECT id FROM checkouts WHERE credential_id = ? AND (status = ${CheckoutStatus.Pending}
           OR (status IN ${HOLDING_STATUSES} AND (expires_at IS NULL OR expires_at > ?))) LIMIT 1`,
      ).get(id, now);
      if (open) return 'has_open_checkouts';
      const at = effects.audit[0]?.at ?? Date.now();
      const changed = this.stmt(
        'UPDATE credentials SET deleted_at = ?, updated_at = ? WHERE id = ? AND deleted_at IS NULL',
      ).run(at, at, id).changes;
      if (changed) {
        this.touchCredential(id);
        this.writeEffects(effects);
      }
      return changed > 0 ? 'deleted' : 'not_found';
    });
  }

  async getCredential(id: string): Promise<CredentialRecord | undefined> {
    return mapCredential(
      this.stmt('SELECT * FROM credentials WHERE id = ? AND deleted_at IS NULL').get(id) as Row | undefined,
    );
  }

  async listCredentials(query: CredentialQuery): Promise<{ data: CredentialRecord[]; total: number }> {
    const where = ['deleted_at IS NULL'];
    const params: unknown[] = [];
    if (query.vaultId) {
      where.push('vault_id = ?');
      params.push(query.vaultId);
    }
    if (query.vaultIds) {
      // One placeholder per vault: a statement per count of vaults, prepared once each.
      where.push(`vault_id IN (${query.vaultIds.map(() => '?').join(', ') || 'NULL'})`);
      params.push(...query.vaultIds);
    }
    if (query.search) {
      where.push(`(name LIKE ? ESCAPE '\\' OR username LIKE ? ESCAPE '\\' OR host LIKE ? ESCAPE '\\')`);
      const pattern = `%${query.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      params.push(pattern, pattern, pattern);
    }
    const whereSql = where.join(' AND ');
    const total = (
      this.stmt(`SELECT COUNT(*) AS n FROM credentials WHERE ${whereSql}`).get(...params) as { n: number }
    ).n;
    const rows = this.stmt(
      `SELECT * FROM credentials WHERE ${whereSql} ORDER BY name COLLATE NOCASE, id LIMIT ? OFFSET ?`,
    ).all(...params, query.limit, query.offset) as Row[];
    return { data: rows.map((row) => mapCredential(row)!), total };
  }

  async currentChangeSeq(): Promise<number> {
    return (this.stmt('SELECT value FROM change_sequence WHERE id = 1').get() as { value: number }).value;
  }

  async listCredentialChanges(
    since: number,
    limit: number,
  ): Promise<{ changes: CredentialChange[]; total: number }> {
    const total = (
      this.stmt('SELECT COUNT(*) AS n FROM credentials WHERE change_seq > ?').get(since) as { n: number }
    ).n;
    const rows = this.stmt('SELECT * FROM credentials WHERE change_seq > ? ORDER BY change_seq LIMIT ?').all(
      since,
      limit,
    ) as Row[];
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
    return this.inTransaction(() => this.writePassword({ credentialId, passwordSealed, at, effects }));
  }

  private writePassword(change: PasswordChange): EventRecord[] {
    this.stmt(
      'UPDATE credentials SET password_sealed = ?, password_changed_at = ?, updated_at = ? WHERE id = ?',
    ).run(change.passwordSealed, change.at, change.at, change.credentialId);
    // The list shows updatedAt, which a new password moves.
    this.touchCredential(change.credentialId);
    return this.writeEffects(change.effects);
  }

  // checkouts

  /**
   * Another checkout of the credential holding it at some moment of [begin, end): an Active one
   * not yet ended at `begin`, or an approved scheduled (Granted) one whose own window overlaps.
   */
  private holderOf(
    credentialId: string,
    window: { begin: number; end: number },
    exceptId: string | null,
    activeOnly = false,
  ): Row | undefined {
    return this.stmt(
      `SELECT id FROM checkouts WHERE credential_id = @credentialId AND id IS NOT @exceptId
         AND (expires_at IS NULL OR expires_at > @begin)
         AND (status = ${CheckoutStatus.Active}
              OR (@activeOnly = 0 AND status = ${CheckoutStatus.Granted} AND COALESCE(scheduled_start, 0) < @end))
       LIMIT 1`,
    ).get({ credentialId, exceptId, activeOnly: activeOnly ? 1 : 0, ...window }) as Row | undefined;
  }

  insertCheckout(
    checkout: NewCheckout,
    options: { exclusive: boolean; now: number; requireRole?: RequiredVaultRole | undefined },
    effects: SideEffects,
  ): Promise<InsertCheckoutResult> {
    return this.inTransaction((): InsertCheckoutResult => {
      if (options.requireRole && !this.holdsVaultRole(checkout, options.requireRole)) {
        return { ok: false, reason: 'vault_role' };
      }
      const duplicate = this.stmt(
        `SELECT id FROM checkouts WHERE credential_id = ? AND user_id = ? AND status IN ${OPEN_STATUSES}
           AND (expires_at IS NULL OR expires_at > ?) LIMIT 1`,
      ).get(checkout.credentialId, checkout.userId, options.now);
      if (duplicate) return { ok: false, reason: 'duplicate_request' };
      const live = this.stmt('SELECT 1 FROM credentials WHERE id = ? AND deleted_at IS NULL').get(
        checkout.credentialId,
      );
      if (!live) return { ok: false, reason: 'credential_deleted' };
      if (options.exclusive && this.holderOf(checkout.credentialId, windowOf(checkout, options.now), null)) {
        return { ok: false, reason: 'already_checked_out' };
      }
      this.stmt(
        `INSERT INTO checkouts (id, user_id, credential_id, approver_id, reason, approver_message, status, duration,
           extended_minutes, requested_at, scheduled_start, checkout_at, checkin_at, expires_at, expiring_notified,
           updated_at)
         VALUES (@id, @userId, @credentialId, @approverId, @reason, @approverMessage, @status, @duration,
           @extendedMinutes, @requestedAt, @scheduledStart, @checkoutAt, @checkinAt, @expiresAt, @expiringNotified,
           @updatedAt)`,
      ).run({ ...checkout, expiringNotified: checkout.expiringNotified ? 1 : 0 });
      // The list shows the holder, or the caller's own pending request: both may have changed.
      this.touchCredential(checkout.credentialId);
      const record = this.readCheckout(checkout.id)!;
      return { ok: true, checkout: record, events: this.writeEffects(withData(effects, record)) };
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
    return this.inTransaction((): TransitionResult => {
      const current = this.readCheckout(id);
      if (!current || current.status !== expected) return { ok: false, reason: 'stale' };
      const unchanged = Object.entries(options.unchanged ?? {}) as Array<[keyof CheckoutPatch, unknown]>;
      if (unchanged.some(([key, value]) => current[key] !== value)) return { ok: false, reason: 'stale' };
      const updatedAt = effects.audit[0]?.at ?? effects.events[0]?.at ?? Date.now();
      const next: CheckoutRecord = { ...current, ...patch, updatedAt };
      if (
        options.exclusiveNow !== undefined &&
        this.holderOf(
          current.credentialId,
          windowOf(next, options.exclusiveNow),
          id,
          // A scheduled checkout starting: its window was checked against the others when it was
          // approved, so only an Active holder stops it (of two due at once, the first to start wins).
          current.status === CheckoutStatus.Granted && next.status === CheckoutStatus.Active,
        )
      ) {
        return { ok: false, reason: 'already_checked_out' };
      }
      this.stmt(
        `UPDATE checkouts SET status = @status, approver_id = @approverId, approver_message = @approverMessage, checkout_at = @checkoutAt,
           checkin_at = @checkinAt, expires_at = @expiresAt, extended_minutes = @extendedMinutes,
           expiring_notified = @expiringNotified, duration = @duration, updated_at = @updatedAt
         WHERE id = @id AND status = @expected`,
      ).run({
        id,
        expected,
        status: next.status,
        approverId: next.approverId,
        approverMessage: next.approverMessage,
        checkoutAt: next.checkoutAt,
        checkinAt: next.checkinAt,
        expiresAt: next.expiresAt,
        extendedMinutes: next.extendedMinutes,
        expiringNotified: next.expiringNotified ? 1 : 0,
        duration: next.duration,
        updatedAt,
      });
      // The list shows the status and end of the checkout holding a credential (or of the caller's
      // own pending request); the T-5 min warning flag alone changes nothing there.
      if (next.status !== current.status || next.expiresAt !== current.expiresAt) {
        this.touchCredential(current.credentialId);
      }
      const events = this.writeEffects(withData(effects, next));
      if (options.setPassword) events.push(...this.writePassword(options.setPassword));
      return { ok: true, checkout: next, events };
    });
  }

  private readCheckout(id: string): CheckoutRecord | undefined {
    return mapCheckout(this.stmt(`${CHECKOUT_SELECT} WHERE c.id = ?`).get(id) as Row | undefined);
  }

  async getCheckout(id: string): Promise<CheckoutRecord | undefined> {
    return this.readCheckout(id);
  }

  async findOpenCheckout(userId: string, credentialId: string): Promise<CheckoutRecord | undefined> {
    return mapCheckout(
      this.stmt(
        `${CHECKOUT_SELECT} WHERE c.user_id = ? AND c.credential_id = ? AND c.status IN ${OPEN_STATUSES}
         ORDER BY c.requested_at DESC LIMIT 1`,
      ).get(userId, credentialId) as Row | undefined,
    );
  }

  async getActorByToken(tokenHash: string, now: number): Promise<UserRecord | undefined> {
    return mapUser(
      this.stmt(
        `SELECT u.* FROM users u
         WHERE u.id = (SELECT user_id FROM tokens WHERE token_hash = ? AND expires_at > ?) AND u.disabled = 0`,
      ).get(tokenHash, now) as Row | undefined,
    );
  }

  async listCheckoutsOfUser(userId: string, statuses: CheckoutStatus[] | null): Promise<CheckoutRecord[]> {
    const filter = statuses ? `AND c.status IN (${statuses.map(Number).join(',')})` : '';
    return (
      this.stmt(`${CHECKOUT_SELECT} WHERE c.user_id = ? ${filter} ORDER BY c.requested_at DESC`).all(
        userId,
      ) as Row[]
    ).map((row) => mapCheckout(row)!);
  }

  async listCheckoutsToApprove(approverId: string): Promise<CheckoutRecord[]> {
    return (
      this.stmt(
        `${CHECKOUT_SELECT} WHERE c.approver_id = ? AND c.status = ${CheckoutStatus.Pending}
         ORDER BY c.requested_at`,
      ).all(approverId) as Row[]
    ).map((row) => mapCheckout(row)!);
  }

  async holdersOf(credentialIds: string[], now: number): Promise<Map<string, CheckoutRecord>> {
    const holders = new Map<string, CheckoutRecord>();
    if (credentialIds.length === 0) return holders;
    const placeholders = credentialIds.map(() => '?').join(',');
    const rows = this.db
      .prepare(
        `${CHECKOUT_SELECT} WHERE c.credential_id IN (${placeholders}) AND c.status IN ${HOLDING_STATUSES}
           AND (c.expires_at IS NULL OR c.expires_at > ?)
           AND (c.status = ${CheckoutStatus.Active} OR COALESCE(c.scheduled_start, 0) <= ?)
         ORDER BY c.status DESC, c.requested_at`,
      )
      .all(...credentialIds, now, now) as Row[];
    for (const row of rows) {
      const record = mapCheckout(row)!;
      if (!holders.has(record.credentialId)) holders.set(record.credentialId, record);
    }
    return holders;
  }

  async listDueCheckouts(now: number, warnMs: number): Promise<CheckoutRecord[]> {
    return (
      this.stmt(
        `${CHECKOUT_SELECT}
         WHERE (c.status = ${CheckoutStatus.Granted} AND c.scheduled_start <= ?)
            OR (c.status = ${CheckoutStatus.Active} AND c.expires_at <= ?)
            OR (c.status = ${CheckoutStatus.Active} AND c.expiring_notified = 0 AND c.expires_at <= ?)
         ORDER BY c.expires_at`,
      ).all(now, now, now + warnMs) as Row[]
    ).map((row) => mapCheckout(row)!);
  }

  async listAllCheckouts(statuses: CheckoutStatus[] | null): Promise<CheckoutRecord[]> {
    const filter = statuses ? `WHERE c.status IN (${statuses.map(Number).join(',')})` : '';
    return (this.stmt(`${CHECKOUT_SELECT} ${filter} ORDER BY c.requested_at DESC`).all() as Row[]).map(
      (row) => mapCheckout(row)!,
    );
  }

  // events and audit

  async eventsSince(userId: string, afterId: number, limit: number): Promise<EventRecord[]> {
    return (
      this.stmt(
        `SELECT e.* FROM event_audience ea JOIN events e ON e.id = ea.event_id
         WHERE ea.user_id = ? AND ea.event_id > ? ORDER BY ea.event_id LIMIT ?`,
      ).all(userId, afterId, limit) as Row[]
    ).map(mapEvent);
  }

  async lastEventId(): Promise<number> {
    return (this.stmt('SELECT COALESCE(MAX(id), 0) AS id FROM events').get() as { id: number }).id;
  }

  async audienceOf(eventId: number): Promise<string[]> {
    return (
      this.stmt('SELECT user_id FROM event_audience WHERE event_id = ?').all(eventId) as Array<{
        user_id: string;
      }>
    ).map((row) => row.user_id);
  }

  appendAudit(effects: SideEffects): Promise<EventRecord[]> {
    return this.inTransaction(() => this.writeEffects(effects));
  }

  async listAudit(query: AuditQuery): Promise<AuditRecord[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (query.from !== undefined) {
      where.push('at >= ?');
      params.push(query.from);
    }
    if (query.to !== undefined) {
      where.push('at <= ?');
      params.push(query.to);
    }
    if (query.credentialId) {
      where.push('credential_id = ?');
      params.push(query.credentialId);
    }
    if (query.userId) {
      where.push('actor_id = ?');
      params.push(query.userId);
    }
    const whereSql = where.length ? `WHERE ${where.join(' AND ')}` : '';
    return (
      this.stmt(`SELECT * FROM audit ${whereSql} ORDER BY id LIMIT ? OFFSET ?`).all(
        ...params,
        query.limit,
        query.offset,
      ) as Row[]
    ).map(mapAudit);
  }

  async verifyAuditChain(): Promise<number | null> {
    let prevHash = AUDIT_GENESIS_HASH;
    for (const row of this.stmt('SELECT * FROM audit ORDER BY id').iterate() as Iterable<Row>) {
      const record = mapAudit(row);
      if (record.prevHash !== prevHash || auditRowHash(prevHash, record) !== record.hash) return record.id;
      prevHash = record.hash;
    }
    return null;
  }

  // One process owns a SQLite file: it is alone in the cluster, so it holds every lock and lease.

  async eventsAfter(afterId: number, limit: number): Promise<EventRecord[]> {
    return (
      this.stmt('SELECT * FROM events WHERE id > ? ORDER BY id LIMIT ?').all(afterId, limit) as Row[]
    ).map((row) => {
      const event = mapEvent(row);
      return { ...event, audience: this.audienceOfSync(event.id) };
    });
  }

  private audienceOfSync(eventId: number): string[] {
    return (
      this.stmt('SELECT user_id FROM event_audience WHERE event_id = ?').all(eventId) as Array<{
        user_id: string;
      }>
    ).map((row) => row.user_id);
  }

  async watchEvents(_listener: () => void): Promise<() => Promise<void>> {
    return async () => undefined;
  }

  async holdSweeperLease(): Promise<boolean> {
    return true;
  }

  withClusterLock<T>(_name: string, work: () => Promise<T>): Promise<T> {
    return work();
  }

  async checkReady(): Promise<void> {
    this.stmt('SELECT 1').get();
  }

  claimMeta(key: string, value: string): Promise<string> {
    return this.inTransaction(() => {
      this.stmt('INSERT INTO server_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING').run(
        key,
        value,
      );
      return (this.stmt('SELECT value FROM server_meta WHERE key = ?').get(key) as { value: string }).value;
    });
  }
}

/** Checkout events carry the checkout as it is after the change; callers leave `data` unset. */
export function withData(effects: SideEffects, checkout: CheckoutRecord): SideEffects {
  return {
    audit: effects.audit.map((entry) => ({ ...entry, checkoutId: entry.checkoutId ?? checkout.id })),
    events: effects.events.map((event) => ({ ...event, data: event.data ?? checkout })),
  };
}

function userParams(user: UserRecord): Record<string, unknown> {
  return { ...user, roles: JSON.stringify(user.roles), disabled: user.disabled ? 1 : 0 };
}

export function mapUser(row: Row | undefined): UserRecord | undefined {
  if (!row) return undefined;
  return {
    id: row.id as string,
    username: row.username as string,
    displayName: row.display_name as string,
    passwordHash: row.password_hash as string,
    roles: JSON.parse(row.roles as string) as Role[],
    disabled: Boolean(row.disabled),
    createdAt: row.created_at as number,
    updatedAt: row.updated_at as number,
  };
}

export function mapCheckoutPolicy(row: Row | undefined): CheckoutPolicyRecord | undefined {
  if (!row) return undefined;
  return {
    id: row.id as string,
    name: row.name as string,
    fields: JSON.parse(row.fields as string) as Record<string, number>,
    isDefault: Boolean(row.is_default),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

export function mapToken(row: Row | undefined): TokenRecord | undefined {
  if (!row) return undefined;
  return {
    tokenHash: row.token_hash as string,
    userId: row.user_id as string,
    createdAt: Number(row.created_at),
    expiresAt: Number(row.expires_at),
    sessionKeySealed: (row.session_key_sealed as string | null) ?? null,
  };
}

export function mapVault(row: Row | undefined): VaultRecord | undefined {
  if (!row) return undefined;
  return {
    id: row.id as string,
    name: row.name as string,
    description: row.description as string,
    policy: JSON.parse(row.policy as string) as PolicyPatch,
    createdAt: row.created_at as number,
    updatedAt: row.updated_at as number,
    version: Number(row.version),
  };
}

export function mapCredential(row: Row | undefined): CredentialRecord | undefined {
  if (!row) return undefined;
  return {
    id: row.id as string,
    vaultId: row.vault_id as string,
    name: row.name as string,
    username: row.username as string,
    host: row.host as string,
    description: row.description as string,
    policy: JSON.parse(row.policy as string) as PolicyPatch,
    passwordSealed: row.password_sealed as string,
    passwordChangedAt: row.password_changed_at as number,
    createdAt: row.created_at as number,
    updatedAt: row.updated_at as number,
    version: Number(row.version),
  };
}

export function mapCheckout(row: Row | undefined): CheckoutRecord | undefined {
  if (!row) return undefined;
  return {
    id: row.id as string,
    userId: row.user_id as string,
    credentialId: row.credential_id as string,
    approverId: (row.approver_id as string | null) ?? null,
    reason: row.reason as string,
    approverMessage: row.approver_message as string,
    status: row.status as CheckoutStatus,
    duration: row.duration as number,
    extendedMinutes: row.extended_minutes as number,
    requestedAt: row.requested_at as number,
    scheduledStart: (row.scheduled_start as number | null) ?? null,
    checkoutAt: (row.checkout_at as number | null) ?? null,
    checkinAt: (row.checkin_at as number | null) ?? null,
    expiresAt: (row.expires_at as number | null) ?? null,
    expiringNotified: Boolean(row.expiring_notified),
    updatedAt: row.updated_at as number,
    username: row.username as string,
    credentialName: row.credential_name as string,
    approverName: (row.approver_name as string | null) ?? null,
    userDisplayName: (row.user_display_name as string | null) ?? (row.username as string),
    credentialUsername: (row.credential_username as string | null) ?? '',
    credentialHost: (row.credential_host as string | null) ?? '',
    vaultId: (row.vault_id as string | null) ?? '',
    vaultName: (row.vault_name as string | null) ?? '',
  };
}

export function mapEvent(row: Row): EventRecord {
  return {
    id: row.id as number,
    type: row.type as EventRecord['type'],
    at: row.at as number,
    data: JSON.parse(row.data as string),
  };
}

export function mapAudit(row: Row): AuditRecord {
  return {
    id: row.id as number,
    at: row.at as number,
    actorId: (row.actor_id as string | null) ?? null,
    actorName: (row.actor_name as string | null) ?? null,
    action: row.action as AuditRecord['action'],
    credentialId: (row.credential_id as string | null) ?? null,
    checkoutId: (row.checkout_id as string | null) ?? null,
    details: row.details as string,
    prevHash: row.prev_hash as string,
    hash: row.hash as string,
  };
}

export function mapVaultMember(row: Row): VaultMemberRecord {
  return {
    memberType: row.member_type as VaultMemberRecord['memberType'],
    memberId: row.member_id as string,
    role: row.role as VaultRole,
  };
}

export function mapGroup(row: Row | undefined): GroupRecord | undefined {
  if (!row) return undefined;
  return {
    id: row.id as string,
    name: row.name as string,
    description: row.description as string,
    builtin: Boolean(row.builtin),
    createdAt: row.created_at as number,
    updatedAt: row.updated_at as number,
  };
}

/** Each vault's highest role among the rows (a user's own and their groups'). */
export function highestRoles(
  rows: ReadonlyArray<{ vault_id: string; role: VaultRole }>,
): Map<string, VaultRole> {
  const roles = new Map<string, VaultRole>();
  for (const row of rows) roles.set(row.vault_id, higherVaultRole(roles.get(row.vault_id), row.role)!);
  return roles;
}
