/**
 * Counts of one Vitest run, read from its JSON report, for `npm test`'s closing line: tests, not
 * suites. A file that fails without a failing test (it does not load, a hook throws) counts once;
 * a run that failed with nothing to show for it (an unhandled error) counts once.
 */

/** The parts of Vitest's JSON reporter output this reads. */
export interface VitestReport {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  testResults: Array<{ name: string; status: string; assertionResults: Array<{ status: string }> }>;
}

export interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}

export function countTests(report: VitestReport | null, exitStatus: number): Counts {
  if (!report) return { passed: 0, failed: 1, skipped: 0 };
  const failedFilesWithoutFailedTest = report.testResults.filter(
    (file) => file.status === 'failed' && !file.assertionResults.some((test) => test.status === 'failed'),
  ).length;
  let failed = report.numFailedTests + failedFilesWithoutFailedTest;
  if (exitStatus !== 0 && failed === 0) failed = 1;
  return {
    passed: report.numPassedTests,
    failed,
    skipped: report.numPendingTests + report.numTodoTests,
  };
}

/** `N passed, N failed` (and `, N skipped` when some were). */
export function summaryLine({ passed, failed, skipped }: Counts): string {
  return `${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`;
}
