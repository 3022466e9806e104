/**
 * Coffre's own additions to Devolutions Server's API (docs/wire/dvls.md, "Coffre's own client
 * against a DVLS"): a real DVLS answers them 404. The checkout adapter turns that 404 into one clear
 * refusal — kind `unsupported`, code `not_offered`, "Not offered by this server: …" — instead of a
 * "not found" that would read as a missing credential; callers with a fallback (polling instead of
 * live events, no vault names) take it on this code.
 */
import { type CoffreFeature, NOT_OFFERED, notOfferedMessage } from '../common/notOffered.ts';
import { DEFAULT_MESSAGES, isPamClientError, PamClientError } from './errors.ts';

export type { CoffreFeature };

export function notOfferedError(feature: CoffreFeature, endpoint?: string, cause?: unknown): PamClientError {
  return new PamClientError('unsupported', notOfferedMessage(feature), {
    code: NOT_OFFERED,
    status: 404,
    ...(endpoint ? { endpoint } : {}),
    ...(cause ? { cause } : {}),
  });
}

export function isNotOffered(error: unknown): boolean {
  return isPamClientError(error) && error.code === NOT_OFFERED;
}

/**
 * Whether a 404 means the route itself is missing. On a route without an id any 404 does; on one
 * with an id (`/credentials/{id}/approvers`) a Coffre server's 404 names the missing thing, so only
 * a 404 without a server message, or Coffre's own "No such endpoint", counts.
 */
export function isRouteMissing(error: unknown, options: { idRoute?: boolean } = {}): boolean {
  if (!isPamClientError(error) || error.kind !== 'not_found') return false;
  if (!options.idRoute) return true;
  return error.message === DEFAULT_MESSAGES.not_found || error.message.startsWith('No such endpoint');
}

/** Runs a call to a Coffre-only route; its missing route becomes the `not_offered` refusal. */
export async function coffreOnly<T>(
  feature: CoffreFeature,
  call: () => Promise<T>,
  options: { idRoute?: boolean } = {},
): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (isRouteMissing(error, options)) {
      throw notOfferedError(feature, (error as PamClientError).endpoint, error);
    }
    throw error;
  }
}
