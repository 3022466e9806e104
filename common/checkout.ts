import { z } from 'zod';
import { CheckoutStatus } from './checkoutStatus.ts';
import { guidSchema } from './ids.ts';
import { policySchema } from './policy.ts';
import { VAULT_ROLES } from './vaultAccess.ts';

export { CheckoutStatus, checkoutStatusName, FINAL_STATUSES } from './checkoutStatus.ts';

export const checkoutStatusSchema = z.union(
  Object.values(CheckoutStatus).map((code) => z.literal(code)) as [
    z.ZodLiteral<CheckoutStatus>,
    z.ZodLiteral<CheckoutStatus>,
    ...z.ZodLiteral<CheckoutStatus>[],
  ],
);

export const checkoutSchema = z.object({
  id: guidSchema,
  userID: guidSchema,
  username: z.string(),
  credentialID: guidSchema,
  credentialName: z.string(),
  approverID: guidSchema.nullable(),
  approverName: z.string().nullable(),
  reason: z.string(),
  approverMessage: z.string(),
  status: checkoutStatusSchema,
  duration: z.number().int(),
  requestDateTime: z.string(),
  scheduledStart: z.string().nullable(),
  checkoutDateTime: z.string().nullable(),
  checkInDateTime: z.string().nullable(),
  expiresAt: z.string().nullable(),
  /*
   * Coffre's own, for people deciding or holding a checkout: the requester's full name, the account
   * and host the credential opens, its vault. Optional: Devolutions Server and the MIM dialect do
   * not send them (clients then fall back to what they know of the credential).
   */
  userDisplayName: z.string().optional(),
  credentialUsername: z.string().optional(),
  credentialHost: z.string().optional(),
  vaultID: guidSchema.optional(),
  vaultName: z.string().optional(),
});
export type Checkout = z.infer<typeof checkoutSchema>;

export const createCheckoutRequestSchema = z.object({
  credentialID: guidSchema,
  reason: z.string().max(2000).optional(),
  approverID: guidSchema.optional(),
  duration: z.number().int().positive().max(525_600).optional(),
  /** Start later (Granted until then once approved). */
  scheduledStart: z.iso.datetime().optional(),
});
export type CreateCheckoutRequest = z.input<typeof createCheckoutRequestSchema>;

export const createCheckoutResponseSchema = z.object({
  checkout: checkoutSchema,
  password: z.string().optional(),
});
export type CreateCheckoutResponse = z.infer<typeof createCheckoutResponseSchema>;

export const updateCheckoutRequestSchema = z.object({
  status: checkoutStatusSchema,
  approverMessage: z.string().max(2000).optional(),
  /** Approving: the minutes granted, at most those requested (the approver may shorten them). */
  duration: z.number().int().positive().max(525_600).optional(),
});
export type UpdateCheckoutRequest = z.infer<typeof updateCheckoutRequestSchema>;

export const extendCheckoutRequestSchema = z.object({
  minutes: z.number().int().positive().max(525_600),
});

/** `GET /api/pam/passwords/{id}`: DVLS's `{data, result}` (result 1 = success; absent on older Coffre servers). */
export const passwordResponseSchema = z.object({ data: z.string(), result: z.number().int().optional() });

export const credentialCheckoutStateSchema = z.object({
  id: guidSchema,
  status: checkoutStatusSchema,
  userID: guidSchema,
  username: z.string(),
  expiresAt: z.string().nullable(),
});

export const credentialSchema = z.object({
  id: guidSchema,
  vaultID: guidSchema,
  name: z.string(),
  username: z.string(),
  host: z.string(),
  description: z.string(),
  policy: policySchema,
  checkout: credentialCheckoutStateSchema.nullable(),
  updatedAt: z.string(),
});
export type Credential = z.infer<typeof credentialSchema>;

/** A change sequence number of the server (incremental sync): what to pass as `changedSince` next. */
export const syncTokenSchema = z.number().int().min(0);

/**
 * A page of `GET /api/pam/credentials`. `syncToken` is optional here because older servers do not
 * send it (clients then sync in full every time); the server always does (`credentialListingSchema`).
 */
export const credentialPageSchema = z.object({
  data: z.array(credentialSchema),
  total: z.number().int(),
  syncToken: syncTokenSchema.optional(),
});
export type CredentialPage = z.infer<typeof credentialPageSchema>;

/**
 * A page of changes (`GET /api/pam/credentials?changedSince=`): the credentials changed after
 * `changedSince`, the ids of those deleted since, in change order; `total` counts every change
 * left, this page included; `syncToken` is the `changedSince` of the next page (or next sync).
 */
export const credentialChangesPageSchema = z.object({
  data: z.array(credentialSchema),
  deleted: z.array(guidSchema),
  total: z.number().int(),
  syncToken: syncTokenSchema,
});
export type CredentialChangesPage = z.infer<typeof credentialChangesPageSchema>;

/**
 * What the server answers to `GET /api/pam/credentials`: a listing page, with the sync token taken
 * before it was read; or, with `changedSince`, a changes page (with `deleted`).
 */
export const credentialListingSchema = z.object({
  data: z.array(credentialSchema),
  total: z.number().int(),
  syncToken: syncTokenSchema.describe(
    'Pass as changedSince to get what changed since. For a listing: the last change number before it was read (use the first page’s); for a changes page: the number of its last entry, or the current last number when it is empty.',
  ),
  deleted: z
    .array(guidSchema)
    .optional()
    .describe('Only with changedSince: ids of the credentials deleted since (tombstones).'),
});

export const vaultSchema = z.object({
  id: guidSchema,
  name: z.string(),
  description: z.string(),
  /**
   * The caller's role in the vault (common/vaultAccess.ts). Absent from servers without vault
   * permissions (and from DVLS): treat as `approve`, what everyone could do there.
   */
  role: z.enum(VAULT_ROLES).optional(),
});
export type Vault = z.infer<typeof vaultSchema>;

export const approverSchema = z.object({
  id: guidSchema,
  username: z.string(),
  displayName: z.string(),
});
export type Approver = z.infer<typeof approverSchema>;
