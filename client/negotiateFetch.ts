/**
 * Integrated Windows sign-in for Node (the CLI): a fetch port that sends every request with
 * `Authorization: Negotiate <SPNEGO token>` from the caller's Kerberos credentials (the ticket
 * cache `kinit` or the OS logon fills), as a browser does for a MIM PAM server behind IIS. It
 * needs the optional `kerberos` module (MIT GSS-API on Linux and macOS, SSPI on Windows). The
 * desktop app does not use it: it passes Electron's own `net.fetch`, which negotiates itself.
 */
import { PamClientError } from './errors.ts';
import type { FetchLike } from './pamBackend.ts';

type KerberosModule = typeof import('kerberos');

async function loadKerberos(): Promise<KerberosModule> {
  try {
    const module = (await import('kerberos')) as KerberosModule & { default?: KerberosModule };
    return module.default ?? module;
  } catch {
    throw new PamClientError(
      'unsupported',
      'Windows sign-in from the command line needs the optional "kerberos" module (MIT Kerberos or Windows SSPI).',
      { code: 'unsupported_sign_in' },
    );
  }
}

/** The token for `HTTP@<host>`; no ticket (no `kinit`, expired) is an authentication error. */
async function negotiateToken(kerberos: KerberosModule, host: string): Promise<string> {
  try {
    const client = await kerberos.initializeClient(`HTTP@${host}`, { mechOID: kerberos.GSS_MECH_OID_SPNEGO });
    return await client.step('');
  } catch (error) {
    throw new PamClientError(
      'unauthorized',
      `No Kerberos ticket for HTTP@${host}: sign in to the domain (kinit) first (${(error as Error).message}).`,
      { code: 'no_kerberos_ticket' },
    );
  }
}

export async function createNegotiateFetch(
  base: FetchLike = (input, init) => fetch(input, init),
): Promise<FetchLike> {
  const kerberos = await loadKerberos();
  return async (input, init) => {
    const url = new URL(String(input));
    const headers = new Headers(init?.headers);
    headers.set('authorization', `Negotiate ${await negotiateToken(kerberos, url.hostname)}`);
    return base(input, { ...init, headers });
  };
}
