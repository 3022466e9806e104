/**
 * Check-then-act on credential deletion (issue 14, "the same class elsewhere"): the admin service
 * reads the open checkouts, then deletes; a checkout created between the two must not end up
 * stranded on a deleted credential. The store checks both sides in their own transactions.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckoutStatus } from '../../common/checkout.ts';
import { DEMO_IDS } from '../../server/demo.ts';
import { type Session, startTestServer, type TestServer } from '../support/testServer.ts';

let server: TestServer;
let admin: Session;

beforeAll(async () => {
  server = await startTestServer({ logLevel: 'warn' });
  admin = await server.as('admin');
});
afterAll(() => server.stop());

async function credential(): Promise<string> {
  const created = await admin.request('POST', '/api/admin/credentials', {
    vaultID: 'a1000000-0000-4000-8000-000000000001',
    name: `Doomed ${Math.random()}`,
    policy: { approvalMode: 'none' },
  });
  return created.body.id;
}

const checkoutOf = (credentialId: string, userId: string) => ({
  id: crypto.randomUUID(),
  userId,
  credentialId,
  approverId: null,
  reason: '',
  approverMessage: '',
  status: CheckoutStatus.Active,
  duration: 60,
  extendedMinutes: 0,
  requestedAt: server.clock.now(),
  scheduledStart: null,
  checkoutAt: server.clock.now(),
  checkinAt: null,
  expiresAt: server.clock.now() + 60 * 60_000,
  expiringNotified: false,
  updatedAt: server.clock.now(),
});

describe('deleting a credential and checking it out at the same time', () => {
  it('the store refuses to delete a credential with an open checkout, in the delete’s own transaction', async () => {
    const id = await credential();
    const { store } = server.ctx;
    expect(
      (
        await store.insertCheckout(
          checkoutOf(id, DEMO_IDS.bob),
          { exclusive: true, now: server.clock.now() },
          { audit: [], events: [] },
        )
      ).ok,
    ).toBe(true);
    expect(await store.deleteCredential(id, server.clock.now(), { audit: [], events: [] })).toBe(
      'has_open_checkouts',
    );
    expect(await store.getCredential(id)).toBeDefined();
  });

  it('the store refuses a checkout of a credential deleted since it was read', async () => {
    const id = await credential();
    const { store } = server.ctx;
    expect(await store.deleteCredential(id, server.clock.now(), { audit: [], events: [] })).toBe('deleted');
    const inserted = await store.insertCheckout(
      checkoutOf(id, DEMO_IDS.kelly),
      { exclusive: true, now: server.clock.now() },
      { audit: [], events: [] },
    );
    expect(inserted).toEqual({ ok: false, reason: 'credential_deleted' });
  });

  it('over HTTP, racing a delete against checkouts: never a deleted credential with an open checkout', async () => {
    const users = await Promise.all(['bob', 'kelly', 'maurice', 'PRIV.Jen'].map((name) => server.as(name)));
    for (let round = 0; round < 10; round++) {
      const id = await credential();
      const answers = await Promise.all([
        ...users.map((user) => user.request('POST', '/api/pam/checkouts', { credentialID: id })),
        admin.request('DELETE', `/api/admin/credentials/${id}`),
      ]);
      for (const answer of answers) expect(answer.status).toBeLessThan(500);
      const deleted = (await server.ctx.store.getCredential(id)) === undefined;
      const open = (await server.ctx.store.listAllCheckouts([CheckoutStatus.Active])).filter(
        (checkout) => checkout.credentialId === id,
      );
      expect(deleted && open.length > 0).toBe(false);
    }
  });
});
