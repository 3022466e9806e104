import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/e2e/**', '**/node_modules/**'],
    // Hang guards only, far above normal times: a fuzz property that takes 10 s alone took 30 s on
    // the shared 2-core machine under load, and a busy machine must never fail a test.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
