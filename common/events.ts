import { z } from 'zod';
import { checkoutSchema } from './checkout.ts';
import { guidSchema } from './ids.ts';

export const EVENT_TYPES = [
  'checkout.created',
  'checkout.updated',
  'checkout.expiring',
  'credential.rotated',
] as const;

export const credentialRotatedSchema = z.object({ credentialID: guidSchema, rotatedAt: z.string() });

export const pamEventSchema = z.discriminatedUnion('type', [
  z.object({ id: z.number().int(), type: z.literal('checkout.created'), data: checkoutSchema }),
  z.object({ id: z.number().int(), type: z.literal('checkout.updated'), data: checkoutSchema }),
  z.object({ id: z.number().int(), type: z.literal('checkout.expiring'), data: checkoutSchema }),
  z.object({ id: z.number().int(), type: z.literal('credential.rotated'), data: credentialRotatedSchema }),
]);
export type PamEvent = z.infer<typeof pamEventSchema>;
export type PamEventType = PamEvent['type'];
