/**
 * Secret hygiene for an e2e world (issue 7 §3): every password and token the scenario used, looked
 * for in every log (server and desktops, at debug level), the server's database files, each
 * desktop's data directory (cache database, its WAL, keyring, settings), each page's storage
 * (localStorage, sessionStorage, IndexedDB, Cache Storage, cookies) and every IPC error payload.
 * Framework-free: fixtures.ts runs it after every e2e test; secretHygiene.e2e.test.ts proves it
 * finds a planted secret.
 */
import type { Page } from 'playwright-core';
import { filesUnder, type Leak, type Secret, scanFiles, scanText } from '../support/secretScan.ts';
import { DEMO_PASSWORD, type E2eUser, type E2eWorld } from './harness.ts';

export interface HygieneReport {
  leaks: Leak[];
  secrets: number;
  files: number;
  bytes: number;
  /** Storage dumps and IPC error payloads scanned. */
  texts: number;
}

/** Every secret the world has seen: current credential passwords, copied and revealed ones, tokens. */
export async function worldSecrets(world: E2eWorld, users: E2eUser[] = world.users): Promise<Secret[]> {
  const { ctx } = world.server;
  const { data } = await ctx.store.listCredentials({ offset: 0, limit: 100_000 });
  const secrets: Secret[] = data.map((credential) => ({
    label: `current password of ${credential.name}`,
    value: ctx.secretBox.open(credential.passwordSealed, credential.id),
  }));
  secrets.push({ label: 'the demo users’ sign-in password', value: DEMO_PASSWORD });
  const numbered = (label: string, values: string[]) =>
    values.map((value, n) => ({ label: `${label} #${n + 1}`, value }));
  secrets.push(...numbered('API token', world.server.tokens));
  for (const user of users) {
    secrets.push(
      ...numbered(`${user.label}'s token`, user.tokens),
      ...numbered(
        `${user.label}'s copied password`,
        user.clipboard.writes.map((write) => write.text),
      ),
      ...numbered(`${user.label}'s revealed password`, user.revealed),
    );
  }
  return secrets;
}

/** What the page keeps: Web Storage, every IndexedDB store's records, Cache Storage, cookies. */
export function rendererStorage(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const scope = globalThis as any;
    const dump: Record<string, unknown> = {
      localStorage: { ...scope.localStorage },
      sessionStorage: { ...scope.sessionStorage },
      cookies: scope.document.cookie,
      indexedDB: {},
      caches: [],
    };
    for (const info of await scope.indexedDB.databases()) {
      const db: any = await new Promise((resolve, reject) => {
        const request = scope.indexedDB.open(info.name);
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      const stores: Record<string, unknown[]> = {};
      for (const name of db.objectStoreNames) {
        stores[name] = await new Promise((resolve) => {
          const request = db.transaction(name).objectStore(name).getAll();
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => resolve([`unreadable: ${request.error}`]);
        });
      }
      (dump.indexedDB as Record<string, unknown>)[info.name] = stores;
      db.close();
    }
    if (scope.caches) {
      for (const name of await scope.caches.keys()) {
        const cache = await scope.caches.open(name);
        for (const request of await cache.keys()) {
          const response = await cache.match(request);
          (dump.caches as unknown[]).push({ url: request.url, body: await response?.text() });
        }
      }
    }
    return JSON.stringify(dump);
  });
}

/** Scans everything the world wrote for every secret it has seen (plus `extra`). */
export async function scanWorld(
  world: E2eWorld,
  users: E2eUser[] = world.users,
  extra: Secret[] = [],
): Promise<HygieneReport> {
  const secrets = [...(await worldSecrets(world, users)), ...extra];
  const files = [world.server.dataDir, ...users.map((user) => user.dataDir)].flatMap(filesUnder);
  const fileScan = scanFiles(files, secrets);
  const leaks = [...fileScan.leaks];
  let texts = 0;
  for (const user of users) {
    if (!user.page.isClosed()) {
      leaks.push(...scanText(await rendererStorage(user.page), `${user.label}: renderer storage`, secrets));
      texts++;
    }
    for (const { channel, error } of user.ipcErrors) {
      leaks.push(...scanText(JSON.stringify(error), `${user.label}: IPC error of ${channel}`, secrets));
      texts++;
    }
  }
  return { leaks, secrets: secrets.length, files: fileScan.files, bytes: fileScan.bytes, texts };
}
