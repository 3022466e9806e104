import { CheckoutStatus } from '../../common/checkout.ts';
import type { CheckoutRecord } from '../store/records.ts';

export const MINUTE_MS = 60_000;
/** `checkout.expiring` is sent this long before the end. */
export const EXPIRY_WARNING_MS = 5 * MINUTE_MS;

/**
 * The checkout as every reader must see it at `now`: the server clock decides, even before the
 * sweeper has written the change down. A Granted checkout whose start has come is Active; an
 * Active one whose end has passed is Expired.
 */
export function effectiveCheckout(record: CheckoutRecord, now: number): CheckoutRecord {
  let current = record;
  if (
    current.status === CheckoutStatus.Granted &&
    current.scheduledStart !== null &&
    current.scheduledStart <= now
  ) {
    current = { ...current, status: CheckoutStatus.Active, checkoutAt: current.scheduledStart };
  }
  if (current.status === CheckoutStatus.Active && current.expiresAt !== null && current.expiresAt <= now) {
    current = { ...current, status: CheckoutStatus.Expired, checkinAt: current.expiresAt };
  }
  return current;
}

export function isHolding(record: CheckoutRecord, now: number): boolean {
  const status = effectiveCheckout(record, now).status;
  return status === CheckoutStatus.Active || status === CheckoutStatus.Granted;
}
