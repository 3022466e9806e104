/**
 * Several server URLs (`--server url1,url2`, the sign-in screen's advanced field): a node that
 * cannot be reached is left for the next one, and only requests that surely were not handled go
 * there unless they are idempotent.
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createPamBackend } from '../../client/createPamBackend.ts';
import { createHttpClient, splitServerUrls } from '../../client/httpClient.ts';
import { startTestServer } from '../support/testServer.ts';
import { caught, type LocalServer, localServer } from './support.ts';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A loopback URL where nothing listens (the port was free a moment ago): connections are refused. */
async function deadUrl(): Promise<string> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

async function serve(handler: Parameters<typeof localServer>[0]): Promise<LocalServer> {
  const server = await localServer(handler);
  cleanups.push(() => server.close());
  return server;
}

describe('several server URLs', () => {
  it('splits a comma-separated list, trimming spaces and trailing slashes', () => {
    expect(splitServerUrls(' https://a.example/ , https://b.example:8443//,')).toEqual([
      'https://a.example',
      'https://b.example:8443',
    ]);
  });

  it('signs in and works through the second node when the first refuses connections', async () => {
    const server = await startTestServer({ logLevel: 'warn' });
    cleanups.push(() => server.stop());
    const backend = createPamBackend({ dialect: 'checkout', baseUrl: `${await deadUrl()},${server.url}` });
    await backend.login('bob', 'coffre-demo');
    expect((await backend.listVaults()).length).toBeGreaterThan(0);
  });

  it('a POST refused by a dead node is sent to the next one, once', async () => {
    const live = await serve((_request, response) => response.writeHead(204).end());
    const client = createHttpClient({
      baseUrl: `${await deadUrl()},${live.url}`,
      sleep: async () => undefined,
    });
    await client.request({ method: 'POST', path: '/api/pam/checkouts', body: {}, schema: null });
    expect(live.hits.filter((hit) => hit.method === 'POST')).toHaveLength(1);
    expect(client.baseUrl).toBe(live.url);
  });

  it('a POST that may have been handled (a 500) is not sent again to another node', async () => {
    const failing = await serve((_request, response) => response.writeHead(500).end());
    const other = await serve((_request, response) => response.writeHead(204).end());
    const client = createHttpClient({ baseUrl: `${failing.url},${other.url}`, sleep: async () => undefined });
    const error = await caught(() =>
      client.request({ method: 'POST', path: '/api/pam/checkouts', body: {}, schema: null }),
    );
    expect(error.status).toBe(500);
    expect(other.hits).toHaveLength(0);
  });

  it('a node that is stopping (503) hands any request to the next node', async () => {
    const stopping = await serve((_request, response) => response.writeHead(503).end());
    const live = await serve((_request, response) => response.writeHead(204).end());
    const client = createHttpClient({ baseUrl: `${stopping.url},${live.url}`, sleep: async () => undefined });
    await client.request({ method: 'PUT', path: '/api/pam/checkouts/x', body: {}, schema: null });
    expect(stopping.hits).toHaveLength(1);
    expect(live.hits).toHaveLength(1);
  });

  it('every node dead: the error names the connection failure, after each node was tried', async () => {
    const client = createHttpClient({
      baseUrl: `${await deadUrl()},${await deadUrl()}`,
      sleep: async () => undefined,
      maxTries: 1,
    });
    const error = await caught(() =>
      client.request({ method: 'GET', path: '/api/pam/vaults', schema: null }),
    );
    expect(error.kind).toBe('network');
    expect(error.message).toMatch(/refused/);
  });
});
