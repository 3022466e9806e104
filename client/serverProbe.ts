/**
 * Which PAM API a server speaks, asked of the server itself before signing in (the sign-in
 * screen's "Server type"). Two anonymous GETs, each a page the real products answer:
 *   - Devolutions Server: `GET /api/public-instance-information` (or `/api/server-information` on
 *     older versions) answers `{ result, data: { publicKey, … } }` without a session, as
 *     `New-DSSession` of the Devolutions.Server PowerShell module reads it (see dvlsSignIn.ts);
 *   - Microsoft MIM PAM: `GET /api/pamresources/sessioninfo` sits behind IIS's Windows
 *     authentication, so an anonymous caller gets 401 (or 200 when the OS signed in already).
 * Coffre's reference server speaks both, so both can come back; a server that answers neither,
 * or is not reachable, leaves the choice to the user (the screen explains it).
 */

import { readServerInformation } from './dvlsSignIn.ts';
import { isPamClientError } from './errors.ts';
import { createHttpClient } from './httpClient.ts';
import type { FetchLike, PamDialect } from './pamBackend.ts';

export interface ServerProbeResult {
  /** The APIs the server answered, checkout (Devolutions Server) first. */
  dialects: PamDialect[];
  /** Why nothing could be learned: the server did not answer, or its certificate is not trusted. */
  failure: 'unreachable' | 'tls' | null;
}

export interface ServerProbeOptions {
  /** The server's URL (the first of several is probed). */
  url: string;
  ca?: string;
  fetch?: FetchLike;
  /** Per request; a probe must not hold the sign-in screen long (default 5 s). */
  timeoutMs?: number;
}

const MIM_SESSION_INFO = '/api/pamresources/sessioninfo';

export async function probeServer(options: ServerProbeOptions): Promise<ServerProbeResult> {
  const first = options.url.split(',')[0]?.trim() ?? '';
  const timeoutMs = options.timeoutMs ?? 5_000;
  const http = createHttpClient({
    baseUrl: first,
    timeoutMs,
    maxTries: 1,
    ...(options.ca ? { ca: options.ca } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  try {
    const [dvls, mim] = await Promise.all([
      answers(() => readServerInformation(http).then((info) => info !== null)),
      answers(
        () =>
          http.raw(MIM_SESSION_INFO, { signal: AbortSignal.timeout(timeoutMs) }).then(async (response) => {
            await response.body?.cancel();
            return true;
          }),
        (error) => error.kind === 'unauthorized',
      ),
    ]);
    const dialects: PamDialect[] = [];
    if (dvls === true) dialects.push('checkout');
    if (mim === true) dialects.push('mim');
    return { dialects, failure: dialects.length > 0 ? null : failureOf(dvls, mim) };
  } finally {
    await http.close();
  }
}

function failureOf(...answers: Array<boolean | 'tls' | 'unreachable'>): ServerProbeResult['failure'] {
  if (answers.includes('tls')) return 'tls';
  return answers.every((answer) => answer === 'unreachable') ? 'unreachable' : null;
}

/** True when the server answered as that product, false when it did not, or why it could not say. */
async function answers(
  ask: () => Promise<boolean>,
  /** A refusal that still proves the product (MIM's 401 to an anonymous caller). */
  provesIt: (error: { kind: string }) => boolean = () => false,
): Promise<boolean | 'tls' | 'unreachable'> {
  try {
    return await ask();
  } catch (error) {
    if (!isPamClientError(error)) return false;
    if (provesIt(error)) return true;
    if (error.kind === 'tls') return 'tls';
    if (error.kind === 'network' || error.kind === 'timeout') return 'unreachable';
    return false;
  }
}
