import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckoutStatus } from '../../common/checkout.ts';
import { inBatches } from '../reliability/support.ts';
import { startTestServer, type TestServer } from '../support/testServer.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

describe('exclusive checkout is atomic', () => {
  it('of 100 simultaneous checkouts by 100 users, exactly one wins and 99 get 409', async () => {
    const admin = await server.as('admin');
    const credential = await admin.request('POST', '/api/admin/credentials', {
      vaultID: 'a1000000-0000-4000-8000-000000000001',
      name: 'Contended root',
      policy: { approvalMode: 'none', exclusive: true },
    });
    expect(credential.status).toBe(201);
    // 16 sign-ins at a time: more than 30 in flight from one address would meet the sign-in
    // throttle, which counts an attempt as a failure until it is verified (server/domain/loginThrottle.ts).
    const sessions = await inBatches(
      Array.from({ length: 100 }, (_, i) => i),
      16,
      async (i) => {
        const username = `racer${i}`;
        const created = await admin.request('POST', '/api/admin/users', {
          username,
          password: 'racer-password-123',
          roles: ['user'],
        });
        expect(created.status).toBe(201);
        const login = await fetch(`${server.url}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username, password: 'racer-password-123' }),
        });
        return ((await login.json()) as { tokenId: string }).tokenId;
      },
    );
    const results = await Promise.all(
      sessions.map(async (token) => {
        const response = await fetch(`${server.url}/api/pam/checkouts`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', tokenId: token },
          body: JSON.stringify({ credentialID: credential.body.id }),
        });
        return { status: response.status, body: (await response.json()) as any };
      }),
    );
    const winners = results.filter((r) => r.status === 201);
    const losers = results.filter((r) => r.status === 409);
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(99);
    for (const loser of losers)
      expect(loser.body.error.message).toBe('The credential is already checked out.');
    const open = await server.ctx.store.listAllCheckouts([CheckoutStatus.Active]);
    expect(open.filter((c) => c.credentialId === credential.body.id)).toHaveLength(1);
  });

  it('two approvals racing for an exclusive credential: one becomes Active, the other 409', async () => {
    const admin = await server.as('admin');
    const credential = await admin.request('POST', '/api/admin/credentials', {
      vaultID: 'a1000000-0000-4000-8000-000000000001',
      name: 'Approved and contended',
      policy: { approvalMode: 'mandatory', approvers: ['2364ec1f-a739-450b-afe8-d85b5a3db50e'] },
    });
    const bob = await server.as('bob');
    const kelly = await server.as('kelly');
    const alice = await server.as('alice');
    const requests = await Promise.all(
      [bob, kelly].map((s) =>
        s.request('POST', '/api/pam/checkouts', {
          credentialID: credential.body.id,
          approverID: '2364ec1f-a739-450b-afe8-d85b5a3db50e',
        }),
      ),
    );
    expect(requests.map((r) => r.status)).toEqual([201, 201]);
    const decisions = await Promise.all(
      requests.map((r) =>
        alice.request('PUT', `/api/pam/checkouts/${r.body.id}`, { status: CheckoutStatus.Active }),
      ),
    );
    expect(decisions.map((d) => d.status).sort()).toEqual([200, 409]);
  });
});
