import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckoutStatus } from '../../common/checkout.ts';
import { DEMO_IDS } from '../../server/demo.ts';
import { startTestServer, type TestServer } from '../support/testServer.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

const MINUTE = 60_000;

describe('expiry by the server clock', () => {
  it('a checkout past expiresAt is Expired for every reader before any sweep, then the sweep records it and rotates', async () => {
    const bob = await server.as('bob');
    const admin = await server.as('admin');
    const created = await bob.request('POST', '/api/pam/checkouts', {
      credentialID: DEMO_IDS.autoCredential,
      duration: 10,
    });
    const id = created.body.id;
    const sealedBefore = (await server.ctx.store.getCredential(DEMO_IDS.autoCredential))!.passwordSealed;

    server.clock.advance(10 * MINUTE);
    // No sweep yet: the stored row still says Active, every reader sees Expired.
    expect((await server.ctx.store.getCheckout(id))!.status).toBe(CheckoutStatus.Active);
    expect((await bob.request('GET', `/api/pam/checkouts/${id}`)).body.status).toBe(CheckoutStatus.Expired);
    expect((await admin.request('GET', `/api/pam/checkouts/${id}`)).body.status).toBe(CheckoutStatus.Expired);
    expect((await bob.request('GET', '/api/pam/checkouts?activeAndPending=true')).body).toEqual([]);
    expect((await bob.request('GET', `/api/pam/passwords/${DEMO_IDS.autoCredential}`)).status).toBe(403);
    expect(
      (await bob.request('GET', `/api/pam/credentials/${DEMO_IDS.autoCredential}`)).body.checkout,
    ).toBeNull();
    const checkin = await bob.request('PUT', `/api/pam/checkouts/${id}`, { status: CheckoutStatus.Ended });
    expect(checkin.status).toBe(409);

    expect(await server.ctx.sweeper.sweep()).toBeGreaterThan(0);
    expect((await server.ctx.store.getCheckout(id))!.status).toBe(CheckoutStatus.Expired);
    expect((await server.ctx.store.getCredential(DEMO_IDS.autoCredential))!.passwordSealed).not.toBe(
      sealedBefore,
    );
    const audit = await admin.request('GET', `/api/pam/audit?credentialID=${DEMO_IDS.autoCredential}`);
    const actions = audit.body.map((row: { action: string }) => row.action);
    expect(actions).toContain('checkout.expired');
    expect(actions).toContain('password.rotated');
    expect(await server.ctx.sweeper.sweep()).toBe(0);
  });

  it('the sweeper sends checkout.expiring once at T-5 minutes', async () => {
    const bob = await server.as('bob');
    const created = await bob.request('POST', '/api/pam/checkouts', {
      credentialID: DEMO_IDS.autoCredential,
      duration: 30,
    });
    const id = created.body.id;
    const events: string[] = [];
    await server.eventsDelivered();
    const unsubscribe = server.ctx.hub.subscribe(bob.userId, (event) => events.push(event.type));
    server.clock.advance(24 * MINUTE);
    await server.ctx.sweeper.sweep();
    await server.eventsDelivered();
    expect(events).toEqual([]);
    server.clock.advance(1 * MINUTE);
    await server.ctx.sweeper.sweep();
    await server.ctx.sweeper.sweep();
    await server.eventsDelivered();
    expect(events).toEqual(['checkout.expiring']);
    // Extending re-arms the warning for the new end.
    await bob.request('POST', `/api/pam/checkouts/${id}/extend`, { minutes: 30 });
    server.clock.advance(30 * MINUTE);
    await server.ctx.sweeper.sweep();
    await server.eventsDelivered();
    expect(events.filter((type) => type === 'checkout.expiring')).toHaveLength(2);
    unsubscribe();
    await bob.request('PUT', `/api/pam/checkouts/${id}`, { status: CheckoutStatus.Ended });
  });

  it('a scheduled checkout is Granted until its start, then Active, then Expired', async () => {
    const bob = await server.as('bob');
    const start = new Date(server.clock.now() + 60 * MINUTE).toISOString();
    const created = await bob.request('POST', '/api/pam/checkouts', {
      credentialID: 'c2000000-0000-4000-8000-000000000003',
      duration: 20,
      scheduledStart: start,
    });
    expect(created.status).toBe(201);
    expect(created.body.status).toBe(CheckoutStatus.Granted);
    const id = created.body.id;
    expect((await bob.request('GET', '/api/pam/passwords/c2000000-0000-4000-8000-000000000003')).status).toBe(
      403,
    );
    server.clock.advance(60 * MINUTE);
    const active = await bob.request('GET', `/api/pam/checkouts/${id}`);
    expect(active.body.status).toBe(CheckoutStatus.Active);
    expect(active.body.checkoutDateTime).toBe(start);
    expect((await bob.request('GET', '/api/pam/passwords/c2000000-0000-4000-8000-000000000003')).status).toBe(
      200,
    );
    server.clock.advance(20 * MINUTE);
    expect((await bob.request('GET', `/api/pam/checkouts/${id}`)).body.status).toBe(CheckoutStatus.Expired);
  });
});
