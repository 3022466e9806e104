/**
 * Renders docs/performance.md from what one `npm run bench` measured: the machine, and each
 * benchmark's `BENCH_JSON` records. Every figure comes from those records; this file only holds
 * the wording, the layout, and the comparison of each figure against the goal its benchmark
 * printed with it.
 */

export interface Machine {
  cpuModel: string;
  logicalCores: number;
  memoryGiB: number;
  os: string;
  node: string;
  date: string;
  loadStart: number[];
  loadEnd: number[];
  /** BENCH_* environment variables in effect (they change the benchmarks' sizes). */
  settings: Record<string, string>;
}

export interface BenchRun {
  /** The package.json script, e.g. `bench:server`. */
  script: string;
  title: string;
  command: string;
  exitCode: number | null;
  seconds: number;
  /** 1-, 5- and 15-minute load averages just before the benchmark started. */
  loadBefore: number[];
  records: Array<Record<string, any>>;
  /** The benchmark's output without its BENCH_JSON lines. */
  output: string;
  stderrTail: string;
}

interface GoalRow {
  bench: string;
  goal: string;
  measured: string;
  baseline: string;
  ratio: string;
  met: boolean | null;
}

const num = (value: unknown, digits = 2): string =>
  typeof value === 'number' && Number.isFinite(value)
    ? value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
    : 'n/a';
const ms = (value: unknown, digits = 2) => `${num(value, digits)} ms`;
const times = (value: unknown, digits = 1) => `${num(value, digits)}×`;
const verdict = (met: boolean | null) => (met === null ? 'not evaluated' : met ? '**met**' : '**not met**');
const loads = (values: number[]) => values.map((value) => value.toFixed(2)).join(' / ');
const row = (cells: unknown[]) =>
  `| ${cells.map((cell) => String(cell).replace(/\|/g, '\\|')).join(' | ')} |`;
function table(head: string[], rows: unknown[][]): string {
  return [row(head), row(head.map(() => '---')), ...rows.map(row)].join('\n');
}
const percentiles = (s: Record<string, number> | undefined, keys: string[]) =>
  keys.map((key) => num(s?.[key])).join(' / ');

interface Section {
  goals: GoalRow[];
  body: string;
}

function serverSection(run: BenchRun): Section {
  const goals: GoalRow[] = [];
  const rows: unknown[][] = [];
  for (const r of run.records) {
    const mode = `${r.durability} (WAL, synchronous=${String(r.durability).toUpperCase()})`;
    rows.push([
      mode,
      num(r.rawCommitsPerSecond, 0),
      num(r.cyclesPerSecond, 0),
      num(r.commitsPerSecond, 0),
      num(r.ratio, 3),
      percentiles(r.requestMs, ['p50', 'p95', 'p99', 'max']),
      percentiles(r.cycleMs, ['p50', 'p95', 'p99']),
    ]);
    goals.push({
      bench: `Server cycle, durability ${r.durability}`,
      goal: `server commits/s ÷ raw SQLite commits/s ≥ ${r.goals?.ratioMin}`,
      measured: `${num(r.commitsPerSecond, 0)} commits/s (${num(r.cyclesPerSecond, 0)} cycles/s)`,
      baseline: `raw SQLite ${num(r.rawCommitsPerSecond, 0)} commits/s`,
      ratio: num(r.ratio, 3),
      met:
        typeof r.ratio === 'number' && typeof r.goals?.ratioMin === 'number'
          ? r.ratio >= r.goals.ratioMin
          : null,
    });
    goals.push({
      bench: `Server cycle, durability ${r.durability}`,
      goal: `request latency p99 < ${r.goals?.requestP99BelowMs} ms at ${r.clients} clients`,
      measured: `p99 ${ms(r.requestMs?.p99)}`,
      baseline: '—',
      ratio: '—',
      met:
        typeof r.requestMs?.p99 === 'number' && typeof r.goals?.requestP99BelowMs === 'number'
          ? r.requestMs.p99 < r.goals.requestP99BelowMs
          : null,
    });
  }
  const first = run.records[0] ?? {};
  const body = [
    `${first.clients ?? 'n/a'} concurrent clients over loopback, each cycling checkout → password read → check-in ` +
      `for ${num(first.seconds, 1)} s, against the server started as a child process. Baseline, measured in the same ` +
      'run with the same pragmas: raw single-row durable SQLite commits (better-sqlite3, one transaction each). ' +
      'Ratio = the server’s state-changing transactions per second (three per cycle) ÷ raw commits per second.',
    '',
    table(
      [
        'durability',
        'raw SQLite commits/s',
        'server cycles/s',
        'server commits/s',
        'ratio',
        'request ms p50 / p95 / p99 / max',
        'cycle ms p50 / p95 / p99',
      ],
      rows,
    ),
  ].join('\n');
  return { goals, body };
}

function notifySection(run: BenchRun): Section {
  const r = run.records.at(-1) ?? {};
  const sse = r.sse ?? {};
  const poll = r.poll ?? {};
  const goal = r.goal ?? {};
  const met =
    typeof sse.p95 === 'number' && typeof goal.value === 'number'
      ? sse.p95 <= goal.value && sse.missed === 0
      : null;
  const body = [
    'From `POST /api/pam/checkouts` (a requester creating a pending request that names alice as approver) to ' +
      'alice’s client receiving `checkout.created` through the real client core ' +
      '(`createPamBackend(...).subscribe`). The server runs as a child process ' +
      `(durability ${r.durability ?? 'n/a'}); ${r.requesters ?? 'n/a'} requester/credential pairs created through ` +
      'the admin API so that no request collides with an open one; each request is cancelled once seen. ' +
      `SSE requests are sent one after another. Baseline, same client in polling mode every ${num(poll.intervalMs / 1000, 0)} s, ` +
      `measured the same way in the same run: ${poll.count ?? 'n/a'} requests sent at uniformly random moments over ` +
      `${num(poll.windowMs / 1000, 0)} s, so their phase against the poll timer is uniform.`,
    '',
    table(
      ['client', 'requests', 'p50', 'p95', 'p99', 'max', 'mean', 'missed', 'run time'],
      [
        [
          'SSE',
          sse.count,
          ms(sse.p50),
          ms(sse.p95),
          ms(sse.p99),
          ms(sse.max),
          ms(sse.mean),
          sse.missed,
          `${num(sse.seconds, 1)} s`,
        ],
        [
          `polling, every ${num(poll.intervalMs / 1000, 0)} s`,
          poll.count,
          ms(poll.p50, 0),
          ms(poll.p95, 0),
          ms(poll.p99, 0),
          ms(poll.max, 0),
          ms(poll.mean, 0),
          poll.missed,
          `${num(poll.seconds, 1)} s`,
        ],
      ],
    ),
    '',
    `Ratio polling ÷ SSE: p50 ${times(r.ratio?.p50, 0)}, p95 ${times(r.ratio?.p95, 0)}.`,
  ].join('\n');
  return {
    body,
    goals: [
      {
        bench: 'Approver notification latency',
        goal: `SSE p95 ≤ ${goal.value} ${goal.unit ?? 'ms'}, none missed`,
        measured: `p95 ${ms(sse.p95)} (p50 ${ms(sse.p50)}), ${sse.missed} missed of ${(sse.count ?? 0) + (sse.missed ?? 0)}`,
        baseline: `${num(poll.intervalMs / 1000, 0)}-s polling p95 ${ms(poll.p95, 0)} (p50 ${ms(poll.p50, 0)})`,
        ratio: `${times(r.ratio?.p95, 0)} faster at p95`,
        met,
      },
    ],
  };
}

function cacheSection(run: BenchRun): Section {
  const r = run.records.at(-1) ?? {};
  const goals: GoalRow[] = [];
  const search: Array<Record<string, any>> = r.search ?? [];
  const limit = r.goals?.searchP99MaxMs;
  const rows = search.map((s) => {
    const ok =
      typeof s.cacheMs?.p99 === 'number' && typeof limit === 'number' ? s.cacheMs.p99 <= limit : null;
    return [
      s.kind,
      num(s.cacheMs?.p50),
      num(s.cacheMs?.p99),
      num(s.baselineMs?.p50),
      num(s.baselineMs?.p99),
      times(s.baselineMs?.p50 / s.cacheMs?.p50),
      times(s.baselineMs?.p99 / s.cacheMs?.p99),
      ok === null ? 'n/a' : ok ? 'ok' : 'over',
    ];
  });
  // The goal is for the cache as the app opens it; the "no recent-rows cache" rows are diagnostic.
  for (const s of search.filter((entry) => !String(entry.kind).includes('no recent'))) {
    goals.push({
      bench: `Cache search, ${s.kind} terms`,
      goal: `p99 ≤ ${limit} ms per query at ${num(r.credentials, 0)} credentials`,
      measured: `p99 ${ms(s.cacheMs?.p99)} (p50 ${ms(s.cacheMs?.p50)})`,
      baseline: `in-memory Array.filter p99 ${ms(s.baselineMs?.p99)}`,
      ratio: `${times(s.baselineMs?.p99 / s.cacheMs?.p99)} (baseline ÷ cache, p99)`,
      met: typeof s.cacheMs?.p99 === 'number' && typeof limit === 'number' ? s.cacheMs.p99 <= limit : null,
    });
  }
  goals.push({
    bench: 'Cache heap',
    goal: `heap used after load ≤ ${r.goals?.heapMaxMb} MB`,
    measured: `${num(r.heapLoadedMb, 1)} MB (index ${num(r.indexMb, 1)} MB)`,
    baseline: `plain decrypted objects: ${num(r.baselineExtraMb, 1)} MB more`,
    ratio: '—',
    met:
      typeof r.heapLoadedMb === 'number' && typeof r.goals?.heapMaxMb === 'number'
        ? r.heapLoadedMb <= r.goals.heapMaxMb
        : null,
  });
  const body = [
    `The desktop cache at ${num(r.credentials, 0)} credentials; ${r.queriesPerKind ?? 'n/a'} queries per kind, ` +
      `each returning a page of ${r.pageSize ?? 'n/a'} decrypted credentials and the total. Baseline, in the same run: ` +
      'the same credentials decrypted into plain objects and searched with `Array.filter` (lowercase `includes`, no ' +
      'accent folding). Ratio = baseline ÷ cache.',
    '',
    table(
      [
        'query kind',
        'cache p50 ms',
        'cache p99 ms',
        'filter p50 ms',
        'filter p99 ms',
        'ratio p50',
        'ratio p99',
        `p99 ≤ ${limit} ms`,
      ],
      rows,
    ),
    '',
    table(
      ['sync and open', 'figure'],
      [
        ['first sync (batches of 1000)', `${num(r.syncMs / 1000)} s`],
        ['re-sync, nothing changed', `${num(r.resyncMs / 1000)} s`],
        ['cache file', `${num(r.fileMb, 1)} MB`],
        ['open after a normal close (index snapshot)', ms(r.openMs, 0)],
        ['open after a crash (every search value decrypted)', ms(r.openRowsMs, 0)],
        ['first query', ms(r.firstQueryMs, 1)],
        ['heap used after load (index alone)', `${num(r.heapLoadedMb, 1)} MB (${num(r.indexMb, 1)} MB)`],
      ],
    ),
  ].join('\n');
  return { goals, body };
}

/** Flattens a record into `path: value` rows, for benchmarks this report has no layout for. */
function flatten(value: unknown, prefix = ''): Array<[string, string]> {
  if (value === null || typeof value !== 'object') {
    return [
      [prefix, typeof value === 'number' ? num(value, Number.isInteger(value) ? 0 : 2) : String(value)],
    ];
  }
  return Object.entries(value as Record<string, unknown>).flatMap(([key, inner]) =>
    flatten(inner, prefix ? `${prefix}.${key}` : key),
  );
}

/** Every object inside `value` that carries a boolean `met`: the goals a benchmark states itself. */
function statedGoals(value: unknown, where = ''): Array<{ where: string; goal: Record<string, any> }> {
  if (value === null || typeof value !== 'object') return [];
  const object = value as Record<string, any>;
  const own = typeof object.met === 'boolean' ? [{ where, goal: object }] : [];
  return [
    ...own,
    ...Object.entries(object).flatMap(([key, inner]) => statedGoals(inner, where ? `${where}.${key}` : key)),
  ];
}

const shown = (value: unknown, unit?: unknown) =>
  value === undefined
    ? '—'
    : `${typeof value === 'number' ? num(value) : String(value)}${unit ? ` ${unit}` : ''}`;

/**
 * For benchmarks this report has no layout for: every figure as a `path | value` row, and every
 * object with a boolean `met` (e.g. `goals: [{ name, measured, target, unit, met }]`) as a goal.
 */
function genericSection(run: BenchRun): Section {
  const goals: GoalRow[] = run.records.flatMap((r) =>
    statedGoals(r).map(({ where, goal: g }) => ({
      bench: run.title,
      goal:
        String(g.name ?? g.label ?? g.goal ?? g.metric ?? where) +
        (g.target !== undefined
          ? ` (target ${shown(g.op ? `${g.op} ${g.target}` : g.target, g.unit)})`
          : '') +
        (g.value !== undefined && g.target === undefined
          ? ` (${shown(g.op ? `${g.op} ${g.value}` : g.value, g.unit)})`
          : ''),
      measured: shown(g.measured ?? g.actual, g.unit),
      baseline: shown(g.baseline),
      ratio: shown(g.ratio),
      met: g.met as boolean,
    })),
  );
  const body = run.records
    .map((r) =>
      table(
        ['figure', 'value'],
        flatten(r).filter(([key]) => key !== 'bench'),
      ),
    )
    .join('\n\n');
  return { goals, body };
}

const LAYOUTS: Record<string, (run: BenchRun) => Section> = {
  server: serverSection,
  notify: notifySection,
  cache: cacheSection,
};

/** A benchmark's section of an earlier report, kept when `BENCH_ONLY` re-runs other benchmarks. */
export interface KeptSection {
  script: string;
  /** The section without its numbered heading. */
  title: string;
  body: string;
}

export interface EarlierReport {
  date: string;
  sections: KeptSection[];
  /** The rows of its goals table, as written. */
  goalRows: string[];
}

/** Reads back what `renderReport` wrote: its date, each benchmark's section, its goal rows. */
export function readEarlierReport(markdown: string): EarlierReport {
  const date = markdown.match(/^Generated by .*? on (\S+?)\.? /m)?.[1] ?? 'an earlier run';
  const parts = markdown.split(/^## /m).slice(1);
  const sections: KeptSection[] = [];
  let goalRows: string[] = [];
  for (const part of parts) {
    const [heading = '', ...rest] = part.split('\n');
    const body = rest.join('\n').trim();
    if (heading.startsWith('Goals')) {
      goalRows = body
        .split('\n')
        .filter((line) => line.startsWith('| ') && !line.startsWith('| ---'))
        .slice(1); // not the head
      continue;
    }
    const numbered = heading.match(/^\d+\. (.*)$/);
    const script = body.match(/`npm run (bench:[\w-]+)`/)?.[1];
    if (numbered && script) sections.push({ script, title: numbered[1]!, body });
  }
  return { date, sections, goalRows };
}

const firstCell = (tableRow: string) => tableRow.split(' | ')[0]!.replace(/^\| /, '').trim();

/**
 * `earlier`: the report this one replaces, when only some benchmarks ran (`BENCH_ONLY`): the
 * sections and goal rows of the benchmarks that did not run are kept, marked with their date, in
 * `order` (the scripts' order of a full run).
 */
export function renderReport(
  machine: Machine,
  runs: BenchRun[],
  skipped: string[],
  earlier?: { report: EarlierReport; order: string[] },
): string {
  const allGoals: GoalRow[] = [];
  const rendered: Array<{ script: string; title: string; text: string }> = [];
  runs.forEach((run) => {
    const kind = run.records[0]?.bench as string | undefined;
    const failed = run.exitCode !== 0 || run.records.length === 0;
    const section =
      run.records.length > 0 ? (LAYOUTS[kind ?? ''] ?? genericSection)(run) : { goals: [], body: '' };
    allGoals.push(...section.goals);
    if (failed) {
      allGoals.push({
        bench: run.title,
        goal: 'the benchmark completes',
        measured: `exit code ${run.exitCode}, ${run.records.length} BENCH_JSON record(s)`,
        baseline: '—',
        ratio: '—',
        met: false,
      });
    }
    rendered.push({
      script: run.script,
      title: run.title,
      text: [
        `\`npm run ${run.script}\` (\`${run.command}\`): ${num(run.seconds, 1)} s, exit code ${run.exitCode}, ` +
          `load average before it ${loads(run.loadBefore)}.`,
        '',
        ...(failed
          ? [
              `**This benchmark failed or printed no \`BENCH_JSON\` line.** Last lines of its error output:`,
              '',
              '```',
              run.stderrTail || '(none)',
              '```',
              '',
            ]
          : []),
        section.body,
        '',
        '<details><summary>Its output in this run</summary>',
        '',
        '```',
        run.output.trimEnd(),
        '```',
        '',
        '</details>',
      ].join('\n'),
    });
  });
  const ranNow = new Set([...runs.map((run) => run.script), ...skipped]);
  const kept = (earlier?.report.sections ?? []).filter((section) => !ranNow.has(section.script));
  const order = earlier?.order ?? [];
  const rank = (script: string) => (order.includes(script) ? order.indexOf(script) : order.length);
  const sections = [
    ...rendered,
    ...kept.map((section) => ({
      ...section,
      text: `*Kept from the report of ${earlier!.report.date}: not re-run this time (\`BENCH_ONLY\`).*\n\n${section.body}`,
    })),
  ]
    .sort((a, b) => rank(a.script) - rank(b.script))
    .map((section, index) => `## ${index + 1}. ${section.title}\n\n${section.text}`);
  // Goal rows of kept sections: those naming no benchmark of this run.
  const namedNow = new Set([...runs.map((run) => run.title), ...allGoals.map((goal) => goal.bench)]);
  const keptGoalRows =
    kept.length === 0 ? [] : (earlier?.report.goalRows ?? []).filter((r) => !namedNow.has(firstCell(r)));
  const metCount =
    allGoals.filter((goal) => goal.met === true).length +
    keptGoalRows.filter((r) => r.endsWith('| **met** |')).length;
  const goalCount = allGoals.length + keptGoalRows.length;
  return [
    '# Performance',
    '',
    `Generated by \`npm run bench\` (bench/report/run.ts) on ${machine.date}. Every figure below was measured ` +
      (kept.length > 0
        ? `in that run, except in the sections marked as kept from the report of ${earlier!.report.date}`
        : 'in that run') +
      ': each benchmark ran as a child process and printed its figures, and this file was written ' +
      'from the machine-readable `BENCH_JSON` lines of that output. Nothing here is edited by hand; re-run ' +
      '`npm run bench` to measure again and rewrite it.',
    '',
    '## Machine',
    '',
    table(
      ['', ''],
      [
        ['CPU', machine.cpuModel],
        ['Logical cores', machine.logicalCores],
        ['Memory', `${num(machine.memoryGiB, 1)} GiB`],
        ['OS', machine.os],
        ['Node', machine.node],
        ['Date', machine.date],
        ['Load average at start (1 / 5 / 15 min)', loads(machine.loadStart)],
        ['Load average at end (1 / 5 / 15 min)', loads(machine.loadEnd)],
        [
          'Benchmark settings overridden',
          Object.keys(machine.settings).length === 0
            ? 'none (each benchmark’s defaults)'
            : Object.entries(machine.settings)
                .map(([key, value]) => `${key}=${value}`)
                .join(', '),
        ],
      ],
    ),
    '',
    'The benchmarks share the machine with whatever else runs on it; the load before each one is given in its section.',
    '',
    `## Goals: ${metCount} of ${goalCount} met`,
    '',
    table(
      ['benchmark', 'goal', 'measured', 'in-run baseline', 'ratio', 'verdict'],
      allGoals.map((goal) => [
        goal.bench,
        goal.goal,
        goal.measured,
        goal.baseline,
        goal.ratio,
        verdict(goal.met),
      ]),
    ),
    ...keptGoalRows,
    '',
    skipped.length > 0
      ? `Not run (no such script in package.json): ${skipped.map((s) => `\`${s}\``).join(', ')}.\n`
      : '',
    ...sections.flatMap((section) => [section, '']),
  ].join('\n');
}
