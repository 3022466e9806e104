import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckoutStatus } from '../../common/checkout.ts';
import { DEMO_IDS } from '../../server/demo.ts';
import { MIGRATIONS } from '../../server/store/migrations.ts';
import { SqliteStore } from '../../server/store/sqliteStore.ts';
import { apiRequest, type Session, startTestServer, type TestServer } from '../support/testServer.ts';

const SERVERS_VAULT = 'a1000000-0000-4000-8000-000000000001';
const NETWORK_VAULT = 'a1000000-0000-4000-8000-000000000004';

let server: TestServer;
let admin: Session;
let bob: Session;
beforeAll(async () => {
  server = await startTestServer();
  admin = await server.as('admin');
  bob = await server.as('bob');
});
afterAll(() => server.stop());

async function createCredential(name: string, vaultID = SERVERS_VAULT): Promise<string> {
  const created = await admin.request('POST', '/api/admin/credentials', { vaultID, name });
  expect(created.status).toBe(201);
  return created.body.id as string;
}

async function changesSince(session: Session, token: number, limit = 1000) {
  const answer = await session.request('GET', `/api/pam/credentials?changedSince=${token}&limit=${limit}`);
  expect(answer.status).toBe(200);
  return answer.body as {
    data: Array<{ id: string; name: string; checkout: { userID: string; status: number } | null }>;
    deleted: string[];
    total: number;
    syncToken: number;
  };
}

/** Every change after `token`, page by page; the token of the last page. */
async function allChangesSince(session: Session, token: number, limit: number) {
  const ids: string[] = [];
  const deleted: string[] = [];
  let pages = 0;
  for (;;) {
    const page = await changesSince(session, token, limit);
    pages++;
    ids.push(...page.data.map((credential) => credential.id));
    deleted.push(...page.deleted);
    token = page.syncToken;
    if (page.data.length + page.deleted.length < limit) return { ids, deleted, token, pages };
  }
}

describe('incremental credential sync (changedSince)', () => {
  it('a full listing carries a syncToken taken before it was read', async () => {
    const first = await bob.request('GET', '/api/pam/credentials?limit=5');
    expect(first.status).toBe(200);
    expect(first.body.syncToken).toEqual(expect.any(Number));
    expect(first.body).not.toHaveProperty('deleted');
    const id = await createCredential('Created after the first listing');
    const second = await bob.request('GET', '/api/pam/credentials?limit=5');
    expect(second.body.syncToken).toBeGreaterThan(first.body.syncToken);
    const changes = await changesSince(bob, first.body.syncToken);
    expect(changes.data.map((credential) => credential.id)).toEqual([id]);
  });

  it('lists exactly the edited, checked-out and deleted credentials, then nothing', async () => {
    const edited = await createCredential('To be renamed');
    const held = await createCredential('To be checked out');
    const removed = await createCredential('To be deleted');
    const untouched = await createCredential('Left alone');
    const { syncToken } = (await bob.request('GET', '/api/pam/credentials?limit=5000')).body;

    expect(
      (await admin.request('PATCH', `/api/admin/credentials/${edited}`, { name: 'Renamed' })).status,
    ).toBe(200);
    const checkout = await bob.request('POST', '/api/pam/checkouts', { credentialID: held });
    expect(checkout.status).toBe(201);
    expect((await admin.request('DELETE', `/api/admin/credentials/${removed}`)).status).toBe(204);

    const changes = await changesSince(bob, syncToken);
    expect(changes.data.map((credential) => credential.id)).toEqual([edited, held]);
    expect(changes.deleted).toEqual([removed]);
    expect(changes.total).toBe(3);
    expect(changes.data[0]!.name).toBe('Renamed');
    expect(changes.data[1]!.checkout).toMatchObject({ userID: DEMO_IDS.bob, status: CheckoutStatus.Active });
    expect(changes.data.map((credential) => credential.id)).not.toContain(untouched);
    expect(changes.syncToken).toBeGreaterThan(syncToken);

    const again = await changesSince(bob, changes.syncToken);
    expect(again).toEqual({ data: [], deleted: [], total: 0, syncToken: changes.syncToken });

    // Another user sees the same change with their own view of it (someone else holds it).
    const kelly = await server.as('kelly');
    const seenByKelly = await changesSince(kelly, syncToken);
    expect(seenByKelly.data[1]!.checkout).toMatchObject({ userID: DEMO_IDS.bob });

    // Checking in is a change too (the holder is gone from the list).
    await bob.request('PUT', `/api/pam/checkouts/${checkout.body.id}`, {
      status: CheckoutStatus.Ended,
    });
    const checkedIn = await changesSince(bob, changes.syncToken);
    expect(checkedIn.data.map((credential) => [credential.id, credential.checkout])).toEqual([[held, null]]);
  });

  it('pages by syncToken (keyset): small pages bring the same changes in order', async () => {
    const { syncToken } = (await bob.request('GET', '/api/pam/credentials?limit=1')).body;
    const ids = [];
    for (let n = 0; n < 5; n++) ids.push(await createCredential(`Paged ${n}`));
    await admin.request('PATCH', `/api/admin/credentials/${ids[0]}`, { description: 'moved to the end' });
    const first = await changesSince(bob, syncToken, 2);
    expect(first.total).toBe(5);
    expect(first.data).toHaveLength(2);
    const paged = await allChangesSince(bob, syncToken, 2);
    expect(paged.ids).toEqual([...ids.slice(1), ids[0]]);
    expect(paged.pages).toBe(3);
    expect(paged.token).toBe((await changesSince(bob, syncToken)).syncToken);
  });

  it('a vault policy change lists every credential of the vault, each once', async () => {
    const { syncToken } = (await bob.request('GET', '/api/pam/credentials?limit=1')).body;
    const patched = await admin.request('PATCH', `/api/admin/vaults/${NETWORK_VAULT}`, {
      policy: { maxDuration: 300 },
    });
    expect(patched.status).toBe(200);
    const inVault = (
      await bob.request('GET', `/api/pam/credentials?vaultID=${NETWORK_VAULT}&limit=5000`)
    ).body.data.map((credential: { id: string }) => credential.id);
    expect(inVault.length).toBeGreaterThan(1);
    const paged = await allChangesSince(bob, syncToken, 1);
    expect([...paged.ids].sort()).toEqual([...inVault].sort());
    const changes = await changesSince(bob, syncToken);
    expect(changes.data.every((credential) => (credential as any).policy.maxDuration === 300)).toBe(true);
  });

  it('a password set by an administrator is a change (the list shows updatedAt)', async () => {
    const id = await createCredential('Password reset');
    const { syncToken } = (await bob.request('GET', '/api/pam/credentials?limit=1')).body;
    server.clock.advance(1000);
    expect(
      (await admin.request('PUT', `/api/admin/credentials/${id}/password`, { password: 'N3w-p@ssword-123' }))
        .status,
    ).toBe(204);
    const changes = await changesSince(bob, syncToken);
    expect(changes.data.map((credential) => credential.id)).toEqual([id]);
    expect(JSON.stringify(changes)).not.toContain('N3w-p@ssword-123');
  });

  it('an approver’s decision and the sweeper’s expiry are changes', async () => {
    const kelly = await server.as('kelly');
    const alice = await server.as('alice');
    const { syncToken } = (await kelly.request('GET', '/api/pam/credentials?limit=1')).body;
    const requested = await kelly.request('POST', '/api/pam/checkouts', {
      credentialID: DEMO_IDS.approvedCredential,
      approverID: DEMO_IDS.alice,
      reason: 'Because',
      duration: 30,
    });
    expect(requested.status).toBe(201);
    const pending = await changesSince(kelly, syncToken);
    expect(pending.data.map((c) => [c.id, c.checkout?.status])).toEqual([
      [DEMO_IDS.approvedCredential, CheckoutStatus.Pending],
    ]);
    await alice.request('PUT', `/api/pam/checkouts/${requested.body.id}`, {
      status: CheckoutStatus.Active,
    });
    const approved = await changesSince(kelly, pending.syncToken);
    expect(approved.data.map((c) => c.checkout?.status)).toEqual([CheckoutStatus.Active]);
    server.clock.advance(31 * 60_000);
    expect(await server.ctx.sweeper.sweep()).toBeGreaterThan(0);
    const expired = await changesSince(kelly, approved.syncToken);
    expect(expired.data.map((c) => [c.id, c.checkout])).toEqual([[DEMO_IDS.approvedCredential, null]]);
  });

  it('refuses a bad changedSince, or one combined with a filter or an offset, with a 400', async () => {
    for (const query of [
      'changedSince=abc',
      'changedSince=-1',
      'changedSince=1.5',
      'changedSince=99999999999999999999',
      `changedSince=1&vaultID=${SERVERS_VAULT}`,
      'changedSince=1&search=web',
      'changedSince=1&offset=10',
    ]) {
      const answer = await bob.request('GET', `/api/pam/credentials?${query}`);
      expect(answer.status, query).toBe(400);
      expect(answer.body, query).toEqual({
        message: expect.any(String),
        error: { code: 'invalid_request', message: expect.any(String) },
      });
    }
  });

  it('answers a token ahead of the server (a restored store) with a lower syncToken', async () => {
    const { syncToken } = (await bob.request('GET', '/api/pam/credentials?limit=1')).body;
    const ahead = await changesSince(bob, syncToken + 1000);
    expect(ahead.data).toEqual([]);
    expect(ahead.syncToken).toBe(syncToken);
  });

  it('documents changedSince, syncToken and deleted in the OpenAPI document', async () => {
    const doc = (await apiRequest(server.url, 'GET', '/api/docs/openapi.json')).body;
    const operation = doc.paths['/api/pam/credentials'].get;
    expect(operation.parameters.map((p: { name: string }) => p.name)).toContain('changedSince');
    const schema = operation.responses['200'].content['application/json'].schema;
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining(['data', 'total', 'syncToken', 'deleted']),
    );
    expect(schema.required).toContain('syncToken');
  });

  it('the MIM dialect is unchanged (no sync token in its role list)', async () => {
    const roles = await bob.request('GET', '/api/pamresources/pamroles');
    expect(roles.status).toBe(200);
    expect(roles.text).not.toContain('syncToken');
  });
});

describe('the change sequence migration', () => {
  it('numbers the credentials of an existing database, each once, and continues after them', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coffre-migration-'));
    const file = path.join(dir, 'coffre.db');
    try {
      const old = new Database(file);
      for (const sql of MIGRATIONS.slice(0, 2)) old.exec(sql);
      old.pragma('user_version = 2');
      old.prepare("INSERT INTO vaults VALUES ('v', 'Vault', '', '{}', 0, 0)").run();
      const insert = old.prepare(
        "INSERT INTO credentials VALUES (?, 'v', ?, '', '', '', '{}', 'sealed', 0, 0, 0, ?)",
      );
      insert.run('c1', 'One', null);
      insert.run('c2', 'Two', 5);
      insert.run('c3', 'Three', null);
      old.close();

      const store = new SqliteStore({ file });
      try {
        const all = await store.listCredentialChanges(0, 10);
        expect(all.changes.map((change) => [change.id, change.credential === null])).toEqual([
          ['c1', false],
          ['c2', true],
          ['c3', false],
        ]);
        const last = await store.currentChangeSeq();
        expect(last).toBe(all.changes.at(-1)!.seq);
        const c1 = (await store.getCredential('c1'))!;
        await store.updateCredential({ ...c1, name: 'One again' }, { audit: [], events: [] }, c1.version);
        const after = await store.listCredentialChanges(last, 10);
        expect(after.changes.map((change) => [change.id, change.seq])).toEqual([['c1', last + 1]]);
      } finally {
        store.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
