/** Checkout status codes for the CLI, from the zod-free module (start-up time matters for completion). */
export { CheckoutStatus as Status } from '../common/checkoutStatus.ts';
