import { CheckoutStatus } from '../../common/checkout.ts';
import type { CheckoutRecord } from './records.ts';

/**
 * The time a checkout holds (or would hold) its credential, for the exclusivity checks of every
 * PamStore: from its scheduled start if it is waiting for one, otherwise from `now`; until its
 * end (or, not yet approved, start + duration).
 */
export function windowOf(
  checkout: Pick<CheckoutRecord, 'status' | 'scheduledStart' | 'expiresAt' | 'duration'>,
  now: number,
): { begin: number; end: number } {
  const waiting =
    checkout.status !== CheckoutStatus.Active &&
    checkout.scheduledStart !== null &&
    checkout.scheduledStart > now;
  const begin = waiting ? checkout.scheduledStart! : now;
  return { begin, end: checkout.expiresAt ?? begin + checkout.duration * 60_000 };
}
