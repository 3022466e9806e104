/**
 * What a credential is for the signed-in user — free, theirs, requested by them, held by someone
 * else — as the credential list shows it and its status filter selects it. Zod-free: the renderer
 * bundle imports it, and the main process filters the cached list with the same rules.
 */
import type { Checkout, Credential } from './checkout.ts';
import { CheckoutStatus, FINAL_STATUSES } from './checkoutStatus.ts';

export function isPending(checkout: Pick<Checkout, 'status'>): boolean {
  return checkout.status === CheckoutStatus.Pending;
}

/** The password can be used: active, or approved for a later start. */
export function isActive(checkout: Pick<Checkout, 'status'>): boolean {
  return checkout.status === CheckoutStatus.Active || checkout.status === CheckoutStatus.Granted;
}

export function isFinal(checkout: Pick<Checkout, 'status'>): boolean {
  return FINAL_STATUSES.includes(checkout.status);
}

/** What a credential row shows about who holds it. */
export type CredentialState =
  | { kind: 'available' }
  | { kind: 'mine'; checkoutId: string | null; expiresAt: string | null }
  | { kind: 'pending'; checkoutId: string | null }
  | { kind: 'taken'; username: string };

/** The parts of a credential its state depends on. */
export type CredentialHolding = Pick<Credential, 'id' | 'checkout'> & {
  policy: Pick<Credential['policy'], 'exclusive'>;
};

/**
 * The user's own open checkouts (fresh, from `checkouts:mine`) win over the credential's cached
 * `checkout` field, which only changes at the next sync.
 */
export function credentialState(
  credential: CredentialHolding,
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
