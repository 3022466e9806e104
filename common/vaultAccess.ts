/**
 * Per-vault permissions, without zod: the renderer imports these to explain a disabled action.
 *
 * A member of a vault (a user, or a group of users) holds one role there; each role includes the
 * ones before it:
 * - `view`: lists the vault and its credentials (names, hosts, policies, who holds them);
 * - `request`: also checks its credentials out (and reads the password of its own checkout);
 * - `approve`: also decides requests, where the credential's policy names them as approver;
 * - `manage`: also administers the vault (its settings, members, credentials and their passwords).
 * A user's role in a vault is the highest of their own and their groups'; a global administrator
 * manages every vault. Outside the vaults one may view, a vault and its credentials do not exist.
 */
export const VAULT_ROLES = ['view', 'request', 'approve', 'manage'] as const;
export type VaultRole = (typeof VAULT_ROLES)[number];

/** The built-in group every user belongs to; existing vaults granted it `approve` when permissions came. */
export const EVERYONE_GROUP_ID = '00000000-0000-4000-8000-0000000e0e0e';
export const EVERYONE_GROUP_NAME = 'Everyone';

export function isVaultRole(value: unknown): value is VaultRole {
  return typeof value === 'string' && (VAULT_ROLES as readonly string[]).includes(value);
}

/** Whether `held` (none: not a member) includes `needed`. */
export function vaultRoleAllows(held: VaultRole | null | undefined, needed: VaultRole): boolean {
  if (!held) return false;
  return VAULT_ROLES.indexOf(held) >= VAULT_ROLES.indexOf(needed);
}

/** The higher of two roles (none counts lowest). */
export function higherVaultRole(
  a: VaultRole | null | undefined,
  b: VaultRole | null | undefined,
): VaultRole | null {
  if (!a) return b ?? null;
  if (!b) return a;
  return VAULT_ROLES.indexOf(a) >= VAULT_ROLES.indexOf(b) ? a : b;
}
