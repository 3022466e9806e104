/**
 * bench/server: the checkout cycle (checkout → password → check-in) at 200 concurrent clients over
 * loopback, against raw durable single-row SQLite commits measured in the same run with the same
 * pragmas (WAL, synchronous=NORMAL). Prints both, the ratio and latency percentiles.
 *
 * Ratio: the server's state-changing transactions per second (each cycle commits three: the
 * checkout with its audit row and event, the audited password read, the check-in) divided by raw
 * single-row commits per second. It says how much of SQLite's commit rate survives HTTP, JSON,
 * validation, authentication, encryption and the checkout rules.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Pool } from 'undici';
import { startChildServer } from '../support/childServer.ts';
import { fmt, summarize } from '../support/stats.ts';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 200);
const USERS = 20;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const RAW_COMMITS = 5_000;

type Durability = 'full' | 'normal';

function measureRawCommits(dir: string, durability: Durability): number {
  const db = new Database(path.join(dir, `raw-${durability}.db`));
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${durability === 'full' ? 'FULL' : 'NORMAL'}`);
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, at INTEGER NOT NULL, payload TEXT NOT NULL)');
  const insert = db.prepare('INSERT INTO t (at, payload) VALUES (?, ?)');
  const commit = db.transaction((i: number) => insert.run(i, 'x'.repeat(200)));
  const start = performance.now();
  for (let i = 0; i < RAW_COMMITS; i++) commit(i);
  const seconds = (performance.now() - start) / 1000;
  db.close();
  return RAW_COMMITS / seconds;
}

// undici's Pool keeps one keep-alive connection per client and costs far less CPU than fetch, so
// the load generator (on the other core) is not what the figures measure.
let pool: Pool;

async function call(url: string, method: string, token: string | null, body?: unknown): Promise<any> {
  const headers: Record<string, string> = {};
  if (token) headers.tokenid = token;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const { pathname, search } = new URL(url);
  const response = await pool.request({
    path: pathname + search,
    method: method as 'GET',
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.body.text();
  if (response.statusCode >= 400) throw new Error(`${method} ${url}: ${response.statusCode} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

async function setUp(url: string): Promise<Array<{ token: string; credentialId: string }>> {
  const admin = (
    await call(`${url}/api/auth/login`, 'POST', null, { username: 'admin', password: 'coffre-demo' })
  ).tokenId;
  const vault = await call(`${url}/api/admin/vaults`, 'POST', admin, {
    name: 'Bench',
    policy: { approvalMode: 'none', reasonMode: 'optional' },
  });
  const tokens: string[] = [];
  for (let u = 0; u < USERS; u++) {
    const username = `bench${u}`;
    await call(`${url}/api/admin/users`, 'POST', admin, {
      username,
      password: 'bench-password-1',
      roles: ['user'],
    });
    tokens.push(
      (await call(`${url}/api/auth/login`, 'POST', null, { username, password: 'bench-password-1' })).tokenId,
    );
  }
  const clients = [];
  for (let c = 0; c < CLIENTS; c++) {
    const credential = await call(`${url}/api/admin/credentials`, 'POST', admin, {
      vaultID: vault.id,
      name: `bench-${c}`,
    });
    clients.push({ token: tokens[c % USERS]!, credentialId: credential.id as string });
  }
  return clients;
}

async function runMode(dir: string, durability: Durability): Promise<void> {
  const rawPerSecond = measureRawCommits(dir, durability);
  const server = await startChildServer([
    '--demo',
    '--port',
    '0',
    '--durability',
    durability,
    '--data',
    path.join(dir, `server-${durability}`),
  ]);
  pool = new Pool(server.url, { connections: CLIENTS, pipelining: 1 });
  try {
    const clients = await setUp(server.url);
    const requestMs: number[] = [];
    const cycleMs: number[] = [];
    let cycles = 0;
    const cycle = async (client: { token: string; credentialId: string }, measure: boolean) => {
      const start = performance.now();
      const timed = async <T>(work: () => Promise<T>): Promise<T> => {
        const begin = performance.now();
        const result = await work();
        if (measure) requestMs.push(performance.now() - begin);
        return result;
      };
      const created = await timed(() =>
        call(`${server.url}/api/pam/checkouts`, 'POST', client.token, { credentialID: client.credentialId }),
      );
      await timed(() => call(`${server.url}/api/pam/passwords/${client.credentialId}`, 'GET', client.token));
      await timed(() =>
        call(`${server.url}/api/pam/checkouts/${created.id}`, 'PUT', client.token, { status: 5 }),
      );
      if (measure) {
        cycleMs.push(performance.now() - start);
        cycles++;
      }
    };
    // Warm-up: one cycle per client, not measured.
    await Promise.all(clients.map((client) => cycle(client, false)));
    const deadline = performance.now() + SECONDS * 1000;
    const start = performance.now();
    await Promise.all(
      clients.map(async (client) => {
        while (performance.now() < deadline) await cycle(client, true);
      }),
    );
    const elapsed = (performance.now() - start) / 1000;
    const cyclesPerSecond = cycles / elapsed;
    const commitsPerSecond = cyclesPerSecond * 3;
    const requests = summarize(requestMs);
    const perCycle = summarize(cycleMs);
    console.log(`\n[durability ${durability}: WAL + synchronous=${durability.toUpperCase()}]`);
    console.log(`  raw SQLite single-row commits: ${fmt(rawPerSecond, 0)} commits/s`);
    console.log(
      `  server checkout cycles (${CLIENTS} clients, ${fmt(elapsed, 1)} s): ${fmt(cyclesPerSecond, 0)} cycles/s = ${fmt(commitsPerSecond, 0)} commits/s, ${requests.count} requests`,
    );
    console.log(
      `  ratio (server commits/s ÷ raw commits/s): ${fmt(commitsPerSecond / rawPerSecond, 3)}   goal ≥ 0.5`,
    );
    console.log(
      `  request latency ms: p50 ${fmt(requests.p50)}  p95 ${fmt(requests.p95)}  p99 ${fmt(requests.p99)}  max ${fmt(requests.max)}   goal p99 < 20`,
    );
    console.log(
      `  cycle latency ms:   p50 ${fmt(perCycle.p50)}  p95 ${fmt(perCycle.p95)}  p99 ${fmt(perCycle.p99)}`,
    );
    console.log(
      `BENCH_JSON ${JSON.stringify({ bench: 'server', durability, clients: CLIENTS, seconds: elapsed, rawCommitsPerSecond: rawPerSecond, cyclesPerSecond, commitsPerSecond, ratio: commitsPerSecond / rawPerSecond, requestMs: requests, cycleMs: perCycle, goals: { ratioMin: 0.5, requestP99BelowMs: 20 } })}`,
    );
  } finally {
    await pool.close();
    await server.stop();
  }
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coffre-bench-'));
  console.log(
    `machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}`,
  );
  try {
    for (const durability of ['full', 'normal'] as const) await runMode(dir, durability);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
