/**
 * bench:notify-nodes — approver notification latency across PostgreSQL nodes. Two `coffre-server`
 * nodes on one durable PostgreSQL database (a throw-away cluster started by the benchmark); the
 * approver (alice) is subscribed over SSE to node B through the real client core. Requests naming
 * her as approver are sent, one after another and alternately, to node A (cross-node: the event
 * goes through the database's outbox and LISTEN/NOTIFY to node B) and to node B itself (same node,
 * the in-run baseline). Latency: from the POST to alice's client having `checkout.created`.
 * Goal (issue 16): cross-node p95 ≤ 100 ms, none missed. Prints `BENCH_JSON {...}` last.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createPamBackend } from '../../client/createPamBackend.ts';
import type { PamBackend } from '../../client/pamBackend.ts';
import { startPostgresCluster } from '../../scripts/postgresCluster.ts';
import { startChildServer } from '../support/childServer.ts';
import { fmt, summarize } from '../support/stats.ts';
import { admin, type Pair, sample, watch } from './probe.ts';

const REQUESTS = Number(process.env.BENCH_NOTIFY_REQUESTS ?? 300);
const WARMUP = 20;
const REQUESTERS = 50;
const GOAL_P95_MS = 100;
const TIMEOUT_MS = 5_000;
const PASSWORD = 'notify-nodes-password-1';

/** Coffre's bearer sign-in: the token is valid on every node. */
async function signIn(url: string, username: string, password: string) {
  const response = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!response.ok) throw new Error(`login ${username}: ${response.status} ${await response.text()}`);
  return (await response.json()) as { tokenId: string; user: { id: string } };
}

const backendOn = (url: string, token: string): PamBackend =>
  createPamBackend({ baseUrl: url, dialect: 'checkout', token });

/** Each requester twice: the same session through node A and through node B. */
async function setUp(nodeA: string, nodeB: string) {
  const alice = await signIn(nodeB, 'alice', 'coffre-demo');
  const adminToken = (await signIn(nodeA, 'admin', 'coffre-demo')).tokenId;
  const vault = await admin(nodeA, adminToken, '/api/admin/vaults', {
    name: 'Notify nodes bench',
    policy: { approvalMode: 'mandatory', approvers: [alice.user.id], reasonMode: 'optional' },
  });
  const viaA: Pair[] = [];
  const viaB: Pair[] = [];
  for (let r = 0; r < REQUESTERS; r++) {
    const username = `notifynodes${r}`;
    await admin(nodeA, adminToken, '/api/admin/users', { username, password: PASSWORD, roles: ['user'] });
    const credential = await admin(nodeA, adminToken, '/api/admin/credentials', {
      vaultID: vault.id,
      name: `notify-nodes-${r}`,
      username: 'svc',
      host: `notify-nodes${r}.bench.example`,
    });
    const token = (await signIn(nodeA, username, PASSWORD)).tokenId;
    viaA.push({ backend: backendOn(nodeA, token), credentialId: credential.id });
    viaB.push({ backend: backendOn(nodeB, token), credentialId: credential.id });
  }
  return { alice: backendOn(nodeB, alice.tokenId), aliceId: alice.user.id, viaA, viaB };
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coffre-bench-notify-nodes-'));
  const cluster = await startPostgresCluster({ durable: true });
  process.env.COFFRE_MASTER_KEY = randomBytes(32).toString('base64');
  try {
    const database = await cluster.createDatabase();
    const [a, b] = await Promise.all(
      ['a', 'b'].map((name) =>
        startChildServer(['--demo', '--port', '0', '--data', path.join(dir, name), '--database', database]),
      ),
    );
    try {
      console.log(
        `bench/notify-nodes: ${REQUESTS} requests through each path, alternately; approver on node B over SSE; ` +
          `node ${process.version}, ${os.cpus().length} CPUs, load average ${os.loadavg()[0]!.toFixed(2)}`,
      );
      const { alice, aliceId, viaA, viaB } = await setUp(a!.url, b!.url);
      const stream = watch(alice, { mode: 'sse' });
      await stream.open;
      for (let i = 0; i < WARMUP; i++) {
        const pairs = i % 2 === 0 ? viaA : viaB;
        if ((await sample(pairs[i % REQUESTERS]!, aliceId, stream.arrival, TIMEOUT_MS)) === null)
          throw new Error('the SSE stream delivered nothing during warm-up');
      }
      const cross: number[] = [];
      const same: number[] = [];
      let crossMissed = 0;
      let sameMissed = 0;
      for (let i = 0; i < 2 * REQUESTS; i++) {
        const crossNode = i % 2 === 0;
        const pair = (crossNode ? viaA : viaB)[Math.floor(i / 2) % REQUESTERS]!;
        const ms = await sample(pair, aliceId, stream.arrival, TIMEOUT_MS);
        if (ms === null) crossNode ? crossMissed++ : sameMissed++;
        else (crossNode ? cross : same).push(ms);
      }
      stream.unsubscribe();
      const c = summarize(cross);
      const s = summarize(same);
      const met = c.p95 <= GOAL_P95_MS && crossMissed === 0;
      console.log(`\n[notification latency] POST → approver's client (on node B) has checkout.created, ms`);
      console.log(
        `  ${'request sent to'.padEnd(26)} ${'n'.padStart(5)} ${'p50'.padStart(8)} ${'p95'.padStart(8)} ${'p99'.padStart(8)} ${'max'.padStart(8)}  missed`,
      );
      for (const [label, summary, missed] of [
        ['node A (cross-node)', c, crossMissed],
        ['node B (same node)', s, sameMissed],
      ] as const) {
        console.log(
          `  ${label.padEnd(26)} ${String(summary.count).padStart(5)} ${fmt(summary.p50).padStart(8)} ${fmt(summary.p95).padStart(8)} ${fmt(summary.p99).padStart(8)} ${fmt(summary.max).padStart(8)}  ${missed}`,
        );
      }
      console.log(
        `  ratio cross ÷ same: p50 ${fmt(c.p50 / s.p50)}, p95 ${fmt(c.p95 / s.p95)}   goal cross-node p95 ≤ ${GOAL_P95_MS} ms, none missed: ${met ? 'met' : 'NOT MET'}; client errors ${stream.errors.length}`,
      );
      const figures = (summary: typeof c, missed: number) => ({ ...summary, missed });
      console.log(
        `BENCH_JSON ${JSON.stringify({
          bench: 'notify-nodes',
          requestsPerPath: REQUESTS,
          crossNode: figures(c, crossMissed),
          sameNode: figures(s, sameMissed),
          ratio: { p50: c.p50 / s.p50, p95: c.p95 / s.p95 },
          goal: {
            name: 'cross-node approver notification, p95',
            measured: c.p95,
            op: '<=',
            target: GOAL_P95_MS,
            unit: 'ms',
            baseline: s.p95,
            ratio: c.p95 / s.p95,
            alsoRequires: 'crossNode.missed = 0',
            met,
          },
        })}`,
      );
    } finally {
      await Promise.all([a!.stop(), b!.stop()]);
    }
  } finally {
    await cluster.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
