// Mutation testing (issue 14): `npm run test:mutation` plants small bugs in the security-critical
// code and runs its tests against each; a mutant that no test notices is a missing test (or an
// equivalent change, to be explained in docs/security.md).
//
// The whole scope takes hours on a small machine. To run one area:
//   npx stryker run --mutate server/domain/loginThrottle.ts
// with MUTATION_TESTS naming the test files that exercise it (comma-separated), e.g.
//   MUTATION_TESTS=test/security/loginThrottleUnit.test.ts,test/security/loginThrottle.test.ts
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts', related: false },
  plugins: ['@stryker-mutator/vitest-runner'],
  mutate: [
    'server/domain/**/*.ts',
    'server/crypto/**/*.ts',
    'server/http/**/*.ts',
    'main/cache/**/*.ts',
    'main/services/**/*.ts',
    'main/ipc/**/*.ts',
  ],
  coverageAnalysis: 'perTest',
  concurrency: 1,
  timeoutMS: 60_000,
  reporters: ['clear-text', 'progress', 'json'],
  // MUTATION_REPORT: the report of one scope (scripts/mutationScopes.ts names one per scope).
  jsonReporter: { fileName: process.env.MUTATION_REPORT ?? 'reports/mutation/mutation.json' },
  // The TypeScript in node_modules lacks the API Stryker's tsconfig rewriting uses; tests run the
  // .ts sources directly (Vitest), so no tsconfig needs rewriting: point it at no file.
  tsconfigFile: 'stryker-no-tsconfig.json',
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
