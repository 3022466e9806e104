import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { inject } from 'vitest';
import { createTestDatabase, dropTestDatabase } from '../../scripts/postgresCluster.ts';
import type { AuthOptions } from '../../server/domain/authService.ts';
import { ManualClock } from '../../server/domain/clock.ts';
import { createLogger } from '../../server/logger.ts';
import { type RunningServer, type StartOptions, startServer } from '../../server/startServer.ts';

/**
 * The store the server suites run against: SQLite by default; `COFFRE_TEST_STORE=postgres` (the
 * vitest project `postgres`, whose global setup starts a throw-away cluster) runs the same tests
 * on PostgreSQL, each test server on a database of its own.
 */
export const TEST_STORE: 'sqlite' | 'postgres' =
  process.env.COFFRE_TEST_STORE === 'postgres' ? 'postgres' : 'sqlite';

/** A fresh PostgreSQL database on the run's cluster, and how to drop it. */
export async function testDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const adminUrl = inject('postgresAdminUrl');
  if (!adminUrl) throw new Error('No PostgreSQL cluster: run this file in the vitest project "postgres".');
  const url = await createTestDatabase(adminUrl);
  return { url, drop: () => dropTestDatabase(adminUrl, url) };
}

export interface TestServer extends RunningServer {
  clock: ManualClock;
  dataDir: string;
  /** The PostgreSQL database of this server, when the suite runs on PostgreSQL. */
  databaseUrl: string | undefined;
  /** Everything the server logged, as written (JSON lines). */
  logs: string[];
  /** Logs in as a demo user (password coffre-demo) and returns a fetch bound to that session. */
  as(username: string): Promise<Session>;
  /**
   * Resolves once the events committed so far reached the hub's listeners: at once on SQLite; on
   * PostgreSQL they come back through the outbox, like other nodes' events.
   */
  eventsDelivered(): Promise<void>;
  stop(): Promise<void>;
}

export interface Session {
  token: string;
  userId: string;
  request(
    method: string,
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<ApiResponse>;
}

export interface ApiResponse {
  status: number;
  headers: Headers;
  body: any;
  text: string;
}

export async function apiRequest(
  baseUrl: string,
  method: string,
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<ApiResponse> {
  const init: RequestInit = { method, headers: { ...headers } };
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
    (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
  }
  const response = await fetch(baseUrl + url, init);
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: response.status, headers: response.headers, body: parsed, text };
}

/** A real server on an ephemeral loopback port, a temporary data directory and a hand-set clock. */
export async function startTestServer(
  options: {
    demo?: boolean;
    logLevel?: string;
    start?: string;
    /** The MIM dialect's domain and time zone (default zone: UTC, whatever the machine's). */
    mim?: StartOptions['mim'];
    corsOrigins?: StartOptions['corsOrigins'];
    integratedAuth?: StartOptions['integratedAuth'];
    trustProxy?: boolean;
    publicUrl?: string;
    auth?: Partial<AuthOptions>;
    /** One node of several on one PostgreSQL database: the database, clock and key they share. */
    node?: { databaseUrl: string; clock: ManualClock; masterKey: string; sweepIntervalMs?: number };
  } = {},
): Promise<TestServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'coffre-test-'));
  const database = options.node
    ? { url: options.node.databaseUrl, drop: async () => undefined }
    : TEST_STORE === 'postgres'
      ? await testDatabase()
      : undefined;
  const clock = options.node?.clock ?? new ManualClock(options.start ?? Date.now());
  const logs: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      logs.push(chunk.toString());
      callback();
    },
  });
  const server = await startServer({
    dataDir,
    databaseUrl: database?.url,
    host: '127.0.0.1',
    port: 0,
    demo: options.demo ?? true,
    clock,
    sweepIntervalMs: options.node?.sweepIntervalMs ?? 0,
    logger: createLogger({ level: options.logLevel ?? 'info', destination }),
    masterKeyEnv: options.node?.masterKey,
    mim: { timeZone: 'UTC', ...options.mim },
    corsOrigins: options.corsOrigins,
    integratedAuth: options.integratedAuth,
    trustProxy: options.trustProxy,
    publicUrl: options.publicUrl,
    auth: options.auth,
  });
  return {
    ...server,
    clock,
    dataDir,
    databaseUrl: database?.url,
    logs,
    async as(username: string) {
      const login = await apiRequest(server.url, 'POST', '/api/auth/login', {
        username,
        password: 'coffre-demo',
      });
      if (login.status !== 200) throw new Error(`login ${username}: ${login.status} ${login.text}`);
      const token = login.body.tokenId as string;
      return {
        token,
        userId: login.body.user.id as string,
        request: (method, url, body, headers = {}) =>
          apiRequest(server.url, method, url, body, { tokenId: token, ...headers }),
      };
    },
    async eventsDelivered() {
      await (server.ctx.hub as { settle?: () => Promise<void> }).settle?.();
    },
    async stop() {
      await server.close();
      await database?.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
