/**
 * The seeds' three examples over HTTP (/work/shared/seeds), as one suite run against one node
 * (test/server/seedScenarios.test.ts, both stores) and against two nodes on one PostgreSQL with
 * the requests spread over them (test/cluster/seedScenarios.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { CheckoutStatus } from '../../common/checkout.ts';
import { DEMO_IDS } from '../../server/demo.ts';
import type { Session } from '../support/testServer.ts';

export function describeSeedScenarios(title: string, as: (username: string) => Promise<Session>): void {
  describe(title, () => {
    it('example 1: bob checks out at once, reads the password, checks in; the password rotates', async () => {
      const bob = await as('bob');
      const created = await bob.request('POST', '/api/pam/checkouts', {
        credentialID: DEMO_IDS.autoCredential,
      });
      expect(created.status).toBe(201);
      expect(created.body.status).toBe(CheckoutStatus.Active);
      expect(created.body.duration).toBe(120);
      // DVLS answers the checkout itself; the password is read apart (Invoke-DSPamCheckout).
      expect(created.body.password).toBeUndefined();
      const expires = Date.parse(created.body.expiresAt) - Date.parse(created.body.checkoutDateTime);
      expect(expires).toBe(120 * 60_000);

      const read = await bob.request('GET', `/api/pam/passwords/${DEMO_IDS.autoCredential}`);
      expect(read.status).toBe(200);
      expect(read.body).toEqual({ data: expect.any(String), result: 1 });
      expect(read.body.data.length).toBe(24);

      const checkin = await bob.request('PUT', `/api/pam/checkouts/${created.body.id}`, {
        status: CheckoutStatus.Ended,
      });
      expect(checkin.status).toBe(200);
      expect(checkin.body.status).toBe(CheckoutStatus.Ended);
      expect(checkin.body.checkInDateTime).not.toBeNull();

      const after = await bob.request('GET', `/api/pam/passwords/${DEMO_IDS.autoCredential}`);
      expect(after.status).toBe(403);

      const again = await bob.request('POST', '/api/pam/checkouts', {
        credentialID: DEMO_IDS.autoCredential,
      });
      expect(again.status).toBe(201);
      const reread = await bob.request('GET', `/api/pam/passwords/${DEMO_IDS.autoCredential}`);
      expect(reread.body.data).not.toBe(read.body.data);
      await bob.request('PUT', `/api/pam/checkouts/${again.body.id}`, {
        status: CheckoutStatus.Ended,
      });
    });

    it('example 2: maurice names himself as approver and gets the password at once', async () => {
      const maurice = await as('maurice');
      const created = await maurice.request('POST', '/api/pam/checkouts', {
        credentialID: DEMO_IDS.selfApprovalCredential,
        reason: 'Because',
        approverID: DEMO_IDS.maurice,
      });
      expect(created.status).toBe(201);
      expect(created.body.status).toBe(CheckoutStatus.Active);
      expect(created.body.approverID).toBe(DEMO_IDS.maurice);
      const read = await maurice.request('GET', `/api/pam/passwords/${DEMO_IDS.selfApprovalCredential}`);
      expect(read.body.data).toEqual(expect.any(String));
      const checkin = await maurice.request('PUT', `/api/pam/checkouts/${created.body.id}`, {
        status: CheckoutStatus.Ended,
      });
      expect(checkin.body.status).toBe(CheckoutStatus.Ended);
    });

    it('example 3: kelly waits, alice approves, kelly reads the password and checks in', async () => {
      const kelly = await as('kelly');
      const alice = await as('alice');
      const created = await kelly.request('POST', '/api/pam/checkouts', {
        credentialID: DEMO_IDS.approvedCredential,
        approverID: DEMO_IDS.alice,
        reason: 'Because',
      });
      expect(created.status).toBe(201);
      expect(created.body.status).toBe(CheckoutStatus.Pending);
      expect(created.body.password).toBeUndefined();
      expect((await kelly.request('GET', `/api/pam/passwords/${DEMO_IDS.approvedCredential}`)).status).toBe(
        403,
      );

      const queue = await alice.request('GET', '/api/pam/checkouts?toApprove=true');
      expect(queue.body.map((c: { id: string }) => c.id)).toContain(created.body.id);

      const approved = await alice.request('PUT', `/api/pam/checkouts/${created.body.id}`, {
        status: CheckoutStatus.Active,
        approverMessage: 'OK for today',
      });
      expect(approved.status).toBe(200);
      expect(approved.body.status).toBe(CheckoutStatus.Active);

      const got = await kelly.request('GET', `/api/pam/checkouts/${created.body.id}`);
      expect(got.body.status).toBe(CheckoutStatus.Active);
      expect(got.body.approverMessage).toBe('OK for today');
      expect(got.body.approverName).toBe('Alice Gagnon');
      const password = await kelly.request('GET', `/api/pam/passwords/${got.body.credentialID}`);
      expect(password.status).toBe(200);
      expect(password.body.data.length).toBeGreaterThan(0);
      const mine = await kelly.request('GET', '/api/pam/checkouts?activeAndPending=true');
      expect(mine.body).toHaveLength(1);
      const checkin = await kelly.request('PUT', `/api/pam/checkouts/${got.body.id}`, {
        status: CheckoutStatus.Ended,
      });
      expect(checkin.body.status).toBe(CheckoutStatus.Ended);
      expect((await kelly.request('GET', '/api/pam/checkouts?activeAndPending=true')).body).toHaveLength(0);
    });
  });
}
