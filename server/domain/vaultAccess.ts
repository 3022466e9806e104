import type { Policy } from '../../common/policy.ts';
import type { Role } from '../../common/roles.ts';
import { type VaultRole, vaultRoleAllows } from '../../common/vaultAccess.ts';
import type { PamStore } from '../store/pamStore.ts';
import type { UserRecord } from '../store/records.ts';
import { forbidden, notFound } from './pamError.ts';

/** Who is asking: an actor or a stored user (their global roles decide whether they are an administrator). */
interface Someone {
  id: string;
  roles: readonly Role[];
}

/**
 * The caller's roles in the vaults (common/vaultAccess.ts), read once per request. A global
 * administrator manages every vault; anyone else holds what their memberships give them.
 */
export class VaultRoles {
  private readonly administrator: boolean;
  private readonly roles: ReadonlyMap<string, VaultRole>;

  private constructor(administrator: boolean, roles: ReadonlyMap<string, VaultRole>) {
    this.administrator = administrator;
    this.roles = roles;
  }

  static async of(store: PamStore, someone: Someone): Promise<VaultRoles> {
    if (someone.roles.includes('admin')) return new VaultRoles(true, new Map());
    return new VaultRoles(false, await store.vaultRolesOf(someone.id));
  }

  roleIn(vaultId: string): VaultRole | null {
    return this.administrator ? 'manage' : (this.roles.get(vaultId) ?? null);
  }

  allows(vaultId: string, needed: VaultRole): boolean {
    return vaultRoleAllows(this.roleIn(vaultId), needed);
  }

  /** The vaults the caller may see, for a store query; undefined: all of them (an administrator). */
  visibleVaultIds(): string[] | undefined {
    return this.administrator ? undefined : [...this.roles.keys()];
  }

  /**
   * Throws unless the caller holds `needed` in the vault: "not found" (`what`) where they may not
   * even see it, so that its existence stays hidden; otherwise 403 saying what is missing.
   */
  assert(vaultId: string, needed: VaultRole, what: string): void {
    const held = this.roleIn(vaultId);
    if (!vaultRoleAllows(held, 'view')) throw notFound(what);
    if (!vaultRoleAllows(held, needed)) throw forbidden(REFUSALS[needed]);
  }
}

const REFUSALS: Record<VaultRole, string> = {
  view: 'You cannot see this vault.',
  request: 'You may view this vault’s credentials but not check them out (your role in the vault is view).',
  approve: 'You cannot approve checkouts in this vault (your role there does not include approving).',
  manage: 'Only a manager of this vault or an administrator can do this.',
};

/**
 * Whether the user may decide requests for a credential with this policy in this vault: enabled,
 * holding the approver role, named by the policy, and holding `approve` in the vault.
 */
export function isEligibleApprover(user: UserRecord, policy: Policy, vaultRole: VaultRole | null): boolean {
  return (
    !user.disabled &&
    user.roles.includes('approver') &&
    policy.approvers.includes(user.id) &&
    vaultRoleAllows(vaultRole, 'approve')
  );
}

/** The user's role in one vault (manage for an administrator). */
export async function vaultRoleOf(
  store: PamStore,
  user: Someone,
  vaultId: string,
): Promise<VaultRole | null> {
  return (await VaultRoles.of(store, user)).roleIn(vaultId);
}
