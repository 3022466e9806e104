import { z } from 'zod';

/** Error codes of the checkout dialect, with the HTTP status each travels with. */
export const ERROR_STATUS = {
  invalid_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  payload_too_large: 413,
  unsupported_media_type: 415,
  already_checked_out: 409,
  invalid_transition: 409,
  conflict: 409,
  reason_required: 422,
  approver_required: 422,
  approver_not_eligible: 422,
  duration_out_of_bounds: 422,
  schedule_out_of_bounds: 422,
  extension_out_of_bounds: 422,
  self_approval_not_allowed: 422,
  throttled: 429,
  /**
   * A Devolutions Server feature Coffre has no counterpart for (PAM providers, an account's sync
   * status): 404 with a message saying so, as a real DVLS answers Coffre's own routes with 404.
   */
  not_supported: 404,
} as const;
export type ErrorCode = keyof typeof ERROR_STATUS;

/**
 * Structured facts about a refusal, beside its message (checkout dialect: `error.details`). A 409
 * on a credential names the checkout that holds it when the caller may see that checkout; a 409 on
 * an administrator's edit made from an old version gives the current `version` (to read again).
 */
export const errorDetailsSchema = z.object({
  checkoutId: z.string().optional(),
  version: z.number().int().optional(),
});
export type ErrorDetails = z.infer<typeof errorDetailsSchema>;

export const errorBodySchema = z.object({
  /** DVLS's own error field (the Devolutions.Server module reads it); Coffre's servers send both. */
  message: z.string().optional(),
  error: z.object({ code: z.string(), message: z.string(), details: errorDetailsSchema.optional() }),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;

/** What went wrong, as clients classify it (HTTP status, transport failure, answer shape). */
export type ClientErrorKind =
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'policy'
  | 'invalid'
  | 'throttled'
  | 'network'
  | 'timeout'
  | 'tls'
  | 'server'
  | 'unsupported'
  | 'protocol';
