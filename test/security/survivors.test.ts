/**
 * Tests for bugs a mutation audit planted and no test noticed (issue 14, "Tests that let real bugs
 * through"): each case here fails if its rule is loosened by one operator.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_IDS } from '../../server/demo.ts';
import { apiRequest, type Session, startTestServer, type TestServer } from '../support/testServer.ts';

let server: TestServer;
let bob: Session;

beforeAll(async () => {
  server = await startTestServer({ logLevel: 'warn' });
  bob = await server.as('bob');
});
afterAll(() => server.stop());

describe('duration bounds are inclusive', () => {
  // The auto credential inherits the default policy: 10 to 480 minutes.
  it.each([
    [10, 201],
    [480, 201],
    [9, 422],
    [481, 422],
  ])('a duration of %i minutes answers %i', async (duration, status) => {
    const response = await bob.request('POST', '/api/pam/checkouts', {
      credentialID: DEMO_IDS.autoCredential,
      duration,
    });
    expect(response.status).toBe(status);
    if (status === 201) {
      expect(response.body.duration).toBe(duration);
      await bob.request('PUT', `/api/pam/checkouts/${response.body.id}`, { status: 5 });
    } else {
      expect(response.body.error.code).toBe('duration_out_of_bounds');
    }
  });
});

describe('the Authorization header', () => {
  const me = (authorization: string) =>
    apiRequest(server.url, 'GET', '/api/auth/me', undefined, { authorization });

  it('accepts the scheme in any case (RFC 7235: schemes are case-insensitive)', async () => {
    expect((await me(`Bearer ${bob.token}`)).status).toBe(200);
    expect((await me(`bearer ${bob.token}`)).status).toBe(200);
    expect((await me(`BEARER ${bob.token}`)).status).toBe(200);
  });

  it.each([
    ['another scheme ending in Bearer', (token: string) => `XBearer ${token}`],
    ['something after the token', (token: string) => `Bearer ${token} extra`],
    ['Basic', (token: string) => `Basic ${token}`],
    ['no scheme', (token: string) => token],
  ])('refuses %s (401)', async (_what, header) => {
    const response = await me(header(bob.token));
    expect(response.status).toBe(401);
  });
});
