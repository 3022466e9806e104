/**
 * bench:nodes — the checkout cycle (checkout → password → check-in) on SQLite (one node, the
 * embedded default) and on PostgreSQL (one node, then two nodes on one database, clients split
 * over them), all in the same run, both stores durable (SQLite synchronous=FULL; PostgreSQL with
 * fsync and synchronous commit, a throw-away cluster started by the benchmark).
 *
 * Closed loop: CLIENTS clients cycle as fast as answers come: the maximum cycles/s.
 * Open loop: cycles started at a fixed rate, half of each setup's own maximum, whatever the
 * answers do; latency is counted from each cycle's scheduled start (no coordinated omission).
 * Ratios: PostgreSQL one node ÷ SQLite, two nodes ÷ one node, of the closed-loop throughput and of
 * the open-loop p95.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Pool } from 'undici';
import { startPostgresCluster } from '../../scripts/postgresCluster.ts';
import { startChildServer } from '../support/childServer.ts';
import { fmt, summarize } from '../support/stats.ts';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 100);
const USERS = 20;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);

interface Pair {
  node: number;
  token: string;
  credentialId: string;
}

const pools = new Map<string, Pool>();

async function call(base: string, pathname: string, method: string, token: string | null, body?: unknown) {
  let pool = pools.get(base);
  if (!pool) {
    pool = new Pool(base, { connections: CLIENTS, pipelining: 1 });
    pools.set(base, pool);
  }
  const headers: Record<string, string> = {};
  if (token) headers.tokenid = token;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await pool.request({
    path: pathname,
    method: method as 'GET',
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.body.text();
  if (response.statusCode >= 400) throw new Error(`${method} ${pathname}: ${response.statusCode} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

async function setUp(urls: string[]): Promise<Pair[]> {
  const [first] = urls as [string];
  const admin = (
    await call(first, '/api/auth/login', 'POST', null, { username: 'admin', password: 'coffre-demo' })
  ).tokenId;
  const vault = await call(first, '/api/admin/vaults', 'POST', admin, {
    name: 'Bench',
    policy: { approvalMode: 'none' },
  });
  const tokens: string[] = [];
  for (let u = 0; u < USERS; u++) {
    const username = `bench${u}`;
    await call(first, '/api/admin/users', 'POST', admin, {
      username,
      password: 'bench-password-1',
      roles: ['user'],
    });
    tokens.push(
      (await call(first, '/api/auth/login', 'POST', null, { username, password: 'bench-password-1' }))
        .tokenId,
    );
  }
  const pairs: Pair[] = [];
  for (let c = 0; c < CLIENTS; c++) {
    const credential = await call(first, '/api/admin/credentials', 'POST', admin, {
      vaultID: vault.id,
      name: `bench-${c}`,
    });
    // Tokens are valid on every node: the clients are spread over the nodes.
    pairs.push({ node: c % urls.length, token: tokens[c % USERS]!, credentialId: credential.id });
  }
  return pairs;
}

async function cycle(urls: string[], pair: Pair): Promise<void> {
  const base = urls[pair.node]!;
  const created = await call(base, '/api/pam/checkouts', 'POST', pair.token, {
    credentialID: pair.credentialId,
  });
  await call(base, `/api/pam/passwords/${pair.credentialId}`, 'GET', pair.token);
  // The answer is the checkout itself (as DVLS answers it).
  await call(base, `/api/pam/checkouts/${created.id}`, 'PUT', pair.token, { status: 5 });
}

async function closedLoop(urls: string[], pairs: Pair[]) {
  await Promise.all(pairs.map((pair) => cycle(urls, pair)));
  const cycleMs: number[] = [];
  const deadline = performance.now() + SECONDS * 1000;
  const start = performance.now();
  await Promise.all(
    pairs.map(async (pair) => {
      while (performance.now() < deadline) {
        const begin = performance.now();
        await cycle(urls, pair);
        cycleMs.push(performance.now() - begin);
      }
    }),
  );
  const elapsed = (performance.now() - start) / 1000;
  return { cyclesPerSecond: cycleMs.length / elapsed, cycleMs: summarize(cycleMs) };
}

/** Cycles started every 1/rate s on a free (user, credential) pair; latency from the scheduled start. */
async function openLoop(urls: string[], pairs: Pair[], rate: number) {
  const free = [...pairs];
  const waiting: Array<(pair: Pair) => void> = [];
  const take = () =>
    free.length > 0 ? Promise.resolve(free.pop()!) : new Promise<Pair>((r) => waiting.push(r));
  const give = (pair: Pair) => (waiting.length > 0 ? waiting.shift()!(pair) : free.push(pair));
  const count = Math.max(1, Math.round(rate * SECONDS));
  const latencies: number[] = [];
  const start = performance.now();
  const runs: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const scheduled = start + (i * 1000) / rate;
    const delay = scheduled - performance.now();
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    runs.push(
      take().then(async (pair) => {
        try {
          await cycle(urls, pair);
        } finally {
          give(pair);
        }
        latencies.push(performance.now() - scheduled);
      }),
    );
  }
  await Promise.all(runs);
  return { offeredCyclesPerSecond: rate, cycles: count, cycleMs: summarize(latencies) };
}

async function measure(label: string, urls: string[]) {
  const pairs = await setUp(urls);
  const closed = await closedLoop(urls, pairs);
  const open = await openLoop(urls, pairs, closed.cyclesPerSecond / 2);
  console.log(
    `${label.padEnd(26)} closed loop ${fmt(closed.cyclesPerSecond, 0)} cycles/s (p50 ${fmt(closed.cycleMs.p50)} ms, p99 ${fmt(closed.cycleMs.p99)} ms); ` +
      `open loop at ${fmt(open.offeredCyclesPerSecond, 0)}/s: p50 ${fmt(open.cycleMs.p50)} ms, p95 ${fmt(open.cycleMs.p95)} ms, p99 ${fmt(open.cycleMs.p99)} ms`,
  );
  return { label, nodes: urls.length, closed, open };
}

async function main(): Promise<void> {
  console.log(
    `machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, node ${process.version}; ${CLIENTS} clients, ${SECONDS} s per loop`,
  );
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coffre-bench-nodes-'));
  const cluster = await startPostgresCluster({ durable: true });
  process.env.COFFRE_MASTER_KEY = randomBytes(32).toString('base64');
  const results = [];
  try {
    const sqlite = await startChildServer(['--demo', '--port', '0', '--data', path.join(dir, 'sqlite')]);
    try {
      results.push(await measure('SQLite, one node', [sqlite.url]));
    } finally {
      await sqlite.stop();
    }
    for (const count of [1, 2]) {
      const database = await cluster.createDatabase();
      const nodes = await Promise.all(
        Array.from({ length: count }, (_, i) =>
          startChildServer([
            '--demo',
            '--port',
            '0',
            '--data',
            path.join(dir, `pg${count}-${i}`),
            '--database',
            database,
          ]),
        ),
      );
      try {
        results.push(
          await measure(
            `PostgreSQL, ${count} node${count > 1 ? 's' : ''}`,
            nodes.map((node) => node.url),
          ),
        );
      } finally {
        await Promise.all(nodes.map((node) => node.stop()));
      }
    }
  } finally {
    for (const pool of pools.values()) await pool.close();
    await cluster.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const [sqlite, pg1, pg2] = results as [(typeof results)[0], (typeof results)[0], (typeof results)[0]];
  const ratios = {
    postgresOneNodeToSqlite: pg1.closed.cyclesPerSecond / sqlite.closed.cyclesPerSecond,
    postgresTwoNodesToOneNode: pg2.closed.cyclesPerSecond / pg1.closed.cyclesPerSecond,
    // Latency at each setup's own half load: how much slower a cycle is, not how much less fits.
    openLoopP95PostgresOneNodeToSqlite: pg1.open.cycleMs.p95 / sqlite.open.cycleMs.p95,
    openLoopP95TwoNodesToOneNode: pg2.open.cycleMs.p95 / pg1.open.cycleMs.p95,
  };
  console.log(
    `ratios, throughput (closed loop): PostgreSQL 1 node ÷ SQLite ${fmt(ratios.postgresOneNodeToSqlite, 2)}; 2 nodes ÷ 1 node ${fmt(ratios.postgresTwoNodesToOneNode, 2)}`,
  );
  console.log(
    `ratios, open-loop p95 at 50 % load: PostgreSQL 1 node ÷ SQLite ${fmt(ratios.openLoopP95PostgresOneNodeToSqlite, 2)}; 2 nodes ÷ 1 node ${fmt(ratios.openLoopP95TwoNodesToOneNode, 2)}`,
  );
  console.log(
    `BENCH_JSON ${JSON.stringify({
      bench: 'nodes',
      clients: CLIENTS,
      seconds: SECONDS,
      setups: Object.fromEntries(
        results.map((r) => [
          r.label,
          {
            closedLoopCyclesPerSecond: r.closed.cyclesPerSecond,
            closedLoopCycleMsP50: r.closed.cycleMs.p50,
            closedLoopCycleMsP99: r.closed.cycleMs.p99,
            openLoopOfferedCyclesPerSecond: r.open.offeredCyclesPerSecond,
            openLoopCycleMsP50: r.open.cycleMs.p50,
            openLoopCycleMsP95: r.open.cycleMs.p95,
            openLoopCycleMsP99: r.open.cycleMs.p99,
          },
        ]),
      ),
      ratios,
    })}`,
  );
}

await main();
