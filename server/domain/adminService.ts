import type { z } from 'zod';
import type {
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
import { CheckoutStatus, type Credential, FINAL_STATUSES, type Vault } from '../../common/checkout.ts';
import { resolvePolicy } from '../../common/policy.ts';
import type { User } from '../../common/roles.ts';
import { EVERYONE_GROUP_ID } from '../../common/vaultAccess.ts';
import { generatePassword } from '../crypto/passwordGenerator.ts';
import type { SecretBox } from '../crypto/secretBox.ts';
import { newGuid } from '../crypto/tokens.ts';
import { hashUserPassword } from '../crypto/userPasswords.ts';
import type { PamStore } from '../store/pamStore.ts';
import type { AuditInput, AuditQuery, GroupRecord, VaultMemberRecord } from '../store/records.ts';
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
type UpdateVault = z.output<typeof updateVaultRequestSchema>;
type CreateCredential = z.output<typeof createCredentialRequestSchema>;
type UpdateCredential = z.output<typeof updateCredentialRequestSchema>;
type CreateGroup = z.output<typeof createGroupRequestSchema>;
type UpdateGroup = z.output<typeof updateGroupRequestSchema>;

/** What a vault created without a member list gets: everyone, as before vault permissions. */
const DEFAULT_MEMBERS: VaultMember[] = [
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

  async createVault(actor: Actor | null, request: CreateVault): Promise<Vault> {
    this.assertAdmin(actor);
    const now = this.clock.now();
    const vault = {
      id: request.id ?? newGuid(),
      name: request.name,
      description: request.description,
      policy: request.policy,
      createdAt: now,
      updatedAt: now,
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
    return toApiVault(vault);
  }

  async updateVault(actor: Actor, id: string, patch: UpdateVault): Promise<Vault> {
    await this.assertManages(actor, id);
    const vault = await this.store.getVault(id);
    if (!vault) throw notFound('The vault');
    const next = {
      ...vault,
      name: patch.name ?? vault.name,
      description: patch.description ?? vault.description,
      policy: patch.policy ? { ...vault.policy, ...patch.policy } : vault.policy,
      updatedAt: this.clock.now(),
    };
    await this.store.updateVault(next, {
      audit: [
        this.audit(actor, 'vault.updated', { details: `${vault.name}: ${Object.keys(patch).join(', ')}` }),
      ],
      events: [],
    });
    return toApiVault(next);
  }

  async createCredential(actor: Actor | null, request: CreateCredential): Promise<Credential> {
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
    };
    await conflictOnDuplicate(
      this.store.insertCredential(credential, {
        audit: [this.audit(actor, 'credential.created', { credentialId: id, details: credential.name })],
        events: [],
      }),
      'A credential with this id already exists.',
    );
    return this.checkouts.getCredential(actor ?? systemActor, id);
  }

  async updateCredential(actor: Actor, id: string, patch: UpdateCredential): Promise<Credential> {
    const credential = await this.store.getCredential(id);
    if (!credential) throw notFound('The credential');
    await this.assertManages(actor, credential.vaultId, 'The credential');
    // Moving it: the manager must manage the vault it goes to as well.
    if (patch.vaultID) await this.assertManages(actor, patch.vaultID);
    if (patch.vaultID && !(await this.store.getVault(patch.vaultID))) throw notFound('The vault');
    const next = {
      ...credential,
      vaultId: patch.vaultID ?? credential.vaultId,
      name: patch.name ?? credential.name,
      username: patch.username ?? credential.username,
      host: patch.host ?? credential.host,
      description: patch.description ?? credential.description,
      policy: patch.policy ? { ...credential.policy, ...patch.policy } : credential.policy,
      updatedAt: this.clock.now(),
    };
    await this.store.updateCredential(next, {
      audit: [
        this.audit(actor, 'credential.updated', { credentialId: id, details: Object.keys(patch).join(', ') }),
      ],
      events: [],
    });
    return this.checkouts.getCredential(actor, id);
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
