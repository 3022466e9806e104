import { z } from 'zod';

/** IDs on the wire are lowercase GUIDs; input is accepted in any case and normalised. */
export const guidSchema = z
  .string()
  .regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, 'must be a GUID')
  .overwrite((value) => value.toLowerCase());

/** ISO-8601 UTC timestamp ending in `Z`. */
export const isoDateSchema = z.iso.datetime({ offset: false });

export function toIso(epochMs: number): string {
  return new Date(epochMs).toISOString();
}
