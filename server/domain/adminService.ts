import type { z } from 'zod';
import type {
  AdminCredential,
  AdminVault,
  createCredentialRequestSchema,
  createGroupRequestSchema,
  createUserRequestSchema,
  createVaultRequestSchema,
  Group,
  UpdateUserRequest,
  updateCredentialRequestSchema,
  updateGroupRequestSchema,
  updateVaultRequestSchema,
  VaultMember,
  VaultMemberView,
} from '../../common/admin.ts';
import type { AuditEntry } from '../../common/audit.ts';
import { CheckoutStatus, FINAL_STATUSES } from '../../common/checkout.ts';
import { resolvePolicy } from '../../common/policy.ts';
import type { User } from '../../common/roles.ts';
import { EVERYONE_GROUP_ID } from '../../common/vaultAccess.ts';
import { generatePassword } from '../crypto/passwordGenerator.ts';
import type { SecretBox } from '../crypto/secretBox.ts';
import { newGuid } from '../crypto/tokens.ts';
import { hashUserPassword } from '../crypto/userPasswords.ts';
import { type EditOutcome, type PamStore, VaultDeletedError } from '../store/pamStore.ts';
import type {
  AuditInput,
  AuditQuery,
  CheckoutPolicyRecord,
  GroupRecord,
  VaultMemberRecord,
} from '../store/records.ts';
import { type Actor, hasRole } from './actor.ts';
import type { CheckoutService } from './checkoutService.ts';
import type { Clock } from './clock.ts';
import { effectiveCheckout } from './lifecycle.ts';
import { forbidden, notFound, PamError } from './pamError.ts';
import type { SessionStreams } from './sessionStreams.ts';
import { VaultRoles } from './vaultAccess.ts';
import { toApiAudit, toApiUser, toApiVault } from './views.ts';

type CreateUser = z.output<typeof createUserRequestSchema>;
type CreateVault = z.output<typeof createVaultRequestSchema>;
/** The fields of an edit; the version it was made from travels beside it (`expectedVersion`). */
type UpdateVault = Omit<z.output<typeof updateVaultRequestSchema>, 'version'>;
type CreateCredential = z.output<typeof createCredentialRequestSchema>;
type UpdateCredential = Omit<z.output<typeof updateCredentialRequestSchema>, 'version'>;
type CreateGroup = z.output<typeof createGroupRequestSchema>;
type UpdateGroup = z.output<typeof updateGroupRequestSchema>;

/** What a vault created without a member list gets: everyone, as before vault permissions. */
export const DEFAULT_MEMBERS: VaultMember[] = [
  { memberType: 'group', memberID: EVERYONE_GROUP_ID, role: 'approve' },
];

/** What an administrator manages: users, vaults, credentials and their policies, the audit trail. */
export class AdminService {
  private readonly store: PamStore;
  private readonly clock: Clock;
  private readonly secretBox: SecretBox;
  private readonly checkouts: CheckoutService;
  private readonly streams: SessionStreams | undefined;

  constructor(deps: {
    store: PamStore;
    clock: Clock;
    secretBox: SecretBox;
    checkouts: CheckoutService;
    streams?: SessionStreams;
  }) {
    this.store = deps.store;
    this.streams = deps.streams;
    this.clock = deps.clock;
    this.secretBox = deps.secretBox;
    this.checkouts = deps.checkouts;
  }

  private audit(
    actor: Actor | null,
    action: AuditInput['action'],
    extra: Partial<AuditInput> = {},
  ): AuditInput {
    return {
      at: this.clock.now(),
      actorId: actor?.id ?? null,
      actorName: actor?.username ?? 'system',
      action,
      ...extra,
    };
  }

  private assertAdmin(actor: Actor | null): void {
    if (actor && !hasRole(actor, 'admin')) throw forbidden('Only an administrator can do this.');
  }

  /**
   * Throws unless the actor manages the vault (its `manage` role, or a global administrator): 404
   * when they may not even see it, 403 otherwise. `actor` null: the server itself.
   */
  private async assertManages(actor: Actor | null, vaultId: string, what = 'The vault'): Promise<void> {
    if (actor) (await VaultRoles.of(this.store, actor)).assert(vaultId, 'manage', what);
  }

  /** Administrators, and managers of some vault (who pick users and groups as its members). */
  private async assertManagesSomething(actor: Actor): Promise<void> {
    if (hasRole(actor, 'admin')) return;
    const roles = await this.store.vaultRolesOf(actor.id);
    if (![...roles.values()].includes('manage')) throw forbidden('Only an administrator can do this.');
  }

  /** `actor` null: the server itself (first admin, demo seed). */
  async createUser(actor: Actor | null, request: CreateUser): Promise<User> {
    this.assertAdmin(actor);
    if (await this.store.getUserByName(request.username)) {
      throw new PamError('conflict', `A user named ${request.username} already exists.`);
    }
    const now = this.clock.now();
    const user = {
      id: request.id ?? newGuid(),
      username: request.username,
      displayName: request.displayName ?? request.username,
      passwordHash: await hashUserPassword(request.password),
      roles: [...new Set(request.roles)],
      disabled: false,
      createdAt: now,
      updatedAt: now,
    };
    if (await this.store.getUser(user.id))
      throw new PamError('conflict', 'A user with this id already exists.');
    await conflictOnDuplicate(
      this.store.insertUser(user, {
        audit: [this.audit(actor, 'user.created', { details: user.username })],
        events: [],
      }),
      `A user named ${request.username} or with this id already exists.`,
    );
    return toApiUser(user);
  }

  async updateUser(actor: Actor, id: string, patch: UpdateUserRequest): Promise<User> {
    this.assertAdmin(actor);
    // Hashed first: the read below and the write that depends on it must not have a slow await
    // between them (a concurrent disable would be overwritten by this stale copy of the user).
    const passwordHash = patch.password ? await hashUserPassword(patch.password) : undefined;
    const user = await this.store.getUser(id);
    if (!user) throw notFound('The user');
    if (id === actor.id && (patch.disabled || (patch.roles && !patch.roles.includes('admin')))) {
      throw new PamError('conflict', 'You cannot disable yourself or remove your own administrator role.');
    }
    const next = {
      ...user,
      displayName: patch.displayName ?? user.displayName,
      roles: patch.roles ? [...new Set(patch.roles)] : user.roles,
      disabled: patch.disabled ?? user.disabled,
      passwordHash: passwordHash ?? user.passwordHash,
      updatedAt: this.clock.now(),
    };
    const changed = Object.keys(patch).filter((key) => key !== 'password');
    if (patch.password) changed.push('password');
    // A new password or fewer rights end every session of the user (as disabling does): a token
    // taken before must not keep what the change meant to take away.
    const lostRole = user.roles.some((role) => !next.roles.includes(role));
    const revokeTokens = next.disabled || passwordHash !== undefined || lostRole;
    await this.store.updateUser(
      next,
      {
        audit: [this.audit(actor, 'user.updated', { details: `${user.username}: ${changed.join(', ')}` })],
        events: [],
      },
      { revokeTokens },
    );
    if (revokeTokens) this.streams?.closeUser(id);
    return toApiUser(next);
  }

  async listUsers(actor: Actor): Promise<User[]> {
    await this.assertManagesSomething(actor);
    return (await this.store.listUsers()).map(toApiUser);
  }

  async createVault(actor: Actor | null, request: CreateVault): Promise<AdminVault> {
    this.assertAdmin(actor);
    const now = this.clock.now();
    const vault = {
      id: request.id ?? newGuid(),
      name: request.name,
      description: request.description,
      policy: request.policy,
      createdAt: now,
      updatedAt: now,
      version: 1,
    };
    if (await this.store.getVault(vault.id))
      throw new PamError('conflict', 'A vault with this id already exists.');
    const members = (request.members ?? DEFAULT_MEMBERS).map(toMemberRecord);
    const outcome = await conflictOnDuplicate(
      this.store.insertVault(vault, members, {
        audit: [
          this.audit(actor, 'vault.created', { details: vault.name }),
          this.audit(actor, 'vault.members.changed', {
            details: await this.describeMembers(vault.name, members),
          }),
        ],
        events: [],
      }),
      'A vault with this id already exists.',
    );
    if (outcome === 'not_found') throw notFound('A member');
    return { ...toApiVault(vault), version: vault.version };
  }

  /** The vault with its version, for an edit: to its managers and administrators. */
  async getVault(actor: Actor, id: string): Promise<AdminVault> {
    await this.assertManages(actor, id);
    const vault = await this.store.getVault(id);
    if (!vault) throw notFound('The vault');
    return { ...toApiVault(vault), version: vault.version };
  }

  /**
   * `expectedVersion`: the version the edit was made from; a stale one is refused (409).
   * `replacePolicy`: `patch.policy` is the vault's whole policy, not merged over it (DVLS's
   * Update-DSPamFolder can set a field back to Default, which drops the vault's own setting).
   */
  async updateVault(
    actor: Actor,
    id: string,
    patch: UpdateVault,
    options: { expectedVersion?: number; replacePolicy?: boolean } = {},
  ): Promise<AdminVault> {
    await this.assertManages(actor, id);
    const now = this.clock.now();
    const { next } = await editByVersion({
      what: 'The vault',
      expectedVersion: options.expectedVersion,
      read: () => this.store.getVault(id),
      change: (vault) => ({
        ...vault,
        name: patch.name ?? vault.name,
        description: patch.description ?? vault.description,
        policy: patch.policy
          ? { ...(options.replacePolicy ? {} : vault.policy), ...patch.policy }
          : vault.policy,
        updatedAt: now,
      }),
      write: (next, vault) =>
        this.store.updateVault(
          next,
          {
            audit: [
              this.audit(actor, 'vault.updated', {
                details: `${vault.name}: ${Object.keys(patch).join(', ')}`,
              }),
            ],
            events: [],
          },
          vault.version,
        ),
    });
    return { ...toApiVault(next), version: next.version };
  }

  /**
   * Deletes an empty vault (DVLS's Remove-DSPamFolder), with its members; its deleted credentials
   * keep naming it. Its managers may, as they may edit it.
   */
  async deleteVault(actor: Actor, id: string): Promise<void> {
    await this.assertManages(actor, id);
    const vault = await this.store.getVault(id);
    if (!vault) throw notFound('The vault');
    const outcome = await this.store.deleteVault(id, {
      audit: [this.audit(actor, 'vault.deleted', { details: vault.name })],
      events: [],
    });
    if (outcome === 'not_found') throw notFound('The vault');
    if (outcome === 'not_empty') {
      throw new PamError('conflict', 'The vault is not empty: delete or move its credentials first.');
    }
  }

  listCheckoutPolicies(): Promise<CheckoutPolicyRecord[]> {
    return this.store.listCheckoutPolicies();
  }

  getCheckoutPolicy(id: string): Promise<CheckoutPolicyRecord | undefined> {
    return this.store.getCheckoutPolicy(id);
  }

  /** A new checkout policy (DVLS's New-DSPamCheckoutPolicy); `id` is set for the built-in default. */
  async createCheckoutPolicy(
    actor: Actor,
    request: Pick<CheckoutPolicyRecord, 'name' | 'fields' | 'isDefault'> & { id?: string },
  ): Promise<CheckoutPolicyRecord> {
    this.assertAdmin(actor);
    const now = this.clock.now();
    const policy = { ...request, id: request.id ?? newGuid(), createdAt: now, updatedAt: now };
    await conflictOnDuplicate(
      this.store.saveCheckoutPolicy(
        policy,
        { replace: false },
        { audit: [this.audit(actor, 'checkoutPolicy.created', { details: policy.name })], events: [] },
      ),
      'Checkout policy with same name already exists.',
    );
    return policy;
  }

  async updateCheckoutPolicy(
    actor: Actor,
    id: string,
    patch: Partial<Pick<CheckoutPolicyRecord, 'name' | 'fields' | 'isDefault'>>,
  ): Promise<CheckoutPolicyRecord> {
    this.assertAdmin(actor);
    const current = await this.store.getCheckoutPolicy(id);
    if (!current) throw notFound('The checkout policy');
    if (current.isDefault && patch.isDefault === false) {
      throw new PamError('conflict', 'Make another checkout policy the default instead.');
    }
    const next: CheckoutPolicyRecord = {
      ...current,
      name: patch.name ?? current.name,
      fields: { ...current.fields, ...patch.fields },
      isDefault: patch.isDefault ?? current.isDefault,
      updatedAt: this.clock.now(),
    };
    let outcome: 'saved' | 'not_found' = 'not_found';
    await conflictOnDuplicate(
      this.store
        .saveCheckoutPolicy(
          next,
          { replace: true },
          {
            audit: [
              this.audit(actor, 'checkoutPolicy.updated', {
                details: `${current.name}: ${Object.keys(patch).join(', ')}`,
              }),
            ],
            events: [],
          },
        )
        .then((result) => {
          outcome = result;
        }),
      'Checkout policy with same name already exists.',
    );
    if (outcome === 'not_found') throw notFound('The checkout policy');
    return next;
  }

  async deleteCheckoutPolicy(actor: Actor, id: string): Promise<void> {
    this.assertAdmin(actor);
    const policy = await this.store.getCheckoutPolicy(id);
    if (!policy) throw notFound('The checkout policy');
    if (policy.isDefault) {
      throw new PamError(
        'conflict',
        'The default checkout policy cannot be deleted: make another one the default first.',
      );
    }
    const outcome = await this.store.deleteCheckoutPolicy(id, {
      audit: [this.audit(actor, 'checkoutPolicy.deleted', { details: policy.name })],
      events: [],
    });
    if (outcome === 'not_found') throw notFound('The checkout policy');
  }

  async createCredential(actor: Actor | null, request: CreateCredential): Promise<AdminCredential> {
    await this.assertManages(actor, request.vaultID);
    const vault = await this.store.getVault(request.vaultID);
    if (!vault) throw notFound('The vault');
    const now = this.clock.now();
    const id = request.id ?? newGuid();
    if (await this.store.getCredential(id))
      throw new PamError('conflict', 'A credential with this id already exists.');
    const policy = resolvePolicy(vault.policy, request.policy);
    const password = request.password ?? generatePassword(policy.passwordLength, policy.passwordClasses);
    const credential = {
      id,
      vaultId: vault.id,
      name: request.name,
      username: request.username,
      host: request.host,
      description: request.description,
      policy: request.policy,
      passwordSealed: this.secretBox.seal(password, id),
      passwordChangedAt: now,
      createdAt: now,
      updatedAt: now,
      version: 1,
    };
    await vaultStillThere(
      conflictOnDuplicate(
        this.store.insertCredential(credential, {
          audit: [this.audit(actor, 'credential.created', { credentialId: id, details: credential.name })],
          events: [],
        }),
        'A credential with this id already exists.',
      ),
    );
    return { ...(await this.checkouts.getCredential(actor ?? systemActor, id)), version: credential.version };
  }

  /** The credential with its version, for an edit: to the managers of its vault and administrators. */
  async getCredential(actor: Actor, id: string): Promise<AdminCredential> {
    const { credential } = await this.checkouts.credentialFor(actor, id, 'manage');
    return this.withVersion(actor, id, credential.version);
  }

  /**
   * The credential as everyone sees it, with `version`. The view is read after the version: if an
   * edit came between, the view is newer than its version, so an edit made from it is refused
   * (409) rather than applied over a change its author never saw.
   */
  private async withVersion(actor: Actor, id: string, version: number): Promise<AdminCredential> {
    return { ...(await this.checkouts.getCredential(actor, id)), version };
  }

  /**
   * `expectedVersion`: the version the edit was made from; a stale one is refused (409). The
   * password is not part of an edit: one set or rotated meanwhile stays (setCredentialPassword).
   */
  async updateCredential(
    actor: Actor,
    id: string,
    patch: UpdateCredential,
    expectedVersion?: number,
  ): Promise<AdminCredential> {
    // A credential the caller may not see is not found, whatever the patch says.
    await this.checkouts.credentialFor(actor, id, 'manage');
    // Moving it: the manager must manage the vault it goes to as well.
    if (patch.vaultID) await this.assertManages(actor, patch.vaultID);
    if (patch.vaultID && !(await this.store.getVault(patch.vaultID))) throw notFound('The vault');
    const now = this.clock.now();
    const { next } = await editByVersion({
      what: 'The credential',
      expectedVersion,
      // Each attempt checks the vault the credential is in at its read; the version-checked write
      // refuses it if it moved since.
      read: async () => {
        const credential = await this.store.getCredential(id);
        if (credential) await this.assertManages(actor, credential.vaultId, 'The credential');
        return credential;
      },
      change: (credential) => ({
        ...credential,
        vaultId: patch.vaultID ?? credential.vaultId,
        name: patch.name ?? credential.name,
        username: patch.username ?? credential.username,
        host: patch.host ?? credential.host,
        description: patch.description ?? credential.description,
        policy: patch.policy ? { ...credential.policy, ...patch.policy } : credential.policy,
        updatedAt: now,
      }),
      write: (next, credential) =>
        vaultStillThere(
          this.store.updateCredential(
            next,
            {
              audit: [
                this.audit(actor, 'credential.updated', {
                  credentialId: id,
                  details: Object.keys(patch).join(', '),
                }),
              ],
              events: [],
            },
            credential.version,
          ),
        ),
    });
    return this.withVersion(actor, id, next.version);
  }

  async setCredentialPassword(actor: Actor, id: string, password: string | undefined): Promise<void> {
    const { policy } = await this.checkouts.credentialFor(actor, id, 'manage');
    const at = this.clock.now();
    const value = password ?? generatePassword(policy.passwordLength, policy.passwordClasses);
    await this.store.setCredentialPassword(id, this.secretBox.seal(value, id), at, {
      audit: [this.audit(actor, 'password.set', { credentialId: id })],
      events: [],
    });
  }

  async deleteCredential(actor: Actor, id: string): Promise<void> {
    await this.checkouts.credentialFor(actor, id, 'manage');
    // Deleting under an open checkout would strand it: nobody could check it in, cancel or decide it.
    const now = this.clock.now();
    const open = (
      await this.store.listAllCheckouts([
        CheckoutStatus.Pending,
        CheckoutStatus.Granted,
        CheckoutStatus.Active,
      ])
    )
      .filter((checkout) => checkout.credentialId === id)
      .map((checkout) => effectiveCheckout(checkout, now))
      .filter((checkout) => !FINAL_STATUSES.includes(checkout.status));
    const refuse = (count: number | null) =>
      new PamError(
        'conflict',
        count === null
          ? 'The credential has an open checkout or request; end it first (an administrator can abort it).'
          : `The credential has ${count} open checkout${count === 1 ? '' : 's'} or request${count === 1 ? '' : 's'}; end them first (an administrator can abort them).`,
      );
    if (open.length > 0) throw refuse(open.length);
    // The store checks again in the delete's own transaction: a checkout created since the read
    // above must not be stranded on a deleted credential.
    const outcome = await this.store.deleteCredential(id, now, {
      audit: [this.audit(actor, 'credential.deleted', { credentialId: id })],
      events: [],
    });
    if (outcome === 'has_open_checkouts') throw refuse(null);
    if (outcome === 'not_found') throw notFound('The credential');
  }

  // vault members and groups

  async getVaultMembers(actor: Actor, vaultId: string): Promise<VaultMemberView[]> {
    await this.assertManages(actor, vaultId);
    if (!(await this.store.getVault(vaultId))) throw notFound('The vault');
    const members = await this.store.listVaultMembers(vaultId);
    const names = await this.memberNames();
    return members.map((member) => ({
      memberType: member.memberType,
      memberID: member.memberId,
      role: member.role,
      name: names.get(member.memberId) ?? member.memberId,
    }));
  }

  async setVaultMembers(actor: Actor, vaultId: string, members: VaultMember[]): Promise<VaultMemberView[]> {
    await this.assertManages(actor, vaultId);
    const vault = await this.store.getVault(vaultId);
    if (!vault) throw notFound('The vault');
    const records = members.map(toMemberRecord);
    const outcome = await this.store.setVaultMembers(vaultId, records, {
      audit: [
        this.audit(actor, 'vault.members.changed', {
          details: await this.describeMembers(vault.name, records),
        }),
      ],
      events: [],
    });
    if (outcome === 'not_found') throw notFound('A member');
    return this.getVaultMembers(actor, vaultId);
  }

  async listGroups(actor: Actor): Promise<Group[]> {
    await this.assertManagesSomething(actor);
    const groups: Group[] = [];
    for (const group of await this.store.listGroups()) groups.push(await this.toApiGroup(group));
    return groups;
  }

  async getGroup(actor: Actor, id: string): Promise<Group> {
    await this.assertManagesSomething(actor);
    const group = await this.store.getGroup(id);
    if (!group) throw notFound('The group');
    return this.toApiGroup(group);
  }

  async createGroup(actor: Actor | null, request: CreateGroup): Promise<Group> {
    this.assertAdmin(actor);
    const now = this.clock.now();
    const group: GroupRecord = {
      id: request.id ?? newGuid(),
      name: request.name,
      description: request.description,
      builtin: false,
      createdAt: now,
      updatedAt: now,
    };
    const outcome = await conflictOnDuplicate(
      this.store.insertGroup(group, request.memberIDs, {
        audit: [this.audit(actor, 'group.changed', { details: `${group.name}: created` })],
        events: [],
      }),
      `A group named ${request.name} or with this id already exists.`,
    );
    if (outcome === 'not_found') throw notFound('A member');
    return this.toApiGroup(group);
  }

  async updateGroup(actor: Actor, id: string, patch: UpdateGroup): Promise<Group> {
    this.assertAdmin(actor);
    const group = await this.store.getGroup(id);
    if (!group) throw notFound('The group');
    if (group.builtin) throw new PamError('conflict', 'The built-in group cannot be changed.');
    const next = {
      ...group,
      name: patch.name ?? group.name,
      description: patch.description ?? group.description,
      updatedAt: this.clock.now(),
    };
    const outcome = await conflictOnDuplicate(
      this.store.updateGroup(next, patch.memberIDs, {
        audit: [
          this.audit(actor, 'group.changed', { details: `${group.name}: ${Object.keys(patch).join(', ')}` }),
        ],
        events: [],
      }),
      `A group named ${next.name} already exists.`,
    );
    if (outcome === 'not_found') throw notFound('A member');
    return this.toApiGroup(next);
  }

  async deleteGroup(actor: Actor, id: string): Promise<void> {
    this.assertAdmin(actor);
    const group = await this.store.getGroup(id);
    if (!group) throw notFound('The group');
    if (group.builtin) throw new PamError('conflict', 'The built-in group cannot be deleted.');
    const outcome = await this.store.deleteGroup(id, {
      audit: [this.audit(actor, 'group.changed', { details: `${group.name}: deleted` })],
      events: [],
    });
    if (outcome === 'not_found') throw notFound('The group');
  }

  private async toApiGroup(group: GroupRecord): Promise<Group> {
    return {
      id: group.id,
      name: group.name,
      description: group.description,
      builtin: group.builtin,
      memberIDs: group.builtin ? [] : await this.store.listGroupMembers(group.id),
    };
  }

  /** Users' and groups' names by id, for member lists and audit details. */
  private async memberNames(): Promise<Map<string, string>> {
    const names = new Map<string, string>();
    for (const user of await this.store.listUsers()) names.set(user.id, user.username);
    for (const group of await this.store.listGroups()) names.set(group.id, group.name);
    return names;
  }

  /** "Databases: group DBA=manage, user tina=view": who may do what after the change. */
  private async describeMembers(vaultName: string, members: VaultMemberRecord[]): Promise<string> {
    const names = await this.memberNames();
    const list = members.map((m) => `${m.memberType} ${names.get(m.memberId) ?? m.memberId}=${m.role}`);
    return `${vaultName}: ${list.length > 0 ? list.join(', ') : 'no members'}`;
  }

  async listAudit(actor: Actor, query: AuditQuery): Promise<AuditEntry[]> {
    this.assertAdmin(actor);
    return (await this.store.listAudit(query)).map(toApiAudit);
  }
}

/** How often an edit sent without a version is applied again to a row another edit just changed. */
const EDIT_ATTEMPTS = 5;

const staleEdit = (what: string, version: number) =>
  new PamError(
    'conflict',
    `${what} was changed by someone else (it is now at version ${version}); read it again and redo the change.`,
    { details: { version } },
  );

/**
 * An administrator's edit by compare-and-set: reads the row, computes the change from it and writes
 * it only if the row is still at the version read. With `expectedVersion` (the version the editor
 * saw), a row at another version is refused with its current version. Without it, the edit means
 * "apply to whatever is current": a write that lost the race is computed again from the new row (a
 * policy patch merges into the row, so applying a stale merge would undo the other edit).
 */
async function editByVersion<R extends { version: number }>(edit: {
  what: string;
  expectedVersion: number | undefined;
  read: () => Promise<R | undefined>;
  change: (current: R) => R;
  write: (next: R, current: R) => Promise<EditOutcome>;
}): Promise<{ next: R }> {
  for (let attempt = 1; ; attempt++) {
    const current = await edit.read();
    if (!current) throw notFound(edit.what);
    if (edit.expectedVersion !== undefined && current.version !== edit.expectedVersion) {
      throw staleEdit(edit.what, current.version);
    }
    const next = edit.change(current);
    if ((await edit.write(next, current)) === 'updated')
      return { next: { ...next, version: current.version + 1 } };
    if (attempt === EDIT_ATTEMPTS)
      throw staleEdit(edit.what, (await edit.read())?.version ?? current.version);
  }
}

/** The vault checked above was deleted before the credential's write: as if it had not been there. */
async function vaultStillThere<T>(write: Promise<T>): Promise<T> {
  try {
    return await write;
  } catch (error) {
    if (error instanceof VaultDeletedError) throw notFound('The vault');
    throw error;
  }
}

/**
 * The existence checks above run before the insert, so a concurrent create of the same username or
 * id (or the id of a deleted credential, which the store keeps) can still hit the unique key: that
 * is the same conflict, not a server failure.
 */
async function conflictOnDuplicate<T>(insert: Promise<T>, message: string): Promise<T> {
  try {
    return await insert;
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    // SQLite's unique and primary key violations; PostgreSQL's unique_violation (23505).
    if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505') {
      throw new PamError('conflict', message);
    }
    throw error;
  }
}

const systemActor: Actor = {
  id: '00000000-0000-0000-0000-000000000000',
  username: 'system',
  displayName: 'system',
  roles: ['admin'],
};

function toMemberRecord(member: VaultMember): VaultMemberRecord {
  return { memberType: member.memberType, memberId: member.memberID, role: member.role };
}
