/**
 * Scheduled checkouts and exclusivity (issue 14, findings 2 and 3): an exclusive credential has
 * one holder at any moment, whether checkouts start now or at a scheduled time; a waiting
 * scheduled checkout holds the credential only over its own window; a start cannot be years away.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CheckoutStatus } from '../../common/checkout.ts';
import { DEMO_IDS } from '../../server/demo.ts';
import { type Session, startTestServer, type TestServer } from '../support/testServer.ts';

const SERVERS_VAULT = 'a1000000-0000-4000-8000-000000000001';
const HOUR_MS = 60 * 60_000;
const DAY_MS = 24 * HOUR_MS;

let server: TestServer;
let admin: Session;
let bob: Session;
let kelly: Session;
let alice: Session;

beforeEach(async () => {
  server = await startTestServer({ logLevel: 'warn' });
  admin = await server.as('admin');
  bob = await server.as('bob');
  kelly = await server.as('kelly');
  alice = await server.as('alice');
});
afterEach(() => server.stop());

async function credential(policy: Record<string, unknown>): Promise<string> {
  const created = await admin.request('POST', '/api/admin/credentials', {
    vaultID: SERVERS_VAULT,
    name: `Exclusive ${Math.random()}`,
    policy: { exclusive: true, ...policy },
  });
  expect(created.status).toBe(201);
  return created.body.id;
}

const at = (offsetMs: number) => new Date(server.clock.now() + offsetMs).toISOString();
const withApproval = { approvalMode: 'mandatory', approvers: [DEMO_IDS.alice] };

describe('two requests for the same future window (finding 2)', () => {
  it('the approver cannot approve the second: 409, and at the start only the first reads the password', async () => {
    const credentialID = await credential(withApproval);
    const start = at(2 * HOUR_MS);
    const request = (who: Session) =>
      who.request('POST', '/api/pam/checkouts', {
        credentialID,
        approverID: DEMO_IDS.alice,
        duration: 60,
        scheduledStart: start,
      });
    const first = await request(bob);
    const second = await request(kelly);
    expect([first.status, second.status]).toEqual([201, 201]);
    const approve = (id: string) =>
      alice.request('PUT', `/api/pam/checkouts/${id}`, { status: CheckoutStatus.Active });
    const approved = await approve(first.body.id);
    expect(approved.status).toBe(200);
    expect(approved.body.status).toBe(CheckoutStatus.Granted);
    const refused = await approve(second.body.id);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('already_checked_out');

    server.clock.advance(2 * HOUR_MS + 1000);
    expect((await bob.request('GET', `/api/pam/passwords/${credentialID}`)).status).toBe(200);
    expect((await kelly.request('GET', `/api/pam/passwords/${credentialID}`)).status).toBe(403);
  });

  it('an approval for now is refused when an approved scheduled window would overlap it', async () => {
    const credentialID = await credential(withApproval);
    const scheduled = await bob.request('POST', '/api/pam/checkouts', {
      credentialID,
      approverID: DEMO_IDS.alice,
      duration: 60,
      scheduledStart: at(30 * 60_000),
    });
    expect(
      (
        await alice.request('PUT', `/api/pam/checkouts/${scheduled.body.id}`, {
          status: CheckoutStatus.Active,
        })
      ).status,
    ).toBe(200);
    const now = await kelly.request('POST', '/api/pam/checkouts', {
      credentialID,
      approverID: DEMO_IDS.alice,
      duration: 120,
    });
    // Its two hours would run into bob's window: refused at once.
    expect(now.status).toBe(409);
  });

  it('when a scheduled checkout starts, exclusivity is checked again: the conflicting one is aborted, not started', async () => {
    const credentialID = await credential({ approvalMode: 'none' });
    const start = server.clock.now() + HOUR_MS;
    // Two approved windows that overlap, as data written before the rule (or restored) could hold.
    for (const userId of [DEMO_IDS.bob, DEMO_IDS.kelly]) {
      const inserted = await server.ctx.store.insertCheckout(
        {
          id: crypto.randomUUID(),
          userId,
          credentialId: credentialID,
          approverId: null,
          reason: '',
          approverMessage: '',
          status: CheckoutStatus.Granted,
          duration: 60,
          extendedMinutes: 0,
          requestedAt: server.clock.now(),
          scheduledStart: start,
          checkoutAt: null,
          checkinAt: null,
          expiresAt: start + HOUR_MS,
          expiringNotified: false,
          updatedAt: server.clock.now(),
        },
        { exclusive: false, now: server.clock.now() },
        { audit: [], events: [] },
      );
      expect(inserted.ok).toBe(true);
    }
    server.clock.advance(HOUR_MS + 1000);
    // Before the sweeper runs, both try to read: one password leaves, the other is refused.
    const reads = await Promise.all(
      [bob, kelly].map((who) => who.request('GET', `/api/pam/passwords/${credentialID}`)),
    );
    expect(reads.map((read) => read.status).sort()).toEqual([200, 403]);
    await server.ctx.sweeper.sweep();
    const rows = (await server.ctx.store.listAllCheckouts(null)).filter(
      (row) => row.credentialId === credentialID,
    );
    expect(rows.map((row) => row.status).sort()).toEqual([CheckoutStatus.Active, CheckoutStatus.Aborted]);
  });
});

describe('how far ahead, and what a waiting checkout holds (finding 3)', () => {
  it('a start in year 9999 is refused (422 schedule_out_of_bounds); the policy maximum itself is accepted', async () => {
    const credentialID = await credential({ approvalMode: 'none' });
    const far = await bob.request('POST', '/api/pam/checkouts', {
      credentialID,
      scheduledStart: '9999-12-31T00:00:00.000Z',
    });
    expect(far.status).toBe(422);
    expect(far.body.error.code).toBe('schedule_out_of_bounds');
    expect(far.body.error.message).toContain('30 days');
    const justOver = await bob.request('POST', '/api/pam/checkouts', {
      credentialID,
      scheduledStart: at(30 * DAY_MS + 1000),
    });
    expect(justOver.status).toBe(422);
    const atMost = await bob.request('POST', '/api/pam/checkouts', {
      credentialID,
      scheduledStart: at(30 * DAY_MS),
    });
    expect(atMost.status).toBe(201);
  });

  it('a policy of 0 days allows no scheduling', async () => {
    const credentialID = await credential({ approvalMode: 'none', maxScheduleAheadDays: 0 });
    const later = await bob.request('POST', '/api/pam/checkouts', {
      credentialID,
      scheduledStart: at(HOUR_MS),
    });
    expect(later.status).toBe(422);
    expect(later.body.error.code).toBe('schedule_out_of_bounds');
  });

  it('a waiting scheduled checkout does not hold the credential before its window', async () => {
    const credentialID = await credential({ approvalMode: 'none' });
    const scheduled = await bob.request('POST', '/api/pam/checkouts', {
      credentialID,
      duration: 60,
      scheduledStart: at(2 * DAY_MS),
    });
    expect(scheduled.status).toBe(201);
    expect(scheduled.body.status).toBe(CheckoutStatus.Granted);
    // The list shows the credential free to others…
    const listed = await kelly.request('GET', `/api/pam/credentials/${credentialID}`);
    expect(listed.body.checkout).toBeNull();
    // …and kelly checks it out now, for a window that ends before bob's starts.
    const now = await kelly.request('POST', '/api/pam/checkouts', { credentialID, duration: 60 });
    expect(now.status).toBe(201);
    expect(now.body.status).toBe(CheckoutStatus.Active);
    // Extending stays well before bob's window: allowed.
    const extend = await kelly.request('POST', `/api/pam/checkouts/${now.body.id}/extend`, {
      minutes: 240,
    });
    expect(extend.status).toBe(200);
  });

  it('an extension that would run into an approved scheduled window is refused', async () => {
    const credentialID = await credential({ approvalMode: 'none' });
    const mine = await kelly.request('POST', '/api/pam/checkouts', { credentialID, duration: 60 });
    expect(mine.status).toBe(201);
    const scheduled = await bob.request('POST', '/api/pam/checkouts', {
      credentialID,
      duration: 60,
      scheduledStart: at(90 * 60_000),
    });
    expect(scheduled.status).toBe(201);
    const extend = await kelly.request('POST', `/api/pam/checkouts/${mine.body.id}/extend`, {
      minutes: 60,
    });
    expect(extend.status).toBe(409);
    expect(extend.body.error.code).toBe('already_checked_out');
    const short = await kelly.request('POST', `/api/pam/checkouts/${mine.body.id}/extend`, {
      minutes: 30,
    });
    expect(short.status).toBe(200);
  });
});
