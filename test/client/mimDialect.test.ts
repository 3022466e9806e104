import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createPamBackend } from '../../client/createPamBackend.ts';
import { PamClientError } from '../../client/errors.ts';
import { checkoutStatusFromMim, fromMimDate, MIM_VAULT_ID } from '../../client/mimDialect.ts';
import { type Checkout, CheckoutStatus } from '../../common/checkout.ts';
import { DEMO_IDS } from '../../server/demo.ts';
import { ManualTimers } from '../support/fakes.ts';
import { startTestServer, type TestServer } from '../support/testServer.ts';
import { caught, EventCollector, localServer, loggedIn } from './support.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('MIM dialect against the reference server', () => {
  it('PRIV.Jen requests ApprovalRole, alice approves it, Jen sees it Active and closes it', async () => {
    const jen = await loggedIn(server, 'PRIV.Jen', 'mim');
    const alice = await loggedIn(server, 'alice', 'mim');
    expect(jen.capabilities).toEqual({
      passwordRead: false,
      serverEvents: false,
      selfApproval: false,
      extend: false,
      grantShorter: false,
      scheduledStart: true,
      credentialChanges: false,
      approverChoice: false,
    });
    const changes = await caught(() => jen.listCredentialChanges(0));
    expect(changes).toBeInstanceOf(PamClientError);
    expect(changes.kind).toBe('unsupported');
    // A MIM approval grants the requested TTL: no shorter grant to send.
    const shorter = await caught(() => alice.approve(DEMO_IDS.mimRoleCredential, undefined, 30));
    expect(shorter.kind).toBe('unsupported');
    expect((await jen.whoami()).username).toBe('PRIV.Jen');

    const roles = await jen.listCredentials();
    const role = roles.data.find((credential) => credential.name === 'ApprovalRole');
    expect(role).toMatchObject({ id: DEMO_IDS.mimRoleCredential, vaultID: MIM_VAULT_ID, checkout: null });
    expect(role?.policy.approvalMode).toBe('mandatory');
    expect(roles.total).toBe(roles.data.length);
    expect((await jen.listVaults()).map((vault) => vault.id)).toEqual([MIM_VAULT_ID]);
    expect((await jen.listCredentials({ search: 'approvalrole' })).data.map((c) => c.id)).toEqual([
      DEMO_IDS.mimRoleCredential,
    ]);

    const { checkout, password } = await jen.requestCheckout({
      credentialId: DEMO_IDS.mimRoleCredential,
      reason: 'Justification Reason',
      duration: 60,
    });
    expect(password).toBeUndefined();
    expect(checkout).toMatchObject({
      userID: DEMO_IDS.jen,
      username: 'PRIV.Jen',
      credentialID: DEMO_IDS.mimRoleCredential,
      credentialName: 'ApprovalRole',
      reason: 'Justification Reason',
      status: CheckoutStatus.Pending,
      duration: 60,
      expiresAt: null,
    });
    expect((await jen.getCredential(DEMO_IDS.mimRoleCredential)).checkout?.id).toBe(checkout.id);

    const queue = await alice.listToApprove();
    const row = queue.find((candidate) => candidate.id === checkout.id);
    expect(row).toMatchObject({
      userID: DEMO_IDS.jen,
      username: 'PRIV.Jen',
      credentialID: DEMO_IDS.mimRoleCredential,
      credentialName: 'ApprovalRole',
      reason: 'Justification Reason',
      duration: 60,
      status: CheckoutStatus.Pending,
    });

    const approved = await alice.approve(checkout.id);
    expect(approved.id).toBe(checkout.id);
    expect(approved.status).toBe(CheckoutStatus.Active);
    expect((await alice.listToApprove()).map((c) => c.id)).not.toContain(checkout.id);

    const active = await jen.getCheckout(checkout.id);
    expect(active.status).toBe(CheckoutStatus.Active);
    expect(Date.parse(active.expiresAt!) - Date.parse(active.checkoutDateTime!)).toBe(60 * 60_000);
    expect((await jen.listMyCheckouts({ activeAndPending: true })).map((c) => c.id)).toContain(checkout.id);

    const unsupported = await caught(() => jen.readPassword(DEMO_IDS.mimRoleCredential));
    expect(unsupported).toBeInstanceOf(PamClientError);
    expect(unsupported.kind).toBe('unsupported');
    expect((await caught(() => jen.extend(checkout.id, 10))).kind).toBe('unsupported');

    const closed = await jen.checkIn(checkout.id);
    expect(closed.status).toBe(CheckoutStatus.Ended);
    expect(closed.checkInDateTime).not.toBeNull();
    expect((await jen.listMyCheckouts({ activeAndPending: true })).map((c) => c.id)).not.toContain(
      checkout.id,
    );
    expect((await jen.listMyCheckouts()).map((c) => c.id)).toContain(checkout.id);

    const again = await caught(() => jen.checkIn(checkout.id));
    expect(again.kind).toBe('conflict');
    expect(again.code).toBe('invalid_transition');
    expect(again.message).toMatch(/Closed/);
  });

  it('a rejected request reads as Denied; a pending one can be canceled', async () => {
    const jen = await loggedIn(server, 'PRIV.Jen', 'mim');
    const alice = await loggedIn(server, 'alice', 'mim');
    const first = await jen.requestCheckout({
      credentialId: DEMO_IDS.mimRoleCredential,
      reason: 'one',
      duration: 30,
    });
    expect((await alice.deny(first.checkout.id)).status).toBe(CheckoutStatus.Denied);
    expect((await jen.getCheckout(first.checkout.id)).status).toBe(CheckoutStatus.Denied);

    const second = await jen.requestCheckout({
      credentialId: DEMO_IDS.mimRoleCredential,
      reason: 'two',
      duration: 30,
    });
    expect((await jen.cancel(second.checkout.id)).status).toBe(CheckoutStatus.Ended);
    expect((await alice.listToApprove()).map((c) => c.id)).not.toContain(second.checkout.id);
  });

  it('polling delivers alice’s approval to Jen as checkout.updated', async () => {
    const jen = await loggedIn(server, 'PRIV.Jen', 'mim');
    const alice = await loggedIn(server, 'alice', 'mim');
    const { checkout } = await jen.requestCheckout({
      credentialId: DEMO_IDS.mimRoleCredential,
      reason: 'polled',
      duration: 30,
    });
    cleanups.push(() => jen.checkIn(checkout.id).catch(() => undefined));

    const manual = new ManualTimers();
    const collector = new EventCollector();
    cleanups.push(jen.subscribe(collector.listener, { timers: manual.timers, pollIntervalMs: 2000 }));
    await manual.waitPending(); // the baseline poll is over
    expect(collector.events).toEqual([]);

    await alice.approve(checkout.id);
    await manual.fire((ms) => ms === 2000);
    const event = await collector.waitFor(
      (e) => e.type === 'checkout.updated' && (e.data as Checkout).id === checkout.id,
    );
    expect((event.data as Checkout).status).toBe(CheckoutStatus.Active);
    expect(() => jen.subscribe(() => undefined, { mode: 'sse' })).toThrow(PamClientError);
  });

  it('typed errors: unknown ids, naming an approver, a wrong password, a policy violation', async () => {
    const jen = await loggedIn(server, 'PRIV.Jen', 'mim');
    expect((await caught(() => jen.getCheckout(randomUUID()))).kind).toBe('not_found');
    expect((await caught(() => jen.getCredential(randomUUID()))).kind).toBe('not_found');
    expect((await caught(() => jen.approve(randomUUID()))).kind).toBe('not_found');
    const approver = await caught(() =>
      jen.requestCheckout({
        credentialId: DEMO_IDS.mimRoleCredential,
        reason: 'x',
        approverId: DEMO_IDS.alice,
      }),
    );
    expect(approver.kind).toBe('unsupported');
    // PostgreSQL superuser: its Coffre policy makes a justification mandatory (MIM roles have none).
    const policy = await caught(() =>
      jen.requestCheckout({ credentialId: 'c2000000-0000-4000-8000-000000000004', duration: 30 }),
    );
    expect({ kind: policy.kind, code: policy.code }).toEqual({ kind: 'policy', code: 'reason_required' });
    expect(policy.message).toMatch(/Justification/);

    const anonymous = createPamBackend({ baseUrl: server.url, dialect: 'mim' });
    expect((await caught(() => anonymous.login('PRIV.Jen', 'nope-nope'))).kind).toBe('unauthorized');
  });
});

describe('MIM sign-in as IIS offers it: HTTP Basic on every call', () => {
  it('signs in with DOMAIN\\user and a password, works, and forgets them at logout', async () => {
    const requests: Array<{ url: string; authorization: string | null; tokenId: string | null }> = [];
    const recording = (input: string | URL, init?: RequestInit) => {
      const headers = new Headers(init?.headers);
      requests.push({
        url: String(input),
        authorization: headers.get('authorization'),
        tokenId: headers.get('tokenid'),
      });
      return fetch(input, init);
    };
    const jen = createPamBackend({ baseUrl: server.url, dialect: 'mim', signIn: 'basic', fetch: recording });
    const { user } = await jen.login('COFFRE\\PRIV.Jen', 'coffre-demo');
    expect(user.username).toBe('COFFRE\\PRIV.Jen');
    expect(jen.session()).toMatchObject({ signIn: 'basic', dialect: 'mim' });
    const roles = await jen.listCredentials();
    expect(roles.data.some((role) => role.id === DEMO_IDS.mimOpenRoleCredential)).toBe(true);
    const { checkout } = await jen.requestCheckout({
      credentialId: DEMO_IDS.mimOpenRoleCredential,
      duration: 20,
    });
    expect(checkout.status).toBe(CheckoutStatus.Active);
    await jen.checkIn(checkout.id);
    // No Coffre login, no token: the Basic credentials on every call.
    expect(requests.some((r) => r.url.includes('/api/auth/'))).toBe(false);
    const expected = `Basic ${Buffer.from('COFFRE\\PRIV.Jen:coffre-demo').toString('base64')}`;
    expect(requests.every((r) => r.authorization === expected && r.tokenId === null)).toBe(true);

    await jen.logout();
    expect(jen.session().token).toBeNull();
    expect((await caught(() => jen.listCredentials())).kind).toBe('unauthorized');
  });

  it("knows its own requests though sessioninfo gives no id: they carry the session user's id", async () => {
    const jen = createPamBackend({ baseUrl: server.url, dialect: 'mim', signIn: 'basic' });
    const { user } = await jen.login('COFFRE\\PRIV.Jen', 'coffre-demo');
    // sessioninfo names the account only; anyone may own a role, so the approvals queue is offered.
    expect(user).toMatchObject({ username: 'COFFRE\\PRIV.Jen', roles: ['user', 'approver'] });
    const { checkout } = await jen.requestCheckout({ credentialId: DEMO_IDS.mimRoleCredential, reason: 'x' });
    expect(checkout).toMatchObject({ userID: user.id, username: 'COFFRE\\PRIV.Jen' });
    expect(new Set((await jen.listMyCheckouts()).map((c) => c.userID))).toEqual(new Set([user.id]));
    const role = await jen.getCredential(DEMO_IDS.mimRoleCredential);
    expect(role.checkout).toMatchObject({ id: checkout.id, userID: user.id });

    // alice, one of the role's approvers, sees Jen's request as Jen's, not as her own.
    const alice = createPamBackend({ baseUrl: server.url, dialect: 'mim', signIn: 'basic' });
    const me = (await alice.login('alice', 'coffre-demo')).user;
    const [toApprove] = await alice.listToApprove();
    expect(toApprove).toMatchObject({ id: checkout.id, userID: DEMO_IDS.jen, approverID: me.id });
    expect(toApprove?.userID).not.toBe(me.id);
    await jen.cancel(checkout.id);
  });

  it('a wrong password is refused at sign-in, and nothing is kept', async () => {
    const jen = createPamBackend({ baseUrl: server.url, dialect: 'mim', signIn: 'basic' });
    expect((await caught(() => jen.login('PRIV.Jen', 'wrong-password'))).kind).toBe('unauthorized');
    expect(jen.session().token).toBeNull();
  });

  it('the checkout dialect takes no Basic or Windows sign-in', () => {
    expect(() => createPamBackend({ baseUrl: server.url, dialect: 'checkout', signIn: 'basic' })).toThrow(
      PamClientError,
    );
  });
});

describe('MIM wire forms', () => {
  it('reads dates with and without a zone, and the unset date', () => {
    expect(fromMimDate('2015-07-11T22:24:52.51Z')).toBe('2015-07-11T22:24:52.510Z');
    expect(fromMimDate('2015-07-11T22:25:00')).toBe('2015-07-11T22:25:00.000Z');
    expect(fromMimDate('0001-01-01T00:00:00')).toBeNull();
    expect(fromMimDate(null)).toBeNull();
  });

  it('maps every RequestStatus name', () => {
    expect(
      ['PendingApproval', 'Scheduled', 'Active', 'Closed', 'Expired', 'Rejected', 'Processing', 'Weird'].map(
        checkoutStatusFromMim,
      ),
    ).toEqual([
      CheckoutStatus.Pending,
      CheckoutStatus.Granted,
      CheckoutStatus.Active,
      CheckoutStatus.Ended,
      CheckoutStatus.Expired,
      CheckoutStatus.Denied,
      CheckoutStatus.Pending,
      CheckoutStatus.Invalid,
    ]);
  });

  it('reads seed 002’s pending-approval body verbatim', async () => {
    const seed = {
      'odata.metadata': 'http://localhost:8086/api/pamresources/%24metadata#pamrequeststoapprove',
      value: [
        {
          RoleName: 'ApprovalRole',
          Requestor: 'PRIV.Jen',
          Justification: 'Justification Reason',
          RequestedTTL: '3600',
          RequestedTime: '2015-07-11T22:25:00Z',
          CreationTime: '2015-07-11T22:24:52.51Z',
          FIMRequestID: { Value: '9802d7b7-b4e9-4fe4-8f5c-649cda127e49' },
          RequestorID: { Value: '73257e5e-00b3-4309-a330-f1e607ff113a' },
          ApprovalObjectID: { Value: '5dbd9d0c-0a9d-4f75-8cbd-ff6ffdc00143' },
        },
      ],
    };
    const fake = await localServer((request, response) => {
      if (request.url?.startsWith('/api/pamresources/pamrequeststoapprove(')) {
        response.writeHead(200).end();
      } else if (request.url?.startsWith('/api/pamresources/pamrequeststoapprove')) {
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(seed));
      } else if (request.url?.startsWith('/api/pamresources/pamroles')) {
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ value: [] }));
      } else {
        response.writeHead(404, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            'odata.error': { code: 'not_found', message: { lang: 'en-US', value: 'Nope.' } },
          }),
        );
      }
    });
    cleanups.push(() => fake.close());
    const alice = createPamBackend({ baseUrl: fake.url, dialect: 'mim', token: 't' });
    const [row] = await alice.listToApprove();
    expect(row).toMatchObject({
      id: '9802d7b7-b4e9-4fe4-8f5c-649cda127e49',
      userID: '73257e5e-00b3-4309-a330-f1e607ff113a',
      username: 'PRIV.Jen',
      credentialName: 'ApprovalRole',
      duration: 60,
      requestDateTime: '2015-07-11T22:24:52.510Z',
      scheduledStart: '2015-07-11T22:25:00.000Z',
      status: CheckoutStatus.Pending,
    });
    const approved = await alice.approve(row!.id);
    expect(approved.status).toBe(CheckoutStatus.Active);
    expect(fake.hits.map((hit) => `${hit.method} ${hit.url}`)).toContain(
      "POST /api/pamresources/pamrequeststoapprove(guid'5dbd9d0c-0a9d-4f75-8cbd-ff6ffdc00143')/Approve",
    );
  });
});
