import { defineConfig } from 'vitest/config';

/**
 * Two projects. `sqlite`: every suite on the embedded store. `postgres`: the server suites again,
 * the same files, on PostgreSQL (COFFRE_TEST_STORE, see test/support/testServer.ts), with one
 * throw-away cluster for the run, plus the suites of several nodes on one database (test/cluster).
 * `npx vitest run --project sqlite test/server` runs one of them.
 */
const SERVER_SUITES = [
  'test/compat/dvls/**/*.test.ts',
  'test/server/adminCredentials.test.ts',
  'test/server/adminEdits.test.ts',
  'test/server/approverContext.test.ts',
  'test/server/authorization.test.ts',
  'test/server/concurrency.test.ts',
  'test/server/credentialChanges.test.ts',
  'test/server/expiry.test.ts',
  'test/server/policyErrors.test.ts',
  'test/server/seedScenarios.test.ts',
  'test/server/sse.test.ts',
  'test/server/mim/mimRoutes.test.ts',
  'test/authz/**/*.test.ts',
  'test/fuzz/httpFuzz.test.ts',
  'test/reliability/races.test.ts',
  'test/security/loginThrottle.test.ts',
  'test/security/vaultPermissions.test.ts',
];

export default defineConfig({
  test: {
    // Hang guards, not speed limits: on a busy 2-core machine the fuzz properties and the kill -9
    // rounds take several times their usual 5-25 s, and a timed-out property keeps running into the
    // next test's world. Speed is measured in bench/, never asserted here.
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: {
          name: 'sqlite',
          include: ['test/**/*.test.ts'],
          exclude: ['test/e2e/**', 'test/cluster/**', '**/node_modules/**'],
        },
      },
      {
        extends: true,
        test: {
          name: 'postgres',
          include: [...SERVER_SUITES, 'test/cluster/**/*.test.ts'],
          env: { COFFRE_TEST_STORE: 'postgres' },
          // A PostgreSQL round trip costs more than SQLite's in-process call and the fuzz
          // properties make thousands: the hang guard is twice the one above.
          testTimeout: 600_000,
          globalSetup: ['test/support/postgresGlobalSetup.ts'],
        },
      },
    ],
  },
});
