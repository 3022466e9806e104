/** Accounts and where their tokens live: the OS keychain (a fake here) or a 0600 file; never both. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { configDir, type KeychainPort, SessionStore, systemKeychain } from '../../cli/sessionStore.ts';

const TOKEN = 'tok_0123456789abcdef0123456789abcdef';
const SESSION = {
  server: 'https://pam.example.com',
  dialect: 'checkout' as const,
  username: 'bob',
  user: {
    id: 'b0b0b0b0-1111-4a4a-8b8b-000000000001',
    username: 'bob',
    displayName: 'Bob',
    roles: ['user' as const],
  },
  expiresAt: '2026-01-01T17:00:00.000Z',
  ca: null,
};

function fakeKeychain(options: { failing?: boolean } = {}) {
  const entries = new Map<string, string>();
  const keychain: KeychainPort = {
    get: async (account) => entries.get(account) ?? null,
    set: async (account, secret) => {
      if (options.failing) throw new Error('no secret service');
      entries.set(account, secret);
    },
    delete: async (account) => {
      entries.delete(account);
    },
  };
  return { keychain, entries };
}

const dirs: string[] = [];
function tempDir(): string {
  const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'coffre-store-')), 'coffre');
  dirs.push(path.dirname(dir));
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

const mode = (file: string) => fs.statSync(file).mode & 0o777;

const BOB = 'bob@https://pam.example.com';
const ALICE = 'alice@https://pam.example.com';
const ALICE_SESSION = { ...SESSION, username: 'alice', user: { ...SESSION.user, username: 'alice' } };

describe('SessionStore', () => {
  it('without a keychain: the token in a 0600 file, the directory 0700', async () => {
    const store = new SessionStore({ dir: tempDir(), keychain: null });
    const saved = await store.save(SESSION, TOKEN);
    expect(saved).toEqual({ account: BOB, tokenStore: 'file' });
    expect(JSON.parse(fs.readFileSync(store.tokenFile, 'utf8'))).toEqual({ [BOB]: TOKEN });
    if (process.platform !== 'win32') {
      expect(mode(store.tokenFile)).toBe(0o600);
      expect(mode(store.accountsFile)).toBe(0o600);
      expect(mode(store.dir)).toBe(0o700);
    }
    expect(fs.readFileSync(store.accountsFile, 'utf8')).not.toContain(TOKEN);
    expect(await store.load()).toEqual({
      account: BOB,
      config: { ...SESSION, tokenStore: 'file' },
      token: TOKEN,
    });
  });

  it('a token file left by someone else with loose permissions is replaced with 0600', async () => {
    const dir = tempDir();
    fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
    fs.writeFileSync(path.join(dir, 'tokens.json'), '{}', { mode: 0o644 });
    const store = new SessionStore({ dir, keychain: null });
    await store.save(SESSION, TOKEN);
    if (process.platform !== 'win32') {
      expect(mode(store.tokenFile)).toBe(0o600);
      expect(mode(dir)).toBe(0o700);
    }
  });

  it('with a keychain: the token only there, accounts.json without it, no token file', async () => {
    const { keychain, entries } = fakeKeychain();
    const store = new SessionStore({ dir: tempDir(), keychain });
    // A previous file-based session of the account must not leave its token in the file.
    await new SessionStore({ dir: store.dir, keychain: null }).save(SESSION, 'old-token');
    expect(fs.existsSync(store.tokenFile)).toBe(true);

    expect(await store.save(SESSION, TOKEN)).toEqual({
      account: BOB,
      tokenStore: 'keychain',
      replacedToken: 'old-token',
    });
    expect(entries.get(BOB)).toBe(TOKEN);
    expect(fs.existsSync(store.tokenFile)).toBe(false);
    const accounts = fs.readFileSync(store.accountsFile, 'utf8');
    expect(accounts).not.toContain(TOKEN);
    expect(JSON.parse(accounts).accounts[BOB]).toMatchObject({
      server: SESSION.server,
      tokenStore: 'keychain',
    });
    expect((await store.load())?.token).toBe(TOKEN);

    await store.remove(BOB);
    expect(entries.size).toBe(0);
    expect(store.list()).toEqual({ current: null, accounts: [] });
    expect(await store.load()).toBeNull();
  });

  it('falls back to the file when the keychain fails, and says why once only', async () => {
    const { keychain } = fakeKeychain({ failing: true });
    const store = new SessionStore({ dir: tempDir(), keychain });
    expect(await store.save(SESSION, TOKEN)).toEqual({
      account: BOB,
      tokenStore: 'file',
      keychainError: 'no secret service',
    });
    expect((await store.load())?.token).toBe(TOKEN);
    expect(await store.save(ALICE_SESSION, 'other')).toEqual({ account: ALICE, tokenStore: 'file' });
    expect(await store.save(SESSION, 'again')).toEqual({
      account: BOB,
      tokenStore: 'file',
      replacedToken: TOKEN,
    });
  });

  it('several accounts: a login adds one and makes it current, the others stay signed in', async () => {
    const { keychain, entries } = fakeKeychain();
    const store = new SessionStore({ dir: tempDir(), keychain });
    await store.save(SESSION, TOKEN);
    expect(await store.save(ALICE_SESSION, 'alice-token')).toEqual({
      account: ALICE,
      tokenStore: 'keychain',
    });
    expect([...entries.keys()].sort()).toEqual([ALICE, BOB]);
    expect(store.list().current).toBe(ALICE);
    expect(store.list().accounts.map((entry) => entry.account)).toEqual([ALICE, BOB]);
    expect((await store.load())?.token).toBe('alice-token');
    expect((await store.load(BOB))?.token).toBe(TOKEN);

    store.setCurrent(BOB);
    expect((await store.load())?.account).toBe(BOB);
    await store.remove(BOB);
    expect(store.list()).toMatchObject({ current: null, accounts: [{ account: ALICE }] });
    expect((await store.load(ALICE))?.token).toBe('alice-token');
  });

  it('an account is named by its user name when only one has it, else by <username>@<server>', async () => {
    const store = new SessionStore({ dir: tempDir(), keychain: null });
    await store.save(SESSION, TOKEN);
    await store.save({ ...SESSION, server: 'http://127.0.0.1:8086' }, 'local');
    await store.save(ALICE_SESSION, 'alice-token');
    expect(store.select('alice')).toEqual({ found: ALICE });
    expect(store.select(BOB)).toEqual({ found: BOB });
    expect(store.select('bob')).toEqual({ ambiguous: 'bob', accounts: ['bob@http://127.0.0.1:8086', BOB] });
    expect(store.select('kelly')).toEqual({
      unknown: 'kelly',
      accounts: [ALICE, 'bob@http://127.0.0.1:8086', BOB],
    });
  });

  it('reads the single session of earlier versions (config.json + token) and moves it over', async () => {
    const dir = tempDir();
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ ...SESSION, tokenStore: 'file' }));
    fs.writeFileSync(path.join(dir, 'token'), `${TOKEN}\n`, { mode: 0o600 });
    const store = new SessionStore({ dir, keychain: null });
    expect(await store.load()).toEqual({
      account: BOB,
      config: { ...SESSION, tokenStore: 'file' },
      token: TOKEN,
    });
    await store.save(ALICE_SESSION, 'alice-token');
    expect(fs.existsSync(path.join(dir, 'config.json'))).toBe(false);
    expect(fs.existsSync(path.join(dir, 'token'))).toBe(false);
    expect((await store.load(BOB))?.token).toBe(TOKEN);
    expect((await store.load())?.token).toBe('alice-token');
  });
});

describe('configuration', () => {
  it('COFFRE_CONFIG_DIR, then XDG_CONFIG_HOME, then ~/.config', () => {
    expect(configDir({ COFFRE_CONFIG_DIR: '/tmp/x', XDG_CONFIG_HOME: '/xdg' }, 'linux')).toBe(
      path.resolve('/tmp/x'),
    );
    expect(configDir({ XDG_CONFIG_HOME: '/xdg' }, 'linux')).toBe(path.join('/xdg', 'coffre'));
    expect(configDir({}, 'linux')).toBe(path.join(os.homedir(), '.config', 'coffre'));
  });

  it('COFFRE_KEYCHAIN=off turns the keychain off', async () => {
    expect(await systemKeychain({ COFFRE_KEYCHAIN: 'off' })).toBeNull();
    expect(await systemKeychain({ COFFRE_KEYCHAIN: '0' })).toBeNull();
  });
});
