/**
 * `npm run bench`: runs every benchmark of package.json (`bench:server`, `bench:notify`,
 * `bench:cache`, `bench:renderer` when it exists, and any other `bench:*`) one after another, each
 * as its own child process (`npm run --silent <script>`), shows their output as it comes, keeps
 * it, and writes docs/performance.md from the `BENCH_JSON {...}` lines they print.
 *
 * BENCH_ONLY=bench:notify,bench:cache runs a subset and keeps the other benchmarks' sections of
 * the report (marked with their date); BENCH_REPORT=<file> writes elsewhere;
 * BENCH_IDLE_LOAD waits for a quiet machine before each benchmark (see waitForIdle). Exits
 * non-zero when a benchmark fails or prints no BENCH_JSON line (the report still says so).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type BenchRun, type Machine, readEarlierReport, renderReport } from './markdown.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const REPORT = path.resolve(ROOT, process.env.BENCH_REPORT ?? 'docs/performance.md');
const KNOWN: ReadonlyArray<{ script: string; title: string }> = [
  { script: 'bench:server', title: 'Server: checkout cycle vs raw SQLite' },
  { script: 'bench:nodes', title: 'Server: SQLite vs PostgreSQL, one node and two nodes' },
  { script: 'bench:audit-head', title: 'PostgreSQL: the audit chain’s single head vs independent commits' },
  { script: 'bench:notify', title: 'Approver notification latency: SSE vs 10-second polling' },
  { script: 'bench:notify-nodes', title: 'Approver notification latency across PostgreSQL nodes' },
  { script: 'bench:cache', title: 'Desktop cache: search, sync and open' },
  { script: 'bench:renderer', title: 'Renderer: paint and bundle size' },
  { script: 'bench:restart', title: 'Server: restart after kill -9 under load vs after a clean stop' },
];
const MARK = 'BENCH_JSON ';
const TIMEOUT_MS = Number(process.env.BENCH_TIMEOUT_MS ?? 15 * 60_000);

const loadAverage = () => os.loadavg().map((value) => Math.round(value * 100) / 100);

function machine(loadStart: number[]): Machine {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() || 'unknown',
    logicalCores: cpus.length,
    memoryGiB: os.totalmem() / 2 ** 30,
    os: `${os.type()} ${os.release()} (${os.arch()})`,
    node: process.version,
    date: new Date().toISOString(),
    loadStart,
    loadEnd: loadAverage(),
    settings: Object.fromEntries(
      Object.entries(process.env).filter(
        (entry): entry is [string, string] => entry[0].startsWith('BENCH_') && entry[1] !== undefined,
      ),
    ),
  };
}

/** npm itself, the way this script was started when it was (`npm run bench`), else from PATH. */
function npmCommand(args: string[]): [string, string[]] {
  const cli = process.env.npm_execpath;
  if (cli && /\.c?js$/.test(cli)) return [process.execPath, [cli, ...args]];
  return [process.platform === 'win32' ? 'npm.cmd' : 'npm', args];
}

/**
 * BENCH_IDLE_LOAD=<n>: before each benchmark, wait (up to BENCH_IDLE_WAIT_S, default 600 s) until
 * the 1-minute load average is at most n, so a shared machine's other work weighs less.
 */
async function waitForIdle(script: string): Promise<void> {
  const threshold = Number(process.env.BENCH_IDLE_LOAD);
  if (!process.env.BENCH_IDLE_LOAD || !Number.isFinite(threshold)) return;
  const deadline = Date.now() + Number(process.env.BENCH_IDLE_WAIT_S ?? 600) * 1000;
  let told = false;
  while (os.loadavg()[0]! > threshold && Date.now() < deadline) {
    if (!told)
      console.log(
        `${script}: waiting for the 1-minute load to fall to ${threshold} (now ${loadAverage()[0]})`,
      );
    told = true;
    await new Promise((resolve) => setTimeout(resolve, 5_000));
  }
}

async function runBenchmark(script: string, title: string, command: string): Promise<BenchRun> {
  await waitForIdle(script);
  const loadBefore = loadAverage();
  const started = performance.now();
  console.log(`\n── ${script}: ${command}   (load average ${loadBefore.join(' / ')})`);
  const [file, args] = npmCommand(['run', '--silent', script]);
  const child = spawn(file, args, { cwd: ROOT, env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    process.stdout.write(chunk);
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    process.stderr.write(chunk);
  });
  const timer = setTimeout(() => {
    console.error(`${script}: still running after ${TIMEOUT_MS / 1000} s; stopping it.`);
    child.kill('SIGTERM');
  }, TIMEOUT_MS);
  return new Promise((resolve) => {
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const records: Array<Record<string, any>> = [];
      const output: string[] = [];
      for (const line of stdout.split('\n')) {
        const at = line.indexOf(MARK);
        if (at === -1) {
          output.push(line);
          continue;
        }
        try {
          records.push(JSON.parse(line.slice(at + MARK.length)));
        } catch {
          output.push(line);
          stderr += `\n(unreadable BENCH_JSON line: ${line.slice(0, 200)})`;
        }
      }
      resolve({
        script,
        title,
        command,
        exitCode: code ?? (signal ? 128 : 1),
        seconds: (performance.now() - started) / 1000,
        loadBefore,
        records,
        output: output.join('\n'),
        stderrTail: stderr
          .split('\n')
          .filter((line) => line.trim() !== '' && !line.startsWith('npm warn'))
          .slice(-20)
          .join('\n'),
      });
    });
  });
}

async function main(): Promise<void> {
  const scripts: Record<string, string> =
    JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts ?? {};
  const only = process.env.BENCH_ONLY?.split(',').map((name) => name.trim());
  const extra = Object.keys(scripts)
    .filter((name) => name.startsWith('bench:') && !KNOWN.some((known) => known.script === name))
    .map((script) => ({ script, title: script }));
  const wanted = [...KNOWN, ...extra].filter((bench) => !only || only.includes(bench.script));
  const present = wanted.filter((bench) => scripts[bench.script] !== undefined);
  const skipped = wanted.filter((bench) => scripts[bench.script] === undefined).map((bench) => bench.script);

  const loadStart = loadAverage();
  const cores = os.cpus().length;
  console.log(
    `npm run bench: ${present.map((bench) => bench.script).join(', ')}; ${cores} logical cores, ` +
      `load average ${loadStart.join(' / ')}`,
  );
  if (loadStart[0]! > cores / 2) {
    console.warn(
      `The machine is busy (1-minute load ${loadStart[0]} on ${cores} cores): figures will suffer.`,
    );
  }
  if (skipped.length > 0) console.log(`not run (no such script): ${skipped.join(', ')}`);

  const runs: BenchRun[] = [];
  for (const bench of present)
    runs.push(await runBenchmark(bench.script, bench.title, scripts[bench.script]!));

  fs.mkdirSync(path.dirname(REPORT), { recursive: true });
  // A partial run (BENCH_ONLY) keeps the other benchmarks' sections of the report it replaces.
  const earlier =
    only && fs.existsSync(REPORT)
      ? {
          report: readEarlierReport(fs.readFileSync(REPORT, 'utf8')),
          order: [...KNOWN, ...extra].map((bench) => bench.script),
        }
      : undefined;
  fs.writeFileSync(REPORT, renderReport(machine(loadStart), runs, skipped, earlier));
  const failed = runs.filter((run) => run.exitCode !== 0 || run.records.length === 0);
  console.log(`\nwrote ${path.relative(process.cwd(), REPORT)}`);
  for (const run of runs) {
    console.log(
      `  ${run.script.padEnd(16)} ${run.exitCode === 0 ? 'ok' : `exit ${run.exitCode}`}, ${run.records.length} BENCH_JSON record(s), ${run.seconds.toFixed(1)} s`,
    );
  }
  if (failed.length > 0) process.exitCode = 1;
}

await main();
