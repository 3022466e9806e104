/**
 * bench/cache: the desktop cache at 100 000 credentials, against a plain in-memory baseline
 * measured in the same run.
 *
 * 1. Sync: 100 000 generated credentials into a cache file, in batches of 1000 as the sync
 *    service does (each batch one transaction, two AES-GCM seals per row); then the same data
 *    again (a re-sync where nothing changed writes nothing).
 * 2. Open: as after a crash (every row's search value decrypted into the index), and as after
 *    a normal close (the index snapshot written by close(): one value to decrypt).
 * 3. Queries: prefix terms (the start of a name, username or host) and substring terms (from the
 *    middle), 1–6 characters, as a person types them (original case and accents, or plain
 *    lowercase). Each query returns a page of PAGE_SIZE decrypted credentials and the total.
 *    Measured twice: as the app opens the cache (the last RECENT_ROWS credentials read are kept
 *    decrypted, so rows seen by an earlier query skip SQLite and AES), and with that turned off.
 * 4. Baseline: the same credentials decrypted into plain objects (in name order), the same
 *    queries as `Array.filter` (lowercase `includes` on name, username, host; no accent folding,
 *    so it does less than the cache), prefix matches moved first, the same page sliced. Ratio =
 *    baseline / cache.
 *
 * Heap figures are `process.memoryUsage().heapUsed` after a forced GC (the script re-runs itself
 * with --expose-gc). SQLite's page cache is native memory, outside that heap.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import type { SecretBoxPort } from '../../client/ports.ts';
import type { Credential, Vault } from '../../common/checkout.ts';
import { DEFAULT_POLICY } from '../../common/policy.ts';
import { type CredentialCache, openCache } from '../../main/cache/credentialCache.ts';
import { foldForSearch } from '../../main/cache/foldText.ts';
import { pick, seededRandom, syntheticGuid } from '../../test/support/seededRandom.ts';
import { fmt, summarize } from '../support/stats.ts';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) {
  const run = spawnSync(
    process.execPath,
    ['--expose-gc', ...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)],
    { stdio: 'inherit' },
  );
  process.exit(run.status ?? 1);
}

const CREDENTIALS = Number(process.env.BENCH_CREDENTIALS ?? 100_000);
const QUERIES = Number(process.env.BENCH_QUERIES ?? 300);
const BATCH = 1000;
const PAGE_SIZE = 200; // the IPC default for credentials:list
const VAULTS = 40;
const GOAL_P99_MS = 16;
const GOAL_HEAP_MB = 150;

// Deterministic data: the same seed gives the same 100 000 credentials for sync, re-sync and baseline.
const random = seededRandom;
const guid = syntheticGuid;

const ENVS = ['prod', 'PROD', 'preprod', 'staging', 'dev', 'qa', 'dr', 'Prod', 'uat'];
const ROLES = [
  'db',
  'sql',
  'oracle',
  'web',
  'app',
  'api',
  'ldap',
  'ad',
  'dns',
  'mail',
  'backup',
  'sauvegarde',
  'réseau',
  'pare-feu',
  'firewall',
  'router',
  'switch',
  'vpn',
  'kafka',
  'redis',
  'mongo',
  'postgres',
  'esxi',
  'vcenter',
  'jenkins',
  'gitlab',
  'sap',
  'hr',
  'paie',
  'crm',
  'erp',
  'nas',
  'san',
  'idrac',
  'ilo',
];
const SITES = [
  'Montréal',
  'Québec',
  'Zürich',
  'Genève',
  'Paris',
  'Lyon',
  'Toronto',
  'São Paulo',
  'Kraków',
  'Ålesund',
  'Düsseldorf',
  'Malmö',
  'London',
  'Boston',
  'Sherbrooke',
  'Trois-Rivières',
  'Lévis',
  'Nice',
  'Bordeaux',
];
const SITE_CODES = [
  'mtl',
  'qc',
  'zrh',
  'gva',
  'par',
  'lyn',
  'tor',
  'sao',
  'krk',
  'aes',
  'dus',
  'mmx',
  'lon',
  'bos',
];
const FIRST = [
  'élodie',
  'françois',
  'jérôme',
  'anaïs',
  'zoë',
  'john',
  'marie',
  'luc',
  'chloé',
  'noël',
  'søren',
  'ana',
];
const LAST = [
  'côté',
  'gagnon',
  'tremblay',
  'lefèvre',
  'müller',
  'smith',
  'roy',
  'bouchard',
  'nguyen',
  'løkke',
];
const SERVICE_USERS = [
  'admin',
  'root',
  'Administrator',
  'sa',
  'svc_backup',
  'svc_sql',
  'CORP\\svc_web',
  'oracle',
];

function credentialAt(n: number): Credential {
  const next = random(n * 2654435761);
  const env = pick(next, ENVS);
  const role = pick(next, ROLES);
  const site = pick(next, SITES);
  const code = pick(next, SITE_CODES);
  const number = String(Math.floor(next() * 100)).padStart(2, '0');
  const style = next();
  const name =
    style < 0.4
      ? `${env}-${role}-${code}${number}`
      : style < 0.75
        ? `${role.toUpperCase()} ${site} ${number} (${env})`
        : `${site} – ${role} ${env} #${n % 997}`;
  const username =
    next() < 0.6
      ? pick(next, SERVICE_USERS)
      : `${pick(next, FIRST)}.${pick(next, LAST)}${Math.floor(next() * 10)}`;
  const host =
    next() < 0.8
      ? `${role.replace(/[^a-z]/g, '')}${number}.${code}.corp.example.com`
      : `10.${Math.floor(next() * 256)}.${Math.floor(next() * 256)}.${Math.floor(next() * 256)}`;
  return {
    id: guid(0xc0ffee, n),
    vaultID: guid(0xa0a0, Math.floor(next() * next() * VAULTS)),
    name,
    username,
    host,
    description: `${role} account for ${site}, ${env}: rotate after use; contact the ${role} team.`,
    policy: DEFAULT_POLICY,
    checkout: null,
    updatedAt: new Date(Date.UTC(2025, 0, 1) + n * 60_000).toISOString(),
  };
}

function queries(kind: 'prefix' | 'substring', count: number): string[] {
  const next = random(kind === 'prefix' ? 17 : 23);
  const terms: string[] = [];
  while (terms.length < count) {
    const credential = credentialAt(Math.floor(next() * CREDENTIALS));
    const field = pick(next, [credential.name, credential.username, credential.host]);
    const length = 1 + Math.floor(next() * 6);
    const start = kind === 'prefix' ? 0 : 1 + Math.floor(next() * Math.max(1, field.length - length - 1));
    let term = field.slice(start, start + length);
    if (next() < 0.5) term = foldForSearch(term); // typed without capitals or accents
    if (term.trim() === '') continue;
    terms.push(term);
  }
  return terms;
}

// The OS keychain stands in as a reversible transform: the bench measures the cache, not the keyring.
const secretBox: SecretBoxPort = {
  state: () => 'os',
  encrypt: (plain) => Buffer.from(plain.map((byte) => byte ^ 0xa5)),
  decrypt: (sealed) => Buffer.from(sealed.map((byte) => byte ^ 0xa5)),
};

const mb = (bytes: number) => bytes / 1024 / 1024;
function heapUsed(): number {
  gc!();
  gc!();
  return process.memoryUsage().heapUsed;
}
const mark = (ok: boolean) => (ok ? 'ok' : 'OVER GOAL');

function syncAll(cache: CredentialCache): number {
  let spent = 0;
  for (let offset = 0; offset < CREDENTIALS; offset += BATCH) {
    const batch: Credential[] = [];
    for (let n = offset; n < Math.min(CREDENTIALS, offset + BATCH); n++) batch.push(credentialAt(n));
    const start = performance.now();
    cache.upsertCredentials(batch);
    spent += performance.now() - start;
  }
  return spent;
}

interface BaselineRow {
  credential: Credential;
  name: string;
  username: string;
  host: string;
}

function baselineQuery(rows: BaselineRow[], term: string): { data: Credential[]; total: number } {
  const t = term.toLowerCase();
  const hits = rows.filter((row) => row.name.includes(t) || row.username.includes(t) || row.host.includes(t));
  const prefix = hits.filter(
    (row) => row.name.startsWith(t) || row.username.startsWith(t) || row.host.startsWith(t),
  );
  const other = hits.filter(
    (row) => !(row.name.startsWith(t) || row.username.startsWith(t) || row.host.startsWith(t)),
  );
  return { data: [...prefix, ...other].slice(0, PAGE_SIZE).map((row) => row.credential), total: hits.length };
}

function timeAll(
  terms: string[],
  run: (term: string) => { total: number },
): { ms: number[]; totals: number[] } {
  const ms: number[] = [];
  const totals: number[] = [];
  for (const term of terms) {
    const start = performance.now();
    const page = run(term);
    ms.push(performance.now() - start);
    totals.push(page.total);
  }
  return { ms, totals };
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coffre-bench-cache-'));
const file = path.join(dir, 'cache.db');
try {
  console.log(
    `bench/cache: ${CREDENTIALS} credentials in ${VAULTS} vaults, batches of ${BATCH}, pages of ${PAGE_SIZE}, ` +
      `${QUERIES} queries per kind; node ${process.version}, ${os.cpus().length} CPUs, ` +
      `load average ${os.loadavg()[0]!.toFixed(2)}`,
  );
  const heapStart = heapUsed();

  // 1. Sync.
  let opened = openCache({ file, secretBox });
  const vaults: Vault[] = Array.from({ length: VAULTS }, (_, v) => ({
    id: guid(0xa0a0, v),
    name: `Vault ${v}`,
    description: '',
  }));
  opened.cache.upsertVaults(vaults);
  const syncMs = syncAll(opened.cache);
  const resyncMs = syncAll(opened.cache);
  opened.cache.close();
  const fileMb = mb(fs.statSync(file).size);
  console.log(`\n[sync]`);
  console.log(
    `  first sync:  ${fmt(syncMs / 1000)} s  (${fmt((syncMs * 1000) / CREDENTIALS, 1)} µs per credential)`,
  );
  console.log(`  re-sync, nothing changed: ${fmt(resyncMs / 1000)} s  (rows not rewritten)`);
  console.log(`  file: ${fmt(fileMb, 1)} MB`);

  // 2. Open: first as after a crash (no index snapshot: every row's search value is decrypted),
  // then as after a normal close (the snapshot written by close()).
  const raw = new Database(file);
  raw.exec('DELETE FROM index_snapshot');
  raw.close();
  let start = performance.now();
  opened = openCache({ file, secretBox });
  const openRowsMs = performance.now() - start;
  opened.cache.close();
  const heapBeforeOpen = heapUsed();
  start = performance.now();
  opened = openCache({ file, secretBox });
  const openMs = performance.now() - start;
  if (opened.opened !== 'existing') throw new Error(`cache ${opened.opened}: ${opened.warning}`);
  const cache = opened.cache;
  start = performance.now();
  cache.queryCredentials({ search: 'x', offset: 0, limit: PAGE_SIZE });
  const firstQueryMs = performance.now() - start;
  const heapLoaded = heapUsed();
  console.log(`\n[open]`);
  console.log(`  open after a normal close (index snapshot): ${fmt(openMs, 0)} ms`);
  console.log(`  open after a crash (decrypt ${CREDENTIALS} search values): ${fmt(openRowsMs, 0)} ms`);
  console.log(`  first query: ${fmt(firstQueryMs, 1)} ms`);
  console.log(
    `  heap used after load: ${fmt(mb(heapLoaded), 1)} MB  (goal ≤ ${GOAL_HEAP_MB} MB: ${mark(mb(heapLoaded) <= GOAL_HEAP_MB)}); ` +
      `index alone ${fmt(mb(heapLoaded - heapBeforeOpen), 1)} MB; process before opening ${fmt(mb(heapStart), 1)} MB`,
  );

  // 3. Queries: with the cache as the app opens it, then with its recent-rows cache turned off
  // (every page row read from SQLite and decrypted), to show what that cache contributes.
  const prefixTerms = queries('prefix', QUERIES);
  const substringTerms = queries('substring', QUERIES);
  const warmup = queries('substring', 50);
  const run = (target: CredentialCache) => (term: string) =>
    target.queryCredentials({ search: term, offset: 0, limit: PAGE_SIZE });
  for (const term of warmup) run(cache)(term);
  const cachePrefix = timeAll(prefixTerms, run(cache));
  const cacheSubstring = timeAll(substringTerms, run(cache));
  cache.close();
  const cold = openCache({ file, secretBox, recentRows: 0 }).cache;
  for (const term of warmup) run(cold)(term);
  const coldPrefix = timeAll(prefixTerms, run(cold));
  const coldSubstring = timeAll(substringTerms, run(cold));

  // 4. Baseline: every credential decrypted into memory, in name order.
  const heapBeforeBaseline = heapUsed();
  const rows: BaselineRow[] = [];
  for (let offset = 0; ; offset += 1000) {
    const page = cold.queryCredentials({ offset, limit: 1000 });
    for (const credential of page.data) {
      rows.push({
        credential,
        name: credential.name.toLowerCase(),
        username: credential.username.toLowerCase(),
        host: credential.host.toLowerCase(),
      });
    }
    if (page.data.length < 1000) break;
  }
  const heapBaseline = heapUsed();
  for (const term of warmup) baselineQuery(rows, term);
  const basePrefix = timeAll(prefixTerms, (term) => baselineQuery(rows, term));
  const baseSubstring = timeAll(substringTerms, (term) => baselineQuery(rows, term));

  console.log(`\n[search] ms per query, page of ${PAGE_SIZE} decrypted credentials + total`);
  console.log(
    `  ${'kind'.padEnd(32)} ${'cache p50'.padStart(9)} ${'cache p99'.padStart(9)} ${'filter p50'.padStart(10)} ${'filter p99'.padStart(10)} ${'ratio p50'.padStart(9)} ${'ratio p99'.padStart(9)}  goal p99 ≤ ${GOAL_P99_MS} ms`,
  );
  let more = 0;
  for (const [kind, ours, theirs] of [
    ['prefix', cachePrefix, basePrefix],
    ['substring', cacheSubstring, baseSubstring],
    ['prefix, no recent-rows cache', coldPrefix, basePrefix],
    ['substring, no recent-rows cache', coldSubstring, baseSubstring],
  ] as const) {
    const a = summarize(ours.ms);
    const b = summarize(theirs.ms);
    console.log(
      `  ${kind.padEnd(32)} ${fmt(a.p50).padStart(9)} ${fmt(a.p99).padStart(9)} ${fmt(b.p50).padStart(10)} ${fmt(b.p99).padStart(10)} ${`${fmt(b.p50 / a.p50, 1)}x`.padStart(9)} ${`${fmt(b.p99 / a.p99, 1)}x`.padStart(9)}  ${mark(a.p99 <= GOAL_P99_MS)} (max ${fmt(a.max)})`,
    );
    ours.totals.forEach((total, i) => {
      // Accent folding only adds matches: the cache must find at least what lowercase includes finds.
      if (total < theirs.totals[i]!)
        throw new Error(`cache found fewer results than the baseline for a ${kind} term`);
      if (total > theirs.totals[i]! && !kind.includes('no recent')) more++;
    });
  }
  const matches = [...cachePrefix.totals, ...cacheSubstring.totals].sort((x, y) => x - y);
  console.log(
    `  matches per query: median ${matches[matches.length >> 1]}, max ${matches.at(-1)}; ` +
      `${more} of ${matches.length} queries found more with accent folding than the baseline`,
  );
  console.log(
    `\n[heap] cache after load ${fmt(mb(heapLoaded), 1)} MB (index ${fmt(mb(heapLoaded - heapBeforeOpen), 1)} MB); ` +
      `baseline objects ${fmt(mb(heapBaseline - heapBeforeBaseline), 1)} MB more on top`,
  );
  console.log(
    `BENCH_JSON ${JSON.stringify({
      bench: 'cache',
      credentials: CREDENTIALS,
      queriesPerKind: QUERIES,
      pageSize: PAGE_SIZE,
      syncMs,
      resyncMs,
      fileMb,
      openMs,
      openRowsMs,
      firstQueryMs,
      heapLoadedMb: mb(heapLoaded),
      indexMb: mb(heapLoaded - heapBeforeOpen),
      baselineExtraMb: mb(heapBaseline - heapBeforeBaseline),
      search: (
        [
          ['prefix', cachePrefix, basePrefix],
          ['substring', cacheSubstring, baseSubstring],
          ['prefix, no recent-rows cache', coldPrefix, basePrefix],
          ['substring, no recent-rows cache', coldSubstring, baseSubstring],
        ] as const
      ).map(([kind, ours, theirs]) => ({
        kind,
        cacheMs: summarize(ours.ms),
        baselineMs: summarize(theirs.ms),
      })),
      goals: { searchP99MaxMs: GOAL_P99_MS, heapMaxMb: GOAL_HEAP_MB },
    })}`,
  );
  cold.close();
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
