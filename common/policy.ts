import { z } from 'zod';
import { guidSchema } from './ids.ts';

export const CHARACTER_CLASSES = ['lower', 'upper', 'digit', 'symbol'] as const;
export const characterClassSchema = z.enum(CHARACTER_CLASSES);
export type CharacterClass = z.infer<typeof characterClassSchema>;

/** The effective policy of a credential: its own settings over its vault's, over these defaults. */
export const policySchema = z.object({
  approvalMode: z.enum(['none', 'mandatory']),
  reasonMode: z.enum(['none', 'optional', 'mandatory']),
  approvers: z.array(guidSchema),
  selfApproval: z.boolean(),
  defaultDuration: z.number().int().positive(),
  minDuration: z.number().int().positive(),
  maxDuration: z.number().int().positive(),
  maxExtension: z.number().int().nonnegative(),
  rotateOnCheckin: z.boolean(),
  exclusive: z.boolean(),
  /** How far ahead (days) a scheduled checkout may start: 0 allows no scheduling. */
  maxScheduleAheadDays: z.number().int().min(0).max(366),
  passwordLength: z.number().int().min(8).max(128),
  passwordClasses: z.array(characterClassSchema).min(1),
});
export type Policy = z.infer<typeof policySchema>;

/** What an admin sets on a vault or a credential; unset fields are inherited. */
export const policyPatchSchema = policySchema.partial().strict();
export type PolicyPatch = z.infer<typeof policyPatchSchema>;

export const DEFAULT_POLICY: Policy = {
  approvalMode: 'none',
  reasonMode: 'optional',
  approvers: [],
  selfApproval: false,
  defaultDuration: 120,
  minDuration: 10,
  maxDuration: 480,
  maxExtension: 240,
  rotateOnCheckin: false,
  exclusive: true,
  maxScheduleAheadDays: 30,
  passwordLength: 24,
  passwordClasses: ['lower', 'upper', 'digit', 'symbol'],
};

export function resolvePolicy(...layers: Array<PolicyPatch | null | undefined>): Policy {
  const policy: Policy = { ...DEFAULT_POLICY };
  for (const layer of layers) {
    if (!layer) continue;
    for (const [key, value] of Object.entries(layer)) {
      if (value !== undefined) (policy as Record<string, unknown>)[key] = value;
    }
  }
  return policy;
}
