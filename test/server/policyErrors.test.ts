import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckoutStatus } from '../../common/checkout.ts';
import { DEMO_IDS } from '../../server/demo.ts';
import { startTestServer, type TestServer } from '../support/testServer.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

describe('policy violations answer 422 with a code', () => {
  it('approver missing on a mandatory-approval credential', async () => {
    const kelly = await server.as('kelly');
    const response = await kelly.request('POST', '/api/pam/checkouts', {
      credentialID: DEMO_IDS.approvedCredential,
      reason: 'x',
    });
    expect(response.status).toBe(422);
    expect(response.body.error.code).toBe('approver_required');
  });

  it('reason missing where mandatory', async () => {
    const kelly = await server.as('kelly');
    const response = await kelly.request('POST', '/api/pam/checkouts', {
      credentialID: DEMO_IDS.approvedCredential,
      approverID: DEMO_IDS.alice,
      reason: '   ',
    });
    expect(response.status).toBe(422);
    expect(response.body.error.code).toBe('reason_required');
  });

  it('approver not eligible', async () => {
    const kelly = await server.as('kelly');
    const response = await kelly.request('POST', '/api/pam/checkouts', {
      credentialID: DEMO_IDS.approvedCredential,
      approverID: DEMO_IDS.maurice,
      reason: 'x',
    });
    expect(response.status).toBe(422);
    expect(response.body.error.code).toBe('approver_not_eligible');
  });

  it('self-approval where the policy does not allow it', async () => {
    const alice = await server.as('alice');
    const response = await alice.request('POST', '/api/pam/checkouts', {
      credentialID: DEMO_IDS.approvedCredential,
      approverID: DEMO_IDS.alice,
      reason: 'x',
    });
    expect(response.status).toBe(422);
    expect(response.body.error.code).toBe('self_approval_not_allowed');
  });

  it.each([5, 481])('duration %i outside 10–480 minutes', async (duration) => {
    const bob = await server.as('bob');
    const response = await bob.request('POST', '/api/pam/checkouts', {
      credentialID: DEMO_IDS.autoCredential,
      duration,
    });
    expect(response.status).toBe(422);
    expect(response.body.error.code).toBe('duration_out_of_bounds');
    expect(response.body.error.message).toContain('between 10 and 480');
  });

  it('extension beyond maxExtension', async () => {
    const bob = await server.as('bob');
    const created = await bob.request('POST', '/api/pam/checkouts', {
      credentialID: DEMO_IDS.autoCredential,
    });
    const id = created.body.id;
    const ok = await bob.request('POST', `/api/pam/checkouts/${id}/extend`, { minutes: 200 });
    expect(ok.status).toBe(200);
    expect(Date.parse(ok.body.expiresAt) - Date.parse(created.body.expiresAt)).toBe(200 * 60_000);
    const tooMuch = await bob.request('POST', `/api/pam/checkouts/${id}/extend`, { minutes: 41 });
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body.error.code).toBe('extension_out_of_bounds');
    expect(tooMuch.body.error.message).toContain('40 more minutes');
    await bob.request('PUT', `/api/pam/checkouts/${id}`, { status: CheckoutStatus.Ended });
  });
});

describe('state conflicts answer 409', () => {
  it('a second user on an exclusive credential gets “already checked out”', async () => {
    const bob = await server.as('bob');
    const kelly = await server.as('kelly');
    const held = await bob.request('POST', '/api/pam/checkouts', { credentialID: DEMO_IDS.autoCredential });
    const second = await kelly.request('POST', '/api/pam/checkouts', {
      credentialID: DEMO_IDS.autoCredential,
    });
    expect(second.status).toBe(409);
    expect(second.body.error).toEqual({
      code: 'already_checked_out',
      message: 'The credential is already checked out.',
    });
    const listed = await kelly.request('GET', `/api/pam/credentials/${DEMO_IDS.autoCredential}`);
    expect(listed.body.checkout).toMatchObject({ userID: bob.userId, status: CheckoutStatus.Active });
    await bob.request('PUT', `/api/pam/checkouts/${held.body.id}`, { status: CheckoutStatus.Ended });
  });

  it('a 409 names the checkout that holds the credential to whoever may see it, and to no one else', async () => {
    const bob = await server.as('bob');
    const kelly = await server.as('kelly');
    const admin = await server.as('admin');
    const held = await bob.request('POST', '/api/pam/checkouts', { credentialID: DEMO_IDS.autoCredential });
    expect(held.status).toBe(201);
    const id = held.body.id as string;
    // The holder's own second try: the checkout to check in (or to use) is named.
    const again = await bob.request('POST', '/api/pam/checkouts', { credentialID: DEMO_IDS.autoCredential });
    expect(again.status).toBe(409);
    expect(again.body.error).toEqual({
      code: 'conflict',
      message: `You already have an open checkout or request (id ${id}) on this credential.`,
      details: { checkoutId: id },
    });
    // An administrator may see every checkout.
    const byAdmin = await admin.request('POST', '/api/pam/checkouts', {
      credentialID: DEMO_IDS.autoCredential,
    });
    expect(byAdmin.status).toBe(409);
    expect(byAdmin.body.error).toEqual({
      code: 'already_checked_out',
      message: `The credential is already checked out (checkout ${id}).`,
      details: { checkoutId: id },
    });
    // kelly may not see bob's checkout: nothing about it in the refusal.
    const byKelly = await kelly.request('POST', '/api/pam/checkouts', {
      credentialID: DEMO_IDS.autoCredential,
    });
    expect(byKelly.status).toBe(409);
    expect(byKelly.body.error).toEqual({
      code: 'already_checked_out',
      message: 'The credential is already checked out.',
    });
    expect(byKelly.text).not.toContain(id);
    await bob.request('PUT', `/api/pam/checkouts/${id}`, { status: CheckoutStatus.Ended });
  });

  it('a pending request is named to its requester too', async () => {
    const kelly = await server.as('kelly');
    const pending = await kelly.request('POST', '/api/pam/checkouts', {
      credentialID: DEMO_IDS.approvedCredential,
      approverID: DEMO_IDS.alice,
      reason: 'patching',
    });
    expect(pending.status).toBe(201);
    const id = pending.body.id as string;
    const again = await kelly.request('POST', '/api/pam/checkouts', {
      credentialID: DEMO_IDS.approvedCredential,
      approverID: DEMO_IDS.alice,
      reason: 'patching',
    });
    expect(again.status).toBe(409);
    expect(again.body.error.details).toEqual({ checkoutId: id });
    await kelly.request('PUT', `/api/pam/checkouts/${id}`, { status: CheckoutStatus.RequestCanceled });
  });

  it('a non-exclusive credential lets two users hold it', async () => {
    const oracle = 'c2000000-0000-4000-8000-000000000006';
    const bob = await server.as('bob');
    const kelly = await server.as('kelly');
    const a = await bob.request('POST', '/api/pam/checkouts', { credentialID: oracle });
    const b = await kelly.request('POST', '/api/pam/checkouts', { credentialID: oracle });
    expect([a.status, b.status]).toEqual([201, 201]);
    await bob.request('PUT', `/api/pam/checkouts/${a.body.id}`, { status: CheckoutStatus.Ended });
    await kelly.request('PUT', `/api/pam/checkouts/${b.body.id}`, { status: CheckoutStatus.Ended });
  });

  it('transitions outside the table: checking in twice, approving an ended checkout, status 9', async () => {
    const bob = await server.as('bob');
    const created = await bob.request('POST', '/api/pam/checkouts', {
      credentialID: DEMO_IDS.autoCredential,
    });
    const url = `/api/pam/checkouts/${created.body.id}`;
    expect((await bob.request('PUT', url, { status: CheckoutStatus.Initial })).status).toBe(409);
    expect((await bob.request('PUT', url, { status: CheckoutStatus.RequestCanceled })).status).toBe(409);
    expect((await bob.request('PUT', url, { status: CheckoutStatus.Ended })).status).toBe(200);
    const twice = await bob.request('PUT', url, { status: CheckoutStatus.Ended });
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('invalid_transition');
  });

  it('cancel a pending request; the approver can no longer approve it', async () => {
    const kelly = await server.as('kelly');
    const alice = await server.as('alice');
    const created = await kelly.request('POST', '/api/pam/checkouts', {
      credentialID: DEMO_IDS.approvedCredential,
      approverID: DEMO_IDS.alice,
      reason: 'r',
    });
    const url = `/api/pam/checkouts/${created.body.id}`;
    const canceled = await kelly.request('PUT', url, { status: CheckoutStatus.RequestCanceled });
    expect(canceled.body.status).toBe(CheckoutStatus.RequestCanceled);
    expect((await alice.request('PUT', url, { status: CheckoutStatus.Active })).status).toBe(409);
  });
});

describe('bad input answers 4xx in the dialect’s shape, never 5xx', () => {
  const cases: Array<[string, string, string, unknown, Record<string, string>?]> = [
    ['malformed JSON', 'POST', '/api/pam/checkouts', '{"credentialID":', undefined],
    ['wrong type', 'POST', '/api/pam/checkouts', { credentialID: 42 }, undefined],
    [
      'negative duration',
      'POST',
      '/api/pam/checkouts',
      { credentialID: DEMO_IDS.autoCredential, duration: -1 },
      undefined,
    ],
    [
      'string duration',
      'POST',
      '/api/pam/checkouts',
      { credentialID: DEMO_IDS.autoCredential, duration: '10' },
      undefined,
    ],
    ['bad id in path', 'GET', '/api/pam/checkouts/not-a-guid', undefined, undefined],
    [
      'bad status',
      'PUT',
      '/api/pam/checkouts/92e1d27f-6e7b-4c62-86da-a04fc22603c2',
      { status: 42 },
      undefined,
    ],
    ['bad limit', 'GET', '/api/pam/credentials?limit=-4', undefined, undefined],
    ['bad flag', 'GET', '/api/pam/checkouts?activeAndPending=maybe', undefined, undefined],
    ['text body', 'POST', '/api/pam/checkouts', 'hello', { 'content-type': 'text/plain' }],
    [
      'huge body',
      'POST',
      '/api/pam/checkouts',
      { credentialID: DEMO_IDS.autoCredential, reason: 'x'.repeat(100_000) },
      undefined,
    ],
  ];
  it.each(cases)('%s', async (_name, method, url, body, headers) => {
    const bob = await server.as('bob');
    const response = await bob.request(method, url, body, headers);
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(response.body.error.code).toEqual(expect.any(String));
    expect(response.body.error.message).not.toMatch(/at .*\.ts:\d+/);
  });

  it('unknown ids answer 404', async () => {
    const bob = await server.as('bob');
    const unknown = '11111111-2222-4333-8444-555555555555';
    for (const url of [
      `/api/pam/checkouts/${unknown}`,
      `/api/pam/credentials/${unknown}`,
      `/api/pam/passwords/${unknown}`,
    ]) {
      const response = await bob.request('GET', url);
      expect(response.status, url).toBe(404);
      expect(response.body.error.code).toBe('not_found');
    }
    const create = await bob.request('POST', '/api/pam/checkouts', { credentialID: unknown });
    expect(create.status).toBe(404);
  });

  it('GUIDs in upper case are accepted and answered in lower case', async () => {
    const bob = await server.as('bob');
    const response = await bob.request(
      'GET',
      `/api/pam/credentials/${DEMO_IDS.autoCredential.toUpperCase()}`,
    );
    expect(response.status).toBe(200);
    expect(response.body.id).toBe(DEMO_IDS.autoCredential);
  });
});
