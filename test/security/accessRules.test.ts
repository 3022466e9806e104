/**
 * Access-control rules that only a fuzz property (test/fuzz/httpFuzz.test.ts, property 5, from its
 * seed) exercised: each gets an example here, so that loosening it fails a named test.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckoutStatus } from '../../common/checkout.ts';
import { DEMO_IDS } from '../../server/demo.ts';
import { approvalObjectId } from '../../server/mim/mimMapping.ts';
import { type Session, startTestServer, type TestServer } from '../support/testServer.ts';

const MIM = '/api/pamresources';
let server: TestServer;
let admin: Session;
let alice: Session;
let kelly: Session;
let bob: Session;
let jen: Session;

beforeAll(async () => {
  server = await startTestServer({ logLevel: 'warn' });
  admin = await server.as('admin');
  alice = await server.as('alice');
  kelly = await server.as('kelly');
  bob = await server.as('bob');
  jen = await server.as('PRIV.Jen');
});
afterAll(() => server.stop());

describe('access rules with an example each', () => {
  it('a MIM requester cannot approve or reject their own request (403, not a decision)', async () => {
    const created = await jen.request('POST', `${MIM}/pamrequests`, {
      RoleId: DEMO_IDS.mimRoleCredential,
      Justification: 'own approval',
      RequestedTTL: '3600',
    });
    expect(created.status).toBe(201);
    const id = created.body.RequestId ?? created.body.ObjectID?.Value ?? created.body.ObjectID;
    const requestId = typeof id === 'string' ? id : id.Value;
    for (const action of ['Approve', 'Reject']) {
      const answer = await jen.request(
        'POST',
        `${MIM}/pamrequeststoapprove(guid'${approvalObjectId(requestId)}')/${action}`,
      );
      expect(answer.status).toBe(403);
    }
    const still = await jen.request('GET', `/api/pam/checkouts/${requestId}`);
    expect(still.body.status).toBe(CheckoutStatus.Pending);
    await jen.request('POST', `${MIM}/pamrequests(guid'${requestId}')/Close`);
  });

  it('an administrator aborts only open checkouts: an ended or denied one answers 409', async () => {
    const active = await bob.request('POST', '/api/pam/checkouts', { credentialID: DEMO_IDS.autoCredential });
    expect(active.status).toBe(201);
    const id = active.body.id;
    expect(
      (await bob.request('PUT', `/api/pam/checkouts/${id}`, { status: CheckoutStatus.Ended })).status,
    ).toBe(200);
    const abortEnded = await admin.request('PUT', `/api/pam/checkouts/${id}`, {
      status: CheckoutStatus.Aborted,
    });
    expect(abortEnded.status).toBe(409);
    expect(abortEnded.body.error.code).toBe('invalid_transition');

    const pending = await kelly.request('POST', '/api/pam/checkouts', {
      credentialID: DEMO_IDS.approvedCredential,
      approverID: DEMO_IDS.alice,
      reason: 'to be denied',
    });
    const pendingId = pending.body.id;
    expect(
      (await alice.request('PUT', `/api/pam/checkouts/${pendingId}`, { status: CheckoutStatus.Denied }))
        .status,
    ).toBe(200);
    expect(
      (await admin.request('PUT', `/api/pam/checkouts/${pendingId}`, { status: CheckoutStatus.Aborted }))
        .status,
    ).toBe(409);
  });

  it('a pending request cannot be extended: by its approver (403) nor by its requester (409)', async () => {
    const pending = await kelly.request('POST', '/api/pam/checkouts', {
      credentialID: DEMO_IDS.approvedCredential,
      approverID: DEMO_IDS.alice,
      reason: 'extension check',
    });
    const id = pending.body.id;
    expect((await alice.request('POST', `/api/pam/checkouts/${id}/extend`, { minutes: 10 })).status).toBe(
      403,
    );
    const own = await kelly.request('POST', `/api/pam/checkouts/${id}/extend`, { minutes: 10 });
    expect(own.status).toBe(409);
    expect(own.body.error.code).toBe('invalid_transition');
    await kelly.request('PUT', `/api/pam/checkouts/${id}`, { status: CheckoutStatus.RequestCanceled });
  });
});
