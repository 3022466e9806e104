import { defineConfig } from 'vitest/config';

// The tests Stryker runs per mutant (stryker.config.mjs): MUTATION_TESTS (comma-separated files)
// when one area is mutated, otherwise the unit and integration suites the mutated scope has.
const only = process.env.MUTATION_TESTS?.split(',').filter(Boolean);

export default defineConfig({
  test: {
    include: only ?? [
      'test/server/**/*.test.ts',
      'test/security/**/*.test.ts',
      'test/authz/**/*.test.ts',
      'test/reliability/**/*.test.ts',
      'test/main/**/*.test.ts',
    ],
    exclude: ['test/e2e/**', '**/node_modules/**', 'test/main/shell/electronLaunch.smoke.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
