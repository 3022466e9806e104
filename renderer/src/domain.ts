/**
 * Domain facts the screens need. Of common/, only zod-free modules are imported for values (the
 * schemas would pull zod into the bundle); the rest for types only.
 */
import type { Policy } from '../../common/policy.ts';

export type { AuditEntry } from '../../common/audit.ts';
export type { Approver, Checkout, Credential, Vault } from '../../common/checkout.ts';
export { CheckoutStatus } from '../../common/checkoutStatus.ts';
export {
  type CredentialState,
  credentialState,
  isActive,
  isFinal,
  isPending,
  openCheckoutsByCredential,
} from '../../common/credentialState.ts';
export type {
  AppEvent,
  RequestCheckoutInput,
  ServerProbeResult,
  ServerProfile,
  SessionState,
  Settings,
  SettingsPatch,
} from '../../common/ipc.ts';
export type { Policy } from '../../common/policy.ts';
export type { User } from '../../common/roles.ts';
export {
  CREDENTIAL_SORTS,
  CREDENTIAL_STATES,
  type CredentialSort,
  type CredentialStateKind,
  EXTEND_BOUNDS,
  LANGUAGES,
  MAX_FAVOURITES,
  SETTINGS_BOUNDS,
  THEMES,
} from '../../common/settings.ts';
export { type VaultRole, vaultRoleAllows } from '../../common/vaultAccess.ts';

export type ApprovalPlan =
  | { kind: 'immediate' }
  | { kind: 'self' }
  | { kind: 'approver'; name: string }
  | { kind: 'chooseApprover' }
  /** The server sends it to every approver of the credential (MIM: the role's owners). */
  | { kind: 'anyApprover' };

/** What happens when the request is sent, for the sentence in the checkout dialog. */
export function approvalPlan(
  policy: Policy,
  approver: { id: string; name: string } | null,
  userId: string | null,
  approverChoice = true,
): ApprovalPlan {
  if (policy.approvalMode === 'none') return { kind: 'immediate' };
  if (!approverChoice) return { kind: 'anyApprover' };
  if (!approver) return { kind: 'chooseApprover' };
  if (approver.id === userId) return { kind: 'self' };
  return { kind: 'approver', name: approver.name };
}

/** Whether "Myself" is offered in the approver picker. */
export function canSelfApprove(
  policy: Policy,
  userId: string | null,
  approverIds: readonly string[],
): boolean {
  if (!userId || !policy.selfApproval) return false;
  return approverIds.includes(userId) || policy.approvers.includes(userId);
}

/**
 * `user@host` for an account; either part alone when the other is empty; '' when both are (a MIM
 * PAM role is a group membership, with no account of its own).
 */
export function accountLine(credential: { username: string; host: string }): string {
  if (credential.username && credential.host) return `${credential.username}@${credential.host}`;
  return credential.username || credential.host;
}
