/**
 * Domain facts the screens need. Of common/, only zod-free modules are imported for values (the
 * schemas would pull zod into the bundle); the rest for types only.
 */
import type { Checkout, Credential } from '../../common/checkout.ts';
import type { Policy } from '../../common/policy.ts';

export type { AuditEntry } from '../../common/audit.ts';
export type { Approver, Checkout, Credential, Vault } from '../../common/checkout.ts';
export { CheckoutStatus } from '../../common/checkoutStatus.ts';
export type {
  AppEvent,
  RequestCheckoutInput,
  ServerProfile,
  SessionState,
  Settings,
  SettingsPatch,
} from '../../common/ipc.ts';
export type { Policy } from '../../common/policy.ts';
export type { User } from '../../common/roles.ts';

export { EXTEND_BOUNDS, LANGUAGES, SETTINGS_BOUNDS, THEMES } from '../../common/settings.ts';
export { type VaultRole, vaultRoleAllows } from '../../common/vaultAccess.ts';

import { CheckoutStatus, FINAL_STATUSES } from '../../common/checkoutStatus.ts';

export function isPending(checkout: Checkout): boolean {
  return checkout.status === CheckoutStatus.Pending;
}

/** The password can be used: active, or approved for a later start. */
export function isActive(checkout: Checkout): boolean {
  return checkout.status === CheckoutStatus.Active || checkout.status === CheckoutStatus.Granted;
}

export function isFinal(checkout: Checkout): boolean {
  return FINAL_STATUSES.includes(checkout.status);
}

/** What a credential row shows about who holds it. */
export type CredentialState =
  | { kind: 'available' }
  | { kind: 'mine'; checkoutId: string | null; expiresAt: string | null }
  | { kind: 'pending'; checkoutId: string | null }
  | { kind: 'taken'; username: string };

/**
 * The user's own open checkouts (fresh, from `checkouts:mine`) win over the credential's cached
 * `checkout` field, which only changes at the next sync.
 */
export function credentialState(
  credential: Credential,
  /** Null until `checkouts:mine` has answered once. */
  mine: ReadonlyMap<string, Checkout> | null,
  userId: string | null,
): CredentialState {
  const own = mine?.get(credential.id);
  if (own) {
    if (isPending(own)) return { kind: 'pending', checkoutId: own.id };
    if (isActive(own)) return { kind: 'mine', checkoutId: own.id, expiresAt: own.expiresAt };
  }
  const held = credential.checkout;
  if (!held) return { kind: 'available' };
  const active = held.status === CheckoutStatus.Active || held.status === CheckoutStatus.Granted;
  if (held.userID === userId) {
    // Our own checkout that `mine` no longer lists has ended since the last sync.
    if (mine) return { kind: 'available' };
    if (active) return { kind: 'mine', checkoutId: held.id, expiresAt: held.expiresAt };
    if (held.status === CheckoutStatus.Pending) return { kind: 'pending', checkoutId: held.id };
    return { kind: 'available' };
  }
  if (active && credential.policy.exclusive) return { kind: 'taken', username: held.username };
  return { kind: 'available' };
}

/** Open checkouts by credential id, the newest first when one credential has two. */
export function openCheckoutsByCredential(checkouts: readonly Checkout[]): Map<string, Checkout> {
  const byCredential = new Map<string, Checkout>();
  for (const checkout of checkouts) {
    if (isFinal(checkout)) continue;
    const previous = byCredential.get(checkout.credentialID);
    if (!previous || previous.requestDateTime < checkout.requestDateTime) {
      byCredential.set(checkout.credentialID, checkout);
    }
  }
  return byCredential;
}

export type ApprovalPlan =
  | { kind: 'immediate' }
  | { kind: 'self' }
  | { kind: 'approver'; name: string }
  | { kind: 'chooseApprover' };

/** What happens when the request is sent, for the sentence in the checkout dialog. */
export function approvalPlan(
  policy: Policy,
  approver: { id: string; name: string } | null,
  userId: string | null,
): ApprovalPlan {
  if (policy.approvalMode === 'none') return { kind: 'immediate' };
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
