/**
 * Input and answers (issue 14, findings 7, 8 and 9): invisible "required" text, a forged Host
 * reflected in links, security headers on every API answer.
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckoutStatus } from '../../common/checkout.ts';
import { DEMO_IDS } from '../../server/demo.ts';
import { apiRequest, type Session, startTestServer, type TestServer } from '../support/testServer.ts';

const MIM = '/api/pamresources';
let server: TestServer;
let admin: Session;
let kelly: Session;
let jen: Session;

beforeAll(async () => {
  server = await startTestServer({ logLevel: 'warn' });
  admin = await server.as('admin');
  kelly = await server.as('kelly');
  jen = await server.as('PRIV.Jen');
});
afterAll(() => server.stop());

const INVISIBLE = ['\u200b', '\u200d\ufeff', ' \u2060 ', '\u202e', '\u3164', '\u2800', '\u0007', ' \n\t '];

describe('required text must be visible (finding 7)', () => {
  it.each(INVISIBLE)('a mandatory reason of %j is refused (422 reason_required)', async (reason) => {
    const response = await kelly.request('POST', '/api/pam/checkouts', {
      credentialID: DEMO_IDS.approvedCredential,
      approverID: DEMO_IDS.alice,
      reason,
    });
    expect(response.status).toBe(422);
    expect(response.body.error.code).toBe('reason_required');
  });

  it('a visible reason is kept, normalised (NFC) and without its invisible characters', async () => {
    const response = await kelly.request('POST', '/api/pam/checkouts', {
      credentialID: DEMO_IDS.approvedCredential,
      approverID: DEMO_IDS.alice,
      reason: '\u200bmise a\u0300 jour\ufeff',
    });
    expect(response.status).toBe(201);
    expect(response.body.reason).toBe('mise à jour');
    await kelly.request('PUT', `/api/pam/checkouts/${response.body.id}`, {
      status: CheckoutStatus.RequestCanceled,
    });
  });

  it('a MIM Justification of zero-width characters is refused where one is required', async () => {
    const response = await jen.request('POST', `${MIM}/pamrequests`, {
      RoleId: DEMO_IDS.mimRoleCredential,
      Justification: '\u200d\ufeff',
      RequestedTTL: '3600',
    });
    expect(response.status).toBe(422);
  });

  it.each([
    ['vault name', '/api/admin/vaults', { name: '\u200b' }],
    [
      'credential name',
      '/api/admin/credentials',
      { vaultID: 'a1000000-0000-4000-8000-000000000001', name: '\u2060\u200b' },
    ],
    [
      'user display name',
      '/api/admin/users',
      { username: 'ghost', displayName: '\u3164', password: 'long-enough-password', roles: ['user'] },
    ],
    [
      'username with a zero-width space',
      '/api/admin/users',
      { username: 'admin\u200b', password: 'long-enough-password', roles: ['user'] },
    ],
  ])('an invisible %s is refused (400)', async (_what, url, body) => {
    const response = await admin.request('POST', url, body);
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('invalid_request');
  });
});

/** A request with a Host header of our choosing (fetch does not let one set it). */
function withHost(
  method: string,
  path: string,
  host: string,
  token: string,
  body?: unknown,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: any }> {
  const url = new URL(server.url);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: url.hostname,
        port: url.port,
        method,
        path,
        headers: {
          host,
          tokenId: token,
          'x-forwarded-host': host,
          ...(payload ? { 'content-type': 'application/json' } : {}),
        },
      },
      (response) => {
        let text = '';
        response.on('data', (chunk) => {
          text += chunk;
        });
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body: JSON.parse(text) }),
        );
      },
    );
    request.on('error', reject);
    request.end(payload);
  });
}

describe('a forged Host is never reflected (finding 8)', () => {
  it('odata.metadata uses the server’s own address, not Host: evil.example', async () => {
    const answer = await withHost('GET', `${MIM}/pamroles`, 'evil.example', jen.token);
    expect(answer.status).toBe(200);
    expect(answer.body['odata.metadata']).toBe(`${server.url}${MIM}/%24metadata#pamroles`);
  });

  it('the Location of a created MIM request does not carry the forged Host', async () => {
    const answer = await withHost('POST', `${MIM}/pamrequests`, 'evil.example', jen.token, {
      RoleId: DEMO_IDS.mimRoleCredential,
      Justification: 'host check',
      RequestedTTL: '3600',
    });
    expect(answer.status).toBe(201);
    expect(String(answer.headers.location)).toMatch(new RegExp(`^${server.url}${MIM}/pamrequests\\(`));
    expect(JSON.stringify(answer.body)).not.toContain('evil.example');
  });

  it('with --public-url, links use it', async () => {
    const behindProxy = await startTestServer({ logLevel: 'warn', publicUrl: 'https://pam.example.com/' });
    try {
      const session = await behindProxy.as('PRIV.Jen');
      const answer = await session.request('GET', `${MIM}/pamroles`, undefined, {
        'x-forwarded-host': 'evil.example',
      });
      expect(answer.body['odata.metadata']).toBe(`https://pam.example.com${MIM}/%24metadata#pamroles`);
    } finally {
      await behindProxy.stop();
    }
  });
});

describe('security headers on every API answer (finding 9)', () => {
  const expectHardened = (headers: Headers | http.IncomingHttpHeaders) => {
    const get = (name: string) => (headers instanceof Headers ? headers.get(name) : headers[name]);
    expect(get('x-content-type-options')).toBe('nosniff');
    expect(get('referrer-policy')).toBe('no-referrer');
    expect(get('content-security-policy')).toBe("frame-ancestors 'none'");
  };

  it.each([
    ['a public route', 'GET', '/api/health', false],
    ['an authenticated JSON answer', 'GET', '/api/pam/vaults', true],
    ['a 401', 'GET', '/api/pam/vaults', false],
    ['a 404', 'GET', '/api/no-such-thing', true],
    ['a MIM answer', 'GET', `${MIM}/pamroles`, true],
    ['a malformed URL refused by the router', 'GET', '/api/pam/credentials/%E0%A4%A', true],
  ])('%s', async (_what, method, url, signedIn) => {
    const response = await apiRequest(
      server.url,
      method,
      url,
      undefined,
      signedIn ? { tokenId: kelly.token } : {},
    );
    expectHardened(response.headers);
  });

  it('the event stream', async () => {
    const controller = new AbortController();
    const response = await fetch(`${server.url}/api/events`, {
      headers: { tokenId: kelly.token },
      signal: controller.signal,
    });
    expect(response.status).toBe(200);
    expectHardened(response.headers);
    controller.abort();
  });
});
