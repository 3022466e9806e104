import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type Settings } from '../../../common/ipc.ts';
import { openCache } from '../../../main/cache/credentialCache.ts';
import { fakeKeyring } from '../../support/fakes.ts';
import { cacheFileBytes, checkout, credential, findInFiles, tempDir, vault } from './support.ts';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

// Distinctive values: any of them found in the files means something was stored in clear.
const SECRETS = {
  name: 'Quixotic-Payroll-Database',
  username: 'zanzibar.operator',
  host: 'vortex-7731.internal.example',
  description: 'Marmalade runbook',
  vaultName: 'Bergamot Vault',
  reason: 'Incident Xylophone',
  serverUrl: 'https://pam.fjordland.example',
  token: 'tok_9f8e7d6c5b4a39281706f5e4d3c2b1a0',
  cursor: 'cursor-Lemniscate',
};

function writeEverything(cache: ReturnType<typeof openCache>['cache']) {
  const stored = credential({
    name: SECRETS.name,
    username: SECRETS.username,
    host: SECRETS.host,
    description: SECRETS.description,
  });
  cache.upsertVaults([vault({ name: SECRETS.vaultName })]);
  cache.upsertCredentials([stored, credential({ name: `${SECRETS.name} replica` })]);
  cache.putCheckouts([checkout({ credentialName: SECRETS.name, reason: SECRETS.reason })]);
  const settings: Settings = {
    ...DEFAULT_SETTINGS,
    profiles: [
      { id: 'prod', name: 'Prod', url: SECRETS.serverUrl, dialect: 'checkout' } as Settings['profiles'][0],
    ],
  };
  cache.setMeta('settings', settings);
  cache.setMeta('syncCursor', SECRETS.cursor);
  return { stored, tokenStored: cache.storeToken('prod', SECRETS.token) };
}

describe('the cache at rest', () => {
  it('holds no credential name, username, host, token or setting in clear, in the database or its WAL', () => {
    const { cache } = openCache({ file: tmp.file, secretBox: fakeKeyring() });
    const { stored, tokenStored } = writeEverything(cache);
    expect(tokenStored).toBe(true);

    // While open: the recent writes sit in the -wal file.
    const open = cacheFileBytes(tmp.file);
    expect([...open.keys()]).toContain('cache.db-wal');
    expect(open.get('cache.db-wal')!.length).toBeGreaterThan(0);
    // Positive control: row ids are stored in clear, so the scan does read the right bytes.
    expect(findInFiles(open, stored.id).length).toBeGreaterThan(0);
    for (const [what, value] of Object.entries(SECRETS)) {
      expect({ what, found: findInFiles(open, value) }).toEqual({ what, found: [] });
    }

    // After close: checkpointed into the database file.
    cache.close();
    const closed = cacheFileBytes(tmp.file);
    expect(findInFiles(closed, stored.id)).toEqual(['cache.db']);
    for (const [what, value] of Object.entries(SECRETS)) {
      expect({ what, found: findInFiles(closed, value) }).toEqual({ what, found: [] });
    }
  });

  it('stores the data key only wrapped by the keyring', () => {
    const keyring = fakeKeyring();
    openCache({ file: tmp.file, secretBox: keyring }).cache.close();
    const dataKey = keyring.wrapped[0]!;
    expect(dataKey).toHaveLength(32);
    expect(cacheFileBytes(tmp.file).get('cache.db')!.includes(dataKey)).toBe(false);
    const db = new Database(tmp.file, { readonly: true });
    const row = db.prepare('SELECT protection, wrapped FROM keyring').get() as {
      protection: string;
      wrapped: Buffer;
    };
    db.close();
    expect(row.protection).toBe('os');
    expect(keyring.decrypt(row.wrapped).equals(dataKey)).toBe(true);
  });

  it('binds each value to its row: swapped credential data does not open, and the rows are dropped', () => {
    const keyring = fakeKeyring();
    const first = openCache({ file: tmp.file, secretBox: keyring }).cache;
    const a = credential({ name: 'alpha' });
    const b = credential({ name: 'bravo' });
    const c = credential({ name: 'charlie' });
    first.upsertCredentials([a, b, c]);
    first.close();
    const db = new Database(tmp.file);
    const rid = (id: string) =>
      (db.prepare('SELECT rid FROM credentials WHERE id = ?').get(id) as { rid: number }).rid;
    const data = (r: number) =>
      (db.prepare('SELECT data FROM credential_data WHERE rid = ?').get(r) as { data: Buffer }).data;
    const [ra, rb] = [rid(a.id), rid(b.id)];
    const [da, dbb] = [data(ra), data(rb)];
    db.prepare('UPDATE credential_data SET data = ? WHERE rid = ?').run(dbb, ra);
    db.prepare('UPDATE credential_data SET data = ? WHERE rid = ?').run(da, rb);
    db.close();

    const opened = openCache({ file: tmp.file, secretBox: keyring });
    expect(opened.opened).toBe('existing');
    const cache = opened.cache;
    // Never the other credential's data under this id.
    expect(cache.getCredential(a.id)).toBeUndefined();
    expect(cache.queryCredentials({ offset: 0, limit: 10 })).toEqual({ data: [c], total: 1 });
    expect(cache.credentialIds()).toEqual([c.id]);
    // Gone for good: the next sync writes them again.
    cache.upsertCredentials([a, b]);
    expect(cache.getCredential(a.id)).toEqual(a);
    cache.close();
  });

  it('rebuilds the cache when a search value is moved to another row', () => {
    const keyring = fakeKeyring();
    const first = openCache({ file: tmp.file, secretBox: keyring }).cache;
    const a = credential({ name: 'alpha' });
    const b = credential({ name: 'bravo' });
    first.upsertCredentials([a, b]);
    first.close();
    const db = new Database(tmp.file);
    const search = (id: string) =>
      (db.prepare('SELECT search FROM credentials WHERE id = ?').get(id) as { search: Buffer }).search;
    const [sa, sb] = [search(a.id), search(b.id)];
    db.prepare('UPDATE credentials SET search = ? WHERE id = ?').run(sb, a.id);
    db.prepare('UPDATE credentials SET search = ? WHERE id = ?').run(sa, b.id);
    // Without the snapshot written at close, as after a crash: the index is read from the rows.
    db.exec('DELETE FROM index_snapshot');
    db.close();
    const opened = openCache({ file: tmp.file, secretBox: keyring });
    expect(opened.opened).toBe('reset');
    expect(opened.cache.credentialIds()).toEqual([]);
    opened.cache.close();
  });

  it('wipe() leaves no earlier ciphertext in the files (secure_delete, WAL truncated)', () => {
    const { cache } = openCache({ file: tmp.file, secretBox: fakeKeyring() });
    const many = Array.from({ length: 200 }, (_, i) =>
      credential({ name: `row ${i}`, description: 'x'.repeat(300) }),
    );
    cache.upsertCredentials(many);
    const reader = new Database(tmp.file, { readonly: true });
    const blobs = (reader.prepare('SELECT data FROM credential_data').all() as Array<{ data: Buffer }>).map(
      (r) => r.data,
    );
    reader.close();
    expect(blobs).toHaveLength(200);
    const before = cacheFileBytes(tmp.file);
    expect(blobs.every((blob) => [...before.values()].some((bytes) => bytes.includes(blob)))).toBe(true);

    cache.wipe();
    const after = cacheFileBytes(tmp.file);
    for (const blob of blobs) {
      for (const bytes of after.values()) expect(bytes.includes(blob.subarray(0, 64))).toBe(false);
    }
    cache.close();
  });
});
