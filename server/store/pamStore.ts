import type { CheckoutStatus } from '../../common/checkout.ts';
import type { VaultRole } from '../../common/vaultAccess.ts';
import type {
  AuditInput,
  AuditQuery,
  AuditRecord,
  CheckoutPolicyRecord,
  CheckoutRecord,
  CredentialChange,
  CredentialQuery,
  CredentialRecord,
  EventInput,
  EventRecord,
  GroupRecord,
  NewCheckout,
  TokenRecord,
  UserRecord,
  VaultMemberRecord,
  VaultRecord,
} from './records.ts';

/** A credential written into a vault deleted meanwhile (DVLS's Remove-DSPamFolder). */
export class VaultDeletedError extends Error {
  constructor() {
    super('The vault was deleted.');
    this.name = 'VaultDeletedError';
  }
}

/** What a state change writes besides itself, in the same transaction (audit row, outbox events). */
export interface SideEffects {
  audit: AuditInput[];
  events: EventInput[];
}

/** A credential's new sealed password, with the audit row and event that go with it. */
export interface PasswordChange {
  credentialId: string;
  passwordSealed: string;
  at: number;
  effects: SideEffects;
}

export type InsertCheckoutResult =
  | { ok: true; checkout: CheckoutRecord; events: EventRecord[] }
  | { ok: false; reason: 'already_checked_out' | 'duplicate_request' | 'credential_deleted' | 'vault_role' };

/** A vault role the requester must hold, checked in the insert's own transaction. */
export interface RequiredVaultRole {
  vaultId: string;
  role: VaultRole;
}

export type TransitionResult =
  | { ok: true; checkout: CheckoutRecord; events: EventRecord[] }
  | { ok: false; reason: 'stale' | 'already_checked_out' };

/** An edit written (one version up), or refused because the row is no longer at the version read. */
export type EditOutcome = 'updated' | 'stale';

export interface CheckoutPatch {
  status?: CheckoutStatus;
  /** Set when one of a role's approvers decides a request addressed to all of them (MIM dialect). */
  approverId?: string | null;
  approverMessage?: string;
  checkoutAt?: number | null;
  checkinAt?: number | null;
  expiresAt?: number | null;
  extendedMinutes?: number;
  expiringNotified?: boolean;
  /** The duration granted, when the approver shortens the one requested. */
  duration?: number;
}

/**
 * The server's storage. Every method is atomic: a state change, its audit rows and its events
 * commit together or not at all. The interface is asynchronous so that a PostgreSQL store for
 * several server nodes can implement it later; state changes are compare-and-set on the status
 * so they stay correct without a process-wide lock.
 */
export interface PamStore {
  /** True when other server processes share this store (PostgreSQL): events reach them through the outbox. */
  readonly shared: boolean;
  close(): Promise<void>;

  // users and tokens
  insertUser(user: UserRecord, effects: SideEffects): Promise<void>;
  /**
   * Writes the user. Deletes every token of the user in the same transaction when the user is
   * disabled or `options.revokeTokens` is set (password changed, a role removed).
   */
  updateUser(user: UserRecord, effects: SideEffects, options?: { revokeTokens?: boolean }): Promise<void>;
  getUser(id: string): Promise<UserRecord | undefined>;
  getUserByName(username: string): Promise<UserRecord | undefined>;
  listUsers(): Promise<UserRecord[]>;
  countUsers(): Promise<number>;
  insertToken(token: TokenRecord): Promise<void>;
  getToken(tokenHash: string): Promise<TokenRecord | undefined>;
  /** The enabled user a live (unexpired at `now`) token belongs to. */
  getActorByToken(tokenHash: string, now: number): Promise<UserRecord | undefined>;
  revokeToken(tokenHash: string): Promise<void>;
  purgeExpiredTokens(now: number): Promise<number>;

  // vaults and credentials
  /** Inserts the vault with its first members; 'not_found' (nothing written) when a member does not exist. */
  insertVault(
    vault: VaultRecord,
    members: VaultMemberRecord[],
    effects: SideEffects,
  ): Promise<'inserted' | 'not_found'>;
  /**
   * Writes the vault's name, description and policy if its version is still `expectedVersion`
   * (compare-and-set), raising the version by one. 'stale' (nothing written, no effects) when
   * another edit came between or the vault is gone.
   */
  updateVault(vault: VaultRecord, effects: SideEffects, expectedVersion: number): Promise<EditOutcome>;
  /** A vault not deleted. */
  getVault(id: string): Promise<VaultRecord | undefined>;
  listVaults(): Promise<VaultRecord[]>;
  /**
   * Deletes (tombstones) the vault unless a credential not deleted is in it, checked in the same
   * transaction that a credential written into the vault waits for (so none lands in a deleted vault).
   * Its members go with it (a deleted vault has none; vault_members rows name their vault).
   */
  deleteVault(id: string, effects: SideEffects): Promise<'deleted' | 'not_found' | 'not_empty'>;

  // vault permissions (common/vaultAccess.ts)
  /**
   * The user's role in each vault they are a member of, directly or through a group (the built-in
   * Everyone group included): the highest one when several apply. Vaults absent: no role.
   */
  vaultRolesOf(userId: string): Promise<Map<string, VaultRole>>;
  listVaultMembers(vaultId: string): Promise<VaultMemberRecord[]>;
  /**
   * Replaces the vault's members. Touches its credentials (incremental sync: who may see them
   * changed). 'not_found' when the vault or a member does not exist, changing nothing.
   */
  setVaultMembers(
    vaultId: string,
    members: VaultMemberRecord[],
    effects: SideEffects,
  ): Promise<'set' | 'not_found'>;
  listGroups(): Promise<GroupRecord[]>;
  getGroup(id: string): Promise<GroupRecord | undefined>;
  /** The listed members of a group (the built-in Everyone group lists none: everyone is in it). */
  listGroupMembers(groupId: string): Promise<string[]>;
  /** 'not_found' (nothing written) when a member does not exist. */
  insertGroup(
    group: GroupRecord,
    memberIds: string[],
    effects: SideEffects,
  ): Promise<'inserted' | 'not_found'>;
  /**
   * Writes the group, and its members when `memberIds` is given (touching the credentials of the
   * vaults the group is a member of). 'not_found' when the group or a member does not exist.
   */
  updateGroup(
    group: GroupRecord,
    memberIds: string[] | undefined,
    effects: SideEffects,
  ): Promise<'updated' | 'not_found'>;
  /** Deletes a group that is not built in, with its memberships of vaults. */
  deleteGroup(id: string, effects: SideEffects): Promise<'deleted' | 'not_found'>;

  /** Throws VaultDeletedError when the credential's vault is deleted (or was never there). */
  insertCredential(credential: CredentialRecord, effects: SideEffects): Promise<void>;
  /**
   * As updateVault, for a credential's vault, name, username, host, description and policy. Never
   * writes the password: one set or rotated since the edit's read must stay. Throws VaultDeletedError
   * when the credential's (new) vault is deleted.
   */
  updateCredential(
    credential: CredentialRecord,
    effects: SideEffects,
    expectedVersion: number,
  ): Promise<EditOutcome>;
  /**
   * Deletes (tombstones) the credential, unless it has an open checkout at `now` (Pending, or
   * Granted/Active not yet ended): checked in the same transaction, so that no checkout created
   * meanwhile is stranded on a deleted credential.
   */
  deleteCredential(
    id: string,
    now: number,
    effects: SideEffects,
  ): Promise<'deleted' | 'not_found' | 'has_open_checkouts'>;
  getCredential(id: string): Promise<CredentialRecord | undefined>;
  listCredentials(query: CredentialQuery): Promise<{ data: CredentialRecord[]; total: number }>;
  /**
   * The last number of the credential change sequence. Every change to what the credential list
   * shows of a credential (its fields, its deletion, its password's date, the checkouts of it)
   * gives it the next number, in the change's own transaction.
   */
  currentChangeSeq(): Promise<number>;
  /**
   * Credentials (deleted ones as tombstones) whose number is above `since`, in number order, at
   * most `limit`; `total` counts all of them, this page included.
   */
  listCredentialChanges(
    since: number,
    limit: number,
  ): Promise<{ changes: CredentialChange[]; total: number }>;

  // DVLS checkout policies
  /** The default one first, then by name. */
  listCheckoutPolicies(): Promise<CheckoutPolicyRecord[]>;
  getCheckoutPolicy(id: string): Promise<CheckoutPolicyRecord | undefined>;
  /**
   * Inserts, or with `replace` updates, the policy; a default one (`isDefault`) stops the previous
   * default from being one, in the same transaction. A duplicate name throws the engine's unique error.
   */
  saveCheckoutPolicy(
    policy: CheckoutPolicyRecord,
    options: { replace: boolean },
    effects: SideEffects,
  ): Promise<'saved' | 'not_found'>;
  deleteCheckoutPolicy(id: string, effects: SideEffects): Promise<'deleted' | 'not_found'>;

  // checkouts
  /**
   * Inserts a checkout. With `exclusive`, refuses when another checkout of the credential holds it
   * at some moment of the new checkout's window (`windowOf` in checkoutWindow.ts: from its scheduled
   * start or `now`, until its end): an Active one not ended by then, or a Granted (approved,
   * scheduled) one whose own window overlaps. Always refuses a second open request of the same
   * user for the same credential, and a checkout of a credential deleted meanwhile. With
   * `requireRole`, refuses (`vault_role`) unless the credential is still in that vault and the
   * requester still holds that role there: a membership change cannot slip between the service's
   * check and the insert (on PostgreSQL the vault row is share-locked; member changes lock it).
   */
  insertCheckout(
    checkout: NewCheckout,
    options: { exclusive: boolean; now: number; requireRole?: RequiredVaultRole | undefined },
    effects: SideEffects,
  ): Promise<InsertCheckoutResult>;
  /**
   * Applies `patch` only if the checkout is still in `expected` status (compare-and-set), and
   * still has the values of `unchanged` (a patch computed from them, like an extension, must not
   * overwrite a change made since they were read). With `exclusiveNow`, refuses
   * (`already_checked_out`) when the patched checkout's window (as for `insertCheckout`, with
   * `exclusiveNow` as now) overlaps another holder's; for a Granted → Active start, only an Active
   * holder counts (its window was checked against the Granted ones when it was approved). `setPassword` commits with the transition (the
   * rotation at the end of a checkout: a crash cannot leave the checkout ended and the password
   * its holder saw still valid).
   */
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
  ): Promise<TransitionResult>;
  getCheckout(id: string): Promise<CheckoutRecord | undefined>;
  /** The user's latest open (Pending, Granted, Active) checkout of a credential. */
  findOpenCheckout(userId: string, credentialId: string): Promise<CheckoutRecord | undefined>;
  listCheckoutsOfUser(userId: string, statuses: CheckoutStatus[] | null): Promise<CheckoutRecord[]>;
  listCheckoutsToApprove(approverId: string): Promise<CheckoutRecord[]>;
  /**
   * Checkouts holding each credential now: Active, or Granted whose start has come, and not yet
   * ended at `now`. (A Granted checkout waiting for a later start holds nothing yet.)
   */
  holdersOf(credentialIds: string[], now: number): Promise<Map<string, CheckoutRecord>>;
  /** Checkouts the sweeper must look at: due to start, expire or warn before `now + warnMs`. */
  listDueCheckouts(now: number, warnMs: number): Promise<CheckoutRecord[]>;
  listAllCheckouts(statuses: CheckoutStatus[] | null): Promise<CheckoutRecord[]>;
  setCredentialPassword(
    credentialId: string,
    passwordSealed: string,
    at: number,
    effects: SideEffects,
  ): Promise<EventRecord[]>;

  // events and audit
  eventsSince(userId: string, afterId: number, limit: number): Promise<EventRecord[]>;
  lastEventId(): Promise<number>;
  audienceOf(eventId: number): Promise<string[]>;
  appendAudit(effects: SideEffects): Promise<EventRecord[]>;
  listAudit(query: AuditQuery): Promise<AuditRecord[]>;
  /** Recomputes the hash chain; returns the id of the first row that does not match, or null. */
  verifyAuditChain(): Promise<number | null>;

  // several server nodes on one store
  /** Events (of every audience) after `afterId`, in id order, with their audience: the outbox. */
  eventsAfter(afterId: number, limit: number): Promise<EventRecord[]>;
  /**
   * Calls `listener` whenever some node may have committed events (PostgreSQL LISTEN/NOTIFY);
   * resolves to the function that stops watching. A store no other process shares never calls it.
   */
  watchEvents(listener: () => void): Promise<() => Promise<void>>;
  /**
   * Whether this process holds the sweeper's lease, taking it when it is free: one node sweeps at
   * a time, and the lease frees itself when that node's database session ends (the node died).
   */
  holdSweeperLease(): Promise<boolean>;
  /** Runs `work` while holding the lock `name`, which one process of all that share the store holds at a time. */
  withClusterLock<T>(name: string, work: () => Promise<T>): Promise<T>;
  /** Throws unless the database answers and its schema is the version this server knows. */
  checkReady(): Promise<void>;
  /** Stores `value` under `key` unless a value is there already; returns the stored value. */
  claimMeta(key: string, value: string): Promise<string>;
}
