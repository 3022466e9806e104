import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckoutStatus } from '../../common/checkout.ts';
import { DEMO_IDS, DEMO_PASSWORD } from '../../server/demo.ts';
import { apiRequest, startTestServer, type TestServer } from '../support/testServer.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ logLevel: 'trace' });
});
afterAll(() => server.stop());

describe('secrets never reach the logs, the database file or an error', () => {
  it('after a full cycle at trace level, no password or token appears in logs or on disk', async () => {
    const secrets: string[] = [DEMO_PASSWORD];
    const bob = await server.as('bob');
    const alice = await server.as('alice');
    const kelly = await server.as('kelly');
    secrets.push(bob.token, alice.token, kelly.token);
    const created = await bob.request('POST', '/api/pam/checkouts', {
      credentialID: DEMO_IDS.autoCredential,
    });
    secrets.push((await bob.request('GET', `/api/pam/passwords/${DEMO_IDS.autoCredential}`)).body.data);
    await bob.request('PUT', `/api/pam/checkouts/${created.body.id}`, {
      status: CheckoutStatus.Ended,
    });
    const pending = await kelly.request('POST', '/api/pam/checkouts', {
      credentialID: DEMO_IDS.approvedCredential,
      approverID: DEMO_IDS.alice,
      reason: 'r',
    });
    await alice.request('PUT', `/api/pam/checkouts/${pending.body.id}`, {
      status: CheckoutStatus.Active,
    });
    secrets.push((await kelly.request('GET', `/api/pam/passwords/${DEMO_IDS.approvedCredential}`)).body.data);
    // An admin sets a known password; it must not show up either.
    const admin = await server.as('admin');
    secrets.push(admin.token, 'Admin-Chosen-Secret-4242');
    await admin.request('PUT', `/api/admin/credentials/${DEMO_IDS.selfApprovalCredential}/password`, {
      password: 'Admin-Chosen-Secret-4242',
    });
    // Failed logins with a password-looking string.
    await apiRequest(server.url, 'POST', '/api/auth/login', {
      username: 'bob',
      password: 'Guess-Secret-0001',
    });
    secrets.push('Guess-Secret-0001');
    await server.ctx.store.getUser(bob.userId); // force a read after the writes

    expect(server.logs.length).toBeGreaterThan(10);
    const logText = server.logs.join('');
    const files = fs.readdirSync(server.dataDir).filter((name) => name.startsWith('coffre.db'));
    expect(files).toContain('coffre.db');
    const disk = files
      .map((name) => fs.readFileSync(path.join(server.dataDir, name)).toString('latin1'))
      .join('');
    for (const secret of secrets) {
      expect(secret.length).toBeGreaterThan(8);
      expect(logText.includes(secret), `log contains ${secret.slice(0, 3)}…`).toBe(false);
      expect(disk.includes(secret), `database contains ${secret.slice(0, 3)}…`).toBe(false);
    }
    // Sanity: the database holds what it should, so the scan looked at real content.
    expect(disk).toContain('Bob — web01 local admin'.slice(0, 3));
    expect(disk).toContain('$argon2id$');
  });

  it('the master key file is created with mode 0600', () => {
    const mode = fs.statSync(path.join(server.dataDir, 'master.key')).mode & 0o777;
    expect(mode).toBe(0o600);
  });

  it('error bodies carry neither stack traces nor secrets', async () => {
    const bob = await server.as('bob');
    const response = await bob.request(
      'POST',
      '/api/pam/checkouts',
      '{"credentialID": "x", "password": "Leaky-Secret-777"',
    );
    expect(response.status).toBe(400);
    expect(response.text).not.toContain('Leaky-Secret-777');
    expect(response.text).not.toMatch(/\.ts:\d+|at [A-Za-z]+ \(/);
  });
});

describe('durability settings', () => {
  it('the store runs in WAL mode with a synchronous setting that survives a process crash', () => {
    const db = (server.ctx.store as unknown as { db: { pragma(sql: string, o: object): unknown } }).db;
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBeGreaterThanOrEqual(1);
    expect(db.pragma('user_version', { simple: true })).toBeGreaterThanOrEqual(1);
  });

  it('the audit trail is a hash chain that detects an edited row', async () => {
    expect(await server.ctx.store.verifyAuditChain()).toBeNull();
    const db = (
      server.ctx.store as unknown as { db: { prepare(sql: string): { run(...a: unknown[]): unknown } } }
    ).db;
    db.prepare("UPDATE audit SET details = 'edited' WHERE id = 3").run();
    expect(await server.ctx.store.verifyAuditChain()).toBe(3);
  });
});
