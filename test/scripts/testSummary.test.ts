/**
 * `npm test`'s closing line counts tests, not suites: a real Vitest run (its JSON report) over
 * samples with two passes and a skip in one file, a pass and a failure in another, and a file that
 * fails to load, is 3 passed, 2 failed (the failing test, the broken file once), 1 skipped.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { countTests, summaryLine, type VitestReport } from '../../scripts/testSummary.ts';

const SAMPLES = path.join(import.meta.dirname, 'fixtures/summary');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coffre-summary-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function runSamples(): { report: VitestReport; status: number } {
  const output = path.join(dir, 'report.json');
  const result = spawnSync(
    process.execPath,
    [
      path.resolve('node_modules/vitest/vitest.mjs'),
      'run',
      '--config',
      path.join(SAMPLES, 'vitest.config.ts'),
      '--reporter=json',
      `--outputFile=${output}`,
    ],
    { encoding: 'utf8', env: { ...process.env, CI: '1' } },
  );
  return { report: JSON.parse(fs.readFileSync(output, 'utf8')), status: result.status ?? 1 };
}

describe('npm test summary', () => {
  it('counts each test once and a file that fails to load once', () => {
    const { report, status } = runSamples();
    expect(status).not.toBe(0);
    const counts = countTests(report, status);
    expect(counts).toEqual({ passed: 3, failed: 2, skipped: 1 });
    expect(summaryLine(counts)).toBe('3 passed, 2 failed, 1 skipped');
  }, 300_000);

  it('a run that failed with nothing to show for it counts as one failure; no report is one too', () => {
    const clean: VitestReport = {
      numPassedTests: 4,
      numFailedTests: 0,
      numPendingTests: 0,
      numTodoTests: 0,
      testResults: [{ name: 'a', status: 'passed', assertionResults: [{ status: 'passed' }] }],
    };
    expect(countTests(clean, 0)).toEqual({ passed: 4, failed: 0, skipped: 0 });
    expect(summaryLine(countTests(clean, 0))).toBe('4 passed, 0 failed');
    expect(countTests(clean, 1)).toEqual({ passed: 4, failed: 1, skipped: 0 });
    expect(countTests(null, 1)).toEqual({ passed: 0, failed: 1, skipped: 0 });
  });
});
