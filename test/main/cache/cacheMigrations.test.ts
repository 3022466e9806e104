import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCache } from '../../../main/cache/credentialCache.ts';
import { CACHE_APPLICATION_ID, CACHE_MIGRATIONS } from '../../../main/cache/migrations.ts';
import { RowCipher } from '../../../main/cache/rowCipher.ts';
import { fakeKeyring } from '../../support/fakes.ts';
import { checkout, credential, tempDir } from './support.ts';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

function inspect(file: string) {
  const db = new Database(file, { readonly: true });
  const info = {
    userVersion: db.pragma('user_version', { simple: true }),
    applicationId: db.pragma('application_id', { simple: true }),
    journalMode: db.pragma('journal_mode', { simple: true }),
    tables: (
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as Array<{
        name: string;
      }>
    ).map((row) => row.name),
  };
  db.close();
  return info;
}

describe('cache schema migrations', () => {
  it('creates the current schema, in WAL mode, marked as a Coffre cache', () => {
    openCache({ file: tmp.file, secretBox: fakeKeyring() }).cache.close();
    expect(inspect(tmp.file)).toEqual({
      userVersion: CACHE_MIGRATIONS.length,
      applicationId: CACHE_APPLICATION_ID,
      journalMode: 'wal',
      tables: [
        'checkouts',
        'credential_data',
        'credentials',
        'index_snapshot',
        'keyring',
        'meta',
        'tokens',
        'vaults',
      ],
    });
  });

  it('brings a file of an older version up to date and keeps its rows', () => {
    const keyring = fakeKeyring();
    const first = openCache({ file: tmp.file, secretBox: keyring }).cache;
    const kept = credential({ name: 'written by version 1' });
    first.upsertCredentials([kept]);
    first.setMeta('lastSyncAt', '2025-02-03T04:05:06.000Z');
    first.close();
    // What version 1 of the schema left: no checkouts, no tokens.
    const db = new Database(tmp.file);
    db.exec('DROP TABLE checkouts; DROP TABLE tokens; DROP TABLE index_snapshot;');
    db.pragma('user_version = 1');
    db.close();
    expect(inspect(tmp.file).tables).not.toContain('tokens');

    const opened = openCache({ file: tmp.file, secretBox: keyring });
    expect(opened.opened).toBe('existing');
    const { cache } = opened;
    expect(cache.getCredential(kept.id)).toEqual(kept);
    expect(cache.queryCredentials({ search: 'version 1', offset: 0, limit: 5 }).total).toBe(1);
    expect(cache.getMeta('lastSyncAt')).toBe('2025-02-03T04:05:06.000Z');
    const c = checkout();
    cache.putCheckouts([c]);
    expect(cache.listCheckouts()).toEqual([c]);
    expect(cache.storeToken('p1', 'token')).toBe(true);
    cache.close();
    expect(inspect(tmp.file).userVersion).toBe(CACHE_MIGRATIONS.length);
  });

  it('folds again, from the full row, a search value written by an older version of the folding', () => {
    const keyring = fakeKeyring();
    const first = openCache({ file: tmp.file, secretBox: keyring }).cache;
    const c = credential({ name: 'Ærøskøbing', username: 'root', host: 'aero.example.com' });
    first.upsertCredentials([c]);
    first.close();
    // The fake keyring saw the data key when it wrapped it: seal a value in an old format with it.
    const cipher = new RowCipher(keyring.wrapped[0]!);
    const db = new Database(tmp.file);
    db.prepare('UPDATE credentials SET search = ? WHERE id = ?').run(
      cipher.seal(Buffer.from([0, 0, 0]), `credentials.search:${c.id}`),
      c.id,
    );
    db.exec('DELETE FROM index_snapshot');
    db.close();

    const opened = openCache({ file: tmp.file, secretBox: keyring });
    expect(opened.opened).toBe('existing');
    expect(opened.cache.queryCredentials({ search: 'aeroskobing', offset: 0, limit: 5 }).data).toEqual([c]);
    opened.cache.close();
    const again = openCache({ file: tmp.file, secretBox: keyring });
    expect(again.cache.queryCredentials({ search: 'AEROSKOBING', offset: 0, limit: 5 }).total).toBe(1);
    again.cache.close();
  });
});

describe('the index snapshot', () => {
  const snapshotRows = (file: string) => {
    const db = new Database(file, { readonly: true });
    const n = (db.prepare('SELECT count(*) AS n FROM index_snapshot').get() as { n: number }).n;
    db.close();
    return n;
  };

  it('is written at close, deleted with the first change, and written again', () => {
    const keyring = fakeKeyring();
    const first = openCache({ file: tmp.file, secretBox: keyring }).cache;
    const [a, b] = [credential({ name: 'alpha' }), credential({ name: 'bravo' })];
    first.upsertCredentials([a, b]);
    expect(snapshotRows(tmp.file)).toBe(0);
    first.close();
    expect(snapshotRows(tmp.file)).toBe(1);

    const cache = openCache({ file: tmp.file, secretBox: keyring }).cache;
    expect(cache.queryCredentials({ search: 'a', offset: 0, limit: 5 }).data).toEqual([a, b]);
    // Unchanged data changes nothing: the snapshot stays.
    cache.upsertCredentials([a]);
    expect(snapshotRows(tmp.file)).toBe(1);
    const c = credential({ name: 'charlie' });
    cache.upsertCredentials([c]);
    expect(snapshotRows(tmp.file)).toBe(0);
    expect(cache.queryCredentials({ search: 'CHAR', offset: 0, limit: 5 }).data).toEqual([c]);
    cache.close();
    expect(snapshotRows(tmp.file)).toBe(1);
    const again = openCache({ file: tmp.file, secretBox: keyring }).cache;
    expect(again.queryCredentials({ offset: 0, limit: 5 }).data).toEqual([a, b, c]);
    again.removeCredentials([b.id]);
    expect(snapshotRows(tmp.file)).toBe(0);
    again.close();
  });

  it('is not used when it does not match the rows, or does not open', () => {
    const keyring = fakeKeyring();
    const first = openCache({ file: tmp.file, secretBox: keyring }).cache;
    const [a, b] = [credential({ name: 'alpha' }), credential({ name: 'bravo' })];
    first.upsertCredentials([a, b]);
    first.close();
    let db = new Database(tmp.file);
    db.prepare('DELETE FROM credentials WHERE id = ?').run(b.id);
    db.close();
    let opened = openCache({ file: tmp.file, secretBox: keyring });
    expect(opened.opened).toBe('existing');
    expect(opened.cache.credentialIds()).toEqual([a.id]);
    opened.cache.close();

    db = new Database(tmp.file);
    db.prepare('UPDATE index_snapshot SET data = ?').run(Buffer.alloc(64, 1));
    db.close();
    opened = openCache({ file: tmp.file, secretBox: keyring });
    expect(opened.opened).toBe('existing');
    expect(opened.cache.queryCredentials({ search: 'alp', offset: 0, limit: 5 }).data).toEqual([a]);
    opened.cache.close();
  });
});
