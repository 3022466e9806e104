/**
 * bench/notify: approver notification latency. A requester creates a pending request naming alice
 * as approver (`POST /api/pam/checkouts`); the clock stops when alice's client receives the
 * `checkout.created` event through the real client core (`createPamBackend(...).subscribe`).
 *
 * 1. SSE (the client's default with this server): BENCH_NOTIFY_REQUESTS requests (1000), one
 *    after another, each cancelled by its requester once alice has seen it.
 * 2. Baseline, measured the same way in the same run against the same server: the same client in
 *    polling mode with a 10-second interval. Fewer samples (BENCH_POLL_SAMPLES, 30), each sent
 *    at a uniformly random moment of a window several poll periods long, so the phase of an
 *    arrival against the poll timer is uniform (what a real request sees).
 *
 * The server runs as a child process (its default durability, full, unless BENCH_DURABILITY says
 * otherwise). Each request comes from its own requester/credential pair (created through the
 * admin API), so no request collides with an open one. Prints both, the ratios, the goal
 * (SSE p95 ≤ 100 ms), and a machine-readable last line `BENCH_JSON {...}`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createPamBackend } from '../../client/createPamBackend.ts';
import type { PamBackend } from '../../client/pamBackend.ts';
import { startChildServer } from '../support/childServer.ts';
import { fmt, summarize } from '../support/stats.ts';
import { admin, type Pair, sample, watch } from './probe.ts';

const SSE_REQUESTS = Number(process.env.BENCH_NOTIFY_REQUESTS ?? 1000);
const WARMUP_REQUESTS = 20;
const POLL_SAMPLES = Number(process.env.BENCH_POLL_SAMPLES ?? 30);
const POLL_INTERVAL_MS = 10_000;
/** Arrivals spread over this many poll periods (uniform phase, a few requests in flight at once). */
const POLL_WINDOW_MS = Number(process.env.BENCH_POLL_WINDOW_MS ?? 6 * POLL_INTERVAL_MS);
const REQUESTERS = Math.max(50, POLL_SAMPLES);
const GOAL_P95_MS = 100;
const SSE_TIMEOUT_MS = 5_000;
const POLL_TIMEOUT_MS = 2 * POLL_INTERVAL_MS + 5_000;
const DEMO_PASSWORD = 'coffre-demo';
const REQUESTER_PASSWORD = 'notify-bench-password-1';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function setUp(url: string): Promise<{ alice: PamBackend; pairs: Pair[] }> {
  const alice = createPamBackend({ baseUrl: url, dialect: 'checkout' });
  const aliceId = (await alice.login('alice', DEMO_PASSWORD)).user.id;
  const adminBackend = createPamBackend({ baseUrl: url, dialect: 'checkout' });
  await adminBackend.login('admin', DEMO_PASSWORD);
  const adminToken = adminBackend.session().token!;
  const vault = await admin(url, adminToken, '/api/admin/vaults', {
    name: 'Notify bench',
    policy: { approvalMode: 'mandatory', approvers: [aliceId], reasonMode: 'optional' },
  });
  const pairs: Pair[] = [];
  for (let r = 0; r < REQUESTERS; r++) {
    const username = `notify${r}`;
    await admin(url, adminToken, '/api/admin/users', {
      username,
      password: REQUESTER_PASSWORD,
      roles: ['user'],
    });
    const credential = await admin(url, adminToken, '/api/admin/credentials', {
      vaultID: vault.id,
      name: `notify-${r}`,
      username: 'svc',
      host: `notify${r}.bench.example`,
    });
    const backend = createPamBackend({ baseUrl: url, dialect: 'checkout' });
    await backend.login(username, REQUESTER_PASSWORD);
    pairs.push({ backend, credentialId: credential.id });
  }
  await adminBackend.logout();
  return { alice, pairs };
}

async function measureSse(alice: PamBackend, aliceId: string, pairs: Pair[]) {
  const stream = watch(alice, { mode: 'sse' });
  await stream.open;
  // Warm-up (not measured): JIT on both sides, and proof that the server-side subscription is live.
  for (let i = 0; i < WARMUP_REQUESTS; i++) {
    if ((await sample(pairs[i % pairs.length]!, aliceId, stream.arrival, SSE_TIMEOUT_MS)) === null) {
      throw new Error('the SSE stream delivered nothing during warm-up');
    }
  }
  const latencies: number[] = [];
  let missed = 0;
  const start = performance.now();
  for (let i = 0; i < SSE_REQUESTS; i++) {
    const ms = await sample(pairs[i % pairs.length]!, aliceId, stream.arrival, SSE_TIMEOUT_MS);
    if (ms === null) missed++;
    else latencies.push(ms);
  }
  const seconds = (performance.now() - start) / 1000;
  stream.unsubscribe();
  return { latencies, missed, seconds, errors: stream.errors.length };
}

async function measurePolling(alice: PamBackend, aliceId: string, pairs: Pair[]) {
  const poller = watch(alice, { mode: 'poll', pollIntervalMs: POLL_INTERVAL_MS });
  await poller.open;
  // The first poll is the poller's baseline and reports nothing: let it finish before any request.
  await sleep(1_000);
  const offsets = Array.from({ length: POLL_SAMPLES }, () => Math.random() * POLL_WINDOW_MS).sort(
    (a, b) => a - b,
  );
  const windowStart = performance.now();
  const results = await Promise.all(
    offsets.map(async (offset, i) => {
      await sleep(Math.max(0, windowStart + offset - performance.now()));
      return sample(pairs[i]!, aliceId, poller.arrival, POLL_TIMEOUT_MS);
    }),
  );
  const seconds = (performance.now() - windowStart) / 1000;
  poller.unsubscribe();
  const latencies = results.filter((ms): ms is number => ms !== null);
  return { latencies, missed: results.length - latencies.length, seconds, errors: poller.errors.length };
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coffre-bench-notify-'));
  const durability = process.env.BENCH_DURABILITY;
  const server = await startChildServer([
    '--demo',
    '--port',
    '0',
    '--data',
    path.join(dir, 'server'),
    ...(durability ? ['--durability', durability] : []),
  ]);
  try {
    console.log(
      `bench/notify: ${SSE_REQUESTS} requests over SSE, ${POLL_SAMPLES} over ${POLL_INTERVAL_MS / 1000}-s polling ` +
        `(arrivals uniform over ${fmt(POLL_WINDOW_MS / 1000, 0)} s); ${REQUESTERS} requesters; server durability ` +
        `${durability ?? 'full (default)'}; node ${process.version}, ${os.cpus().length} CPUs, load average ${os.loadavg()[0]!.toFixed(2)}`,
    );
    const { alice, pairs } = await setUp(server.url);
    const aliceId = alice.session().user!.id;

    const sse = await measureSse(alice, aliceId, pairs);
    const poll = await measurePolling(alice, aliceId, pairs);
    const a = summarize(sse.latencies);
    const b = summarize(poll.latencies);
    const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
    const met = a.p95 <= GOAL_P95_MS && sse.missed === 0;

    console.log(
      `\n[notification latency] POST /api/pam/checkouts → approver's client has checkout.created, ms`,
    );
    console.log(
      `  ${'client'.padEnd(20)} ${'n'.padStart(5)} ${'p50'.padStart(9)} ${'p95'.padStart(9)} ${'p99'.padStart(9)} ${'max'.padStart(9)} ${'mean'.padStart(9)}  missed`,
    );
    for (const [label, run, s] of [
      ['SSE', sse, a],
      [`poll every ${POLL_INTERVAL_MS / 1000} s`, poll, b],
    ] as const) {
      console.log(
        `  ${label.padEnd(20)} ${String(s.count).padStart(5)} ${fmt(s.p50).padStart(9)} ${fmt(s.p95).padStart(9)} ${fmt(s.p99).padStart(9)} ${fmt(s.max).padStart(9)} ${fmt(mean(run.latencies)).padStart(9)}  ${run.missed}`,
      );
    }
    console.log(
      `  ratio (polling ÷ SSE): p50 ${fmt(b.p50 / a.p50, 0)}x, p95 ${fmt(b.p95 / a.p95, 0)}x` +
        `   goal SSE p95 ≤ ${GOAL_P95_MS} ms, none missed: ${met ? 'met' : 'NOT MET'}`,
    );
    console.log(
      `  SSE run: ${fmt(sse.seconds, 1)} s (each request also cancelled); polling run: ${fmt(poll.seconds, 1)} s; ` +
        `client errors reported: SSE ${sse.errors}, polling ${poll.errors}`,
    );

    await Promise.all([alice.logout(), ...pairs.map((pair) => pair.backend.logout())]);
    const figures = (s: ReturnType<typeof summarize>, run: typeof sse) => ({
      count: s.count,
      p50: s.p50,
      p95: s.p95,
      p99: s.p99,
      max: s.max,
      mean: mean(run.latencies),
      missed: run.missed,
      seconds: run.seconds,
    });
    console.log(
      `BENCH_JSON ${JSON.stringify({
        bench: 'notify',
        durability: durability ?? 'full',
        requesters: REQUESTERS,
        sse: figures(a, sse),
        poll: { ...figures(b, poll), intervalMs: POLL_INTERVAL_MS, windowMs: POLL_WINDOW_MS },
        ratio: { p50: b.p50 / a.p50, p95: b.p95 / a.p95 },
        goal: {
          metric: 'sse.p95',
          op: '<=',
          value: GOAL_P95_MS,
          unit: 'ms',
          alsoRequires: 'sse.missed = 0',
          met,
        },
      })}`,
    );
  } finally {
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
