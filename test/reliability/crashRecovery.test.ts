/**
 * `kill -9` under load. The server runs as its own process (`bin/coffre-server.js`, durability
 * full); 200 clients cycle checkouts of their own credentials (checkout → password → check-in);
 * after a random number of acknowledged operations the process is killed, then restarted on the
 * same data directory. Everything a client saw acknowledged (a 2xx) must be in the database, in
 * that state or a later one, with its audit rows; the audit chain must verify; and the restarted
 * server must serve. How fast it restarts is measured by `npm run bench:restart`, not asserted
 * here: a busy machine must never fail a test. Three rounds, at moments drawn from a seeded PRNG
 * (the seed is printed; RELIABILITY_SEED=<seed> replays the same choices).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckoutStatus } from '../../common/checkout.ts';
import { DEMO_PASSWORD } from '../../server/demo.ts';
import { SqliteStore } from '../../server/store/sqliteStore.ts';
import { apiRequest } from '../support/testServer.ts';
import {
  between,
  type Client,
  clientOf,
  createUsers,
  inBatches,
  login,
  runSeed,
  seededRandom,
} from './support.ts';

const BIN = path.resolve(import.meta.dirname, '../../bin/coffre-server.js');
const SERVERS_VAULT = 'a1000000-0000-4000-8000-000000000001';
const CLIENTS = 200;
const ROUNDS = 3;
/** Cycles per client and round: far more than any kill point needs, so every loop ends. */
const MAX_CYCLES = 40;
/** Acknowledged operations before the kill, drawn in this range for each round. */
const KILL_AFTER: [number, number] = [150, 2500];
/** Hang guard for a spawn to be ready and serving: far above the normal time (well under 1 s). */
const READY_GUARD_MS = 30_000;

interface ChildServer {
  url: string;
  process: ChildProcess;
  exited: Promise<void>;
  stderr: string[];
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** Spawns the server and waits for its ready line and its first 200 on /api/health. */
async function spawnServer(dataDir: string): Promise<ChildServer> {
  const child = spawn(
    process.execPath,
    [BIN, '--demo', '--port', '0', '--data', dataDir, '--durability', 'full', '--log-level', 'error'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const stderr: string[] = [];
  child.stderr!.on('data', (chunk) => stderr.push(String(chunk)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const lines = readline.createInterface({ input: child.stdout! });
  try {
    const url = await withTimeout(
      new Promise<string>((resolve, reject) => {
        child.once('exit', (code, signal) =>
          reject(new Error(`coffre-server exited (${code ?? signal}) before ready: ${stderr.join('')}`)),
        );
        lines.on('line', (line) => {
          const match = line.match(/ready at (http:\/\/[\d.]+:\d+)/);
          if (match) resolve(match[1]!);
        });
      }),
      READY_GUARD_MS,
      'coffre-server ready line',
    );
    // The ready line comes after listen(), so the first try should answer; retried all the same.
    await withTimeout(
      (async () => {
        while (true) {
          const response = await fetch(`${url}/api/health`).catch(() => undefined);
          if (response?.status === 200) return;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      })(),
      READY_GUARD_MS,
      'coffre-server /api/health',
    );
    return { url, process: child, exited, stderr };
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
}

async function killHard(server: ChildServer): Promise<void> {
  if (server.process.exitCode === null && server.process.signalCode === null) server.process.kill('SIGKILL');
  await withTimeout(server.exited, 10_000, 'coffre-server exit after SIGKILL');
}

/** What the clients saw acknowledged, per checkout. */
interface Seen {
  checkoutId: string;
  credentialId: string;
  /** The 201 of its creation came back. */
  created: boolean;
  /** 200s of GET /api/pam/passwords while it was the open checkout. */
  reads: number;
  /** The 200 of its check-in came back. */
  checkedIn: boolean;
}

const seed = runSeed('crashRecovery');
const random = seededRandom(seed);
let dataDir: string;
let server: ChildServer | undefined;
let clients: Client[];
let credentials: Array<{ id: string; rotating: boolean }>;
const seen = new Map<string, Seen>();
const rounds: Array<{ round: number; killAfter: number; acked: number }> = [];

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'coffre-crash-'));
  server = await spawnServer(dataDir);
  const admin = await login(server.url, 'admin', DEMO_PASSWORD);
  clients = await createUsers(server.url, admin, 'load', CLIENTS);
  credentials = await inBatches(
    Array.from({ length: CLIENTS }, (_, i) => i),
    16,
    async (i) => {
      const rotating = i % 2 === 0;
      const created = await admin.request('POST', '/api/admin/credentials', {
        vaultID: SERVERS_VAULT,
        name: `Load ${i}`,
        policy: { approvalMode: 'none', exclusive: true, rotateOnCheckin: rotating },
      });
      if (created.status !== 201) throw new Error(`credential ${i}: ${created.status} ${created.text}`);
      return { id: created.body.id as string, rotating };
    },
  );
}, 300_000);

afterAll(async () => {
  if (server) await killHard(server);
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  console.log(
    `[crashRecovery] seed ${seed}; rounds: ${rounds
      .map((r) => `#${r.round} killed after ${r.acked} acks (target ${r.killAfter})`)
      .join('; ')}`,
  );
});

/** Clients close whatever they left open (acknowledged or not) before a round starts. */
async function closeLeftovers(url: string): Promise<void> {
  await inBatches(clients, 50, async (client) => {
    const bound = clientOf(url, client.username, client.userId, client.token);
    const open = await bound.request('GET', '/api/pam/checkouts?activeAndPending=true');
    expect(open.status).toBe(200);
    for (const checkout of open.body as Array<{ id: string; credentialID: string }>) {
      const checkin = await bound.request('PUT', `/api/pam/checkouts/${checkout.id}`, {
        status: CheckoutStatus.Ended,
      });
      expect(checkin.status).toBe(200);
      const entry = seen.get(checkout.id) ?? {
        checkoutId: checkout.id,
        credentialId: checkout.credentialID,
        created: false,
        reads: 0,
        checkedIn: false,
      };
      entry.checkedIn = true;
      seen.set(checkout.id, entry);
    }
  });
}

/** Drives the load until `killAfter` operations are acknowledged, then kills the server. */
async function loadAndKill(current: ChildServer, killAfter: number): Promise<number> {
  let acked = 0;
  let killed = false;
  const unexpected: string[] = [];
  const ack = () => {
    acked++;
    if (acked >= killAfter && !killed) {
      killed = true;
      current.process.kill('SIGKILL');
    }
  };
  /** The response, or undefined when the connection failed (expected only once killed). */
  const attempt = async (what: string, request: Promise<Awaited<ReturnType<Client['request']>>>) => {
    try {
      return await request;
    } catch (error) {
      if (!killed) unexpected.push(`${what}: ${(error as Error).message}`);
      return undefined;
    }
  };
  await Promise.all(
    clients.map(async (client, index) => {
      const bound = clientOf(current.url, client.username, client.userId, client.token);
      const credentialID = credentials[index]!.id;
      for (let cycle = 0; cycle < MAX_CYCLES && !killed; cycle++) {
        const created = await attempt(
          'checkout',
          bound.request('POST', '/api/pam/checkouts', { credentialID }),
        );
        if (!created) return;
        if (created.status !== 201) {
          unexpected.push(`checkout: ${created.status} ${created.text}`);
          return;
        }
        const entry: Seen = {
          checkoutId: created.body.id,
          credentialId: credentialID,
          created: true,
          reads: 0,
          checkedIn: false,
        };
        seen.set(entry.checkoutId, entry);
        ack();
        if (killed) return;
        const read = await attempt('password', bound.request('GET', `/api/pam/passwords/${credentialID}`));
        if (!read) return;
        if (read.status !== 200 || typeof read.body.data !== 'string' || read.body.data === '') {
          unexpected.push(`password: ${read.status} ${read.text}`);
          return;
        }
        entry.reads++;
        ack();
        if (killed) return;
        const checkin = await attempt(
          'check-in',
          bound.request('PUT', `/api/pam/checkouts/${entry.checkoutId}`, { status: CheckoutStatus.Ended }),
        );
        if (!checkin) return;
        if (checkin.status !== 200) {
          unexpected.push(`check-in: ${checkin.status} ${checkin.text}`);
          return;
        }
        entry.checkedIn = true;
        ack();
      }
    }),
  );
  expect(unexpected.slice(0, 5), current.stderr.join('')).toEqual([]);
  if (!killed) current.process.kill('SIGKILL');
  return acked;
}

/** The audit chain checked by the store's own code, over a read-only connection. */
function verifyChainReadOnly(db: Database.Database): Promise<number | null> {
  const readOnlyStore = { stmt: (sql: string) => db.prepare(sql) } as unknown as SqliteStore;
  return SqliteStore.prototype.verifyAuditChain.call(readOnlyStore);
}

/** Everything acknowledged is there, in that state or later, with its audit rows. */
async function verifyDatabase(db: Database.Database): Promise<void> {
  const rows = db.prepare('SELECT id, credential_id, status FROM checkouts').all() as Array<{
    id: string;
    credential_id: string;
    status: number;
  }>;
  const checkouts = new Map(rows.map((row) => [row.id, row]));
  const audit = db
    .prepare('SELECT action, credential_id, checkout_id FROM audit ORDER BY id')
    .all() as Array<{
    action: string;
    credential_id: string | null;
    checkout_id: string | null;
  }>;
  const actionsOf = new Map<string, string[]>();
  const rotationsOf = new Map<string, number>();
  for (const row of audit) {
    if (row.checkout_id)
      actionsOf.set(row.checkout_id, [...(actionsOf.get(row.checkout_id) ?? []), row.action]);
    if (row.action === 'password.rotated' && row.credential_id) {
      rotationsOf.set(row.credential_id, (rotationsOf.get(row.credential_id) ?? 0) + 1);
    }
  }
  const count = (actions: string[], action: string) => actions.filter((a) => a === action).length;
  const heldOrLater: number[] = [
    CheckoutStatus.Active,
    CheckoutStatus.Ended,
    CheckoutStatus.Expired,
    CheckoutStatus.Aborted,
  ];
  const problems: string[] = [];
  for (const entry of seen.values()) {
    const row = checkouts.get(entry.checkoutId);
    const actions = actionsOf.get(entry.checkoutId) ?? [];
    if (entry.created) {
      if (!row) {
        problems.push(`${entry.checkoutId}: acknowledged creation, not in the database`);
        continue;
      }
      if (!heldOrLater.includes(row.status)) problems.push(`${entry.checkoutId}: status ${row.status}`);
      if (count(actions, 'checkout.requested') !== 1 || count(actions, 'checkout.approved') !== 1) {
        problems.push(`${entry.checkoutId}: creation audit rows ${actions.join(',')}`);
      }
      // One read per acknowledged GET (the 201 answers the checkout itself, as DVLS does, without
      // the password).
      if (count(actions, 'password.read') < entry.reads) {
        problems.push(
          `${entry.checkoutId}: ${count(actions, 'password.read')} password.read rows, ${entry.reads} acked`,
        );
      }
    }
    if (entry.checkedIn) {
      if (row?.status !== CheckoutStatus.Ended)
        problems.push(`${entry.checkoutId}: checked in, status ${row?.status}`);
      if (count(actions, 'checkout.checkedin') !== 1) {
        problems.push(`${entry.checkoutId}: check-in audit rows ${actions.join(',')}`);
      }
    }
  }
  // Whatever was committed, acknowledged or not, came with its audit rows and, for a
  // rotate-on-checkin credential, with its rotation: never a check-in without one.
  const endedOf = new Map<string, number>();
  for (const row of checkouts.values()) {
    const actions = actionsOf.get(row.id) ?? [];
    if (count(actions, 'checkout.requested') !== 1) problems.push(`${row.id}: no checkout.requested row`);
    if (row.status === CheckoutStatus.Ended) {
      if (count(actions, 'checkout.checkedin') !== 1) problems.push(`${row.id}: Ended without its audit row`);
      endedOf.set(row.credential_id, (endedOf.get(row.credential_id) ?? 0) + 1);
    }
  }
  for (const credential of credentials) {
    const expected = credential.rotating ? (endedOf.get(credential.id) ?? 0) : 0;
    const rotations = rotationsOf.get(credential.id) ?? 0;
    if (rotations !== expected) {
      problems.push(
        `${credential.id}: ${rotations} rotations for ${endedOf.get(credential.id) ?? 0} check-ins`,
      );
    }
  }
  expect(problems.slice(0, 10)).toEqual([]);
  expect(await verifyChainReadOnly(db)).toBeNull();
}

describe('kill -9 under load, then restart on the same data', () => {
  it(`${ROUNDS} rounds of ${CLIENTS} clients: nothing acknowledged is lost, the chain holds, the restarted server serves`, async () => {
    for (let round = 1; round <= ROUNDS; round++) {
      const current = server!;
      await closeLeftovers(current.url);
      const killAfter = between(random, KILL_AFTER[0], KILL_AFTER[1]);
      const acked = await loadAndKill(current, killAfter);
      await killHard(current);
      expect(current.process.signalCode).toBe('SIGKILL');
      server = undefined;

      const restarted = await spawnServer(dataDir);
      server = restarted;
      rounds.push({ round, killAfter, acked });
      const health = await apiRequest(restarted.url, 'GET', '/api/health');
      expect(health.status).toBe(200);

      const db = new Database(path.join(dataDir, 'coffre.db'), { readonly: true, fileMustExist: true });
      try {
        await verifyDatabase(db);
      } finally {
        db.close();
      }
    }
    expect(seen.size).toBeGreaterThan(0);

    // A clean stop, then the store itself (as the server opens it) finds the chain intact.
    await closeLeftovers(server!.url);
    const last = server!;
    last.process.kill('SIGTERM');
    await withTimeout(last.exited, 10_000, 'coffre-server exit after SIGTERM');
    server = undefined;
    const store = new SqliteStore({ file: path.join(dataDir, 'coffre.db') });
    try {
      expect(await store.verifyAuditChain()).toBeNull();
      expect(await store.listAllCheckouts([CheckoutStatus.Active, CheckoutStatus.Pending])).toEqual([]);
    } finally {
      store.close();
    }
  }, 300_000);
});
