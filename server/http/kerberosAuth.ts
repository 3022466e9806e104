/**
 * Negotiate (SPNEGO over Kerberos) through MIT's GSS-API, by the optional `kerberos` module: the
 * adapter behind the IntegratedAuth port. The service key comes from a keytab (`KRB5_KTNAME`, set
 * from `--kerberos-keytab` before the first use), as IIS's comes from the machine account.
 */
import type { IntegratedAuth } from './integratedAuth.ts';

export interface KerberosOptions {
  /** The GSS service name, `HTTP@<host the clients use>`. */
  service: string;
  /** Only principals of this realm are let in; the realm is removed from the user name. */
  realm: string;
}

type KerberosModule = typeof import('kerberos');

/** Loads the optional native module, or explains why Negotiate cannot be offered. */
export async function loadKerberos(): Promise<KerberosModule> {
  try {
    const module = (await import('kerberos')) as KerberosModule & { default?: KerberosModule };
    return module.default ?? module;
  } catch (error) {
    throw new Error(
      `Negotiate sign-in needs the optional "kerberos" module, built against MIT Kerberos (libkrb5-dev): ${(error as Error).message}`,
    );
  }
}

export async function createKerberosAuth(options: KerberosOptions): Promise<IntegratedAuth> {
  const kerberos = await loadKerberos();
  const suffix = `@${options.realm}`.toLowerCase();
  return {
    async accept(token) {
      // One context per request: Kerberos needs one round (the client's AP-REQ), no state is kept.
      const server = await kerberos.initializeServer(options.service);
      const responseToken = await server.step(token);
      if (!server.contextComplete) throw new Error('the Negotiate exchange needs more rounds (NTLM?)');
      const principal = server.username;
      if (!principal.toLowerCase().endsWith(suffix)) throw new Error('principal of another realm');
      return { username: principal.slice(0, -suffix.length), responseToken: responseToken || undefined };
    },
  };
}
