import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPamBackend } from '../../client/createPamBackend.ts';
import { PamClientError } from '../../client/errors.ts';
import { CheckoutStatus } from '../../common/checkout.ts';
import { DEMO_IDS } from '../../server/demo.ts';
import { startTestServer, type TestServer } from '../support/testServer.ts';
import { caught, DEMO_PASSWORD, loggedIn } from './support.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

describe('checkout dialect: the seeds’ three scenarios', () => {
  it('bob checks out at once, gets the password, reads it again, checks in', async () => {
    const bob = await loggedIn(server, 'bob');
    expect(bob.capabilities).toEqual({
      passwordRead: true,
      serverEvents: true,
      selfApproval: true,
      extend: true,
      grantShorter: true,
      scheduledStart: true,
      approverChoice: true,
      // Learned from the first credential listing (see 'incremental sync' below).
      credentialChanges: false,
    });
    const credential = await bob.getCredential(DEMO_IDS.autoCredential);
    expect(credential.policy.approvalMode).toBe('none');

    const { checkout, password } = await bob.requestCheckout({ credentialId: DEMO_IDS.autoCredential });
    expect(checkout.status).toBe(CheckoutStatus.Active);
    expect(checkout.userID).toBe(DEMO_IDS.bob);
    expect(password).toEqual(expect.any(String));
    expect(password).toHaveLength(24);
    expect(await bob.readPassword(DEMO_IDS.autoCredential)).toBe(password);

    const mine = await bob.listMyCheckouts({ activeAndPending: true });
    expect(mine.map((c) => c.id)).toContain(checkout.id);
    expect((await bob.getCredential(DEMO_IDS.autoCredential)).checkout?.id).toBe(checkout.id);

    const ended = await bob.checkIn(checkout.id);
    expect(ended.status).toBe(CheckoutStatus.Ended);
    expect(ended.checkInDateTime).not.toBeNull();
    const after = await caught(() => bob.readPassword(DEMO_IDS.autoCredential));
    expect(after).toBeInstanceOf(PamClientError);
    expect(after.kind).toBe('forbidden');
    expect((await bob.listMyCheckouts({ activeAndPending: true })).map((c) => c.id)).not.toContain(
      checkout.id,
    );
  });

  it('maurice names himself as approver and gets the password at once', async () => {
    const maurice = await loggedIn(server, 'maurice');
    const approvers = await maurice.listApprovers(DEMO_IDS.selfApprovalCredential);
    expect(approvers.map((a) => a.id)).toContain(DEMO_IDS.maurice);

    const { checkout, password } = await maurice.requestCheckout({
      credentialId: DEMO_IDS.selfApprovalCredential,
      reason: 'Because',
      approverId: DEMO_IDS.maurice,
    });
    expect(checkout.status).toBe(CheckoutStatus.Active);
    expect(checkout.approverID).toBe(DEMO_IDS.maurice);
    expect(password).toEqual(expect.any(String));
    expect(await maurice.readPassword(DEMO_IDS.selfApprovalCredential)).toBe(password);
    expect((await maurice.checkIn(checkout.id)).status).toBe(CheckoutStatus.Ended);
  });

  it('kelly requests, alice approves with a message, kelly reads the password and checks in', async () => {
    const kelly = await loggedIn(server, 'kelly');
    const alice = await loggedIn(server, 'alice');

    const { checkout, password } = await kelly.requestCheckout({
      credentialId: DEMO_IDS.approvedCredential,
      reason: 'Disk full on fs01',
      approverId: DEMO_IDS.alice,
      duration: 30,
    });
    expect(checkout.status).toBe(CheckoutStatus.Pending);
    expect(password).toBeUndefined();
    const denied = await caught(() => kelly.readPassword(DEMO_IDS.approvedCredential));
    expect(denied.kind).toBe('forbidden');

    const queue = await alice.listToApprove();
    const row = queue.find((c) => c.id === checkout.id);
    expect(row?.reason).toBe('Disk full on fs01');
    expect(row?.username).toBe('kelly');

    const approved = await alice.approve(checkout.id, 'Go ahead, 30 minutes');
    expect(approved.status).toBe(CheckoutStatus.Active);

    const seen = await kelly.getCheckout(checkout.id);
    expect(seen.status).toBe(CheckoutStatus.Active);
    expect(seen.approverMessage).toBe('Go ahead, 30 minutes');
    expect(seen.approverID).toBe(DEMO_IDS.alice);
    expect(seen.approverName).toEqual(expect.stringMatching(/alice/i));
    expect(Date.parse(seen.expiresAt!) - Date.parse(seen.checkoutDateTime!)).toBe(30 * 60_000);

    const secret = await kelly.readPassword(DEMO_IDS.approvedCredential);
    expect(secret.length).toBeGreaterThan(0);

    const extended = await kelly.extend(checkout.id, 15);
    expect(Date.parse(extended.expiresAt!) - Date.parse(seen.expiresAt!)).toBe(15 * 60_000);

    expect((await kelly.checkIn(checkout.id)).status).toBe(CheckoutStatus.Ended);
    expect((await alice.listToApprove()).map((c) => c.id)).not.toContain(checkout.id);
  });

  it('a pending request can be canceled by its requester and denied requests stay denied', async () => {
    const kelly = await loggedIn(server, 'kelly');
    const alice = await loggedIn(server, 'alice');
    const first = await kelly.requestCheckout({
      credentialId: DEMO_IDS.approvedCredential,
      reason: 'first',
      approverId: DEMO_IDS.alice,
    });
    expect((await kelly.cancel(first.checkout.id)).status).toBe(CheckoutStatus.RequestCanceled);

    const second = await kelly.requestCheckout({
      credentialId: DEMO_IDS.approvedCredential,
      reason: 'second',
      approverId: DEMO_IDS.alice,
    });
    const denied = await alice.deny(second.checkout.id, 'Not today');
    expect(denied.status).toBe(CheckoutStatus.Denied);
    expect((await kelly.getCheckout(second.checkout.id)).approverMessage).toBe('Not today');
    const again = await caught(() => alice.approve(second.checkout.id));
    expect(again.kind).toBe('conflict');
    expect(again.code).toBe('invalid_transition');
  });
});

describe('checkout dialect: listing', () => {
  it('lists vaults and pages credentials with search and vault filters', async () => {
    const bob = await loggedIn(server, 'bob');
    const vaults = await bob.listVaults();
    expect(vaults.map((v) => v.name)).toEqual(expect.arrayContaining(['Servers', 'Domain']));

    const all = await bob.listCredentials();
    expect(all.total).toBeGreaterThanOrEqual(5);
    expect(all.data).toHaveLength(all.total);

    const page = await bob.listCredentials({ offset: 1, limit: 2 });
    expect(page.total).toBe(all.total);
    expect(page.data.map((c) => c.id)).toEqual(all.data.slice(1, 3).map((c) => c.id));

    const searched = await bob.listCredentials({ search: 'ApprovalRole' });
    expect(searched.data.map((c) => c.id)).toEqual([DEMO_IDS.mimRoleCredential]);

    const domain = vaults.find((v) => v.name === 'Domain')!;
    const inDomain = await bob.listCredentials({ vaultId: domain.id });
    expect(inDomain.data.length).toBeGreaterThan(0);
    expect(inDomain.data.every((c) => c.vaultID === domain.id)).toBe(true);
  });
});

describe('checkout dialect: audit', () => {
  it('admins read the audit trail, filtered; others are forbidden', async () => {
    const bob = await loggedIn(server, 'bob');
    const { checkout } = await bob.requestCheckout({ credentialId: DEMO_IDS.autoCredential });
    await bob.checkIn(checkout.id);
    const admin = await loggedIn(server, 'admin');
    const entries = await admin.listAudit!({ credentialId: DEMO_IDS.autoCredential, limit: 1000 });
    expect(entries.length).toBeGreaterThan(0);
    expect(entries.every((entry) => entry.credentialID === DEMO_IDS.autoCredential)).toBe(true);
    expect(entries.map((entry) => entry.action)).toEqual(
      expect.arrayContaining(['checkout.requested', 'password.read', 'checkout.checkedin']),
    );
    const error = await caught(() => bob.listAudit!());
    expect(error.kind).toBe('forbidden');
  });
});

describe('checkout dialect: session', () => {
  it('login keeps the token in the session; a backend made from it resumes; logout revokes it', async () => {
    const bob = await loggedIn(server, 'bob');
    const saved = bob.session();
    expect(saved.token).toEqual(expect.any(String));
    expect(saved.user?.username).toBe('bob');
    expect(saved.dialect).toBe('checkout');
    expect(Date.parse(saved.expiresAt!)).toBeGreaterThan(server.clock.now());

    const resumed = createPamBackend({ baseUrl: server.url, dialect: 'checkout', token: saved.token! });
    expect((await resumed.whoami()).id).toBe(DEMO_IDS.bob);

    await bob.logout();
    expect(bob.session().token).toBeNull();
    const revoked = await caught(() => resumed.whoami());
    expect(revoked.kind).toBe('unauthorized');
    const notLoggedIn = await caught(() => bob.listVaults());
    expect(notLoggedIn.kind).toBe('unauthorized');
    expect(notLoggedIn.code).toBe('not_logged_in');
  });

  it('a trailing slash in the base URL is ignored; a URL without a scheme is refused', async () => {
    const backend = createPamBackend({ baseUrl: `${server.url}/`, dialect: 'checkout' });
    await backend.login('bob', DEMO_PASSWORD);
    expect((await backend.whoami()).username).toBe('bob');
    expect(() => createPamBackend({ baseUrl: 'pam.example.com', dialect: 'checkout' })).toThrow(
      PamClientError,
    );
  });
});

describe('checkout dialect: typed errors', () => {
  it('a wrong password is refused in DVLS’s sign-in envelope, with the server’s message and never the password', async () => {
    const backend = createPamBackend({ baseUrl: server.url, dialect: 'checkout' });
    const error = await caught(() => backend.login('bob', 'wrong-password-xyz'));
    expect(error).toBeInstanceOf(PamClientError);
    expect(error.kind).toBe('unauthorized');
    // POST /api/login/partial refuses with HTTP 200, result 0 and loginResult 2.
    expect(error.code).toBe('dvls_wrong_password');
    expect(error.message).toBe('The username or password is incorrect.');
    expect(JSON.stringify(error)).not.toContain('wrong-password-xyz');
    expect(backend.session().token).toBeNull();
  });

  it('404 for unknown checkout and credential ids', async () => {
    const bob = await loggedIn(server, 'bob');
    const checkout = await caught(() => bob.getCheckout(randomUUID()));
    expect(checkout.kind).toBe('not_found');
    expect(checkout.status).toBe(404);
    const credential = await caught(() => bob.getCredential(randomUUID()));
    expect(credential.kind).toBe('not_found');
    const password = await caught(() => bob.readPassword(randomUUID()));
    expect(['not_found', 'forbidden']).toContain(password.kind);
  });

  it('400 for a malformed id', async () => {
    const bob = await loggedIn(server, 'bob');
    const error = await caught(() => bob.getCheckout('not-a-guid'));
    expect(error.kind).toBe('invalid');
    expect(error.status).toBe(400);
  });

  it('409 when an exclusive credential is already checked out', async () => {
    const bob = await loggedIn(server, 'bob');
    const kelly = await loggedIn(server, 'kelly');
    const { checkout } = await bob.requestCheckout({ credentialId: DEMO_IDS.autoCredential });
    try {
      const error = await caught(() => kelly.requestCheckout({ credentialId: DEMO_IDS.autoCredential }));
      expect(error.kind).toBe('conflict');
      expect(error.status).toBe(409);
      expect(error.code).toBe('already_checked_out');
      expect(error.message).toBe('The credential is already checked out.');
    } finally {
      await bob.checkIn(checkout.id);
    }
  });

  it('422 policy violations carry the server’s code', async () => {
    const kelly = await loggedIn(server, 'kelly');
    const alice = await loggedIn(server, 'alice');
    const cases: Array<[() => Promise<unknown>, string]> = [
      [
        () =>
          kelly.requestCheckout({ credentialId: DEMO_IDS.approvedCredential, approverId: DEMO_IDS.alice }),
        'reason_required',
      ],
      [
        () => kelly.requestCheckout({ credentialId: DEMO_IDS.approvedCredential, reason: 'x' }),
        'approver_required',
      ],
      [
        () =>
          kelly.requestCheckout({
            credentialId: DEMO_IDS.approvedCredential,
            reason: 'x',
            approverId: DEMO_IDS.bob,
          }),
        'approver_not_eligible',
      ],
      [
        () =>
          alice.requestCheckout({
            credentialId: DEMO_IDS.approvedCredential,
            reason: 'x',
            approverId: DEMO_IDS.alice,
          }),
        'self_approval_not_allowed',
      ],
      [
        () => kelly.requestCheckout({ credentialId: DEMO_IDS.autoCredential, duration: 5 }),
        'duration_out_of_bounds',
      ],
    ];
    for (const [call, code] of cases) {
      const error = await caught(call);
      expect(error, code).toBeInstanceOf(PamClientError);
      expect({ kind: error.kind, status: error.status, code: error.code }).toEqual({
        kind: 'policy',
        status: 422,
        code,
      });
      expect(error.message.length).toBeGreaterThan(0);
    }
  });

  it('403 when a requester tries to approve their own pending request', async () => {
    const kelly = await loggedIn(server, 'kelly');
    const { checkout } = await kelly.requestCheckout({
      credentialId: DEMO_IDS.approvedCredential,
      reason: 'mine',
      approverId: DEMO_IDS.alice,
    });
    try {
      const error = await caught(() => kelly.approve(checkout.id));
      expect({ kind: error.kind, status: error.status }).toEqual({ kind: 'forbidden', status: 403 });
      expect(error.message).toBe('You cannot approve or deny your own request.');
    } finally {
      await kelly.cancel(checkout.id);
    }
  });
});

describe('checkout dialect: token expiry', () => {
  it('a token is refused 8 h + 1 ms after login, as unauthorized', async () => {
    const own = await startTestServer();
    try {
      const bob = await loggedIn(own, 'bob');
      own.clock.advance(8 * 60 * 60_000 - 1);
      expect((await bob.whoami()).username).toBe('bob');
      own.clock.advance(2);
      const error = await caught(() => bob.listVaults());
      expect(error.kind).toBe('unauthorized');
      expect(error.status).toBe(401);
      expect(error.message).toMatch(/sign in again/i);
    } finally {
      await own.stop();
    }
  });
});

describe('checkout dialect: incremental sync', () => {
  const SERVERS_VAULT = 'a1000000-0000-4000-8000-000000000001';

  it('learns the capability from a listing’s syncToken, then lists changes and deletions after it', async () => {
    const bob = await loggedIn(server, 'bob');
    const admin = await server.as('admin');
    expect(bob.capabilities.credentialChanges).toBe(false);
    const listing = await bob.listCredentials({ limit: 5 });
    expect(listing.syncToken).toEqual(expect.any(Number));
    expect(bob.capabilities.credentialChanges).toBe(true);

    const created = await admin.request('POST', '/api/admin/credentials', {
      vaultID: SERVERS_VAULT,
      name: 'Adapter change',
    });
    const changes = await bob.listCredentialChanges(listing.syncToken!, 10);
    expect(changes.data.map((c) => c.id)).toEqual([created.body.id]);
    expect(changes.deleted).toEqual([]);
    expect(changes.total).toBe(1);
    expect(changes.syncToken).toBeGreaterThan(listing.syncToken!);

    await admin.request('DELETE', `/api/admin/credentials/${created.body.id}`);
    const next = await bob.listCredentialChanges(changes.syncToken);
    expect(next).toMatchObject({ data: [], deleted: [created.body.id], total: 1 });
  });

  it('a server that answers without a syncToken (older) has no changes capability', async () => {
    let olderServer = false;
    // The real server, its listings stripped of the token when `olderServer` is set.
    const transport = async (input: string | URL, init?: RequestInit): Promise<Response> => {
      const response = await fetch(input, init);
      if (!olderServer || !String(input).includes('/api/pam/credentials')) return response;
      const { syncToken: _dropped, ...body } = (await response.json()) as Record<string, unknown>;
      return new Response(JSON.stringify(body), {
        status: response.status,
        headers: { 'content-type': 'application/json' },
      });
    };
    const bob = createPamBackend({ baseUrl: server.url, dialect: 'checkout', fetch: transport });
    await bob.login('bob', DEMO_PASSWORD);
    await bob.listCredentials({ limit: 1 });
    expect(bob.capabilities.credentialChanges).toBe(true);
    olderServer = true;
    const listing = await bob.listCredentials({ limit: 1 });
    expect(listing).not.toHaveProperty('syncToken');
    expect(bob.capabilities.credentialChanges).toBe(false);
  });
});
