/**
 * The sign-in screen's "Server type", asked of the server (issue 15, item 6): which API answers
 * anonymously, and why nothing could be learned when nothing did.
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { probeServer } from '../../client/serverProbe.ts';
import { startTestServer } from '../support/testServer.ts';
import { type LocalServer, localServer } from './support.ts';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function serve(handler: Parameters<typeof localServer>[0]): Promise<LocalServer> {
  const server = await localServer(handler);
  cleanups.push(() => server.close());
  return server;
}

const DVLS_INFORMATION = JSON.stringify({
  result: 1,
  data: {
    serverName: 'DVLS',
    version: '2025.1.0.0',
    accessUri: '',
    selectedTimeZoneId: 'UTC',
    systemMessage: '',
  },
});

describe('server probe', () => {
  it('Coffre’s reference server answers both APIs, checkout first', async () => {
    const server = await startTestServer({ logLevel: 'warn' });
    cleanups.push(() => server.stop());
    expect(await probeServer({ url: server.url })).toEqual({ dialects: ['checkout', 'mim'], failure: null });
  });

  it('a Devolutions Server answers its public instance information', async () => {
    const server = await serve((request, response) => {
      if (request.url === '/api/public-instance-information')
        response.writeHead(200, { 'content-type': 'application/json' }).end(DVLS_INFORMATION);
      else response.writeHead(404).end();
    });
    expect(await probeServer({ url: server.url })).toEqual({ dialects: ['checkout'], failure: null });
  });

  it('MIM behind IIS refuses an anonymous sessioninfo with 401', async () => {
    const server = await serve((request, response) => {
      if (request.url?.startsWith('/api/pamresources/sessioninfo'))
        response.writeHead(401, { 'www-authenticate': 'Negotiate' }).end();
      else response.writeHead(404).end();
    });
    expect(await probeServer({ url: server.url })).toEqual({ dialects: ['mim'], failure: null });
  });

  it('a web server that is neither, and a server that does not answer, say so', async () => {
    const other = await serve((_request, response) => response.writeHead(404).end('<html></html>'));
    expect(await probeServer({ url: other.url })).toEqual({ dialects: [], failure: null });

    const dead = net.createServer();
    await new Promise<void>((resolve) => dead.listen(0, '127.0.0.1', resolve));
    const { port } = dead.address() as net.AddressInfo;
    await new Promise((resolve) => dead.close(resolve));
    expect(await probeServer({ url: `http://127.0.0.1:${port}` })).toEqual({
      dialects: [],
      failure: 'unreachable',
    });
  });
});
