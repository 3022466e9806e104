import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/e2e/**', '**/node_modules/**'],
    // Hang guards, not speed limits: on a busy 2-core machine the fuzz properties and the kill -9
    // rounds take several times their usual 5-25 s, and a timed-out property keeps running into the
    // next test's world. Speed is measured in bench/, never asserted here.
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: 'forks',
  },
});
