/**
 * Multi-node reliability: two `coffre-server` processes on one PostgreSQL database, clients (the
 * real client core, given both URLs) cycling exclusive checkouts over them, and `kill -9` of a
 * node in the middle of the traffic, twice (once the sweeper's node). Afterwards: the other node
 * kept serving, the clients failed over without signing in again, nothing acknowledged is lost,
 * an exclusive credential never had two holders, the audit chain verifies, and the sweeper moved.
 * Only hang guards, no duration asserts. RELIABILITY_SEED replays a run.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPamBackend } from '../../client/createPamBackend.ts';
import { PamClientError } from '../../client/errors.ts';
import type { PamBackend } from '../../client/pamBackend.ts';
import { CheckoutStatus } from '../../common/checkout.ts';
import { PostgresStore } from '../../server/store/postgresStore.ts';
import { createUsers, login, runSeed, seededRandom, USER_PASSWORD } from '../reliability/support.ts';
import { testDatabase } from '../support/testServer.ts';

const BIN = path.resolve('bin/coffre-server.js');
const CLIENTS = 40;
const CYCLES_PER_ROUND = 4;
const GUARD_MS = 60_000;

interface Node {
  port: number;
  url: string;
  process: ChildProcess;
  exited: Promise<void>;
}

async function withGuard<T>(work: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const guard = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`hang guard: ${what}`)), GUARD_MS);
  });
  try {
    return await Promise.race([work, guard]);
  } finally {
    clearTimeout(timer);
  }
}

let databaseUrl: string;
let dropDatabase: () => Promise<void>;
let dataDir: string;
const masterKey = randomBytes(32).toString('base64');

async function startNode(port = 0): Promise<Node> {
  const child = spawn(
    process.execPath,
    [
      BIN,
      '--demo',
      '--port',
      String(port),
      '--data',
      dataDir,
      '--database',
      databaseUrl,
      '--log-level',
      'error',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, COFFRE_MASTER_KEY: masterKey } },
  );
  const stderr: string[] = [];
  child.stderr!.on('data', (chunk) => stderr.push(String(chunk)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const lines = readline.createInterface({ input: child.stdout! });
  const url = await withGuard(
    new Promise<string>((resolve, reject) => {
      child.once('exit', (code, signal) =>
        reject(new Error(`node exited (${code ?? signal}): ${stderr.join('')}`)),
      );
      lines.on('line', (line) => {
        const match = line.match(/ready at (http:\/\/[\d.]+:\d+)/);
        if (match) resolve(match[1]!);
      });
    }),
    'node ready line',
  );
  return { port: Number(new URL(url).port), url, process: child, exited };
}

async function killHard(node: Node): Promise<void> {
  node.process.kill('SIGKILL');
  await withGuard(node.exited, 'node exit after SIGKILL');
}

/** The pid of the process holding the sweeper lease (its lease connection names it), if any. */
async function sweeperPid(): Promise<number | undefined> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query(
      `SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
       WHERE l.locktype = 'advisory' AND l.granted AND a.application_name LIKE 'coffre-sweeper:%'`,
    );
    const name = rows[0]?.application_name as string | undefined;
    return name ? Number(name.split(':')[1]) : undefined;
  } finally {
    await client.end();
  }
}

async function waitForSweeper(pids: number[]): Promise<number> {
  let seen: number | undefined;
  return withGuard(
    (async () => {
      for (;;) {
        seen = await sweeperPid();
        if (seen !== undefined && pids.includes(seen)) return seen;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })(),
    'a live node takes the sweeper lease',
  ).catch((error: Error) => {
    throw new Error(`${error.message} (nodes ${pids.join(', ')}; holder ${seen ?? 'none'})`);
  });
}

interface Acked {
  checkoutId: string;
  credentialId: string;
  checkedIn: boolean;
}

const seed = runSeed('killNode');
const random = seededRandom(seed);
const nodes: Node[] = [];
let backends: PamBackend[];
let credentials: string[];
const acked = new Map<string, Acked>();
let attempts = 0;
const serverErrors: string[] = [];
let tokensBefore: Array<string | null>;
const sweeperMoves: Array<{ from: number; to: number }> = [];

/** After an answer that never came (the node died mid-request), the client tidies up what it holds. */
async function recover(backend: PamBackend): Promise<void> {
  const open = await backend.listMyCheckouts({ activeAndPending: true }).catch(() => []);
  for (const checkout of open) {
    if (checkout.status === CheckoutStatus.Active) await backend.checkIn(checkout.id).catch(() => undefined);
  }
}

function noteError(error: unknown): void {
  if (error instanceof PamClientError && error.kind === 'server') serverErrors.push(error.message);
  else if (!(error instanceof PamClientError)) throw error;
}

async function cycle(backend: PamBackend): Promise<void> {
  const credentialId = credentials[Math.floor(random() * credentials.length)]!;
  let created: Awaited<ReturnType<PamBackend['requestCheckout']>>;
  attempts++;
  try {
    created = await backend.requestCheckout({ credentialId, duration: 30 });
  } catch (error) {
    if (error instanceof PamClientError && error.kind === 'conflict') return;
    noteError(error);
    await recover(backend);
    return;
  }
  const record: Acked = { checkoutId: created.checkout.id, credentialId, checkedIn: false };
  acked.set(record.checkoutId, record);
  try {
    await backend.checkIn(record.checkoutId);
    record.checkedIn = true;
  } catch (error) {
    noteError(error);
    await recover(backend);
  }
}

async function round(killDuring?: () => Node): Promise<void> {
  const work = Promise.all(
    backends.map(async (backend) => {
      for (let i = 0; i < CYCLES_PER_ROUND; i++) await cycle(backend);
    }),
  );
  if (killDuring) {
    // Somewhere in the traffic: after a random share of this round's requests were sent.
    const target = attempts + 1 + Math.floor((random() * CLIENTS * CYCLES_PER_ROUND) / 2);
    let done = false;
    void work.finally(() => {
      done = true;
    });
    await withGuard(
      (async () => {
        while (attempts < target && !done) await new Promise((resolve) => setTimeout(resolve, 5));
      })(),
      'traffic before the kill',
    );
    const victim = killDuring();
    await killHard(victim);
    await withGuard(work, 'a round with a node killed');
    // The node comes back on its port (the load balancer's address for it).
    nodes[nodes.indexOf(victim)] = await startNode(victim.port);
  } else {
    await withGuard(work, 'a round');
  }
}

beforeAll(async () => {
  const database = await testDatabase();
  databaseUrl = database.url;
  dropDatabase = database.drop;
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'coffre-kill-'));
  nodes.push(...(await Promise.all([startNode(), startNode()])));
  const admin = await login(nodes[0]!.url, 'admin', 'coffre-demo');
  credentials = [];
  for (let i = 0; i < 4; i++) {
    const created = await admin.request('POST', '/api/admin/credentials', {
      vaultID: 'a1000000-0000-4000-8000-000000000001',
      name: `Exclusive ${i}`,
      policy: { approvalMode: 'none', exclusive: true },
    });
    expect(created.status, created.text).toBe(201);
    credentials.push(created.body.id);
  }
  const users = await createUsers(nodes[0]!.url, admin, 'killer', CLIENTS);
  backends = [];
  for (const [index, user] of users.entries()) {
    // Clients spread over the nodes: each lists them from its own first.
    const urls = index % 2 === 0 ? [nodes[0]!.url, nodes[1]!.url] : [nodes[1]!.url, nodes[0]!.url];
    const backend = createPamBackend({ dialect: 'checkout', baseUrl: urls.join(','), timeoutMs: 10_000 });
    await backend.login(user.username, USER_PASSWORD);
    backends.push(backend);
  }
  tokensBefore = backends.map((backend) => backend.session().token);

  await round();
  // First kill: the node that sweeps, so the lease must move.
  const holder = await waitForSweeper(nodes.map((node) => node.process.pid!));
  await round(() => nodes.find((node) => node.process.pid === holder)!);
  // The victim is back under a new pid by now; the lease is with a live process either way.
  sweeperMoves.push({ from: holder, to: await waitForSweeper(nodes.map((node) => node.process.pid!)) });
  // Second kill: a node at random.
  await round(() => nodes[Math.floor(random() * nodes.length)]!);
  await round();
}, 600_000);

afterAll(async () => {
  for (const node of nodes) {
    if (node.process.exitCode === null && node.process.signalCode === null) node.process.kill('SIGTERM');
    await withGuard(node.exited, 'node exit').catch(() => node.process.kill('SIGKILL'));
  }
  await dropDatabase?.();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

describe(`two nodes, kill -9 under load (seed ${seed})`, () => {
  it('traffic was acknowledged, and no request met a server error', () => {
    expect(acked.size).toBeGreaterThan(0);
    expect(serverErrors).toEqual([]);
  });

  it('clients failed over without signing in again', () => {
    expect(backends.map((backend) => backend.session().token)).toEqual(tokensBefore);
  });

  it('nothing acknowledged is lost: every created checkout is stored, every check-in is Ended', async () => {
    const store = await PostgresStore.open({ url: databaseUrl, migrate: false });
    try {
      for (const record of acked.values()) {
        const stored = await store.getCheckout(record.checkoutId);
        expect(stored, record.checkoutId).toBeDefined();
        expect(stored!.credentialId).toBe(record.credentialId);
        if (record.checkedIn) expect(stored!.status, record.checkoutId).toBe(CheckoutStatus.Ended);
      }
    } finally {
      await store.close();
    }
  });

  it('an exclusive credential never had two holders at once (in commit order: the audit chain)', async () => {
    // Each checkout here is Active from its creation (no approval) until its end. Timestamps are
    // taken by each node before it waits for the credential's lock, so the audit chain (one order,
    // the commit order) is what tells who held the credential when.
    const ends = new Set(['checkout.checkedin', 'checkout.aborted', 'checkout.expired', 'checkout.canceled']);
    const store = await PostgresStore.open({ url: databaseUrl, migrate: false });
    try {
      const rows = await store.listAudit({ offset: 0, limit: 1_000_000 });
      for (const credentialId of credentials) {
        const holders = new Set<string>();
        const seenCheckouts = new Set<string>();
        for (const row of rows) {
          if (row.credentialId !== credentialId || !row.checkoutId) continue;
          if (!seenCheckouts.has(row.checkoutId)) {
            seenCheckouts.add(row.checkoutId);
            holders.add(row.checkoutId);
            expect([...holders], `audit row ${row.id}`).toHaveLength(1);
          }
          if (ends.has(row.action)) holders.delete(row.checkoutId);
        }
        expect(seenCheckouts.size).toBeGreaterThan(0);
      }
    } finally {
      await store.close();
    }
  });

  it('the audit chain verifies', async () => {
    const store = await PostgresStore.open({ url: databaseUrl, migrate: false });
    try {
      expect(await store.verifyAuditChain()).toBeNull();
    } finally {
      await store.close();
    }
  });

  it('the sweeper lease moved to the surviving node when its node was killed', () => {
    expect(sweeperMoves).toHaveLength(1);
    expect(sweeperMoves[0]!.to).not.toBe(sweeperMoves[0]!.from);
  });
});
