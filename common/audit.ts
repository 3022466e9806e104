import { z } from 'zod';
import { guidSchema } from './ids.ts';

export const AUDIT_ACTIONS = [
  'login',
  'login.failed',
  /** A sign-in counter reached its ceiling (details: which one); see server/domain/loginThrottle.ts. */
  'login.locked',
  'logout',
  'checkout.requested',
  'checkout.approved',
  'checkout.denied',
  'checkout.activated',
  'checkout.checkedin',
  'checkout.canceled',
  'checkout.aborted',
  'checkout.expired',
  'checkout.extended',
  'password.read',
  'password.rotated',
  'password.set',
  'user.created',
  'user.updated',
  'vault.created',
  'vault.updated',
  /** A vault's members or their roles changed (details: the vault, then each member and role). */
  'vault.members.changed',
  /** A group was created, renamed, given other members or deleted (details: what). */
  'group.changed',
  /** An empty vault deleted (DVLS's Remove-DSPamFolder). */
  'vault.deleted',
  /** DVLS's checkout policies (New-/Update-/Remove-DSPamCheckoutPolicy). */
  'checkoutPolicy.created',
  'checkoutPolicy.updated',
  'checkoutPolicy.deleted',
  'credential.created',
  'credential.updated',
  'credential.deleted',
] as const;
export const auditActionSchema = z.enum(AUDIT_ACTIONS);
export type AuditAction = z.infer<typeof auditActionSchema>;

export const auditEntrySchema = z.object({
  id: z.number().int(),
  at: z.string(),
  actorID: guidSchema.nullable(),
  actorName: z.string().nullable(),
  action: auditActionSchema,
  credentialID: guidSchema.nullable(),
  checkoutID: guidSchema.nullable(),
  details: z.string(),
  /** SHA-256 over the previous row's hash and this row's content: the chain is tamper-evident. */
  hash: z.string(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;
