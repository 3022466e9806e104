import os from 'node:os';
import path from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { createServerContext } from './context.ts';
import { DEMO_PASSWORD, DEMO_USERS } from './demo.ts';
import { PamError } from './domain/pamError.ts';
import { createKerberosAuth } from './http/kerberosAuth.ts';
import { DEFAULT_MIM_DOMAIN } from './http/routes/mimRoutes.ts';
import { createLogger } from './logger.ts';
import { assertTimeZone } from './mim/serverTime.ts';
import { startServer } from './startServer.ts';

function defaultDataDir(): string {
  if (process.env.COFFRE_DATA_DIR) return process.env.COFFRE_DATA_DIR;
  const base = process.env.XDG_DATA_HOME ?? path.join(os.homedir(), '.local', 'share');
  return path.join(base, 'coffre-server');
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidArgumentError('must be 0–65535.');
  return port;
}

/** `--cors-origin` may be repeated: each is one exact origin (scheme, host, port). */
function collectOrigin(value: string, previous: string[]): string[] {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError('must be an origin such as http://pamsrv:8090.');
  }
  if (!/^https?:$/.test(url.protocol) || url.origin !== value.replace(/\/+$/, '')) {
    throw new InvalidArgumentError('must be an origin such as http://pamsrv:8090 (no path).');
  }
  return [...previous, url.origin];
}

function parseTimeZone(value: string): string {
  try {
    assertTimeZone(value);
  } catch {
    throw new InvalidArgumentError('must be an IANA time zone such as Europe/Paris.');
  }
  return value;
}

/** `--trust-proxy`: true, or comma-separated proxy addresses/CIDRs. */
function parseTrustProxy(value: string): boolean | string {
  if (value === 'true') return true;
  if (value.trim() === '') throw new InvalidArgumentError('give true or proxy addresses.');
  return value;
}

/** `--public-url`: an absolute http(s) URL, without query or fragment. */
function parsePublicUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError('must be an absolute URL, such as https://pam.example.com.');
  }
  if (!['http:', 'https:'].includes(url.protocol) || url.search || url.hash || url.username) {
    throw new InvalidArgumentError('must be an http(s) URL without credentials, query or fragment.');
  }
  return url.href.replace(/\/+$/, '');
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

const program = new Command('coffre-server')
  // Options after a subcommand belong to it (create-admin has its own --data).
  .enablePositionalOptions()
  .description(
    'The Coffre reference PAM server: checkout dialect (/api/pam) and MIM dialect (/api/pamresources).',
  )
  .option('--demo', 'seed demo users and credentials (loopback only)')
  .option('--host <address>', 'address to listen on', '127.0.0.1')
  .option('--port <port>', 'port to listen on (0: any free port)', parsePort, 8086)
  .option('--data <dir>', 'directory for the database and master key', defaultDataDir())
  .addOption(
    new Option('--durability <mode>', 'normal: survives a process crash; full: also a power loss')
      .choices(['normal', 'full'])
      .default('full'),
  )
  .option(
    '--public-url <url>',
    'the base URL clients reach the server at, for absolute links (MIM odata.metadata, Location)',
    parsePublicUrl,
  )
  .option(
    '--trust-proxy <proxies>',
    'believe X-Forwarded-For from these proxies: true (any), or addresses/CIDRs (comma-separated)',
    parseTrustProxy,
  )
  .addOption(
    new Option('--log-level <level>', 'log level')
      .choices(['fatal', 'error', 'warn', 'info', 'debug', 'trace'])
      .default('warn'),
  )
  .option(
    '--cors-origin <origin>',
    'let this browser origin call the API with credentials (repeatable; none by default)',
    collectOrigin,
    [],
  )
  .option('--mim-domain <name>', 'the Windows domain the MIM dialect names users in', DEFAULT_MIM_DOMAIN)
  .option(
    '--kerberos-keytab <file>',
    'offer Negotiate (Kerberos) sign-in on the MIM dialect with this keytab',
  )
  .option('--kerberos-realm <REALM>', 'the realm whose users may sign in with Negotiate')
  .option('--kerberos-service <name>', 'the GSS service name (default: HTTP@<this host name>)')
  .option('--time-zone <zone>', "the MIM dialect's local time zone (default: the system's)", parseTimeZone)
  .action(async (options) => {
    const logger = createLogger({ level: options.logLevel });
    let integratedAuth: Awaited<ReturnType<typeof createKerberosAuth>> | undefined;
    if (options.kerberosKeytab) {
      if (!options.kerberosRealm) throw new InvalidArgumentError('--kerberos-keytab needs --kerberos-realm.');
      // GSS-API reads the service key from KRB5_KTNAME, once, at its first use.
      process.env.KRB5_KTNAME = `FILE:${path.resolve(options.kerberosKeytab)}`;
      integratedAuth = await createKerberosAuth({
        service: options.kerberosService ?? `HTTP@${os.hostname()}`,
        realm: options.kerberosRealm,
      });
    }
    const server = await startServer({
      dataDir: path.resolve(options.data),
      host: options.host,
      port: options.port,
      demo: Boolean(options.demo),
      durability: options.durability,
      trustProxy: options.trustProxy,
      publicUrl: options.publicUrl,
      masterKeyEnv: process.env.COFFRE_MASTER_KEY,
      logger,
      corsOrigins: options.corsOrigin,
      mim: { domain: options.mimDomain, timeZone: options.timeZone },
      integratedAuth,
    });
    const users = await server.ctx.store.countUsers();
    if (options.demo) {
      const names = DEMO_USERS.map((user) => user.username).join(', ');
      console.log(
        `Coffre server ready at ${server.url} (demo accounts: ${names}; password: ${DEMO_PASSWORD})`,
      );
    } else {
      // One write, so whoever reads the ready line has the hint with it.
      const hint =
        users === 0
          ? `\nNo users yet. Create the first administrator with:\n  coffre-server create-admin --data ${path.resolve(options.data)} --username <name> --password-stdin`
          : '';
      console.log(`Coffre server ready at ${server.url} (data in ${path.resolve(options.data)})${hint}`);
    }
    const stop = async () => {
      await server.close();
      process.exit(0);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });

program
  .command('create-admin')
  .description('create an administrator (the first one, or another) directly in the data directory')
  .requiredOption('--username <name>', 'the administrator’s username')
  .option('--display-name <name>', 'shown in the apps')
  .option('--password-stdin', 'read the password from standard input (otherwise COFFRE_ADMIN_PASSWORD)')
  .option('--data <dir>', 'directory for the database and master key', defaultDataDir())
  .action(async (options) => {
    const password = options.passwordStdin ? await readStdin() : process.env.COFFRE_ADMIN_PASSWORD;
    if (!password)
      throw new InvalidArgumentError('Give the password with --password-stdin or COFFRE_ADMIN_PASSWORD.');
    if (password.length < 12) throw new InvalidArgumentError('The password must be at least 12 characters.');
    const ctx = createServerContext({
      dataDir: path.resolve(options.data),
      masterKeyEnv: process.env.COFFRE_MASTER_KEY,
    });
    try {
      const user = await ctx.admin.createUser(null, {
        username: options.username,
        displayName: options.displayName,
        password,
        roles: ['admin', 'approver', 'user'],
      });
      console.log(`Created administrator ${user.username} (${user.id}).`);
    } finally {
      ctx.close();
    }
  });

try {
  await program.parseAsync(process.argv);
} catch (error) {
  const message =
    error instanceof PamError || error instanceof InvalidArgumentError || error instanceof Error
      ? error.message
      : String(error);
  console.error(`coffre-server: ${message}`);
  if (process.env.COFFRE_DEBUG) console.error(error);
  process.exit(1);
}
