import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckoutStatus } from '../../common/checkout.ts';
import { startTestServer, type TestServer } from '../support/testServer.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

describe('deleting a credential', () => {
  it('is refused while a checkout of it is open, and allowed once it has ended', async () => {
    const admin = await server.as('admin');
    const bob = await server.as('bob');
    const created = await admin.request('POST', '/api/admin/credentials', {
      vaultID: 'a1000000-0000-4000-8000-000000000001',
      name: 'Short-lived',
    });
    const held = await bob.request('POST', '/api/pam/checkouts', { credentialID: created.body.id });
    expect(held.status).toBe(201);
    const refused = await admin.request('DELETE', `/api/admin/credentials/${created.body.id}`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain('1 open checkout');
    await bob.request('PUT', `/api/pam/checkouts/${held.body.id}`, { status: CheckoutStatus.Ended });
    expect((await admin.request('DELETE', `/api/admin/credentials/${created.body.id}`)).status).toBe(204);
    expect((await bob.request('GET', `/api/pam/credentials/${created.body.id}`)).status).toBe(404);
  });

  it('counts a checkout past its end as ended even before the sweeper ran', async () => {
    const admin = await server.as('admin');
    const bob = await server.as('bob');
    const created = await admin.request('POST', '/api/admin/credentials', {
      vaultID: 'a1000000-0000-4000-8000-000000000001',
      name: 'Expiring',
    });
    await bob.request('POST', '/api/pam/checkouts', { credentialID: created.body.id, duration: 10 });
    server.clock.advance(11 * 60_000);
    expect((await admin.request('DELETE', `/api/admin/credentials/${created.body.id}`)).status).toBe(204);
  });
});
