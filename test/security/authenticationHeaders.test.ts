/**
 * Who sends a request (server/http/authentication.ts), header by header: Coffre's token as
 * `tokenId` or `Authorization: Bearer`, and on the MIM dialect `Authorization: Basic` and
 * `Negotiate` as IIS offers them. Each case pins one rule a mutation of that file broke unnoticed
 * (docs/mutation.md, scope http-authentication); Negotiate goes through a fake adapter here (the
 * Kerberos one is tested against a real KDC in test/compat/mim/negotiate.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IntegratedAuth } from '../../server/http/integratedAuth.ts';
import { apiRequest, type Session, startTestServer, type TestServer } from '../support/testServer.ts';

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;

/** Accepts the token `ticket-of-<user>`; answers `ok-<user>` for mutual authentication, except for bob. */
const fakeNegotiate: IntegratedAuth = {
  async accept(token) {
    const match = /^ticket-of-(.+)$/.exec(token);
    if (!match) throw new Error('not a ticket');
    const username = match[1]!;
    return { username, responseToken: username === 'bob' ? undefined : `ok-${username}` };
  },
};

let server: TestServer;
let plain: TestServer;
let bob: Session;
beforeAll(async () => {
  server = await startTestServer({ integratedAuth: fakeNegotiate, logLevel: 'warn' });
  plain = await startTestServer({ logLevel: 'warn' });
  bob = await server.as('bob');
  const admin = await server.as('admin');
  const created = await admin.request('POST', '/api/admin/users', {
    username: 'colon',
    password: 'pass:with:colons',
    roles: ['user'],
  });
  expect(created.status, created.text).toBe(201);
});
afterAll(async () => {
  await server.stop();
  await plain.stop();
});

const me = (headers: Record<string, string>) =>
  apiRequest(server.url, 'GET', '/api/auth/me', undefined, headers);
const mim = (headers: Record<string, string>, on = server) =>
  apiRequest(on.url, 'GET', '/api/pamresources/sessioninfo', undefined, headers);

describe('the token', () => {
  it('an empty tokenId header is no token: Authorization is read instead', async () => {
    expect((await me({ tokenid: '', authorization: `Bearer ${bob.token}` })).status).toBe(200);
  });

  it('tokenId wins over Authorization', async () => {
    expect((await me({ tokenid: bob.token, authorization: 'Bearer not-a-token' })).status).toBe(200);
  });

  it('Bearer takes any run of spaces or a tab before the token, nothing after it', async () => {
    expect((await me({ authorization: `Bearer   ${bob.token}` })).status).toBe(200);
    expect((await me({ authorization: `Bearer\t${bob.token}` })).status).toBe(200);
    expect((await me({ authorization: `Bearer${bob.token}` })).status).toBe(401);
    expect((await me({ authorization: `Bearer ${bob.token}x` })).status).toBe(401);
  });

  it('a refusal on the checkout dialect offers no sign-in scheme', async () => {
    const refused = await me({});
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toBeNull();
  });

  it('the MIM dialect takes the token too, without asking for Basic', async () => {
    const answer = await mim({ tokenid: bob.token });
    expect(answer.status).toBe(200);
    expect(answer.body.value[0].Username).toBe('COFFRE\\bob');
    expect((await mim({ authorization: `Bearer ${bob.token}` })).status).toBe(200);
  });
});

describe('Basic on the MIM dialect', () => {
  it('a refusal offers Negotiate (when an adapter is set) before Basic, with the domain as realm', async () => {
    const refused = await mim({});
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toBe('Negotiate, Basic realm="COFFRE", charset="UTF-8"');
    const plainRefused = await mim({}, plain);
    expect(plainRefused.headers.get('www-authenticate')).toBe('Basic realm="COFFRE", charset="UTF-8"');
  });

  it('the scheme in any case, spaces after the credentials allowed', async () => {
    const credentials = basic('bob', 'coffre-demo').slice('Basic '.length);
    expect((await mim({ authorization: `basic ${credentials}` })).status).toBe(200);
    expect((await mim({ authorization: `BASIC ${credentials}  ` })).status).toBe(200);
    expect((await mim({ authorization: `XBasic ${credentials}` })).status).toBe(401);
  });

  it('the password is everything after the first colon', async () => {
    const answer = await mim({ authorization: basic('colon', 'pass:with:colons') });
    expect(answer.status, answer.text).toBe(200);
    expect(answer.body.value[0].Username).toBe('COFFRE\\colon');
  });

  it('credentials without a colon are refused as such', async () => {
    const refused = await mim({ authorization: `Basic ${Buffer.from('bob').toString('base64')}` });
    expect(refused.status).toBe(401);
    expect(refused.body['odata.error'].message.value).toBe('The Basic credentials are not user:password.');
    expect(refused.headers.get('www-authenticate')).toContain('Basic realm=');
  });

  it('the domain prefix is this server’s in any case; another domain’s user is not ours', async () => {
    expect((await mim({ authorization: basic('COFFRE\\bob', 'coffre-demo') })).status).toBe(200);
    expect((await mim({ authorization: basic('Coffre\\bob', 'coffre-demo') })).status).toBe(200);
    expect((await mim({ authorization: basic('CORP\\bob', 'coffre-demo') })).status).toBe(401);
    expect((await mim({ authorization: basic('\\bob', 'coffre-demo') })).status).toBe(401);
  });
});

describe('Negotiate on the MIM dialect', () => {
  it('signs in the user the adapter names, and returns its mutual-authentication token', async () => {
    const answer = await mim({ authorization: 'Negotiate ticket-of-kelly' });
    expect(answer.status, answer.text).toBe(200);
    expect(answer.body.value[0].Username).toBe('COFFRE\\kelly');
    expect(answer.headers.get('www-authenticate')).toBe('Negotiate ok-kelly');
  });

  it('no response token, no header; the scheme in any case', async () => {
    const answer = await mim({ authorization: 'negotiate ticket-of-bob' });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('www-authenticate')).toBeNull();
  });

  it('a token the adapter refuses answers 401 saying so, and offers the schemes again', async () => {
    const refused = await mim({ authorization: 'Negotiate forged' });
    expect(refused.status).toBe(401);
    expect(refused.body['odata.error'].message.value).toBe(
      'The Windows sign-in (Negotiate) was not accepted.',
    );
    expect(refused.headers.get('www-authenticate')).toBe('Negotiate, Basic realm="COFFRE", charset="UTF-8"');
  });

  it('without an adapter, Negotiate is not taken', async () => {
    const refused = await mim({ authorization: 'Negotiate ticket-of-kelly' }, plain);
    expect(refused.status).toBe(401);
    expect(refused.body['odata.error'].message.value).not.toContain('Windows');
  });
});
