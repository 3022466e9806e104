/**
 * How the credential list's query becomes a cache query (issue 15, item 7): the status filter
 * decided with the renderer's own rules (common/credentialState.ts) on the few credentials that
 * are held or requested, the favourites and recently used ones first, the order by vault.
 */
import type { Checkout } from '../../common/checkout.ts';
import { credentialState, openCheckoutsByCredential } from '../../common/credentialState.ts';
import type { CredentialQuery } from '../../common/ipc.ts';
import type { CredentialStateKind } from '../../common/settings.ts';
import type { CredentialCacheQuery, HeldCredential } from '../cache/credentialCache.ts';

export interface ListingContext {
  /** Credentials whose cached `checkout` field is set. */
  held: ReadonlyMap<string, HeldCredential>;
  /** The user's own checkouts as last fetched (open ones win over the cached field). */
  myCheckouts: readonly Checkout[];
  userId: string | null;
  favourites: readonly string[];
  recent: readonly string[];
}

/**
 * Which credentials are in `status`. Only held credentials and the user's own open checkouts can
 * be anything but available, so the answer is a small set: members, or (for 'available') the
 * credentials outside it.
 */
export function statusFilter(status: CredentialStateKind, context: ListingContext): (id: string) => boolean {
  const mine = openCheckoutsByCredential(context.myCheckouts);
  const notAvailable = new Map<string, CredentialStateKind>();
  for (const id of new Set([...context.held.keys(), ...mine.keys()])) {
    const held = context.held.get(id);
    const kind = credentialState(
      { id, checkout: held?.checkout ?? null, policy: { exclusive: held?.exclusive ?? false } },
      mine,
      context.userId,
    ).kind;
    if (kind !== 'available') notAvailable.set(id, kind);
  }
  if (status === 'available') return (id) => !notAvailable.has(id);
  return (id) => notAvailable.get(id) === status;
}

export function cacheQueryFor(
  query: { vaultId?: string | undefined; search?: string | undefined } & Pick<
    CredentialQuery,
    'status' | 'sort'
  > & {
      offset: number;
      limit: number;
    },
  context: ListingContext,
): CredentialCacheQuery {
  const search = query.search?.trim();
  return {
    ...(query.vaultId ? { vaultId: query.vaultId } : {}),
    ...(search ? { search } : {}),
    ...(query.status ? { accept: statusFilter(query.status, context) } : {}),
    ...(context.favourites.length > 0 ? { favourites: new Set(context.favourites) } : {}),
    ...(context.recent.length > 0 ? { recent: context.recent } : {}),
    ...(query.sort === 'vault' ? { byVault: true } : {}),
    offset: query.offset,
    limit: query.limit,
  };
}
