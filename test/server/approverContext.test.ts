/**
 * What an approver decides with (issue 15, item 4): the request names the requester in full, the
 * account, host and vault; approving may grant fewer minutes than requested, and the server records
 * the granted duration (the checkout, its end, the audit trail).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CheckoutStatus } from '../../common/checkout.ts';
import { DEMO_IDS } from '../../server/demo.ts';
import { type Session, startTestServer, type TestServer } from '../support/testServer.ts';

let server: TestServer;
let kelly: Session;
let alice: Session;
beforeAll(async () => {
  server = await startTestServer();
  kelly = await server.as('kelly');
  alice = await server.as('alice');
});
afterAll(() => server.stop());

/** Each test starts with no open request of kelly's on the credential. */
const opened: string[] = [];
afterEach(async () => {
  for (const id of opened.splice(0)) {
    const got = await kelly.request('GET', `/api/pam/checkouts/${id}`);
    const status = got.body.status as CheckoutStatus;
    if (status === CheckoutStatus.Pending)
      await kelly.request('PUT', `/api/pam/checkouts/${id}`, { status: CheckoutStatus.RequestCanceled });
    if (status === CheckoutStatus.Active)
      await kelly.request('PUT', `/api/pam/checkouts/${id}`, { status: CheckoutStatus.Ended });
  }
});

async function kellyRequests(duration: number): Promise<string> {
  const created = await kelly.request('POST', '/api/pam/checkouts', {
    credentialID: DEMO_IDS.approvedCredential,
    approverID: DEMO_IDS.alice,
    reason: 'Patch night',
    duration,
  });
  expect(created.status).toBe(201);
  opened.push(created.body.id);
  return created.body.id;
}

describe('the approver’s view of a request', () => {
  it('names the requester in full, the account, the host and the vault', async () => {
    const id = await kellyRequests(120);
    const queue = await alice.request('GET', '/api/pam/checkouts?toApprove=true');
    const request = queue.body.find((checkout: { id: string }) => checkout.id === id);
    expect(request).toMatchObject({
      username: 'kelly',
      userDisplayName: 'Kelly Nguyen',
      credentialName: 'Kelly — file server admin',
      credentialUsername: 'fsadmin',
      credentialHost: 'fs01.corp.example',
      vaultName: 'Servers',
      vaultID: expect.any(String),
    });
  });
});

describe('approving for less time than requested', () => {
  it('grants the shorter duration: the checkout, its end and the audit trail say so', async () => {
    const id = await kellyRequests(240);
    const approved = await alice.request('PUT', `/api/pam/checkouts/${id}`, {
      status: CheckoutStatus.Active,
      duration: 60,
      approverMessage: 'One hour is enough',
    });
    expect(approved.status).toBe(200);
    expect(approved.body.status).toBe(CheckoutStatus.Active);
    expect(approved.body.duration).toBe(60);
    const held = Date.parse(approved.body.expiresAt) - Date.parse(approved.body.checkoutDateTime);
    expect(held).toBe(60 * 60_000);

    const seen = await kelly.request('GET', `/api/pam/checkouts/${id}`);
    expect(seen.body.duration).toBe(60);

    const admin = await server.as('admin');
    const audit = await admin.request('GET', `/api/pam/audit?credentialID=${DEMO_IDS.approvedCredential}`);
    const entry = audit.body.find(
      (row: { action: string; checkoutID: string | null }) =>
        row.action === 'checkout.approved' && row.checkoutID === id,
    );
    expect(entry.details).toBe('One hour is enough · granted 60 of 240 min');
  });

  it('keeps the requested duration when the approver sends it back (Invoke-DSPamCheckoutPending)', async () => {
    const id = await kellyRequests(90);
    const request = (await alice.request('GET', `/api/pam/checkouts/${id}`)).body;
    // The module puts the whole [PamCheckout] back, PascalCase, Status as a string, Duration unchanged.
    const approved = await alice.request('PUT', `/api/pam/checkouts/${id}`, {
      ID: request.id,
      Status: '4',
      Duration: request.duration,
      ApproverMessage: null,
    });
    expect(approved.status).toBe(200);
    expect(approved.body.duration).toBe(90);
  });

  it('refuses to lengthen the request or to go under the policy’s minimum', async () => {
    const id = await kellyRequests(60);
    const longer = await alice.request('PUT', `/api/pam/checkouts/${id}`, {
      status: CheckoutStatus.Active,
      duration: 120,
    });
    expect(longer.status).toBe(422);
    expect(longer.body.error.code).toBe('duration_out_of_bounds');
    const tooShort = await alice.request('PUT', `/api/pam/checkouts/${id}`, {
      status: CheckoutStatus.Active,
      duration: 5,
    });
    expect(tooShort.status).toBe(422);
    expect(tooShort.body.error.code).toBe('duration_out_of_bounds');
    // Still waiting, as requested.
    const still = await alice.request('GET', `/api/pam/checkouts/${id}`);
    expect(still.body).toMatchObject({ status: CheckoutStatus.Pending, duration: 60 });
  });

  it('ignores a duration sent with a check-in', async () => {
    const id = await kellyRequests(60);
    await alice.request('PUT', `/api/pam/checkouts/${id}`, { status: CheckoutStatus.Active });
    const ended = await kelly.request('PUT', `/api/pam/checkouts/${id}`, {
      status: CheckoutStatus.Ended,
      duration: 10,
    });
    expect(ended.status).toBe(200);
    expect(ended.body.duration).toBe(60);
  });
});
