import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckoutStatus } from '../../common/checkout.ts';
import { DEMO_IDS } from '../../server/demo.ts';
import { openSseStream } from '../support/sseStream.ts';
import { startTestServer, type TestServer } from '../support/testServer.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

/** Opens the caller's event stream on this file's server. */
const openStream = (token: string, lastEventId?: number) => openSseStream(server.url, token, lastEventId);

describe('Server-Sent Events', () => {
  it('the named approver is told of a new request, and the requester of the decision', async () => {
    const alice = await server.as('alice');
    const kelly = await server.as('kelly');
    const aliceStream = await openStream(alice.token);
    const kellyStream = await openStream(kelly.token);
    const created = await kelly.request('POST', '/api/pam/checkouts', {
      credentialID: DEMO_IDS.approvedCredential,
      approverID: DEMO_IDS.alice,
      reason: 'patching',
    });
    const [createdEvent] = await aliceStream.waitFor(1);
    expect(createdEvent!.event).toBe('checkout.created');
    expect(createdEvent!.data).toMatchObject({
      id: created.body.id,
      status: CheckoutStatus.Pending,
      reason: 'patching',
    });
    expect(JSON.stringify(createdEvent!.data)).not.toMatch(/password/i);

    await alice.request('PUT', `/api/pam/checkouts/${created.body.id}`, {
      status: CheckoutStatus.Active,
    });
    const kellyMessages = await kellyStream.waitFor(2);
    expect(kellyMessages.map((m) => m.event)).toEqual(['checkout.created', 'checkout.updated']);
    expect(kellyMessages[1]!.data.status).toBe(CheckoutStatus.Active);
    aliceStream.close();
    kellyStream.close();
    await kelly.request('PUT', `/api/pam/checkouts/${created.body.id}`, {
      status: CheckoutStatus.Ended,
    });
  });

  it('other users receive nothing of it', async () => {
    const bob = await server.as('bob');
    const bobStream = await openStream(bob.token);
    const kelly = await server.as('kelly');
    const created = await kelly.request('POST', '/api/pam/checkouts', {
      credentialID: DEMO_IDS.approvedCredential,
      approverID: DEMO_IDS.alice,
      reason: 'x',
    });
    // bob's own event arrives; kelly's never does (it would have come first).
    const own = await bob.request('POST', '/api/pam/checkouts', { credentialID: DEMO_IDS.autoCredential });
    const [first] = await bobStream.waitFor(1);
    expect(first!.data.id).toBe(own.body.id);
    bobStream.close();
    await kelly.request('PUT', `/api/pam/checkouts/${created.body.id}`, {
      status: CheckoutStatus.RequestCanceled,
    });
    await bob.request('PUT', `/api/pam/checkouts/${own.body.id}`, { status: CheckoutStatus.Ended });
  });

  it('Last-Event-ID replays exactly the events missed while disconnected', async () => {
    const bob = await server.as('bob');
    const first = await openStream(bob.token);
    const a = await bob.request('POST', '/api/pam/checkouts', { credentialID: DEMO_IDS.autoCredential });
    const [seen] = await first.waitFor(1);
    first.close();
    // While disconnected: check-in, then a new checkout.
    await bob.request('PUT', `/api/pam/checkouts/${a.body.id}`, { status: CheckoutStatus.Ended });
    const b = await bob.request('POST', '/api/pam/checkouts', { credentialID: DEMO_IDS.autoCredential });
    const resumed = await openStream(bob.token, seen!.id);
    const replay = await resumed.waitFor(3);
    const checkoutEvents = replay.filter((m) => m.event.startsWith('checkout.'));
    expect(checkoutEvents.map((m) => [m.event, m.data.id])).toEqual([
      ['checkout.updated', a.body.id],
      ['checkout.created', b.body.id],
    ]);
    expect(replay.some((m) => m.event === 'credential.rotated')).toBe(true);
    expect(replay.every((m) => m.id > seen!.id)).toBe(true);
    // Live events keep coming after the replay, without duplicates.
    await bob.request('PUT', `/api/pam/checkouts/${b.body.id}`, { status: CheckoutStatus.Ended });
    const all = await resumed.waitFor(5);
    const ids = all.map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    resumed.close();
  });

  it('without a token the stream is refused with 401', async () => {
    const response = await fetch(`${server.url}/api/events`);
    expect(response.status).toBe(401);
  });
});
