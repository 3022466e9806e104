import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { AuthOptions } from '../../server/domain/authService.ts';
import { ManualClock } from '../../server/domain/clock.ts';
import { createLogger } from '../../server/logger.ts';
import { type RunningServer, type StartOptions, startServer } from '../../server/startServer.ts';

export interface TestServer extends RunningServer {
  clock: ManualClock;
  dataDir: string;
  /** Everything the server logged, as written (JSON lines). */
  logs: string[];
  /** Logs in as a demo user (password coffre-demo) and returns a fetch bound to that session. */
  as(username: string): Promise<Session>;
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
  } = {},
): Promise<TestServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'coffre-test-'));
  const clock = new ManualClock(options.start ?? Date.now());
  const logs: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      logs.push(chunk.toString());
      callback();
    },
  });
  const server = await startServer({
    dataDir,
    host: '127.0.0.1',
    port: 0,
    demo: options.demo ?? true,
    clock,
    sweepIntervalMs: 0,
    logger: createLogger({ level: options.logLevel ?? 'info', destination }),
    masterKeyEnv: undefined,
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
    async stop() {
      await server.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
