/**
 * The end-to-end suite (test/e2e): the real renderer in Debian's Chromium, the real main-process
 * services and a real reference server. One fork, one file at a time (each file runs one browser
 * with a context per simulated user); generous timeouts, since a scenario spans several screens.
 * `npm run test:e2e`.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.test.ts'],
    globalSetup: ['test/e2e/globalSetup.ts'],
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
    // Hang guards, not speed limits (an axe pass over every screen takes 25-40 s on a busy machine).
    testTimeout: 300_000,
    hookTimeout: 300_000,
    teardownTimeout: 30_000,
  },
});
