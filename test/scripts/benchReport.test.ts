/**
 * bench/report/markdown.ts: a partial run (`BENCH_ONLY`) rewrites docs/performance.md with its own
 * benchmarks and keeps the others' sections and goal rows, marked with their date.
 */
import { describe, expect, it } from 'vitest';
import { type BenchRun, type Machine, readEarlierReport, renderReport } from '../../bench/report/markdown.ts';

const machine = (date: string): Machine => ({
  cpuModel: 'cpu',
  logicalCores: 2,
  memoryGiB: 4,
  os: 'os',
  node: 'v24',
  date,
  loadStart: [0, 0, 0],
  loadEnd: [0, 0, 0],
  settings: {},
});

const run = (script: string, title: string, measured: number): BenchRun => ({
  script,
  title,
  command: `node ${script}.ts`,
  exitCode: 0,
  seconds: 1,
  loadBefore: [0, 0, 0],
  records: [
    {
      bench: script,
      figure: measured,
      goal: { name: `${script} goal`, measured, op: '<=', target: 10, met: measured <= 10 },
    },
  ],
  output: `${script} output`,
  stderrTail: '',
});

const ORDER = ['bench:a', 'bench:b', 'bench:c'];

describe('the benchmark report', () => {
  const full = renderReport(
    machine('2026-01-01T00:00:00.000Z'),
    [run('bench:a', 'A', 5), run('bench:b', 'B', 50), run('bench:c', 'C', 7)],
    [],
  );

  it('reads back the sections and goal rows it wrote', () => {
    const earlier = readEarlierReport(full);
    expect(earlier.date).toBe('2026-01-01T00:00:00.000Z');
    expect(earlier.sections.map((section) => [section.script, section.title])).toEqual([
      ['bench:a', 'A'],
      ['bench:b', 'B'],
      ['bench:c', 'C'],
    ]);
    expect(earlier.goalRows).toHaveLength(3);
  });

  it('a partial run replaces its own section and keeps the others, in the full run’s order', () => {
    const partial = renderReport(machine('2026-02-02T00:00:00.000Z'), [run('bench:b', 'B', 3)], [], {
      report: readEarlierReport(full),
      order: ORDER,
    });
    const headings = partial.match(/^## \d+\. .*$/gm);
    expect(headings).toEqual(['## 1. A', '## 2. B', '## 3. C']);
    expect(partial).toContain('Kept from the report of 2026-01-01T00:00:00.000Z');
    expect(partial.match(/Kept from the report/g)).toHaveLength(2);
    // B's old goal (50, not met) is gone; A's and C's stay; B's new one (3) is met.
    expect(partial).toContain('## Goals: 3 of 3 met');
    expect(partial).not.toContain('| 50.00 |');
  });

  it('a full run keeps nothing', () => {
    const again = renderReport(machine('2026-03-03T00:00:00.000Z'), [run('bench:a', 'A', 1)], []);
    expect(again).not.toContain('Kept from the report');
  });
});
