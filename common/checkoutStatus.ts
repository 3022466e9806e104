/**
 * Checkout status codes, without zod: the CLI (started at every completion Tab) and the renderer
 * bundle import these constants without loading the schemas of checkout.ts.
 */

/** Checkout status codes, as numbers on the wire (Devolutions Server's PAM). */
export const CheckoutStatus = {
  Invalid: 0,
  Pending: 1,
  Granted: 2,
  Denied: 3,
  Active: 4,
  Ended: 5,
  Expired: 6,
  Aborted: 7,
  RequestCanceled: 8,
  Initial: 9,
} as const;
export type CheckoutStatus = (typeof CheckoutStatus)[keyof typeof CheckoutStatus];

export function checkoutStatusName(status: CheckoutStatus): keyof typeof CheckoutStatus {
  const entry = Object.entries(CheckoutStatus).find(([, code]) => code === status);
  return (entry?.[0] ?? 'Invalid') as keyof typeof CheckoutStatus;
}

/** Statuses after which nothing more can happen to a checkout. */
export const FINAL_STATUSES: readonly CheckoutStatus[] = [
  CheckoutStatus.Denied,
  CheckoutStatus.Ended,
  CheckoutStatus.Expired,
  CheckoutStatus.Aborted,
  CheckoutStatus.RequestCanceled,
];
