import http from 'node:http';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import { createPamBackend } from '../../client/createPamBackend.ts';
import type { PamBackend, PamDialect } from '../../client/pamBackend.ts';
import type { PamEvent } from '../../common/events.ts';
import type { TestServer } from '../support/testServer.ts';

export const DEMO_PASSWORD = 'coffre-demo';

/** A backend logged in as a demo user. */
export async function loggedIn(
  server: { url: string },
  username: string,
  dialect: PamDialect = 'checkout',
): Promise<PamBackend> {
  const backend = createPamBackend({ baseUrl: server.url, dialect });
  await backend.login(username, DEMO_PASSWORD);
  return backend;
}

/** Runs `work` and returns what it threw (fails the test when it does not throw). */
export async function caught(work: () => Promise<unknown>): Promise<any> {
  try {
    await work();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}

/**
 * Collects events and lets a test wait for one matching a predicate. Resolution is driven by the
 * events themselves; the timeout only bounds a failing test.
 */
export class EventCollector {
  readonly events: PamEvent[] = [];
  private waiters: Array<{ test: (event: PamEvent) => boolean; resolve: (event: PamEvent) => void }> = [];

  readonly listener = (event: PamEvent): void => {
    this.events.push(event);
    for (const waiter of [...this.waiters]) {
      if (waiter.test(event)) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve(event);
      }
    }
  };

  waitFor(test: (event: PamEvent) => boolean, timeoutMs = 20_000, what = 'event'): Promise<PamEvent> {
    const seen = this.events.find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((waiter) => waiter.resolve !== resolve);
        reject(
          new Error(
            `timed out waiting for ${what}; got ${JSON.stringify(this.events.map((e) => [e.id, e.type]))}`,
          ),
        );
      }, timeoutMs);
      this.waiters.push({
        test,
        resolve: (event) => {
          clearTimeout(timer);
          resolve(event);
        },
      });
    });
  }
}

/** Resolves on the first call of the returned callback whose argument matches. */
export function signal<T>(test: (value: T) => boolean = () => true): {
  callback: (value: T) => void;
  next: (timeoutMs?: number) => Promise<T>;
  reset: () => void;
} {
  let pending: { resolve: (value: T) => void } | null = null;
  let hit: { value: T } | null = null;
  return {
    callback(value) {
      if (!test(value)) return;
      if (pending) {
        const { resolve } = pending;
        pending = null;
        resolve(value);
      } else hit = { value };
    },
    next(timeoutMs = 20_000) {
      if (hit) {
        const { value } = hit;
        hit = null;
        return Promise.resolve(value);
      }
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('timed out waiting for a signal')), timeoutMs);
        pending = {
          resolve: (value) => {
            clearTimeout(timer);
            resolve(value);
          },
        };
      });
    },
    reset() {
      hit = null;
    },
  };
}

export interface LocalServer {
  url: string;
  hits: Array<{ method: string; url: string; headers: http.IncomingHttpHeaders }>;
  close(): Promise<void>;
}

/** A tiny local HTTP server with a hand-written handler, counting the requests it gets. */
export async function localServer(handler: http.RequestListener): Promise<LocalServer> {
  const hits: LocalServer['hits'] = [];
  const sockets = new Set<net.Socket>();
  const server = http.createServer((request, response) => {
    hits.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers });
    handler(request, response);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A TCP proxy in front of a server; `cut()` drops every connection through it, as a network would. */
export async function tcpProxy(target: string): Promise<{
  url: string;
  connections: number;
  cut(): void;
  close(): Promise<void>;
}> {
  const { hostname, port } = new URL(target);
  const pairs = new Set<[net.Socket, net.Socket]>();
  let connections = 0;
  const server = net.createServer((client) => {
    connections += 1;
    const upstream = net.connect(Number(port), hostname);
    const pair: [net.Socket, net.Socket] = [client, upstream];
    pairs.add(pair);
    client.pipe(upstream);
    upstream.pipe(client);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      pairs.delete(pair);
    };
    client.on('error', drop);
    upstream.on('error', drop);
    client.on('close', drop);
    upstream.on('close', drop);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    get connections() {
      return connections;
    },
    cut() {
      for (const [client, upstream] of pairs) {
        client.resetAndDestroy();
        upstream.destroy();
      }
      pairs.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const [client, upstream] of pairs) {
          client.destroy();
          upstream.destroy();
        }
        server.close(() => resolve());
      }),
  };
}

export type { TestServer };
