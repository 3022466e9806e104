import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../server/store/migrations.ts';
import type { PamStore } from '../../server/store/pamStore.ts';
import { POSTGRES_MIGRATIONS } from '../../server/store/postgresMigrations.ts';
import { PostgresStore } from '../../server/store/postgresStore.ts';
import { SqliteStore } from '../../server/store/sqliteStore.ts';
import {
  type Session,
  startTestServer,
  TEST_STORE,
  type TestServer,
  testDatabase,
} from '../support/testServer.ts';

const VAULT_ID = 'a1000000-0000-4000-8000-000000000001';

let server: TestServer;
let admin: Session;
beforeAll(async () => {
  server = await startTestServer();
  admin = await server.as('admin');
});
afterAll(() => server.stop());

/** The password the store holds for a credential, opened with the server's key. */
async function storedPassword(id: string): Promise<string> {
  const record = await server.ctx.store.getCredential(id);
  return server.ctx.secretBox.open(record!.passwordSealed, id);
}

async function newCredential(name: string, password = 'the first password'): Promise<string> {
  const created = await admin.request('POST', '/api/admin/credentials', {
    vaultID: VAULT_ID,
    name,
    password,
  });
  expect(created.status, created.text).toBe(201);
  return created.body.id as string;
}

async function newVault(name: string): Promise<string> {
  const created = await admin.request('POST', '/api/admin/vaults', { name });
  expect(created.status, created.text).toBe(201);
  return created.body.id as string;
}

async function auditCount(action: string): Promise<number> {
  return (await server.ctx.store.listAudit({ offset: 0, limit: 100_000 })).filter(
    (row) => row.action === action,
  ).length;
}

/**
 * Runs `during` once, the first time the store reads the row `id` through `method`: between the
 * edit's read and its write, as a concurrent request would land.
 */
function interleaveOnRead(
  method: 'getCredential' | 'getVault',
  id: string,
  during: () => Promise<void>,
): { restore(): void; ran(): boolean } {
  const store = server.ctx.store as unknown as Record<string, (id: string) => Promise<unknown>>;
  const read = store[method]!.bind(server.ctx.store);
  let ran = false;
  store[method] = async (rowId: string) => {
    const row = await read(rowId);
    if (!ran && rowId === id) {
      ran = true;
      await during();
    }
    return row;
  };
  return { restore: () => delete store[method], ran: () => ran };
}

describe('editing a credential', () => {
  it('keeps a password set while the edit was in flight: an edit never writes the password', async () => {
    const id = await newCredential('Rotating');
    // The password changes between the edit's read of the credential and its write (a rotation at
    // check-in, or another administrator): the edit must not put the password it read back.
    const hook = interleaveOnRead('getCredential', id, async () => {
      const set = await admin.request('PUT', `/api/admin/credentials/${id}/password`, {
        password: 'the rotated password',
      });
      expect(set.status).toBe(204);
    });
    try {
      const edited = await admin.request('PATCH', `/api/admin/credentials/${id}`, {
        name: 'Rotating (edited)',
      });
      expect(edited.status).toBe(200);
    } finally {
      hook.restore();
    }
    expect(hook.ran()).toBe(true);
    expect(await storedPassword(id)).toBe('the rotated password');
    expect((await server.ctx.store.getCredential(id))!.name).toBe('Rotating (edited)');
  });

  it('answers its version as ETag, and refuses an edit made from an older one (409, details.version)', async () => {
    const id = await newCredential('Versioned');
    const read = await admin.request('GET', `/api/admin/credentials/${id}`);
    expect(read.status).toBe(200);
    expect(read.body.version).toBe(1);
    expect(read.headers.get('etag')).toBe('"1"');

    const first = await admin.request('PATCH', `/api/admin/credentials/${id}`, { host: 'db-1', version: 1 });
    expect(first.status, first.text).toBe(200);
    expect(first.body).toMatchObject({ host: 'db-1', version: 2 });
    expect(first.headers.get('etag')).toBe('"2"');

    const updatedRows = await auditCount('credential.updated');
    const stale = await admin.request('PATCH', `/api/admin/credentials/${id}`, { host: 'db-2', version: 1 });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('conflict');
    expect(stale.body.error.details).toEqual({ version: 2 });
    expect((await server.ctx.store.getCredential(id))!.host).toBe('db-1');
    // A refused edit leaves no trace: no audit row, no version step.
    expect(await auditCount('credential.updated')).toBe(updatedRows);
    expect((await admin.request('GET', `/api/admin/credentials/${id}`)).body.version).toBe(2);
  });

  it('takes the version as If-Match too, strongly compared', async () => {
    const id = await newCredential('Matched');
    const ok = await admin.request(
      'PATCH',
      `/api/admin/credentials/${id}`,
      { host: 'a' },
      { 'if-match': '"1"' },
    );
    expect(ok.status, ok.text).toBe(200);
    expect(ok.headers.get('etag')).toBe('"2"');
    const stale = await admin.request(
      'PATCH',
      `/api/admin/credentials/${id}`,
      { host: 'b' },
      { 'if-match': '"1"' },
    );
    expect(stale.status).toBe(409);
    expect(stale.body.error.details.version).toBe(2);
    for (const ifMatch of ['W/"2"', '"2", "3"', '2', '"0"']) {
      const refused = await admin.request(
        'PATCH',
        `/api/admin/credentials/${id}`,
        { host: 'c' },
        { 'if-match': ifMatch },
      );
      expect(refused.status, ifMatch).toBe(400);
    }
    const disagree = await admin.request(
      'PATCH',
      `/api/admin/credentials/${id}`,
      { host: 'c', version: 2 },
      { 'if-match': '"3"' },
    );
    expect(disagree.status).toBe(400);
    const any = await admin.request(
      'PATCH',
      `/api/admin/credentials/${id}`,
      { host: 'd' },
      { 'if-match': '*' },
    );
    expect(any.status).toBe(200);
    expect(any.body.version).toBe(3);
    expect((await server.ctx.store.getCredential(id))!.host).toBe('d');
  });

  it('a password set or a checkout does not move the version: an edit made before them still applies', async () => {
    const id = await newCredential('Busy');
    await admin.request('PUT', `/api/admin/credentials/${id}/password`, { password: 'another password' });
    const bob = await server.as('bob');
    const held = await bob.request('POST', '/api/pam/checkouts', { credentialID: id });
    expect(held.status, held.text).toBe(201);
    const edited = await admin.request('PATCH', `/api/admin/credentials/${id}`, {
      description: 'x',
      version: 1,
    });
    expect(edited.status, edited.text).toBe(200);
    expect(await storedPassword(id)).toBe('another password');
  });

  it('without a version, an edit that lost the race is applied again to the newer row (no lost update)', async () => {
    const id = await newCredential('Merged');
    const hook = interleaveOnRead('getCredential', id, async () => {
      const other = await admin.request('PATCH', `/api/admin/credentials/${id}`, {
        policy: { maxDuration: 120 },
      });
      expect(other.status, other.text).toBe(200);
    });
    try {
      const edited = await admin.request('PATCH', `/api/admin/credentials/${id}`, {
        policy: { reasonMode: 'mandatory' },
      });
      expect(edited.status, edited.text).toBe(200);
      expect(edited.body.version).toBe(3);
    } finally {
      hook.restore();
    }
    expect(hook.ran()).toBe(true);
    expect((await server.ctx.store.getCredential(id))!.policy).toEqual({
      maxDuration: 120,
      reasonMode: 'mandatory',
    });
  });

  it('an edit with a version that loses the race between its read and its write is refused, not applied', async () => {
    const id = await newCredential('Raced');
    const hook = interleaveOnRead('getCredential', id, async () => {
      expect((await admin.request('PATCH', `/api/admin/credentials/${id}`, { host: 'first' })).status).toBe(
        200,
      );
    });
    try {
      const late = await admin.request('PATCH', `/api/admin/credentials/${id}`, {
        host: 'second',
        version: 1,
      });
      expect(late.status).toBe(409);
      expect(late.body.error.details.version).toBe(2);
    } finally {
      hook.restore();
    }
    expect((await server.ctx.store.getCredential(id))!.host).toBe('first');
  });

  it('answers 404 for a credential that is not there, whatever the version', async () => {
    const missing = 'c0000000-0000-4000-8000-00000000dead';
    expect(
      (await admin.request('PATCH', `/api/admin/credentials/${missing}`, { host: 'x', version: 1 })).status,
    ).toBe(404);
    expect((await admin.request('GET', `/api/admin/credentials/${missing}`)).status).toBe(404);
  });
});

describe('editing a vault', () => {
  it('answers its version as ETag and refuses a stale edit with the current version', async () => {
    const id = await newVault('Team A');
    const read = await admin.request('GET', `/api/admin/vaults/${id}`);
    expect(read.body).toMatchObject({ id, name: 'Team A', version: 1 });
    expect(read.headers.get('etag')).toBe('"1"');
    const first = await admin.request(
      'PATCH',
      `/api/admin/vaults/${id}`,
      { description: 'one' },
      { 'if-match': '"1"' },
    );
    expect(first.status, first.text).toBe(200);
    expect(first.body.version).toBe(2);
    expect(first.headers.get('etag')).toBe('"2"');
    const stale = await admin.request('PATCH', `/api/admin/vaults/${id}`, { description: 'two', version: 1 });
    expect(stale.status).toBe(409);
    expect(stale.body.error.details).toEqual({ version: 2 });
    expect((await admin.request('GET', `/api/admin/vaults/${id}`)).body.description).toBe('one');
  });

  it('without a version, two policy edits that cross both land', async () => {
    const id = await newVault('Team B');
    const hook = interleaveOnRead('getVault', id, async () => {
      const other = await admin.request('PATCH', `/api/admin/vaults/${id}`, { policy: { maxDuration: 90 } });
      expect(other.status, other.text).toBe(200);
    });
    try {
      const edited = await admin.request('PATCH', `/api/admin/vaults/${id}`, {
        policy: { reasonMode: 'mandatory' },
      });
      expect(edited.status, edited.text).toBe(200);
      expect(edited.body.version).toBe(3);
    } finally {
      hook.restore();
    }
    expect((await server.ctx.store.getVault(id))!.policy).toEqual({
      maxDuration: 90,
      reasonMode: 'mandatory',
    });
  });

  it('is for administrators only, reading included', async () => {
    const bob = await server.as('bob');
    expect((await bob.request('GET', `/api/admin/vaults/${VAULT_ID}`)).status).toBe(403);
    const id = await newCredential('Admins only');
    expect((await bob.request('GET', `/api/admin/credentials/${id}`)).status).toBe(403);
  });
});

describe('the edit version migration (6)', () => {
  it('SQLite: a database at version 4 moves to 6, its vaults and credentials at version 1', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coffre-migration-'));
    const file = path.join(dir, 'coffre.db');
    try {
      const old = new Database(file);
      for (const sql of MIGRATIONS.slice(0, 4)) old.exec(sql);
      old.pragma('user_version = 4');
      old.prepare("INSERT INTO vaults VALUES ('v', 'Vault', '', '{}', 0, 0)").run();
      old
        .prepare(
          "INSERT INTO credentials VALUES ('c', 'v', 'One', '', '', '', '{}', 'sealed', 0, 0, 0, NULL, 1)",
        )
        .run();
      old.close();
      const store = new SqliteStore({ file });
      try {
        await expectVersionedEdits(store);
      } finally {
        await store.close();
      }
      const reopened = new Database(file);
      expect(reopened.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
      reopened.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it.runIf(TEST_STORE === 'postgres')(
    'PostgreSQL: a database at version 4 moves to 6 the same way',
    async () => {
      const database = await testDatabase();
      try {
        const client = new pg.Client({ connectionString: database.url });
        await client.connect();
        try {
          await client.query(
            'CREATE TABLE schema_version (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL)',
          );
          for (const sql of POSTGRES_MIGRATIONS.slice(0, 4)) await client.query(sql);
          await client.query('INSERT INTO schema_version VALUES (1, 4)');
          await client.query("INSERT INTO vaults VALUES ('v', 'Vault', '', '{}', 0, 0)");
          await client.query(
            "INSERT INTO credentials VALUES ('c', 'v', 'One', '', '', '', '{}', 'sealed', 0, 0, 0, NULL, 1)",
          );
        } finally {
          await client.end();
        }
        const store = await PostgresStore.open({ url: database.url });
        try {
          expect(store.migration).toEqual({ from: 4, to: POSTGRES_MIGRATIONS.length });
          await expectVersionedEdits(store);
        } finally {
          await store.close();
        }
      } finally {
        await database.drop();
      }
    },
  );
});

/**
 * A store migrated from version 4, holding vault 'v' and credential 'c' (sealed 'sealed'): both
 * start at version 1, an edit from version 1 lands once and the second is stale, the password stays.
 */
async function expectVersionedEdits(store: PamStore): Promise<void> {
  expect((await store.getVault('v'))!.version).toBe(1);
  const credential = (await store.getCredential('c'))!;
  expect(credential.version).toBe(1);
  expect(await store.updateCredential({ ...credential, name: 'Two' }, { audit: [], events: [] }, 1)).toBe(
    'updated',
  );
  expect(await store.updateCredential({ ...credential, name: 'Three' }, { audit: [], events: [] }, 1)).toBe(
    'stale',
  );
  expect((await store.getCredential('c'))!).toMatchObject({
    name: 'Two',
    version: 2,
    passwordSealed: 'sealed',
  });
}
