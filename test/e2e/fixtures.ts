/**
 * Vitest wiring for the e2e files: one world (browser, server, shared clock) per file, the users a
 * test opens closed after it, and after each test the checks every scenario must pass anyway: the
 * page made no request off the app origin, threw nothing, logged no error (a CSP violation is a
 * console error), the main process reported no internal error, and no password or token the test
 * used is in a log, a database file, a cache, the page's storage or an IPC error (secretHygiene.ts).
 */
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { type E2eUser, type E2eWorld, startWorld, type UserOptions } from './harness.ts';
import { scanWorld } from './secretHygiene.ts';

export interface WorldHandle {
  readonly world: E2eWorld;
  /** A new simulated user (browser context + own main process), with the app loaded. */
  user(options: UserOptions): Promise<E2eUser>;
}

export function setupWorld(): WorldHandle {
  let world: E2eWorld | null = null;
  let opened: E2eUser[] = [];
  beforeAll(async () => {
    world = await startWorld();
  });
  afterAll(async () => {
    await world?.close();
  });
  afterEach(async () => {
    const users = opened;
    opened = [];
    try {
      for (const user of users) {
        expect.soft(user.strayRequests, `${user.label}: requests off the app origin`).toEqual([]);
        expect.soft(user.pageErrors, `${user.label}: page errors`).toEqual([]);
        expect.soft(user.internalErrors, `${user.label}: internal errors in the main process`).toEqual([]);
      }
      if (world && users.length > 0) {
        const hygiene = await scanWorld(world, users);
        expect.soft(hygiene.leaks, 'secrets in logs, files, page storage or IPC errors').toEqual([]);
      }
    } finally {
      for (const user of users) await user.close();
      if (world) world.users.splice(0);
    }
  });
  return {
    get world() {
      if (!world) throw new Error('The e2e world is not started (used outside a test?).');
      return world;
    },
    async user(options) {
      if (!world) throw new Error('The e2e world is not started.');
      const user = await world.user(options);
      opened.push(user);
      await user.open();
      return user;
    },
  };
}
