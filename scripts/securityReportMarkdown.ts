/**
 * Renders docs/security.md from vitest's JSON results: one row per test, grouped in the sections
 * below. Only the wording and layout live here; every verdict is a test's status in that run.
 */

/** The part of vitest's JSON reporter output this report reads. */
export interface VitestJson {
  testResults: Array<{
    name: string;
    status: string;
    message?: string;
    assertionResults: Array<{
      ancestorTitles: string[];
      title: string;
      status: string;
      duration?: number | null;
      failureMessages?: string[];
    }>;
  }>;
}

export interface ReportSection {
  title: string;
  /** What the section proves, in a sentence or two. */
  intro: string;
  /** Test files (relative to the repository) whose tests are this section's rows. */
  files: string[];
  /** Each test its own row (true), or one row per file with its counts (false). */
  rowPerTest: boolean;
}

/**
 * One line of the threat model: what an attacker with a given position can or cannot do, and the
 * test that shows it (its file, and a piece of its name). The line's verdict is that test's.
 */
export interface ThreatLine {
  attacker: string;
  can: boolean;
  claim: string;
  file: string;
  test: string;
}

export interface ReportContext {
  date: string;
  commit: string;
  node: string;
  electronInstalled: string;
  electronLatest: string | null;
  commands: string[];
  /** Every e2e test ran the secret scan after it: how many there were, and how many passed. */
  e2e: { passed: number; total: number } | null;
}

interface Row {
  file: string;
  name: string;
  status: string;
  ms: number;
}

const ICON: Record<string, string> = { passed: '✅ pass', failed: '❌ FAIL', skipped: '⏭ skipped' };
const cell = (text: string) =>
  text.replace(/\|/g, '\\|').replace(/\n/g, ' ').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function rowsOf(results: VitestJson[], root: string): Row[] {
  return results.flatMap((result) =>
    result.testResults.flatMap((file) => {
      const relative = file.name.startsWith(root)
        ? file.name.slice(root.length).replace(/^\//, '')
        : file.name;
      if (file.assertionResults.length === 0) {
        // A file that failed to load has no tests: it still must show, as a failure.
        return [
          {
            file: relative,
            name: `(the file did not run: ${file.message ?? file.status})`,
            status: 'failed',
            ms: 0,
          },
        ];
      }
      return file.assertionResults.map((test) => ({
        file: relative,
        name: [...test.ancestorTitles.slice(1), test.title].join(' › '),
        status: test.status === 'pending' || test.status === 'todo' ? 'skipped' : test.status,
        ms: test.duration ?? 0,
      }));
    }),
  );
}

function sectionMarkdown(
  section: ReportSection,
  rows: Row[],
): { text: string; failed: number; total: number } {
  const mine = rows.filter((row) => section.files.includes(row.file));
  const missing = section.files.filter((file) => !mine.some((row) => row.file === file));
  const failed = mine.filter((row) => row.status !== 'passed').length + missing.length;
  const lines = [`## ${section.title}`, '', section.intro, ''];
  if (section.rowPerTest) {
    lines.push('| check | verdict | test file |', '| --- | --- | --- |');
    for (const row of mine)
      lines.push(`| ${cell(row.name)} | ${ICON[row.status] ?? row.status} | \`${row.file}\` |`);
  } else {
    lines.push('| test file | tests | passed | verdict |', '| --- | --- | --- | --- |');
    for (const file of section.files.filter((f) => !missing.includes(f))) {
      const ofFile = mine.filter((row) => row.file === file);
      const passed = ofFile.filter((row) => row.status === 'passed').length;
      lines.push(
        `| \`${file}\` | ${ofFile.length} | ${passed} | ${passed === ofFile.length ? ICON.passed : ICON.failed} |`,
      );
    }
  }
  for (const file of missing) lines.push('', `❌ \`${file}\` produced no result in this run.`);
  return { text: lines.join('\n'), failed, total: mine.length + missing.length };
}

/** The threat model, per attacker: each line with the verdict of the test it points at. */
function threatModelMarkdown(
  lines: ThreatLine[],
  rows: Row[],
): { text: string; failed: number; total: number } {
  const out = [
    '## Threat model',
    '',
    'What an attacker in each position can and cannot do against the server and the desktop. Each line points at ' +
      'the test that shows it; its verdict is that test’s in this run (❌ also when no such test ran).',
  ];
  let failed = 0;
  for (const attacker of [...new Set(lines.map((line) => line.attacker))]) {
    out.push('', `### ${attacker}`, '', '| | claim | verdict | test |', '| --- | --- | --- | --- |');
    for (const line of lines.filter((l) => l.attacker === attacker)) {
      const row = rows.find((r) => r.file === line.file && r.name.includes(line.test));
      const status = row?.status ?? 'failed';
      if (status !== 'passed') failed++;
      out.push(
        `| ${line.can ? 'can' : 'cannot'} | ${cell(line.claim)} | ${ICON[status] ?? status} | \`${line.file}\` › ${cell(line.test)} |`,
      );
    }
  }
  return { text: out.join('\n'), failed, total: lines.length };
}

export function renderSecurityReport(
  sections: ReportSection[],
  results: VitestJson[],
  root: string,
  context: ReportContext,
  threatModel: ThreatLine[] = [],
): string {
  const rows = rowsOf(results, root);
  const rendered = sections.map((section) => sectionMarkdown(section, rows));
  if (threatModel.length > 0) rendered.push(threatModelMarkdown(threatModel, rows));
  const failed = rendered.reduce((sum, section) => sum + section.failed, 0);
  const total = rendered.reduce((sum, section) => sum + section.total, 0);
  const electron =
    context.electronLatest === null
      ? `${context.electronInstalled} (the registry's latest could not be read in this run)`
      : `${context.electronInstalled}; latest on the npm registry: ${context.electronLatest}` +
        (context.electronLatest === context.electronInstalled ? ' (current)' : ' (**behind**)');
  return [
    '# Security report',
    '',
    `Generated by \`npm run report:security\` (scripts/securityReport.ts) on ${context.date}, commit ` +
      `\`${context.commit}\`, Node ${context.node}. Every row is a test of that run and its verdict; nothing ` +
      'here is written by hand. Re-run the command to check again and rewrite this file.',
    '',
    `**${failed === 0 ? 'All green' : `${failed} not passing`}: ${total - failed} of ${total} checks pass.**`,
    '',
    `Electron: ${electron}.`,
    ...(context.e2e
      ? [
          '',
          `Secret scan after every end-to-end test: ${context.e2e.passed} of ${context.e2e.total} e2e tests passed, ` +
            'each followed by the scan of every log (debug level), database file, cache, page storage and IPC error ' +
            'for every password and token it used (test/e2e/fixtures.ts).',
        ]
      : []),
    '',
    `Commands run: ${context.commands.map((command) => `\`${command}\``).join(', ')}.`,
    '',
    ...rendered.flatMap((section) => [section.text, '']),
  ].join('\n');
}
