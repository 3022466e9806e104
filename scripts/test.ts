/**
 * `npm test`: type-check, lint and every test suite, then one closing line `N passed, N failed`
 * that counts each test (and the type-check and the lint as one check each).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

interface Outcome {
  name: string;
  passed: number;
  failed: number;
  skipped: number;
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
  const report = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'coffre-vitest-')), 'report.json');
  console.log(`\n── ${name}`);
  const status = run('npx', [
    'vitest',
    'run',
    ...args,
    '--reporter=default',
    '--reporter=json',
    `--outputFile=${report}`,
  ]);
  if (!fs.existsSync(report)) return { name, passed: 0, failed: 1, skipped: 0 };
  const json = JSON.parse(fs.readFileSync(report, 'utf8')) as {
    numPassedTests: number;
    numFailedTests: number;
    numPendingTests: number;
    numTodoTests: number;
    numFailedTestSuites: number;
  };
  // A suite that fails to load has no failed tests but must still count as a failure.
  const failed =
    json.numFailedTests + json.numFailedTestSuites + (status !== 0 && json.numFailedTests === 0 ? 1 : 0);
  return { name, passed: json.numPassedTests, failed, skipped: json.numPendingTests + json.numTodoTests };
}

const outcomes: Outcome[] = [
  check('type-check', 'npm', ['run', '--silent', 'typecheck']),
  check('lint', 'npx', ['biome', 'check', '.']),
  vitest('unit and integration tests', []),
  vitest('end-to-end tests (Chromium)', ['--config', 'vitest.e2e.config.ts']),
];

console.log('\n── summary');
for (const outcome of outcomes) {
  const skipped = outcome.skipped ? `, ${outcome.skipped} skipped` : '';
  console.log(`${outcome.name}: ${outcome.passed} passed, ${outcome.failed} failed${skipped}`);
}
const passed = outcomes.reduce((sum, o) => sum + o.passed, 0);
const failed = outcomes.reduce((sum, o) => sum + o.failed, 0);
const skipped = outcomes.reduce((sum, o) => sum + o.skipped, 0);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed === 0 ? 0 : 1);
