/**
 * Tamper evidence of the audit trail on a real data directory: a server writes a trail through its
 * API and stops; then each case edits, deletes or inserts rows of a copy of the database with
 * plain SQL (as someone with the file would), and the store, opened on that copy as the server
 * opens it, names the first row that does not verify.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckoutStatus } from '../../common/checkout.ts';
import { DEMO_IDS, DEMO_PASSWORD } from '../../server/demo.ts';
import { ManualClock } from '../../server/domain/clock.ts';
import { createLogger } from '../../server/logger.ts';
import { startServer } from '../../server/startServer.ts';
import { AUDIT_GENESIS_HASH, auditRowHash } from '../../server/store/auditChain.ts';
import { SqliteStore } from '../../server/store/sqliteStore.ts';
import { login } from './support.ts';

interface AuditRow {
  id: number;
  at: number;
  actor_id: string | null;
  actor_name: string | null;
  action: string;
  credential_id: string | null;
  checkout_id: string | null;
  details: string;
  prev_hash: string;
  hash: string;
}

const hashOf = (prevHash: string, row: Omit<AuditRow, 'prev_hash' | 'hash'>) =>
  auditRowHash(prevHash, {
    id: row.id,
    at: row.at,
    actorId: row.actor_id,
    actorName: row.actor_name,
    action: row.action,
    credentialId: row.credential_id,
    checkoutId: row.checkout_id,
    details: row.details,
  });

let original: string;
const copies: string[] = [];
let rowCount: number;

beforeAll(async () => {
  original = fs.mkdtempSync(path.join(os.tmpdir(), 'coffre-tamper-'));
  const server = await startServer({
    dataDir: original,
    host: '127.0.0.1',
    port: 0,
    demo: true,
    clock: new ManualClock('2026-04-01T10:00:00.000Z'),
    sweepIntervalMs: 0,
    logger: createLogger({ level: 'silent' }),
    masterKeyEnv: undefined,
  });
  try {
    const bob = await login(server.url, 'bob', DEMO_PASSWORD);
    const kelly = await login(server.url, 'kelly', DEMO_PASSWORD);
    const alice = await login(server.url, 'alice', DEMO_PASSWORD);
    const mine = await bob.request('POST', '/api/pam/checkouts', { credentialID: DEMO_IDS.autoCredential });
    expect(mine.status).toBe(201);
    expect((await bob.request('GET', `/api/pam/passwords/${DEMO_IDS.autoCredential}`)).status).toBe(200);
    const checkin = await bob.request('PUT', `/api/pam/checkouts/${mine.body.id}`, {
      status: CheckoutStatus.Ended,
    });
    expect(checkin.status).toBe(200);
    const request = await kelly.request('POST', '/api/pam/checkouts', {
      credentialID: DEMO_IDS.approvedCredential,
      approverID: DEMO_IDS.alice,
      reason: 'patching',
    });
    expect(request.status).toBe(201);
    const denied = await alice.request('PUT', `/api/pam/checkouts/${request.body.id}`, {
      status: CheckoutStatus.Denied,
      approverMessage: 'not today',
    });
    expect(denied.status).toBe(200);
    expect(await server.ctx.store.verifyAuditChain()).toBeNull();
  } finally {
    await server.close();
  }
  const db = new Database(path.join(original, 'coffre.db'), { readonly: true });
  rowCount = (db.prepare('SELECT COUNT(*) AS n FROM audit').get() as { n: number }).n;
  db.close();
  expect(rowCount).toBeGreaterThan(20);
});

afterAll(() => {
  for (const dir of [original, ...copies]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** Tampers with a copy of the data directory through SQL, then verifies it as the server would. */
async function tamperAndVerify(tamper: (db: Database.Database, rows: AuditRow[]) => void) {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'coffre-tampered-'));
  copies.push(copy);
  fs.cpSync(original, copy, { recursive: true });
  const file = path.join(copy, 'coffre.db');
  const db = new Database(file);
  try {
    const rows = db.prepare('SELECT * FROM audit ORDER BY id').all() as AuditRow[];
    db.transaction(() => tamper(db, rows))();
  } finally {
    db.close();
  }
  const store = new SqliteStore({ file });
  try {
    return await store.verifyAuditChain();
  } finally {
    store.close();
  }
}

/** A row in the middle of the trail, away from both ends. */
const middle = () => Math.floor(rowCount / 2);

describe('the audit chain names the first row that does not verify', () => {
  it('an untouched copy verifies', async () => {
    expect(await tamperAndVerify(() => undefined)).toBeNull();
  });

  describe('an edited row', () => {
    const edits: Array<[string, string, unknown]> = [
      ['details', 'details', 'nothing to see'],
      ['the actor', 'actor_name', 'mallory'],
      ['the action', 'action', 'credential.deleted'],
      ['the time', 'at', -1],
      ['the checkout it names', 'checkout_id', '00000000-dead-4bad-8bad-000000000000'],
    ];
    for (const [what, column, value] of edits) {
      it(`${what}: that row`, async () => {
        const k = middle();
        const bad = await tamperAndVerify((db, rows) => {
          // A real change: the value differs from what the row holds.
          expect(rows.find((row) => row.id === k)![column as keyof AuditRow]).not.toBe(value);
          db.prepare(`UPDATE audit SET ${column} = ? WHERE id = ?`).run(value, k);
        });
        expect(bad).toBe(k);
      });
    }

    it('only its stored hash: that row', async () => {
      const k = middle();
      expect(
        await tamperAndVerify((db) =>
          db.prepare('UPDATE audit SET hash = ? WHERE id = ?').run('f'.repeat(64), k),
        ),
      ).toBe(k);
    });

    it('edited and its own hash recomputed: the next row, whose link no longer matches', async () => {
      const k = middle();
      const bad = await tamperAndVerify((db, rows) => {
        const row = { ...rows.find((r) => r.id === k)!, details: 'rewritten' };
        db.prepare('UPDATE audit SET details = ?, hash = ? WHERE id = ?').run(
          row.details,
          hashOf(row.prev_hash, row),
          k,
        );
      });
      expect(bad).toBe(k + 1);
    });

    it('the last row: that row', async () => {
      expect(
        await tamperAndVerify((db) =>
          db.prepare("UPDATE audit SET details = 'x' WHERE id = ?").run(rowCount),
        ),
      ).toBe(rowCount);
    });
  });

  describe('a deleted row', () => {
    it('in the middle: the row after it', async () => {
      const k = middle();
      expect(await tamperAndVerify((db) => db.prepare('DELETE FROM audit WHERE id = ?').run(k))).toBe(k + 1);
    });

    it('the first: the new first row, which does not start from the genesis hash', async () => {
      expect(await tamperAndVerify((db) => db.prepare('DELETE FROM audit WHERE id = 1').run())).toBe(2);
    });

    it('several in a row: the first row after the gap', async () => {
      const k = middle();
      expect(
        await tamperAndVerify((db) => db.prepare('DELETE FROM audit WHERE id BETWEEN ? AND ?').run(k, k + 3)),
      ).toBe(k + 4);
    });
  });

  describe('an inserted row', () => {
    const insert = (db: Database.Database, row: AuditRow) =>
      db
        .prepare(
          `INSERT INTO audit (id, at, actor_id, actor_name, action, credential_id, checkout_id, details, prev_hash, hash)
           VALUES (@id, @at, @actor_id, @actor_name, @action, @credential_id, @checkout_id, @details, @prev_hash, @hash)`,
        )
        .run(row);
    const forged = (id: number, prev: AuditRow): AuditRow => ({
      id,
      at: prev.at,
      actor_id: DEMO_IDS.bob,
      actor_name: 'bob',
      action: 'checkout.checkedin',
      credential_id: DEMO_IDS.autoCredential,
      checkout_id: null,
      details: '',
      prev_hash: prev.hash,
      hash: '0'.repeat(64),
    });

    it('appended with a made-up hash: that row', async () => {
      const bad = await tamperAndVerify((db, rows) => insert(db, forged(rowCount + 1, rows.at(-1)!)));
      expect(bad).toBe(rowCount + 1);
    });

    it('slipped in the middle, correctly chained on its predecessor: the row after it', async () => {
      const k = middle();
      const bad = await tamperAndVerify((db, rows) => {
        // Make room: move every later row one id up (from the end, so ids never collide).
        for (const row of rows.filter((r) => r.id > k).reverse()) {
          db.prepare('UPDATE audit SET id = ? WHERE id = ?').run(row.id + 1, row.id);
        }
        const row = forged(k + 1, rows.find((r) => r.id === k)!);
        insert(db, { ...row, hash: hashOf(row.prev_hash, row) });
      });
      // The forged row itself verifies; the one after it was hashed under another id and link.
      expect(bad).toBe(k + 2);
    });

    it('slipped in the middle with a made-up hash: that row', async () => {
      const k = middle();
      const bad = await tamperAndVerify((db, rows) => {
        for (const row of rows.filter((r) => r.id > k).reverse()) {
          db.prepare('UPDATE audit SET id = ? WHERE id = ?').run(row.id + 1, row.id);
        }
        insert(db, forged(k + 1, rows.find((r) => r.id === k)!));
      });
      expect(bad).toBe(k + 1);
    });
  });

  it('the genesis link is the all-zero hash', async () => {
    const db = new Database(path.join(original, 'coffre.db'), { readonly: true });
    try {
      const first = db.prepare('SELECT * FROM audit WHERE id = 1').get() as AuditRow;
      expect(first.prev_hash).toBe(AUDIT_GENESIS_HASH);
      expect(first.hash).toBe(hashOf(AUDIT_GENESIS_HASH, first));
    } finally {
      db.close();
    }
  });
});
