import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createPamBackend } from '../../client/createPamBackend.ts';
import { kindForStatus, PamClientError } from '../../client/errors.ts';
import { createHttpClient } from '../../client/httpClient.ts';
import { vaultSchema } from '../../common/checkout.ts';
import { startTestServer } from '../support/testServer.ts';
import { caught, type LocalServer, localServer } from './support.ts';

const VAULT = { id: 'a1000000-0000-4000-8000-000000000001', name: 'Servers', description: '' };
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function serve(handler: Parameters<typeof localServer>[0]): Promise<LocalServer> {
  const server = await localServer(handler);
  cleanups.push(() => server.close());
  return server;
}

function sendJson(
  response: import('node:http').ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
}

describe('status mapping', () => {
  it('maps every documented status to its kind', () => {
    expect([400, 401, 403, 404, 409, 422, 429, 500, 502, 503].map(kindForStatus)).toEqual([
      'invalid',
      'unauthorized',
      'forbidden',
      'not_found',
      'conflict',
      'policy',
      'throttled',
      'server',
      'server',
      'server',
    ]);
  });
});

describe('transport failures', () => {
  it('a stopped server is a network error naming the server URL', async () => {
    const server = await startTestServer();
    const backend = createPamBackend({ baseUrl: server.url, dialect: 'checkout' });
    await backend.login('bob', 'coffre-demo');
    await server.stop();
    const error = await caught(() => backend.listVaults());
    expect(error).toBeInstanceOf(PamClientError);
    expect(error.kind).toBe('network');
    expect(error.code).toBe('ECONNREFUSED');
    expect(error.message).toContain(server.url);
    expect(error.message).not.toContain(backend.session().token!);
  });

  it('an unknown host is a network error', async () => {
    const backend = createPamBackend({
      baseUrl: 'http://coffre-does-not-exist.invalid',
      dialect: 'checkout',
      token: 't',
      // Far above a name lookup's normal time: a busy resolver must not turn this into a timeout.
      timeoutMs: 20_000,
    });
    const error = await caught(() => backend.listVaults());
    expect(error.kind).toBe('network');
    expect(error.message).toContain('http://coffre-does-not-exist.invalid');
  });

  it('a server that never answers is a timeout', async () => {
    const server = await serve(() => {
      // never answers
    });
    const backend = createPamBackend({
      baseUrl: server.url,
      dialect: 'checkout',
      token: 't',
      timeoutMs: 150,
    });
    const error = await caught(() => backend.listVaults());
    expect(error.kind).toBe('timeout');
    expect(error.message).toContain(server.url);
    expect(server.hits).toHaveLength(1); // a timeout is not retried
  });

  it('a server that sends headers and then stalls the body is a timeout too', async () => {
    const server = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('[');
    });
    const backend = createPamBackend({
      baseUrl: server.url,
      dialect: 'checkout',
      token: 't',
      timeoutMs: 150,
    });
    const error = await caught(() => backend.listVaults());
    expect(error.kind).toBe('timeout');
  });
});

describe('answers that do not fit', () => {
  it('garbage instead of JSON is a protocol error', async () => {
    const server = await serve((_request, response) => response.writeHead(200).end('{"data": [oops'));
    const backend = createPamBackend({ baseUrl: server.url, dialect: 'checkout', token: 't' });
    const error = await caught(() => backend.listVaults());
    expect(error.kind).toBe('protocol');
    expect(error.message).toMatch(/^The server answered something unexpected for GET \/api\/pam\/vaults: /);
    expect(error.message).toContain('not JSON');
  });

  it('JSON of the wrong shape is a protocol error that says where', async () => {
    const server = await serve((_request, response) => sendJson(response, 200, [{ id: 1, name: 'x' }]));
    const backend = createPamBackend({ baseUrl: server.url, dialect: 'checkout', token: 't' });
    const error = await caught(() => backend.listVaults());
    expect(error.kind).toBe('protocol');
    expect(error.message).toMatch(
      /^The server answered something unexpected for GET \/api\/pam\/vaults: 0\.id: /,
    );
  });

  it('reads both dialects’ error bodies', async () => {
    const server = await serve((request, response) => {
      if (request.url?.startsWith('/api/pamresources')) {
        sendJson(response, 409, {
          'odata.error': { code: 'invalid_transition', message: { lang: 'en-US', value: 'Already Closed.' } },
        });
      } else {
        sendJson(
          response,
          429,
          { error: { code: 'throttled', message: 'Slow down.' } },
          { 'retry-after': '7' },
        );
      }
    });
    const client = createHttpClient({ baseUrl: server.url });
    const odata = await caught(() =>
      client.request({ method: 'POST', path: "/api/pamresources/pamrequests(guid'x')/Close", schema: null }),
    );
    expect({ kind: odata.kind, code: odata.code, message: odata.message, status: odata.status }).toEqual({
      kind: 'conflict',
      code: 'invalid_transition',
      message: 'Already Closed.',
      status: 409,
    });
    const throttled = await caught(() =>
      client.request({ method: 'POST', path: '/api/pam/checkouts', schema: null }),
    );
    expect({ kind: throttled.kind, code: throttled.code, retryAfter: throttled.retryAfter }).toEqual({
      kind: 'throttled',
      code: 'throttled',
      retryAfter: 7,
    });
  });

  it('a 5xx without a body is a server error naming the status and endpoint', async () => {
    const server = await serve((_request, response) => response.writeHead(500).end());
    const client = createHttpClient({ baseUrl: server.url });
    const error = await caught(() =>
      client.request({ method: 'PUT', path: '/api/pam/checkouts/1', schema: null }),
    );
    expect(error.kind).toBe('server');
    expect(error.status).toBe(500);
    expect(error.message).toContain('HTTP 500');
    expect(error.message).toContain('PUT /api/pam/checkouts/1');
  });
});

describe('retries', () => {
  it('a GET is retried on 503 with growing, jittered delays, and succeeds', async () => {
    let answered = 0;
    const server = await serve((_request, response) => {
      answered += 1;
      if (answered < 3) response.writeHead(503).end();
      else sendJson(response, 200, [VAULT]);
    });
    const delays: number[] = [];
    const client = createHttpClient({
      baseUrl: server.url,
      token: () => 'secret-token',
      sleep: async (ms) => {
        delays.push(ms);
      },
      random: () => 1,
    });
    const vaults = await client.request({
      method: 'GET',
      path: '/api/pam/vaults',
      schema: z.array(vaultSchema),
    });
    expect(vaults).toEqual([VAULT]);
    expect(server.hits).toHaveLength(3);
    expect(delays).toEqual([200, 400]);
    expect(server.hits.every((hit) => hit.headers.tokenid === 'secret-token')).toBe(true);
  });

  it('a GET gives up after three tries; a POST or PUT is never retried', async () => {
    const server = await serve((_request, response) => response.writeHead(503).end());
    const client = createHttpClient({ baseUrl: server.url, sleep: async () => undefined });

    const get = await caught(() => client.request({ method: 'GET', path: '/api/pam/vaults', schema: null }));
    expect(get.kind).toBe('server');
    expect(get.status).toBe(503);
    expect(server.hits.filter((hit) => hit.method === 'GET')).toHaveLength(3);

    const post = await caught(() =>
      client.request({
        method: 'POST',
        path: '/api/pam/checkouts',
        body: { credentialID: VAULT.id },
        schema: null,
      }),
    );
    expect(post.status).toBe(503);
    expect(server.hits.filter((hit) => hit.method === 'POST')).toHaveLength(1);

    await caught(() =>
      client.request({ method: 'PUT', path: '/api/pam/checkouts/x', body: {}, schema: null }),
    );
    expect(server.hits.filter((hit) => hit.method === 'PUT')).toHaveLength(1);
  });

  it('a 4xx or a 500 is not retried', async () => {
    const server = await serve((request, response) =>
      response.writeHead(request.url === '/a' ? 404 : 500).end(),
    );
    const client = createHttpClient({ baseUrl: server.url, sleep: async () => undefined });
    await caught(() => client.request({ method: 'GET', path: '/a', schema: null }));
    await caught(() => client.request({ method: 'GET', path: '/b', schema: null }));
    expect(server.hits.map((hit) => hit.url)).toEqual(['/a', '/b']);
  });

  it('reading a password is never retried (each read is audited)', async () => {
    const server = await serve((_request, response) => response.writeHead(503).end());
    const backend = createPamBackend({ baseUrl: server.url, dialect: 'checkout', token: 't' });
    const error = await caught(() => backend.readPassword(VAULT.id));
    expect(error.kind).toBe('server');
    expect(server.hits).toHaveLength(1);
  });
});

function makeCertificate(): { key: string; cert: string } | null {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coffre-tls-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        path.join(dir, 'key.pem'),
        '-out',
        path.join(dir, 'cert.pem'),
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ],
      { stdio: 'ignore' },
    );
    return {
      key: fs.readFileSync(path.join(dir, 'key.pem'), 'utf8'),
      cert: fs.readFileSync(path.join(dir, 'cert.pem'), 'utf8'),
    };
  } catch {
    return null;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const certificate = makeCertificate();
if (!certificate) console.warn('openssl is not available: the TLS tests are SKIPPED');

describe.skipIf(!certificate)('TLS', () => {
  it('an untrusted certificate is a tls error that says to pass the CA; with the CA it works', async () => {
    const { key, cert } = certificate!;
    const server = https.createServer({ key, cert }, (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify([VAULT]));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => server.close(resolve)));
    server.on('connection', (socket) => cleanups.push(async () => socket.destroy()));
    const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;

    const untrusted = createPamBackend({ baseUrl: url, dialect: 'checkout', token: 't' });
    const error = await caught(() => untrusted.listVaults());
    expect(error.kind).toBe('tls');
    expect(error.message).toContain(url);
    expect(error.message).toMatch(/CA/);

    const trusted = createPamBackend({ baseUrl: url, dialect: 'checkout', token: 't', ca: cert });
    expect(await trusted.listVaults()).toEqual([VAULT]);
  });
});
