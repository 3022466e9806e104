/**
 * A throw-away PostgreSQL cluster for tests and benchmarks: `initdb` into a temporary directory,
 * started on a free loopback port with its unix socket in that directory, stopped and removed
 * afterwards. Nothing depends on a cluster left running from before.
 *
 * PostgreSQL refuses to run as root, so when the tests run as root (CI containers) the server's
 * commands run as the unprivileged `postgres` user that Debian's package creates.
 */
import { execFile, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

export interface PostgresCluster {
  /** A connection URL for `database` (the maintenance database `postgres` by default). */
  url(database?: string): string;
  /** Creates an empty database and returns its URL. */
  createDatabase(): Promise<string>;
  dropDatabase(url: string): Promise<void>;
  stop(): Promise<void>;
}

const SUPERUSER = 'coffre';

/** The newest installed PostgreSQL's binaries (COFFRE_PG_BIN overrides), or null when none. */
export function findPostgresBin(): string | null {
  if (process.env.COFFRE_PG_BIN) return process.env.COFFRE_PG_BIN;
  const root = '/usr/lib/postgresql';
  if (!fs.existsSync(root)) return null;
  const versions = fs
    .readdirSync(root)
    .filter((name) => fs.existsSync(path.join(root, name, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? path.join(root, versions[0], 'bin') : null;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Runs a PostgreSQL binary as an unprivileged user when we are root. */
function asServerUser(command: string, args: string[]): [string, string[]] {
  if (process.getuid?.() !== 0) return [command, args];
  return ['runuser', ['-u', 'postgres', '--', command, ...args]];
}

export async function startPostgresCluster(
  options: {
    /** Keep PostgreSQL's durability (fsync, synchronous commit): for benchmarks. Tests turn it off. */
    durable?: boolean;
  } = {},
): Promise<PostgresCluster> {
  const bin = findPostgresBin();
  if (!bin)
    throw new Error('PostgreSQL is not installed (apt-get install postgresql), or set COFFRE_PG_BIN.');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coffre-pg-'));
  if (process.getuid?.() === 0) {
    const { uid, gid } = fs.statSync('/var/lib/postgresql');
    fs.chownSync(dir, uid, gid);
  }
  const dataDir = path.join(dir, 'data');
  const pgCtl = path.join(bin, 'pg_ctl');
  const removeDir = () => fs.rmSync(dir, { recursive: true, force: true });
  try {
    await run(
      ...asServerUser(path.join(bin, 'initdb'), [
        '-D',
        dataDir,
        '-U',
        SUPERUSER,
        '--auth=trust',
        '--encoding=UTF8',
        '--locale=C',
        '--no-sync',
      ]),
    );
  } catch (error) {
    removeDir();
    throw error;
  }

  // A throw-away cluster: durability off unless asked, enough connections for parallel test files.
  let port = 0;
  for (let attempt = 0; ; attempt++) {
    port = await freePort();
    const settings = [
      `-p ${port}`,
      `-k ${dir}`,
      '-c listen_addresses=127.0.0.1',
      ...(options.durable ? [] : ['-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off']),
      '-c max_connections=400',
      '-c shared_buffers=32MB',
    ].join(' ');
    try {
      await run(
        ...asServerUser(pgCtl, ['-D', dataDir, '-o', settings, '-l', path.join(dir, 'log'), '-w', 'start']),
      );
      break;
    } catch (error) {
      // Another process may have taken the port between the probe and the start.
      if (attempt >= 3) {
        removeDir();
        throw error;
      }
    }
  }

  let stopped = false;
  const stopNow = () => {
    if (stopped) return;
    stopped = true;
    spawnSync(...asServerUser(pgCtl, ['-D', dataDir, '-m', 'immediate', '-w', 'stop']));
    removeDir();
  };
  // A test run that dies still takes its cluster with it.
  process.once('exit', stopNow);

  const url = (database = 'postgres') =>
    `postgres://${SUPERUSER}@127.0.0.1:${port}/${encodeURIComponent(database)}`;

  return {
    url,
    createDatabase: () => createTestDatabase(url()),
    dropDatabase: (databaseUrl: string) => dropTestDatabase(url(), databaseUrl),
    async stop() {
      process.removeListener('exit', stopNow);
      stopNow();
    },
  };
}

async function asAdmin<T>(adminUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A new empty database on the cluster of `adminUrl` (its maintenance database); returns its URL. */
export async function createTestDatabase(adminUrl: string): Promise<string> {
  const name = `coffre_${randomBytes(6).toString('hex')}`;
  await asAdmin(adminUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function dropTestDatabase(adminUrl: string, databaseUrl: string): Promise<void> {
  const name = decodeURIComponent(new URL(databaseUrl).pathname.slice(1));
  if (!/^coffre_[0-9a-f]+$/.test(name)) throw new Error(`Not a test database: ${name}`);
  await asAdmin(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}
