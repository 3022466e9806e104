/**
 * bench:audit-head — what the audit chain's single head costs on PostgreSQL. Every transaction
 * that writes an audit row takes the lock of the one `audit_head` row (the chain's last link) and
 * holds it until its commit is durable, so the cluster's audited writes commit one after another.
 * WRITERS concurrent writers, each committing one audit row per transaction, for SECONDS each:
 *
 * 1. chained: Coffre's own code (`PostgresStore.appendAudit`), one head for the whole database;
 * 2. independent (the in-run baseline): the same row, hashed the same way but linked to nothing,
 *    committed by the same writers in their own transactions — what the disk and PostgreSQL give
 *    when nothing serialises the writers;
 * 3. sharded heads, an ESTIMATE: Coffre has no sharded chain; a scratch table of SHARDS heads
 *    (one chain per vault, say), each writer extending a random shard's chain under that head's
 *    lock, the way `writeEffects` extends the one chain. It says what sharding would give, not
 *    what Coffre does.
 *
 * A durable throw-away PostgreSQL cluster (fsync, synchronous commit), started by the benchmark.
 * Ratios: chained ÷ independent, sharded ÷ chained. Prints `BENCH_JSON {...}` last.
 */
import os from 'node:os';
import pg from 'pg';
import { startPostgresCluster } from '../../scripts/postgresCluster.ts';
import { auditRowHash } from '../../server/store/auditChain.ts';
import { PostgresStore } from '../../server/store/postgresStore.ts';
import { fmt, summarize } from '../support/stats.ts';

const WRITERS = Number(process.env.BENCH_WRITERS ?? 32);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const SHARD_COUNTS = [4, 16];
const GENESIS = '0'.repeat(64);

const entry = (writer: number) => ({
  at: Date.now(),
  actorId: `writer-${writer}`,
  actorName: `writer ${writer}`,
  action: 'password.read' as const,
  credentialId: `credential-${writer}`,
  details: 'audit-head bench',
});

/** WRITERS loops committing for SECONDS; commits/s and each commit's latency. */
async function run(commit: (writer: number) => Promise<void>) {
  for (let w = 0; w < WRITERS; w++) await commit(w); // warm-up: connections open, plans cached
  const latencies: number[] = [];
  const start = performance.now();
  const deadline = start + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: WRITERS }, async (_, writer) => {
      while (performance.now() < deadline) {
        const begin = performance.now();
        await commit(writer);
        latencies.push(performance.now() - begin);
      }
    }),
  );
  return {
    commitsPerSecond: latencies.length / ((performance.now() - start) / 1000),
    commitMs: summarize(latencies),
  };
}

async function inTransaction(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<void>): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await work(client);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

const INSERT = `INSERT INTO bench_audit (shard, at, actor_id, actor_name, action, credential_id, details, prev_hash, hash)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`;

/** Inserts one row linked to `prevHash`; its hash. */
async function insertRow(
  client: pg.PoolClient,
  shard: number,
  id: number,
  writer: number,
  prevHash: string,
): Promise<string> {
  const row = { id, ...entry(writer), checkoutId: null };
  const hash = auditRowHash(prevHash, row);
  await client.query(INSERT, [
    shard,
    row.at,
    row.actorId,
    row.actorName,
    row.action,
    row.credentialId,
    row.details,
    prevHash,
    hash,
  ]);
  return hash;
}

async function main(): Promise<void> {
  const cluster = await startPostgresCluster({ durable: true });
  try {
    const url = await cluster.createDatabase();
    const store = await PostgresStore.open({ url, migrate: true, poolSize: WRITERS });
    const pool = new pg.Pool({ connectionString: url, max: WRITERS });
    await pool.query(`
      CREATE TABLE bench_audit (id BIGSERIAL PRIMARY KEY, shard INTEGER NOT NULL, at BIGINT NOT NULL,
        actor_id TEXT, actor_name TEXT, action TEXT NOT NULL, credential_id TEXT, details TEXT NOT NULL,
        prev_hash TEXT NOT NULL, hash TEXT NOT NULL);
      CREATE TABLE bench_heads (shard INTEGER PRIMARY KEY, last_id BIGINT NOT NULL, hash TEXT NOT NULL);`);
    console.log(
      `bench/audit-head: ${WRITERS} writers, ${SECONDS} s per mode, one audit row per transaction, durable PostgreSQL; ` +
        `node ${process.version}, ${os.cpus().length} CPUs, load average ${os.loadavg()[0]!.toFixed(2)}`,
    );
    try {
      const chained = await run(async (writer) => {
        await store.appendAudit({ audit: [entry(writer)], events: [] });
      });
      const independent = await run((writer) =>
        inTransaction(pool, async (client) => {
          await insertRow(client, -1, 0, writer, GENESIS);
        }),
      );
      const sharded: Record<string, Awaited<ReturnType<typeof run>>> = {};
      for (const shards of SHARD_COUNTS) {
        await pool.query('DELETE FROM bench_heads');
        await pool.query(
          `INSERT INTO bench_heads SELECT s, 0, '${GENESIS}' FROM generate_series(0, ${shards - 1}) s`,
        );
        sharded[shards] = await run((writer) =>
          inTransaction(pool, async (client) => {
            const shard = Math.floor(Math.random() * shards);
            const head = (
              await client.query('SELECT last_id, hash FROM bench_heads WHERE shard = $1 FOR UPDATE', [shard])
            ).rows[0] as { last_id: string; hash: string };
            const id = Number(head.last_id) + 1;
            const hash = await insertRow(client, shard, id, writer, head.hash);
            await client.query('UPDATE bench_heads SET last_id = $2, hash = $3 WHERE shard = $1', [
              shard,
              id,
              hash,
            ]);
          }),
        );
      }
      const show = (label: string, r: typeof chained) =>
        console.log(
          `  ${label.padEnd(36)} ${fmt(r.commitsPerSecond, 0).padStart(7)} commits/s   commit ms p50 ${fmt(r.commitMs.p50)}, p95 ${fmt(r.commitMs.p95)}, p99 ${fmt(r.commitMs.p99)}`,
        );
      show('chained, one head (Coffre)', chained);
      show('independent commits (baseline)', independent);
      for (const shards of SHARD_COUNTS) show(`${shards} sharded heads (ESTIMATE)`, sharded[shards]!);
      const ratios: Record<string, number> = {
        chainedToIndependent: chained.commitsPerSecond / independent.commitsPerSecond,
        ...Object.fromEntries(
          SHARD_COUNTS.map((shards) => [
            `sharded${shards}ToChained`,
            sharded[shards]!.commitsPerSecond / chained.commitsPerSecond,
          ]),
        ),
      };
      console.log(
        `  ratios: chained ÷ independent ${fmt(ratios.chainedToIndependent!)}; ` +
          SHARD_COUNTS.map(
            (shards) => `${shards} shards ÷ chained ${fmt(ratios[`sharded${shards}ToChained`]!)} (estimate)`,
          ).join('; '),
      );
      const figures = (r: typeof chained) => ({
        commitsPerSecond: r.commitsPerSecond,
        commitMsP50: r.commitMs.p50,
        commitMsP95: r.commitMs.p95,
        commitMsP99: r.commitMs.p99,
      });
      console.log(
        `BENCH_JSON ${JSON.stringify({
          bench: 'audit-head',
          writers: WRITERS,
          seconds: SECONDS,
          chainedOneHead: figures(chained),
          independentCommits: figures(independent),
          ...Object.fromEntries(
            SHARD_COUNTS.map((shards) => [`estimateSharded${shards}Heads`, figures(sharded[shards]!)]),
          ),
          ratios,
        })}`,
      );
    } finally {
      await pool.end();
      await store.close();
    }
  } finally {
    await cluster.stop();
  }
}

await main();
