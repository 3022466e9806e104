/**
 * Per-vault permissions (issue 14, "no per-vault permissions at all"), end to end over HTTP on the
 * demo's two teams: the DBA vault (group DBA requests, dana manages and approves, tina only views)
 * and the Windows vault (group Windows requests, wes approves). Outside the vaults one may see, a
 * vault and its credentials do not exist (404, as an unknown id), in both dialects; below the role
 * an action needs, 403 saying so.
 */

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckoutStatus } from '../../common/checkout.ts';
import { EVERYONE_GROUP_ID } from '../../common/vaultAccess.ts';
import { DEMO_IDS } from '../../server/demo.ts';
import { MIGRATIONS } from '../../server/store/migrations.ts';
import { SqliteStore } from '../../server/store/sqliteStore.ts';
import { type Session, startTestServer, type TestServer } from '../support/testServer.ts';

const MIM = '/api/pamresources';
const SERVERS_VAULT = 'a1000000-0000-4000-8000-000000000001';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

const vaultIdsOf = async (session: Session) =>
  ((await session.request('GET', '/api/pam/vaults')).body as Array<{ id: string; role: string }>).map(
    (vault) => `${vault.id}:${vault.role}`,
  );
const credentialIdsOf = async (session: Session) =>
  ((await session.request('GET', '/api/pam/credentials?limit=1000')).body.data as Array<{ id: string }>).map(
    (credential) => credential.id,
  );

describe('who sees what', () => {
  it('a user outside both teams lists neither team vault nor its credentials, in either dialect', async () => {
    const bob = await server.as('bob');
    const vaults = await vaultIdsOf(bob);
    expect(vaults).toContain(`${SERVERS_VAULT}:approve`);
    expect(vaults.join()).not.toContain(DEMO_IDS.dbaVault);
    expect(vaults.join()).not.toContain(DEMO_IDS.windowsVault);
    const credentials = await credentialIdsOf(bob);
    expect(credentials).toHaveLength(14);
    expect(credentials).not.toContain(DEMO_IDS.payrollDbCredential);
    const roles = (await bob.request('GET', `${MIM}/pamroles`)).body.value as Array<{ RoleId: string }>;
    expect(roles.map((role) => role.RoleId)).not.toContain(DEMO_IDS.payrollDbCredential);
    const folders = (await bob.request('GET', '/api/pam/folders')).body.data as Array<{ id: string }>;
    expect(folders.map((folder) => folder.id)).not.toContain(DEMO_IDS.dbaVault);
    const policies = (await bob.request('GET', '/api/pam/checkout-policies')).body as Array<{ id: string }>;
    expect(policies.map((policy) => policy.id)).not.toContain(DEMO_IDS.dbaVault);
  });

  it('each member sees their role: tina views the DBA vault and requests in the Windows one', async () => {
    const tina = await server.as('tina');
    const vaults = await vaultIdsOf(tina);
    expect(vaults).toContain(`${DEMO_IDS.dbaVault}:view`);
    expect(vaults).toContain(`${DEMO_IDS.windowsVault}:request`);
    expect(await credentialIdsOf(tina)).toContain(DEMO_IDS.payrollDbCredential);
    const dana = await server.as('dana');
    expect(await vaultIdsOf(dana)).toContain(`${DEMO_IDS.dbaVault}:manage`);
    expect((await vaultIdsOf(dana)).join()).not.toContain(DEMO_IDS.windowsVault);
  });

  it('outside one’s vaults every way to a credential answers 404, as for an id that does not exist', async () => {
    const bob = await server.as('bob');
    const id = DEMO_IDS.payrollDbCredential;
    const answers = [
      await bob.request('GET', `/api/pam/credentials/${id}`),
      await bob.request('GET', `/api/pam/credentials/${id}/approvers`),
      await bob.request('POST', '/api/pam/checkouts', {
        credentialID: id,
        approverID: DEMO_IDS.dana,
        reason: 'x',
      }),
      await bob.request('GET', `/api/pam/passwords/${id}`),
      await bob.request('GET', `/api/pam/folders/${DEMO_IDS.dbaVault}`),
      await bob.request('GET', `/api/pam/checkout-policies/${DEMO_IDS.dbaVault}`),
      await bob.request('POST', `${MIM}/pamrequests`, { RoleId: id, RequestedTTL: 3600, Justification: 'x' }),
    ];
    expect(answers.map((answer) => answer.status)).toEqual([404, 404, 404, 404, 404, 404, 404]);
    const unknown = await bob.request('GET', '/api/pam/credentials/c3000000-0000-4000-8000-0000000000ff');
    expect(answers[0]!.body.error.message).toBe(unknown.body.error.message);
  });
});

describe('what each role allows', () => {
  it('view does not request: tina is refused with 403 and the reason, and reads no password', async () => {
    const tina = await server.as('tina');
    const refused = await tina.request('POST', '/api/pam/checkouts', {
      credentialID: DEMO_IDS.payrollDbCredential,
      approverID: DEMO_IDS.dana,
      reason: 'curious',
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toMatch(/view/);
    expect((await tina.request('GET', `/api/pam/passwords/${DEMO_IDS.payrollDbCredential}`)).status).toBe(
      403,
    );
    const mim = await tina.request('POST', `${MIM}/pamrequests`, {
      RoleId: DEMO_IDS.payrollDbCredential,
      RequestedTTL: 3600,
      Justification: 'curious',
    });
    expect(mim.status).toBe(403);
  });

  it('request and approve: raj asks, dana (approve through manage) approves, raj reads the password', async () => {
    const raj = await server.as('raj');
    const dana = await server.as('dana');
    const created = await raj.request('POST', '/api/pam/checkouts', {
      credentialID: DEMO_IDS.payrollDbCredential,
      approverID: DEMO_IDS.dana,
      reason: 'vacuum',
    });
    expect(created.status).toBe(201);
    expect(created.body.status).toBe(CheckoutStatus.Pending);
    const toApprove = (await dana.request('GET', '/api/pam/checkouts?toApprove=true')).body as Array<{
      id: string;
    }>;
    expect(toApprove.map((c) => c.id)).toContain(created.body.id);
    const approved = await dana.request('PUT', `/api/pam/checkouts/${created.body.id}`, {
      status: CheckoutStatus.Active,
    });
    expect(approved.status).toBe(200);
    expect((await raj.request('GET', `/api/pam/passwords/${DEMO_IDS.payrollDbCredential}`)).status).toBe(200);
    await raj.request('PUT', `/api/pam/checkouts/${created.body.id}`, { status: CheckoutStatus.Ended });
  });

  it('an approver named by the policy but without approve in the vault is not eligible', async () => {
    const admin = await server.as('admin');
    // maurice holds the approver role and is named by the policy, but is no member of the vault.
    const patched = await admin.request('PATCH', `/api/admin/vaults/${DEMO_IDS.windowsVault}`, {
      policy: { approvalMode: 'mandatory', approvers: [DEMO_IDS.wes, DEMO_IDS.maurice] },
    });
    expect(patched.status).toBe(200);
    const tina = await server.as('tina');
    const approvers = await tina.request(
      'GET',
      `/api/pam/credentials/${DEMO_IDS.exchangeCredential}/approvers`,
    );
    expect(approvers.body.map((a: { id: string }) => a.id)).toEqual([DEMO_IDS.wes]);
    const refused = await tina.request('POST', '/api/pam/checkouts', {
      credentialID: DEMO_IDS.exchangeCredential,
      approverID: DEMO_IDS.maurice,
    });
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('approver_not_eligible');
  });

  it('an approver whose vault role falls to request loses the queue and the decision', async () => {
    const tina = await server.as('tina');
    const wes = await server.as('wes');
    const admin = await server.as('admin');
    const created = await tina.request('POST', '/api/pam/checkouts', {
      credentialID: DEMO_IDS.exchangeCredential,
      approverID: DEMO_IDS.wes,
    });
    expect(created.status).toBe(201);
    const members = (await admin.request('GET', `/api/admin/vaults/${DEMO_IDS.windowsVault}/members`))
      .body as Array<{
      memberType: string;
      memberID: string;
      role: string;
    }>;
    const lowered = members.map(({ memberType, memberID, role }) => ({
      memberType,
      memberID,
      role: memberID === DEMO_IDS.wes ? 'request' : role,
    }));
    expect(
      (await admin.request('PUT', `/api/admin/vaults/${DEMO_IDS.windowsVault}/members`, { members: lowered }))
        .status,
    ).toBe(200);
    expect((await wes.request('GET', '/api/pam/checkouts?toApprove=true')).body).toEqual([]);
    const decided = await wes.request('PUT', `/api/pam/checkouts/${created.body.id}`, {
      status: CheckoutStatus.Active,
    });
    expect(decided.status).toBe(403);
    // Restored for the next tests.
    await admin.request('PUT', `/api/admin/vaults/${DEMO_IDS.windowsVault}/members`, { members });
    await tina.request('PUT', `/api/pam/checkouts/${created.body.id}`, {
      status: CheckoutStatus.RequestCanceled,
    });
  });
});

describe('administering a vault', () => {
  it('its manager may change it, its members and its credentials; others get 403, strangers 404', async () => {
    const dana = await server.as('dana');
    const raj = await server.as('raj');
    const bob = await server.as('bob');
    expect(
      (await dana.request('PATCH', `/api/admin/vaults/${DEMO_IDS.dbaVault}`, { description: 'DBAs' })).status,
    ).toBe(200);
    const members = await dana.request('GET', `/api/admin/vaults/${DEMO_IDS.dbaVault}/members`);
    expect(members.status).toBe(200);
    expect(members.body).toContainEqual({
      memberType: 'user',
      memberID: DEMO_IDS.tina,
      role: 'view',
      name: 'tina',
    });
    const created = await dana.request('POST', '/api/admin/credentials', {
      vaultID: DEMO_IDS.dbaVault,
      name: 'Redis admin',
    });
    expect(created.status).toBe(201);
    expect(
      (
        await dana.request('PUT', `/api/admin/credentials/${created.body.id}/password`, {
          password: 'new-one',
        })
      ).status,
    ).toBe(204);
    // Not a manager there (a viewer through Everyone on the seeds' vaults): 403; no member: 404.
    expect(
      (await dana.request('PATCH', `/api/admin/vaults/${SERVERS_VAULT}`, { description: 'x' })).status,
    ).toBe(403);
    expect((await dana.request('GET', `/api/admin/vaults/${DEMO_IDS.windowsVault}/members`)).status).toBe(
      404,
    );
    expect(
      (await dana.request('POST', '/api/admin/credentials', { vaultID: DEMO_IDS.windowsVault, name: 'x' }))
        .status,
    ).toBe(404);
    expect(
      (await raj.request('PATCH', `/api/admin/vaults/${DEMO_IDS.dbaVault}`, { description: 'x' })).status,
    ).toBe(403);
    expect((await bob.request('GET', `/api/admin/vaults/${DEMO_IDS.dbaVault}/members`)).status).toBe(404);
    expect((await bob.request('DELETE', `/api/admin/credentials/${created.body.id}`)).status).toBe(404);
    expect((await dana.request('DELETE', `/api/admin/credentials/${created.body.id}`)).status).toBe(204);
  });

  it('a member change is audited, and whoever lost the vault finds its credentials deleted on the next sync', async () => {
    const admin = await server.as('admin');
    const tina = await server.as('tina');
    const listing = await tina.request('GET', '/api/pam/credentials?limit=1000');
    const before = listing.body.syncToken as number;
    const members = (await admin.request('GET', `/api/admin/vaults/${DEMO_IDS.dbaVault}/members`))
      .body as Array<{
      memberType: string;
      memberID: string;
      role: string;
    }>;
    const withoutTina = members
      .filter((member) => member.memberID !== DEMO_IDS.tina)
      .map(({ memberType, memberID, role }) => ({ memberType, memberID, role }));
    expect(
      (await admin.request('PUT', `/api/admin/vaults/${DEMO_IDS.dbaVault}/members`, { members: withoutTina }))
        .status,
    ).toBe(200);
    const changes = await tina.request('GET', `/api/pam/credentials?changedSince=${before}`);
    expect(changes.body.deleted).toContain(DEMO_IDS.payrollDbCredential);
    expect(changes.body.data.map((c: { id: string }) => c.id)).not.toContain(DEMO_IDS.payrollDbCredential);
    expect((await tina.request('GET', `/api/pam/credentials/${DEMO_IDS.payrollDbCredential}`)).status).toBe(
      404,
    );
    const audit = (await admin.request('GET', '/api/pam/audit?limit=1000')).body as Array<{
      action: string;
      details: string;
    }>;
    const row = audit.filter((entry) => entry.action === 'vault.members.changed').at(-1);
    expect(row?.details).toMatch(/^DBA team: /);
    expect(row?.details).not.toContain('tina');
    await admin.request('PUT', `/api/admin/vaults/${DEMO_IDS.dbaVault}/members`, {
      members: members.map(({ memberType, memberID, role }) => ({ memberType, memberID, role })),
    });
  });

  it('a group grants its members the vault; leaving the group takes it away; Everyone stays', async () => {
    const admin = await server.as('admin');
    const bob = await server.as('bob');
    const group = await admin.request('POST', '/api/admin/groups', {
      name: 'Auditors',
      memberIDs: [DEMO_IDS.bob],
    });
    expect(group.status).toBe(201);
    const members = (
      await admin.request('GET', `/api/admin/vaults/${DEMO_IDS.windowsVault}/members`)
    ).body.map(({ memberType, memberID, role }: { memberType: string; memberID: string; role: string }) => ({
      memberType,
      memberID,
      role,
    }));
    await admin.request('PUT', `/api/admin/vaults/${DEMO_IDS.windowsVault}/members`, {
      members: [...members, { memberType: 'group', memberID: group.body.id, role: 'view' }],
    });
    expect(await vaultIdsOf(bob)).toContain(`${DEMO_IDS.windowsVault}:view`);
    expect(
      (await admin.request('PUT', `/api/admin/groups/${group.body.id}/members`, { memberIDs: [] })).status,
    ).toBe(200);
    expect((await vaultIdsOf(bob)).join()).not.toContain(DEMO_IDS.windowsVault);
    expect((await bob.request('POST', '/api/admin/groups', { name: 'Mine' })).status).toBe(403);
    expect((await admin.request('DELETE', `/api/admin/groups/${EVERYONE_GROUP_ID}`)).status).toBe(409);
    expect((await admin.request('DELETE', `/api/admin/groups/${group.body.id}`)).status).toBe(204);
    const after = (await admin.request('GET', `/api/admin/vaults/${DEMO_IDS.windowsVault}/members`)).body;
    expect(after).toHaveLength(members.length);
    const audit = (await admin.request('GET', '/api/pam/audit?limit=1000')).body as Array<{ action: string }>;
    expect(audit.filter((entry) => entry.action === 'group.changed').length).toBeGreaterThanOrEqual(3);
  });

  it('a member list naming someone who does not exist changes nothing (404)', async () => {
    const admin = await server.as('admin');
    const before = (await admin.request('GET', `/api/admin/vaults/${DEMO_IDS.dbaVault}/members`)).body;
    const refused = await admin.request('PUT', `/api/admin/vaults/${DEMO_IDS.dbaVault}/members`, {
      members: [{ memberType: 'user', memberID: 'eeeeeeee-0000-4000-8000-000000000000', role: 'view' }],
    });
    expect(refused.status).toBe(404);
    expect((await admin.request('GET', `/api/admin/vaults/${DEMO_IDS.dbaVault}/members`)).body).toEqual(
      before,
    );
  });
});

describe('the request check is atomic with the insert', () => {
  it('the store itself refuses a checkout whose requester does not hold request in the vault (any store)', async () => {
    const { store, clock } = server.ctx;
    const now = clock.now();
    const checkout = {
      id: 'f0000000-0000-4000-8000-000000000001',
      userId: DEMO_IDS.tina,
      credentialId: DEMO_IDS.payrollDbCredential,
      approverId: null,
      reason: '',
      approverMessage: '',
      status: CheckoutStatus.Pending,
      duration: 60,
      extendedMinutes: 0,
      requestedAt: now,
      scheduledStart: null,
      checkoutAt: null,
      checkinAt: null,
      expiresAt: null,
      expiringNotified: false,
      updatedAt: now,
    };
    const required = { vaultId: DEMO_IDS.dbaVault, role: 'request' as const };
    const refused = await store.insertCheckout(
      checkout,
      { exclusive: true, now, requireRole: required },
      { audit: [], events: [] },
    );
    expect(refused).toEqual({ ok: false, reason: 'vault_role' });
    // Named with another vault than the credential's (it moved meanwhile): refused as well.
    const moved = await store.insertCheckout(
      { ...checkout, userId: DEMO_IDS.raj },
      { exclusive: true, now, requireRole: { vaultId: DEMO_IDS.windowsVault, role: 'request' } },
      { audit: [], events: [] },
    );
    expect(moved).toEqual({ ok: false, reason: 'vault_role' });
    expect(await store.getCheckout(checkout.id)).toBeUndefined();
    const allowed = await store.insertCheckout(
      { ...checkout, userId: DEMO_IDS.raj },
      { exclusive: true, now, requireRole: required },
      { audit: [], events: [] },
    );
    expect(allowed.ok).toBe(true);
  });
});

describe('migration to vault permissions', () => {
  // A SQLite file of its own in either project: the PostgreSQL migrations are the same SQL's twin.
  it('a database from before (version 4) keeps working: Everyone may approve on every existing vault', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coffre-vaultperm-'));
    const file = path.join(dir, 'coffre.db');
    const old = new Database(file);
    for (const sql of MIGRATIONS.slice(0, 4)) old.exec(sql);
    old.pragma('user_version = 4');
    old.exec(
      "INSERT INTO vaults (id, name, description, policy, created_at, updated_at) VALUES ('a9000000-0000-4000-8000-000000000001', 'Old', '', '{}', 1, 1)",
    );
    old.close();
    const store = new SqliteStore({ file });
    try {
      expect(store.db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
      const roles = await store.vaultRolesOf('b0b0b0b0-1111-4a4a-8b8b-000000000001');
      expect(roles.get('a9000000-0000-4000-8000-000000000001')).toBe('approve');
    } finally {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
