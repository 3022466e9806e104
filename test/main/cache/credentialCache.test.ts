import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CheckoutStatus } from '../../../common/checkout.ts';
import { DEFAULT_SETTINGS, type Settings } from '../../../common/ipc.ts';
import { MAX_CACHED_CHECKOUTS, openCache, RECENT_ROWS } from '../../../main/cache/credentialCache.ts';
import { fakeKeyring } from '../../support/fakes.ts';
import { checkout, credential, tempDir, VAULT_A, VAULT_B, vault } from './support.ts';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

describe('the credential cache', () => {
  it('the cache opens under plain Node: this test process never loads electron', () => {
    const keyring = fakeKeyring();
    const opened = openCache({ file: tmp.file, secretBox: keyring });
    expect(process.versions.electron).toBeUndefined();
    expect(opened.opened).toBe('created');
    expect(opened.warning).toBeNull();
    expect(opened.warningCode).toBeNull();
    expect(opened.cache.canPersistSecrets()).toBe(true);
    // One random 32-byte data key, wrapped by the keyring once.
    expect(keyring.wrapped).toHaveLength(1);
    expect(keyring.wrapped[0]).toHaveLength(32);
    opened.cache.close();
    const again = openCache({ file: tmp.file, secretBox: keyring });
    expect(again.opened).toBe('existing');
    again.cache.close();
    // And nothing in main/cache could pull electron in.
    const dir = path.join(import.meta.dirname, '../../../main/cache');
    for (const name of fs.readdirSync(dir)) {
      expect({
        name,
        importsElectron: /from ['"]electron['"]/.test(fs.readFileSync(path.join(dir, name), 'utf8')),
      }).toEqual({
        name,
        importsElectron: false,
      });
    }
  });

  it('keeps vaults, credentials, checkouts, meta and tokens across a close and reopen', () => {
    const keyring = fakeKeyring();
    const first = openCache({ file: tmp.file, secretBox: keyring }).cache;
    const vaults = [vault({ name: 'Zèbre' }), vault({ name: 'alpha' }), vault({ name: 'Élan' })];
    const credentials = [credential({ name: 'web' }), credential({ name: 'db', vaultID: VAULT_B })];
    const checkouts = [
      checkout({ requestDateTime: '2025-01-02T00:00:00.000Z' }),
      checkout({ requestDateTime: '2025-03-01T00:00:00.000Z', status: CheckoutStatus.Ended }),
    ];
    const settings: Settings = {
      ...DEFAULT_SETTINGS,
      profiles: [
        {
          id: 'p1',
          name: 'Prod',
          url: 'https://pam.example.com',
          dialect: 'checkout',
        } as Settings['profiles'][0],
      ],
      lastProfileId: 'p1',
    };
    first.upsertVaults(vaults);
    first.upsertCredentials(credentials);
    first.putCheckouts(checkouts);
    first.setMeta('settings', settings);
    first.setMeta('lastSyncAt', '2025-01-01T10:00:00.000Z');
    first.setMeta('syncCursor', { page: 3, etag: 'W/"x"' });
    expect(first.storeToken('p1', 'token-value')).toBe(true);
    first.close();

    const cache = openCache({ file: tmp.file, secretBox: keyring }).cache;
    expect(cache.listVaults().map((v) => v.name)).toEqual(['alpha', 'Élan', 'Zèbre']);
    expect(cache.getCredential(credentials[1]!.id)).toEqual(credentials[1]);
    expect(cache.credentialIds().sort()).toEqual(credentials.map((c) => c.id).sort());
    expect(cache.listCheckouts()).toEqual([checkouts[1], checkouts[0]]);
    expect(cache.getMeta<Settings>('settings')).toEqual(settings);
    expect(cache.getMeta<string>('lastSyncAt')).toBe('2025-01-01T10:00:00.000Z');
    expect(cache.getMeta('syncCursor')).toEqual({ page: 3, etag: 'W/"x"' });
    expect(cache.getMeta('never set')).toBeUndefined();
    expect(cache.loadToken('p1')).toBe('token-value');
    expect(cache.loadToken('other')).toBeUndefined();
    cache.close();
  });

  it('replaces and removes by id', () => {
    const cache = openCache({ file: tmp.file, secretBox: fakeKeyring() }).cache;
    const a = credential({ name: 'alpha' });
    const b = credential({ name: 'bravo' });
    cache.upsertCredentials([a, b]);
    cache.upsertCredentials([{ ...a, name: 'zulu', host: 'moved.example.com' }]);
    expect(cache.getCredential(a.id)?.name).toBe('zulu');
    expect(cache.queryCredentials({ offset: 0, limit: 10 }).data.map((c) => c.name)).toEqual([
      'bravo',
      'zulu',
    ]);
    cache.removeCredentials([b.id, 'not-cached']);
    expect(cache.credentialIds()).toEqual([a.id]);
    expect(cache.getCredential(b.id)).toBeUndefined();
    expect(cache.queryCredentials({ search: 'bravo', offset: 0, limit: 10 })).toEqual({ data: [], total: 0 });

    const v = vault({ name: 'gone' });
    cache.upsertVaults([v, { ...v, name: 'renamed' }]);
    expect(cache.listVaults().map((x) => x.name)).toEqual(['renamed']);
    cache.removeVaults([v.id]);
    expect(cache.listVaults()).toEqual([]);

    const c = checkout({ status: CheckoutStatus.Pending });
    cache.putCheckouts([c]);
    cache.putCheckouts([{ ...c, status: CheckoutStatus.Active }]);
    expect(cache.listCheckouts()).toEqual([{ ...c, status: CheckoutStatus.Active }]);

    cache.setMeta('offlineSince', '2025-01-01T00:00:00.000Z');
    cache.setMeta('offlineSince', undefined);
    expect(cache.getMeta('offlineSince')).toBeUndefined();
    cache.storeToken('p1', 'secret');
    cache.clearToken('p1');
    expect(cache.loadToken('p1')).toBeUndefined();
    cache.close();
  });

  it('writes a batch of credentials in one transaction: a bad item leaves nothing of the batch', () => {
    const cache = openCache({ file: tmp.file, secretBox: fakeKeyring() }).cache;
    const kept = credential({ name: 'kept' });
    cache.upsertCredentials([kept]);
    const good = credential({ name: 'good' });
    const bad = { ...credential({ name: 'bad' }), vaultID: undefined } as unknown as typeof good;
    expect(() => cache.upsertCredentials([good, bad])).toThrow();
    expect(cache.credentialIds()).toEqual([kept.id]);
    expect(cache.getCredential(good.id)).toBeUndefined();
    expect(cache.queryCredentials({ search: 'good', offset: 0, limit: 10 }).total).toBe(0);
    cache.close();
  });

  it('does not rewrite a credential that a sync brings again unchanged', () => {
    const keyring = fakeKeyring();
    const cache = openCache({ file: tmp.file, secretBox: keyring }).cache;
    const a = credential({ name: 'stable' });
    const b = credential({ name: 'changing' });
    cache.upsertCredentials([a, b]);
    cache.close();
    const rows = () => {
      const db = new Database(tmp.file, { readonly: true });
      const result = db
        .prepare('SELECT c.id, c.search, d.data FROM credentials c JOIN credential_data d USING (rid)')
        .all();
      db.close();
      return new Map((result as Array<{ id: string; search: Buffer; data: Buffer }>).map((r) => [r.id, r]));
    };
    const before = rows();
    const again = openCache({ file: tmp.file, secretBox: keyring }).cache;
    again.upsertCredentials([{ ...a }, { ...b, description: 'now described' }]);
    again.close();
    const after = rows();
    // Same bytes: not sealed again (a new seal has a new random IV).
    expect(after.get(a.id)).toEqual(before.get(a.id));
    expect(after.get(b.id)!.data.equals(before.get(b.id)!.data)).toBe(false);
  });

  it('keeps the newest checkouts only', () => {
    const cache = openCache({ file: tmp.file, secretBox: fakeKeyring() }).cache;
    const many = Array.from({ length: MAX_CACHED_CHECKOUTS + 5 }, (_, i) =>
      checkout({ requestDateTime: new Date(Date.UTC(2025, 0, 1) + i * 60_000).toISOString() }),
    );
    cache.putCheckouts(many);
    const kept = cache.listCheckouts();
    expect(kept).toHaveLength(MAX_CACHED_CHECKOUTS);
    expect(kept[0]).toEqual(many.at(-1));
    expect(kept.at(-1)).toEqual(many[5]);
    cache.close();
  });

  it('wipe() empties everything, replaces the data key and stays usable', () => {
    const keyring = fakeKeyring();
    const cache = openCache({ file: tmp.file, secretBox: keyring }).cache;
    cache.upsertVaults([vault()]);
    cache.upsertCredentials([credential({ name: 'before wipe' })]);
    cache.putCheckouts([checkout()]);
    cache.setMeta('settings', DEFAULT_SETTINGS);
    cache.storeToken('p1', 'token');
    cache.wipe();
    expect(keyring.wrapped).toHaveLength(2);
    expect(keyring.wrapped[1]!.equals(keyring.wrapped[0]!)).toBe(false);
    expect(cache.listVaults()).toEqual([]);
    expect(cache.credentialIds()).toEqual([]);
    expect(cache.queryCredentials({ offset: 0, limit: 10 })).toEqual({ data: [], total: 0 });
    expect(cache.listCheckouts()).toEqual([]);
    expect(cache.getMeta('settings')).toBeUndefined();
    expect(cache.loadToken('p1')).toBeUndefined();
    const after = credential({ name: 'after wipe' });
    cache.upsertCredentials([after]);
    cache.close();
    const reopened = openCache({ file: tmp.file, secretBox: keyring });
    expect(reopened.opened).toBe('existing');
    expect(reopened.cache.credentialIds()).toEqual([after.id]);
    reopened.cache.close();
  });

  it('has no way to store a password: no method takes one and a Credential has no such field', () => {
    const cache = openCache({ file: tmp.file, secretBox: fakeKeyring() }).cache;
    const methods = Object.getOwnPropertyNames(Object.getPrototypeOf(cache)).filter((name) =>
      /password/i.test(name),
    );
    expect(methods).toEqual([]);
    expect(Object.keys(credential())).not.toContain('password');
    cache.close();
  });

  it('queries by vault', () => {
    const cache = openCache({ file: tmp.file, secretBox: fakeKeyring() }).cache;
    cache.upsertCredentials([
      credential({ name: 'a1', vaultID: VAULT_A }),
      credential({ name: 'b1', vaultID: VAULT_B }),
      credential({ name: 'a2', vaultID: VAULT_A }),
    ]);
    expect(
      cache.queryCredentials({ vaultId: VAULT_A, offset: 0, limit: 10 }).data.map((c) => c.name),
    ).toEqual(['a1', 'a2']);
    expect(cache.queryCredentials({ vaultId: VAULT_B, search: 'A1', offset: 0, limit: 10 }).total).toBe(0);
    expect(cache.queryCredentials({ vaultId: VAULT_B, search: 'B1', offset: 0, limit: 10 }).total).toBe(1);
    expect(cache.queryCredentials({ vaultId: 'no-such-vault', offset: 0, limit: 10 })).toEqual({
      data: [],
      total: 0,
    });
    cache.close();
  });

  it('pages through more credentials than it keeps decrypted, forwards and back, losing none', () => {
    const cache = openCache({ file: tmp.file, secretBox: fakeKeyring() }).cache;
    const all = Array.from({ length: RECENT_ROWS + 500 }, (_, i) =>
      credential({ name: `node-${String(i).padStart(5, '0')}` }),
    );
    for (let i = 0; i < all.length; i += 1000) cache.upsertCredentials(all.slice(i, i + 1000));
    const pages = (offsets: number[]) =>
      offsets.flatMap((offset) => cache.queryCredentials({ search: 'node', offset, limit: 1000 }).data);
    expect(pages([0, 1000, 2000])).toEqual(all);
    expect(pages([2000, 1000, 0])).toEqual([
      ...all.slice(2000),
      ...all.slice(1000, 2000),
      ...all.slice(0, 1000),
    ]);
    expect(cache.credentialIds()).toHaveLength(all.length);
    // A changed credential is never answered from what was read before.
    const changed = { ...all[10]!, description: 'changed' };
    cache.upsertCredentials([changed]);
    expect(cache.queryCredentials({ search: 'node-00010', offset: 0, limit: 1 }).data).toEqual([changed]);
    expect(cache.getCredential(changed.id)).toEqual(changed);
    cache.close();
  });
});
