/**
 * `npm test`: type-check, lint and every test suite, then one closing line `N passed, N failed`
 * that counts each test (and the type-check and the lint as one check each).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Counts, countTests, summaryLine, type VitestReport } from './testSummary.ts';

interface Outcome extends Counts {
  name: string;
}

function run(command: string, args: string[]): number {
  const result = spawnSync(command, args, { stdio: 'inherit', env: process.env });
  return result.status ?? 1;
}

function check(name: string, command: string, args: string[]): Outcome {
  console.log(`\n── ${name}: ${command} ${args.join(' ')}`);
  const ok = run(command, args) === 0;
  return { name, passed: ok ? 1 : 0, failed: ok ? 0 : 1, skipped: 0 };
}

function vitest(name: string, args: string[]): Outcome {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coffre-vitest-'));
  const report = path.join(dir, 'report.json');
  console.log(`\n── ${name}`);
  try {
    const status = run('npx', [
      'vitest',
      'run',
      ...args,
      '--reporter=default',
      '--reporter=json',
      `--outputFile=${report}`,
    ]);
    const json = fs.existsSync(report) ? (JSON.parse(fs.readFileSync(report, 'utf8')) as VitestReport) : null;
    return { name, ...countTests(json, status) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const outcomes: Outcome[] = [
  check('type-check', 'npm', ['run', '--silent', 'typecheck']),
  check('lint', 'npx', ['biome', 'check', '.']),
  vitest('unit and integration tests', []),
  vitest('end-to-end tests (Chromium)', ['--config', 'vitest.e2e.config.ts']),
];

console.log('\n── summary');
for (const outcome of outcomes) console.log(`${outcome.name}: ${summaryLine(outcome)}`);
const total = (key: keyof Counts) => outcomes.reduce((sum, outcome) => sum + outcome[key], 0);
const failed = total('failed');
console.log(summaryLine({ passed: total('passed'), failed, skipped: total('skipped') }));
process.exit(failed === 0 ? 0 : 1);
