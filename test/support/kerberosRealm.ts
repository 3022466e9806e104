/**
 * A throw-away MIT Kerberos realm on loopback, for the Negotiate tests: a KDC (`krb5kdc`) on a
 * free port, a user principal, the service principal `HTTP/localhost` in a keytab, and a ticket
 * cache signed in as the user (`kinit`). Debian packages: krb5-kdc, krb5-admin-server (kadmin.local),
 * krb5-user (kinit). GSS-API reads KRB5_CONFIG, KRB5CCNAME and KRB5_KTNAME from the environment,
 * so `env` is set on this process for the life of the realm.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const REALM = 'COFFRE.TEST';
const TOOLS = ['/usr/sbin/krb5kdc', '/usr/sbin/kdb5_util', '/usr/sbin/kadmin.local', '/usr/bin/kinit'];

/** Why a realm cannot be made here, or null when it can. */
export function kerberosUnavailable(): string | null {
  const missing = TOOLS.filter((tool) => !fs.existsSync(tool));
  if (missing.length > 0)
    return `MIT Kerberos tools missing (${missing.join(', ')}): apt-get install krb5-kdc krb5-admin-server krb5-user`;
  return null;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.end();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the KDC did not listen on port ${port}`);
}

export interface KerberosRealm {
  dir: string;
  /** Signs the ticket cache in as this principal (its password given to kinit). */
  kinit(user: string, password: string): void;
  /** Adds a user principal. */
  addUser(user: string, password: string): void;
  stop(): void;
}

export async function startRealm(): Promise<KerberosRealm> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coffre-krb-'));
  const port = await freePort();
  const file = (name: string) => path.join(dir, name);
  fs.writeFileSync(
    file('krb5.conf'),
    `[libdefaults]
  default_realm = ${REALM}
  dns_lookup_kdc = false
  dns_lookup_realm = false
  rdns = false
  udp_preference_limit = 1
[realms]
  ${REALM} = {
    kdc = 127.0.0.1:${port}
  }
[domain_realm]
  localhost = ${REALM}
`,
  );
  fs.writeFileSync(
    file('kdc.conf'),
    `[kdcdefaults]
  kdc_listen = 127.0.0.1:${port}
  kdc_tcp_listen = 127.0.0.1:${port}
[realms]
  ${REALM} = {
    database_name = ${file('principal')}
    key_stash_file = ${file('stash')}
    acl_file = ${file('kadm5.acl')}
  }
`,
  );
  const env = {
    ...process.env,
    KRB5_CONFIG: file('krb5.conf'),
    KRB5_KDC_PROFILE: file('kdc.conf'),
    KRB5CCNAME: `FILE:${file('ccache')}`,
    KRB5_KTNAME: `FILE:${file('http.keytab')}`,
  };
  const run = (tool: string, args: string[], input?: string) =>
    execFileSync(tool, args, { env, input, stdio: ['pipe', 'pipe', 'pipe'], timeout: 30_000 });
  const kadmin = (query: string) => run('/usr/sbin/kadmin.local', ['-r', REALM, '-q', query]);
  run('/usr/sbin/kdb5_util', ['create', '-s', '-r', REALM, '-P', 'throw-away-master-key']);
  kadmin('addprinc -randkey HTTP/localhost');
  kadmin(`ktadd -k ${file('http.keytab')} HTTP/localhost`);
  const kdc: ChildProcess = spawn('/usr/sbin/krb5kdc', ['-n'], { env, stdio: 'ignore' });
  await waitForPort(port, Date.now() + 20_000);
  for (const key of ['KRB5_CONFIG', 'KRB5CCNAME', 'KRB5_KTNAME'] as const) process.env[key] = env[key];
  return {
    dir,
    addUser: (user, password) => kadmin(`addprinc -pw ${password} ${user}`),
    kinit: (user, password) => run('/usr/bin/kinit', [`${user}@${REALM}`], `${password}\n`),
    stop() {
      kdc.kill();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
