/**
 * `npm run report:security`: runs the security suites (unit/integration, then every e2e test, each
 * of which ends with the secret scan) and writes docs/security.md from their results. Exits non-zero
 * when a check fails; the report says which. Its last section, Mutation testing, is read from
 * docs/mutation-scores.json (`npm run mutation:scopes` writes it); `--mutation-only` rewrites just
 * that section of the existing report.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type MutationScores, mutationSection } from './mutationReport.ts';
import { type ReportSection, renderSecurityReport, type VitestJson } from './securityReportMarkdown.ts';
import { THREAT_MODEL } from './threatModel.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const REPORT = path.join(ROOT, 'docs', 'security.md');
const MUTATION_SCORES = path.join(ROOT, 'docs', 'mutation-scores.json');
const MUTATION_HEADING = '## Mutation testing';

/** The Mutation section, from the scores `npm run mutation:scopes` recorded (it runs for hours, not here). */
function mutationMarkdown(): string {
  const scores = fs.existsSync(MUTATION_SCORES)
    ? (JSON.parse(fs.readFileSync(MUTATION_SCORES, 'utf8')) as MutationScores)
    : null;
  return mutationSection(scores, MUTATION_HEADING);
}

/** `--mutation-only`: rewrites the Mutation section of the existing report, running no test. */
if (process.argv.includes('--mutation-only')) {
  const current = fs.readFileSync(REPORT, 'utf8');
  const at = current.indexOf(`\n${MUTATION_HEADING}\n`);
  const before = at < 0 ? `${current.trimEnd()}\n` : current.slice(0, at + 1);
  fs.writeFileSync(REPORT, `${before}\n${mutationMarkdown()}`);
  console.log(`rewrote the mutation section of ${path.relative(process.cwd(), REPORT)}`);
  process.exit(0);
}

const SECTIONS: ReportSection[] = [
  {
    title: '1. Electron security checklist',
    intro:
      'One test per item of Electron’s checklist (electronjs.org/docs/latest/tutorial/security), numbered as it is, ' +
      'asserting the code the app runs: window options, the app:// protocol, the CSP, the navigation, window and ' +
      'permission guards, the preload, the IPC bridge and the packaging fuses.',
    files: ['test/security/electronChecklist.test.ts'],
    rowPerTest: true,
  },
  {
    title: '2. Secret hygiene: logs, files, page storage, IPC errors',
    intro:
      'The server and the desktop log at debug level into files; the scan looks for every password and token a ' +
      'scenario used (UTF-8, UTF-16, base64, base64url, hex) in those logs, the server’s database and WAL, each ' +
      'desktop’s cache and data files, the page’s localStorage, sessionStorage, IndexedDB, Cache Storage and ' +
      'cookies, and every IPC error. The first test plants a secret in each place and proves the scan finds it.',
    files: ['test/e2e/secretHygiene.e2e.test.ts'],
    rowPerTest: true,
  },
  {
    title: '3. Clipboard',
    intro:
      'A copied password is cleared on its timer, at lock, check-in, expiry, sign-out and quit, and left alone if the ' +
      'user copied something else meanwhile (the real main process against the real server, test-driven clock).',
    files: ['test/security/clipboard.test.ts'],
    rowPerTest: true,
  },
  {
    title: '4. Secrets at rest and in the server’s logs',
    intro:
      'Credential passwords sealed with AES-256-GCM under the master key, user passwords hashed with argon2id, tokens ' +
      'stored as hashes, the desktop cache encrypted at rest, and no secret in the server’s logs or database file.',
    files: [
      'test/server/secrets.test.ts',
      'test/server/crypto/secretBox.test.ts',
      'test/server/crypto/masterKey.test.ts',
      'test/main/cache/encryptionAtRest.test.ts',
    ],
    rowPerTest: false,
  },
  {
    title: '5. Authorization and bad input',
    intro:
      'Every role × relation × action of API.md in one table-driven test, and every vault role (view, request, approve, ' +
      'manage; directly, through a group or Everyone) × action; per-vault permissions end to end in both dialects; property-based fuzzing of every endpoint of ' +
      'both dialects and every IPC channel (never a 5xx, a crash or a hang; state unchanged by rejected calls).',
    files: [
      'test/authz/authorizationMatrix.test.ts',
      'test/security/vaultPermissions.test.ts',
      'test/fuzz/httpFuzz.test.ts',
      'test/fuzz/ipcFuzz.test.ts',
    ],
    rowPerTest: false,
  },
  {
    title: '6. The server under attack',
    intro:
      'An outside review attacked the server over loopback (issue 14); each finding is a test that failed on the ' +
      'code before its fix: parallel and distributed password guessing, scheduled checkouts and exclusivity, ' +
      'sessions outliving a password reset, a role removal or a logout, invisible required text, a forged Host, ' +
      'missing headers; then the bugs a mutation audit planted that no test caught.',
    files: [
      'test/security/loginThrottle.test.ts',
      'test/security/loginThrottleUnit.test.ts',
      'test/security/scheduledExclusivity.test.ts',
      'test/security/sessions.test.ts',
      'test/security/httpHardening.test.ts',
      'test/security/accessRules.test.ts',
      'test/security/survivors.test.ts',
      'test/security/cacheCipher.test.ts',
      'test/main/services/checkoutActions.test.ts',
      'test/cli/waitScheduled.test.ts',
      'test/server/authorization.test.ts',
    ],
    rowPerTest: true,
  },
  {
    title: '7. Reliability',
    intro:
      'Races on one checkout, kill -9 under load and restart, expiry while the server is down, tamper-evident audit chain.',
    files: [
      'test/reliability/races.test.ts',
      'test/reliability/crashRecovery.test.ts',
      'test/reliability/expiryAcrossRestart.test.ts',
      'test/reliability/auditTamper.test.ts',
      'test/reliability/deleteUnderCheckout.test.ts',
    ],
    rowPerTest: false,
  },
];

function vitest(args: string[]): { json: VitestJson | null; command: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coffre-security-'));
  const output = path.join(dir, 'results.json');
  const command = ['vitest', 'run', ...args].join(' ');
  console.log(`\n── npx ${command}`);
  spawnSync(
    'npx',
    ['vitest', 'run', ...args, '--reporter=default', '--reporter=json', `--outputFile=${output}`],
    {
      cwd: ROOT,
      stdio: 'inherit',
      env: process.env,
    },
  );
  const json = fs.existsSync(output) ? (JSON.parse(fs.readFileSync(output, 'utf8')) as VitestJson) : null;
  fs.rmSync(dir, { recursive: true, force: true });
  return { json, command: `npx ${command}` };
}

function electronLatest(): string | null {
  const result = spawnSync('npm', ['view', 'electron', 'version'], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 30_000,
  });
  const version = result.stdout?.trim();
  return result.status === 0 && /^\d+\.\d+\.\d+/.test(version) ? version : null;
}

const unitFiles = SECTIONS.flatMap((section) => section.files).filter((file) => !file.includes('/e2e/'));
const unit = vitest(unitFiles);
const e2e = vitest(['--config', 'vitest.e2e.config.ts']);
const results = [unit.json, e2e.json].filter((json): json is VitestJson => json !== null);

const e2eTests = e2e.json?.testResults.flatMap((file) => file.assertionResults) ?? [];
const commit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], {
  cwd: ROOT,
  encoding: 'utf8',
}).stdout.trim();
const markdown = renderSecurityReport(
  SECTIONS,
  results,
  ROOT,
  {
    date: new Date().toISOString(),
    commit: commit || 'unknown',
    node: process.version,
    electronInstalled: JSON.parse(
      fs.readFileSync(path.join(ROOT, 'node_modules/electron/package.json'), 'utf8'),
    ).version,
    electronLatest: electronLatest(),
    commands: [unit.command, e2e.command],
    e2e: e2e.json
      ? { passed: e2eTests.filter((test) => test.status === 'passed').length, total: e2eTests.length }
      : null,
  },
  THREAT_MODEL,
);
fs.mkdirSync(path.dirname(REPORT), { recursive: true });
fs.writeFileSync(REPORT, `${markdown.trimEnd()}\n\n${mutationMarkdown()}`);
const verdict = markdown.match(/\*\*(All green|\d+ not passing)[^*]*\*\*/)?.[0] ?? '';
console.log(`\nwrote ${path.relative(process.cwd(), REPORT)}: ${verdict.replace(/\*/g, '')}`);
if (!verdict.includes('All green') || unit.json === null || e2e.json === null) process.exitCode = 1;
