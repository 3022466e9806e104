/**
 * What the Devolutions.Server PowerShell module sends, made readable by the routes' schemas: JSON
 * keys in any case (`ConvertTo-Json` of a `[PamCheckout]` writes `ID`, `Status`, `ApproverMessage`;
 * the 2024 module and Coffre's clients write camelCase).
 */
import type { FastifyRequest, preValidationHookHandler } from 'fastify';

type KeyNames = readonly string[];
export interface KeySpec {
  names: KeyNames;
  /** Keys whose value is an object with keys of its own, to put in canonical case too. */
  nested?: Record<string, KeySpec>;
}

/** A copy of `value` whose keys matching one of `spec.names` case-insensitively are spelled as it. */
export function canonicalKeys(value: unknown, spec: KeySpec): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const byLower = new Map(spec.names.map((name) => [name.toLowerCase(), name]));
  const out: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(value)) {
    const name = byLower.get(key.toLowerCase()) ?? key;
    // An exact spelling wins over another case of the same key.
    if (Object.hasOwn(out, name) && key !== name) continue;
    const nested = spec.nested?.[name];
    out[name] = nested ? canonicalKeys(raw, nested) : raw;
  }
  return out;
}

/** A route hook putting the body's keys in canonical case before the schema validates it. */
export function caseInsensitiveBody(spec: KeySpec): preValidationHookHandler {
  return async (request) => {
    request.body = canonicalKeys(request.body, spec);
  };
}

export const EMPTY_GUID = '00000000-0000-0000-0000-000000000000';

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/**
 * Get-DSPamAccounts sends its folder id as the body of a GET (`Body = $folderID` through
 * Invoke-DS); Fastify parses no GET body, so this reads it from the request stream (a short
 * GUID, bare or quoted) and puts it in the query as `vaultID` when the query has none.
 */
export const folderFromGetBody: preValidationHookHandler = async (request: FastifyRequest) => {
  const length = Number(request.headers['content-length'] ?? 0);
  if (request.method !== 'GET' || !(length > 0) || length > 200) return;
  let text = '';
  for await (const chunk of request.raw) text += String(chunk);
  const candidate = text.trim().replace(/^"(.*)"$/, '$1');
  const query = request.query as Record<string, unknown>;
  if (GUID.test(candidate) && query.vaultID === undefined) query.vaultID = candidate;
};
