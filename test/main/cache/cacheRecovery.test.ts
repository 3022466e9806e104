import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCache } from '../../../main/cache/credentialCache.ts';
import { fakeKeyring } from '../../support/fakes.ts';
import { cacheFileBytes, credential, findInFiles, tempDir } from './support.ts';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

const TOKEN = 'tok_cafebabe0123456789abcdef';

function fill(file: string, keyring = fakeKeyring()) {
  const { cache } = openCache({ file, secretBox: keyring });
  cache.upsertCredentials([credential({ name: 'before' })]);
  cache.setMeta('lastSyncAt', '2025-01-01T00:00:00.000Z');
  cache.storeToken('p1', TOKEN);
  cache.close();
  return keyring;
}

/** After a reset the cache must be empty and fully usable, and keep what it is given. */
function expectFreshAndUsable(
  file: string,
  keyring: ReturnType<typeof fakeKeyring>,
  opened: ReturnType<typeof openCache>,
) {
  const { cache } = opened;
  expect(cache.credentialIds()).toEqual([]);
  expect(cache.getMeta('lastSyncAt')).toBeUndefined();
  expect(cache.loadToken('p1')).toBeUndefined();
  const after = credential({ name: 'after' });
  cache.upsertCredentials([after]);
  expect(cache.queryCredentials({ search: 'AFTER', offset: 0, limit: 10 }).data).toEqual([after]);
  expect(cache.storeToken('p1', 'new-token')).toBe(true);
  cache.close();
  const again = openCache({ file, secretBox: keyring });
  expect(again.opened).toBe('existing');
  expect(again.cache.credentialIds()).toEqual([after.id]);
  expect(again.cache.loadToken('p1')).toBe('new-token');
  again.cache.close();
}

describe('opening a cache that cannot be read', () => {
  it('rebuilds it when the keyring cannot unwrap the data key (another keyring)', () => {
    fill(tmp.file);
    const otherKeyring = fakeKeyring();
    const opened = openCache({ file: tmp.file, secretBox: otherKeyring });
    expect(opened.opened).toBe('reset');
    expect(opened.warningCode).toBe('cache_reset');
    expect(opened.warning).toMatch(/rebuilt/);
    expect(opened.cache.canPersistSecrets()).toBe(true);
    expectFreshAndUsable(tmp.file, otherKeyring, opened);
  });

  it('rebuilds it when the keyring returns a different key without failing', () => {
    const keyring = fill(tmp.file);
    const lying = { ...keyring, decrypt: () => Buffer.alloc(32, 7) };
    const opened = openCache({ file: tmp.file, secretBox: lying });
    expect(opened.opened).toBe('reset');
    expect(opened.warningCode).toBe('cache_reset');
    opened.cache.close();
  });

  it('rebuilds it when the file is not a database', () => {
    fs.writeFileSync(tmp.file, 'this is not an SQLite database, just text '.repeat(200));
    fs.writeFileSync(`${tmp.file}-wal`, 'junk');
    const keyring = fakeKeyring();
    const opened = openCache({ file: tmp.file, secretBox: keyring });
    expect(opened.opened).toBe('reset');
    expect(opened.warningCode).toBe('cache_reset');
    expectFreshAndUsable(tmp.file, keyring, opened);
  });

  it('rebuilds it when its pages are damaged', () => {
    const keyring = fill(tmp.file);
    const bytes = fs.readFileSync(tmp.file);
    // Keep the 100-byte header, so SQLite takes it for a database, and ruin the rest.
    bytes.fill(0xa7, 100);
    fs.writeFileSync(tmp.file, bytes);
    const opened = openCache({ file: tmp.file, secretBox: keyring });
    expect(opened.opened).toBe('reset');
    expectFreshAndUsable(tmp.file, keyring, opened);
  });

  it('rebuilds it when it was written by a newer version', () => {
    const keyring = fill(tmp.file);
    const db = new Database(tmp.file);
    db.pragma('user_version = 99');
    db.close();
    const opened = openCache({ file: tmp.file, secretBox: keyring });
    expect(opened.opened).toBe('reset');
    expectFreshAndUsable(tmp.file, keyring, opened);
  });

  it('rebuilds it when the file is some other SQLite database', () => {
    const db = new Database(tmp.file);
    db.exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES ('x');");
    db.pragma('user_version = 1');
    db.close();
    const keyring = fakeKeyring();
    const opened = openCache({ file: tmp.file, secretBox: keyring });
    expect(opened.opened).toBe('reset');
    expectFreshAndUsable(tmp.file, keyring, opened);
  });

  it('runs in memory, leaving the path alone, when the file cannot be opened at all', () => {
    const blocked = path.join(tmp.dir, 'is-a-directory');
    fs.mkdirSync(blocked);
    const opened = openCache({ file: blocked, secretBox: fakeKeyring() });
    expect(opened.warningCode).toBe('cache_reset');
    expect(opened.warning).toMatch(/memory/);
    expect(opened.cache.canPersistSecrets()).toBe(false);
    const c = credential({ name: 'kept in memory' });
    opened.cache.upsertCredentials([c]);
    expect(opened.cache.getCredential(c.id)).toEqual(c);
    opened.cache.close();
    expect(fs.statSync(blocked).isDirectory()).toBe(true);
  });

  it('runs in memory when the keyring refuses to wrap a new key', () => {
    const opened = openCache({ file: tmp.file, secretBox: fakeKeyring({ refuseEncrypt: true }) });
    expect(opened.warningCode).toBe('keyring_unavailable');
    expect(opened.cache.canPersistSecrets()).toBe(false);
    opened.cache.upsertCredentials([credential()]);
    opened.cache.close();
    expect(fs.existsSync(tmp.file)).toBe(false);
  });
});

describe('without a real OS keychain', () => {
  it("'basic_text': works and persists, but keeps no token, and says so", () => {
    const keyring = fakeKeyring({ state: 'basic_text' });
    const opened = openCache({ file: tmp.file, secretBox: keyring });
    expect(opened.opened).toBe('created');
    expect(opened.warningCode).toBe('keyring_plaintext');
    expect(opened.warning).toMatch(/keyring/i);
    const { cache } = opened;
    expect(cache.canPersistSecrets()).toBe(false);
    expect(cache.storeToken('p1', TOKEN)).toBe(false);
    expect(cache.loadToken('p1')).toBeUndefined();
    const c = credential({ name: 'still cached' });
    cache.upsertCredentials([c]);
    cache.setMeta('lastSyncAt', 'x');
    expect(findInFiles(cacheFileBytes(tmp.file), TOKEN)).toEqual([]);
    cache.close();
    expect(findInFiles(cacheFileBytes(tmp.file), TOKEN)).toEqual([]);
    const db = new Database(tmp.file, { readonly: true });
    expect(db.prepare('SELECT count(*) AS n FROM tokens').get()).toEqual({ n: 0 });
    expect((db.prepare('SELECT protection FROM keyring').get() as { protection: string }).protection).toBe(
      'basic_text',
    );
    db.close();

    const again = openCache({ file: tmp.file, secretBox: keyring });
    expect(again.opened).toBe('existing');
    expect(again.warningCode).toBe('keyring_plaintext');
    expect(again.cache.getCredential(c.id)).toEqual(c);
    again.cache.close();
  });

  it("'unavailable': works in memory for the session, writes nothing, leaves an earlier file as it was", () => {
    const keyring = fill(tmp.file);
    const before = fs.readFileSync(tmp.file);
    keyring.setState('unavailable');
    const opened = openCache({ file: tmp.file, secretBox: keyring });
    expect(opened.warningCode).toBe('keyring_unavailable');
    expect(opened.warning).toMatch(/unavailable/);
    const { cache } = opened;
    expect(cache.canPersistSecrets()).toBe(false);
    expect(cache.storeToken('p1', 'session-token')).toBe(false);
    expect(cache.loadToken('p1')).toBeUndefined();
    const c = credential({ name: 'session only' });
    cache.upsertCredentials([c]);
    expect(cache.queryCredentials({ search: 'session', offset: 0, limit: 5 }).data).toEqual([c]);
    cache.close();
    expect(fs.readFileSync(tmp.file).equals(before)).toBe(true);
    expect(findInFiles(cacheFileBytes(tmp.file), 'session-token')).toEqual([]);

    // The keyring is back: the earlier cache, token included, opens again.
    keyring.setState('os');
    const back = openCache({ file: tmp.file, secretBox: keyring });
    expect(back.opened).toBe('existing');
    expect(back.cache.loadToken('p1')).toBe(TOKEN);
    back.cache.close();
  });

  it("'unavailable' on a first start: no file at all", () => {
    const opened = openCache({ file: tmp.file, secretBox: fakeKeyring({ state: 'unavailable' }) });
    opened.cache.upsertCredentials([credential()]);
    opened.cache.close();
    expect(fs.existsSync(tmp.file)).toBe(false);
  });

  it('a key wrapped by the Linux fallback is wrapped by the OS keychain once there is one', () => {
    const keyring = fakeKeyring({ state: 'basic_text' });
    const first = openCache({ file: tmp.file, secretBox: keyring }).cache;
    const c = credential();
    first.upsertCredentials([c]);
    first.close();
    keyring.setState('os');
    const opened = openCache({ file: tmp.file, secretBox: keyring });
    expect(opened.opened).toBe('existing');
    expect(opened.warningCode).toBeNull();
    expect(opened.cache.canPersistSecrets()).toBe(true);
    expect(opened.cache.getCredential(c.id)).toEqual(c);
    expect(opened.cache.storeToken('p1', TOKEN)).toBe(true);
    opened.cache.close();
    const db = new Database(tmp.file, { readonly: true });
    expect((db.prepare('SELECT protection FROM keyring').get() as { protection: string }).protection).toBe(
      'os',
    );
    db.close();
  });

  it('tokens stored under the OS keychain are dropped when the keychain is gone', () => {
    const keyring = fill(tmp.file);
    // The same wrapping still opens (a fallback that happens to decrypt), but it is no longer a real keychain.
    keyring.setState('basic_text');
    const opened = openCache({ file: tmp.file, secretBox: keyring });
    expect(opened.opened).toBe('existing');
    expect(opened.cache.canPersistSecrets()).toBe(false);
    expect(opened.cache.loadToken('p1')).toBeUndefined();
    opened.cache.close();
    expect(findInFiles(cacheFileBytes(tmp.file), TOKEN)).toEqual([]);
    const db = new Database(tmp.file, { readonly: true });
    expect(db.prepare('SELECT count(*) AS n FROM tokens').get()).toEqual({ n: 0 });
    db.close();
  });
});
