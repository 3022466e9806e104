/**
 * `npm run mutation:scopes [-- name ...]`: mutation testing per security scope. Each scope plants
 * Stryker's mutants in its own files and runs only its own area's tests against them (the whole
 * scope at once takes hours on a small machine; a scope takes minutes). Scopes run one after
 * another (concurrency 1, stryker.config.mjs); after each, docs/mutation-scores.json and
 * docs/mutation.md are rewritten with that scope's numbers, the other scopes' kept.
 *
 * Without names, every scope runs. `--list` prints them; `--render` matches the recorded survivors
 * against scripts/mutationEquivalents.ts again and rewrites the two files without running Stryker.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type MutationScopeDefinition,
  type MutationScores,
  rematched,
  renderMutationMarkdown,
  type StrykerJsonReport,
  scoreScope,
  withScope,
} from './mutationReport.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
export const SCORES_FILE = path.join(ROOT, 'docs', 'mutation-scores.json');
const MARKDOWN_FILE = path.join(ROOT, 'docs', 'mutation.md');
const COMMAND = 'npm run mutation:scopes';

export const MUTATION_SCOPES: readonly MutationScopeDefinition[] = [
  {
    name: 'server-crypto',
    title: 'the server’s master key, sealed passwords, tokens, user password hashes, generated passwords',
    mutate: ['server/crypto/*.ts'],
    tests: [
      'test/server/crypto/masterKey.test.ts',
      'test/server/crypto/passwordGenerator.test.ts',
      'test/server/crypto/secretBox.test.ts',
      'test/server/crypto/tokens.test.ts',
      'test/server/crypto/userPasswords.test.ts',
    ],
  },
  {
    name: 'login-throttle',
    title: 'slowing password guessing per user, address and pair',
    mutate: ['server/domain/loginThrottle.ts'],
    tests: ['test/security/loginThrottleUnit.test.ts', 'test/security/loginThrottle.test.ts'],
  },
  {
    name: 'cache-cipher',
    title: 'the desktop cache’s data key, wrapped by the OS keychain',
    mutate: ['main/cache/dataKey.ts'],
    tests: ['test/main/cache/encryptionAtRest.test.ts', 'test/security/cacheCipher.test.ts'],
  },
  {
    name: 'row-cipher',
    title: 'AES-GCM sealing of each cached row (fresh IVs, bound to the row)',
    mutate: ['main/cache/rowCipher.ts'],
    tests: [
      'test/main/cache/rowCipher.test.ts',
      'test/security/cacheCipher.test.ts',
      'test/main/cache/encryptionAtRest.test.ts',
    ],
  },
  {
    name: 'ipc-router',
    title: 'the main process’s IPC router: sender, session gate, validation, errors',
    mutate: ['main/ipc/router.ts'],
    tests: ['test/main/ipc/sessionGate.test.ts', 'test/security/electronChecklist.test.ts'],
  },
  {
    name: 'clipboard-guard',
    title: 'clearing a copied password (timer, lock, check-in, expiry, sign-out, quit)',
    mutate: ['main/services/clipboardGuard.ts'],
    tests: ['test/main/services/clipboardGuard.test.ts'],
  },
  {
    name: 'exposed-secrets',
    title: 'which passwords the desktop has shown or copied, to forget them on time',
    mutate: ['main/services/exposedSecrets.ts'],
    tests: ['test/main/services/exposedSecrets.test.ts'],
  },
  {
    name: 'http-authentication',
    title: 'who sends a request: token header, Bearer, MIM Basic and Negotiate',
    mutate: ['server/http/authentication.ts'],
    tests: [
      'test/security/authenticationHeaders.test.ts',
      'test/security/survivors.test.ts',
      'test/server/mim/basicSignIn.test.ts',
    ],
  },
  {
    name: 'auth-service',
    title: 'sign-in, tokens, sessions and their revocation',
    mutate: ['server/domain/authService.ts'],
    tests: [
      'test/security/authService.test.ts',
      'test/security/sessions.test.ts',
      'test/security/loginThrottle.test.ts',
      'test/server/mim/basicSignIn.test.ts',
    ],
  },
  {
    name: 'credential-cache',
    title: 'the desktop’s encrypted credential cache',
    mutate: ['main/cache/credentialCache.ts'],
    tests: [
      'test/main/cache/credentialCache.test.ts',
      'test/main/cache/credentialQuery.test.ts',
      'test/main/cache/encryptionAtRest.test.ts',
      'test/main/cache/cacheRecovery.test.ts',
    ],
  },
  {
    name: 'checkout-service',
    title: 'the checkout state machine, policy and exclusivity',
    mutate: ['server/domain/checkoutService.ts'],
    tests: [
      'test/server/concurrency.test.ts',
      'test/server/policyErrors.test.ts',
      'test/server/expiry.test.ts',
      'test/security/scheduledExclusivity.test.ts',
      'test/security/accessRules.test.ts',
      'test/security/survivors.test.ts',
    ],
  },
];

function commitOf(): string {
  return spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).stdout.trim();
}

export function readScores(): MutationScores {
  if (!fs.existsSync(SCORES_FILE)) return { command: COMMAND, scopes: [] };
  return JSON.parse(fs.readFileSync(SCORES_FILE, 'utf8')) as MutationScores;
}

function writeScores(scores: MutationScores): void {
  fs.writeFileSync(SCORES_FILE, `${JSON.stringify(scores, null, 2)}\n`);
  fs.writeFileSync(MARKDOWN_FILE, renderMutationMarkdown(scores));
}

/** Runs Stryker on one scope, in a child process of its own (a clean environment per scope). */
function runScope(scope: MutationScopeDefinition): StrykerJsonReport {
  const reportFile = path.join(ROOT, 'reports', 'mutation', `${scope.name}.json`);
  fs.rmSync(reportFile, { force: true });
  const missing = scope.tests.filter((file) => !fs.existsSync(path.join(ROOT, file)));
  if (missing.length > 0) throw new Error(`${scope.name}: no such test file: ${missing.join(', ')}`);
  const result = spawnSync(
    'npx',
    [
      'stryker',
      'run',
      '--mutate',
      scope.mutate.join(','),
      '--reporters',
      'clear-text,progress-append-only,json',
      // The per-scope report: the CLI has no flag for the json reporter's file, hence the env below.
    ],
    {
      cwd: ROOT,
      stdio: 'inherit',
      env: { ...process.env, MUTATION_TESTS: scope.tests.join(','), MUTATION_REPORT: reportFile },
    },
  );
  if (result.status !== 0 || !fs.existsSync(reportFile)) {
    throw new Error(`${scope.name}: stryker ended with ${result.status ?? result.signal}, no report`);
  }
  return JSON.parse(fs.readFileSync(reportFile, 'utf8')) as StrykerJsonReport;
}

function main(args: string[]): void {
  if (args.includes('--list')) {
    for (const scope of MUTATION_SCOPES) console.log(`${scope.name}\t${scope.mutate.join(', ')}`);
    return;
  }
  if (args.includes('--render')) {
    // Equivalents edited since the runs: match the survivors again, without running anything.
    const scores = readScores();
    writeScores({ ...scores, scopes: scores.scopes.map((scope) => rematched(scope)) });
    return;
  }
  const unknown = args.filter((name) => !MUTATION_SCOPES.some((scope) => scope.name === name));
  if (unknown.length > 0) throw new Error(`unknown scope ${unknown.join(', ')} (see --list)`);
  const chosen = args.length === 0 ? MUTATION_SCOPES : MUTATION_SCOPES.filter((s) => args.includes(s.name));
  const order = MUTATION_SCOPES.map((scope) => scope.name);
  for (const scope of chosen) {
    console.log(
      `\n── mutation scope ${scope.name}: ${scope.mutate.join(', ')} against ${scope.tests.length} test files`,
    );
    const report = runScope(scope);
    const scored = scoreScope(scope, report, { ranAt: new Date().toISOString(), commit: commitOf() });
    writeScores(withScope(readScores(), scored, order));
    console.log(
      `── ${scope.name}: ${scored.score} % (${scored.survivors.length} survivors); docs/mutation.md rewritten`,
    );
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main(process.argv.slice(2));
