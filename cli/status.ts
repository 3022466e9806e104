/**
 * Checkout status codes for the CLI. The same values as common/checkout.ts's CheckoutStatus (the
 * type-check holds them equal), without loading the zod schemas of that module at start-up: shell
 * completion runs `coffre` at every Tab press, so start-up time matters.
 */
import type { CheckoutStatus as WireStatus } from '../common/checkout.ts';

export const Status = {
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
} as const satisfies typeof WireStatus;
