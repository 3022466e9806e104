import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckoutStatus } from '../../common/checkout.ts';
import { DEMO_IDS } from '../../server/demo.ts';
import { apiRequest, startTestServer, type TestServer } from '../support/testServer.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

async function pendingKellyRequest() {
  const kelly = await server.as('kelly');
  const created = await kelly.request('POST', '/api/pam/checkouts', {
    credentialID: DEMO_IDS.approvedCredential,
    approverID: DEMO_IDS.alice,
    reason: 'maintenance',
  });
  expect(created.status).toBe(201);
  return { kelly, id: created.body.id as string };
}

describe('authentication', () => {
  it('no token, a wrong token and a revoked token answer 401', async () => {
    expect((await apiRequest(server.url, 'GET', '/api/pam/vaults')).status).toBe(401);
    const wrong = await apiRequest(server.url, 'GET', '/api/pam/vaults', undefined, { tokenId: 'nope' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('unauthorized');
    const bob = await server.as('bob');
    expect((await bob.request('GET', '/api/pam/vaults')).status).toBe(200);
    expect((await bob.request('POST', '/api/auth/logout')).status).toBe(204);
    expect((await bob.request('GET', '/api/pam/vaults')).status).toBe(401);
  });

  it('Authorization: Bearer works as well as tokenId', async () => {
    const bob = await server.as('bob');
    const response = await apiRequest(server.url, 'GET', '/api/auth/me', undefined, {
      authorization: `Bearer ${bob.token}`,
    });
    expect(response.status).toBe(200);
    expect(response.body.username).toBe('bob');
  });

  it('a token expires after its lifetime by the server clock', async () => {
    const bob = await server.as('bob');
    server.clock.advance(8 * 60 * 60_000 + 1);
    expect((await bob.request('GET', '/api/pam/vaults')).status).toBe(401);
  });

  it('a wrong password answers 401 and repeated failures are throttled with Retry-After', async () => {
    const attempt = () =>
      apiRequest(server.url, 'POST', '/api/auth/login', { username: 'kelly', password: 'wrong' });
    // Three free failures per (user, address), then each one waits (test/security/loginThrottle.test.ts).
    for (let i = 0; i < 3; i++) expect((await attempt()).status).toBe(401);
    const throttled = await attempt();
    expect(throttled.status).toBe(429);
    expect(throttled.body.error.code).toBe('throttled');
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(0);
    // Even the right password from the same address waits out the throttle.
    const right = await apiRequest(server.url, 'POST', '/api/auth/login', {
      username: 'kelly',
      password: 'coffre-demo',
    });
    expect(right.status).toBe(429);
    server.clock.advance(15 * 60_000 + 1);
    const later = await apiRequest(server.url, 'POST', '/api/auth/login', {
      username: 'kelly',
      password: 'coffre-demo',
    });
    expect(later.status).toBe(200);
  });
});

describe('authorization', () => {
  it('only the holder of an Active checkout reads the password', async () => {
    const bob = await server.as('bob');
    const kelly = await server.as('kelly');
    const admin = await server.as('admin');
    const created = await bob.request('POST', '/api/pam/checkouts', {
      credentialID: DEMO_IDS.autoCredential,
    });
    for (const other of [kelly, admin]) {
      const response = await other.request('GET', `/api/pam/passwords/${DEMO_IDS.autoCredential}`);
      expect(response.status).toBe(403);
      expect(response.body.error.code).toBe('forbidden');
    }
    await bob.request('PUT', `/api/pam/checkouts/${created.body.id}`, {
      status: CheckoutStatus.Ended,
    });
  });

  it('only an eligible approver decides: not the requester, not another approver, not a plain user', async () => {
    const { id } = await pendingKellyRequest();
    const kelly = await server.as('kelly');
    const maurice = await server.as('maurice');
    const bob = await server.as('bob');
    const ownApproval = await kelly.request('PUT', `/api/pam/checkouts/${id}`, {
      status: CheckoutStatus.Active,
    });
    expect(ownApproval.status).toBe(403);
    // maurice is an approver, but not of this credential: he cannot even see the request.
    expect(
      (await maurice.request('PUT', `/api/pam/checkouts/${id}`, { status: CheckoutStatus.Active })).status,
    ).toBe(404);
    expect(
      (await bob.request('PUT', `/api/pam/checkouts/${id}`, { status: CheckoutStatus.Denied })).status,
    ).toBe(404);
    const alice = await server.as('alice');
    const denied = await alice.request('PUT', `/api/pam/checkouts/${id}`, {
      status: CheckoutStatus.Denied,
      approverMessage: 'Not during the freeze',
    });
    expect(denied.status).toBe(200);
    expect(denied.body.status).toBe(CheckoutStatus.Denied);
    const seen = await kelly.request('GET', `/api/pam/checkouts/${id}`);
    expect(seen.body.approverMessage).toBe('Not during the freeze');
  });

  it('an approver removed from the policy can no longer decide', async () => {
    const { id, kelly } = await pendingKellyRequest();
    const admin = await server.as('admin');
    const alice = await server.as('alice');
    await admin.request('PATCH', `/api/admin/credentials/${DEMO_IDS.approvedCredential}`, {
      policy: { approvers: [DEMO_IDS.maurice] },
    });
    const response = await alice.request('PUT', `/api/pam/checkouts/${id}`, {
      status: CheckoutStatus.Active,
    });
    expect(response.status).toBe(403);
    await admin.request('PATCH', `/api/admin/credentials/${DEMO_IDS.approvedCredential}`, {
      policy: { approvers: [DEMO_IDS.alice] },
    });
    await kelly.request('PUT', `/api/pam/checkouts/${id}`, { status: CheckoutStatus.RequestCanceled });
  });

  it('users see only their own checkouts', async () => {
    const { id, kelly } = await pendingKellyRequest();
    const bob = await server.as('bob');
    expect((await bob.request('GET', `/api/pam/checkouts/${id}`)).status).toBe(404);
    const bobs = await bob.request('GET', '/api/pam/checkouts');
    expect(bobs.body.every((c: { userID: string }) => c.userID === bob.userId)).toBe(true);
    expect((await bob.request('GET', '/api/pam/checkouts?toApprove=true')).body).toEqual([]);
    await kelly.request('PUT', `/api/pam/checkouts/${id}`, { status: CheckoutStatus.RequestCanceled });
  });

  it('admins abort (force check-in); others cannot', async () => {
    const bob = await server.as('bob');
    const admin = await server.as('admin');
    const created = await bob.request('POST', '/api/pam/checkouts', {
      credentialID: DEMO_IDS.autoCredential,
    });
    const url = `/api/pam/checkouts/${created.body.id}`;
    expect((await bob.request('PUT', url, { status: CheckoutStatus.Aborted })).status).toBe(403);
    const aborted = await admin.request('PUT', url, {
      status: CheckoutStatus.Aborted,
      approverMessage: 'incident',
    });
    expect(aborted.status).toBe(200);
    expect(aborted.body.status).toBe(CheckoutStatus.Aborted);
    expect((await bob.request('GET', `/api/pam/passwords/${DEMO_IDS.autoCredential}`)).status).toBe(403);
  });

  it('only admins administer and read the audit trail', async () => {
    const bob = await server.as('bob');
    expect((await bob.request('GET', '/api/pam/audit')).status).toBe(403);
    expect((await bob.request('GET', '/api/admin/users')).status).toBe(403);
    const created = await bob.request('POST', '/api/admin/vaults', { name: 'mine' });
    expect(created.status).toBe(403);
    const admin = await server.as('admin');
    const audit = await admin.request('GET', '/api/pam/audit');
    expect(audit.status).toBe(200);
    expect(audit.body.length).toBeGreaterThan(5);
  });
});
