/** Where the session token lives: the OS keychain (a fake here) or a 0600 file; never both. */
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

describe('SessionStore', () => {
  it('without a keychain: the token in a 0600 file, the directory 0700', async () => {
    const store = new SessionStore({ dir: tempDir(), keychain: null });
    const saved = await store.save(SESSION, TOKEN);
    expect(saved).toEqual({ tokenStore: 'file' });
    expect(fs.readFileSync(store.tokenFile, 'utf8').trim()).toBe(TOKEN);
    if (process.platform !== 'win32') {
      expect(mode(store.tokenFile)).toBe(0o600);
      expect(mode(store.configFile)).toBe(0o600);
      expect(mode(store.dir)).toBe(0o700);
    }
    expect(fs.readFileSync(store.configFile, 'utf8')).not.toContain(TOKEN);
    expect(await store.load()).toEqual({ config: { ...SESSION, tokenStore: 'file' }, token: TOKEN });
  });

  it('a token file left by someone else with loose permissions is replaced with 0600', async () => {
    const dir = tempDir();
    fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
    fs.writeFileSync(path.join(dir, 'token'), 'old', { mode: 0o644 });
    const store = new SessionStore({ dir, keychain: null });
    await store.save(SESSION, TOKEN);
    if (process.platform !== 'win32') {
      expect(mode(store.tokenFile)).toBe(0o600);
      expect(mode(dir)).toBe(0o700);
    }
  });

  it('with a keychain: the token only there, config.json without it, no token file', async () => {
    const { keychain, entries } = fakeKeychain();
    const store = new SessionStore({ dir: tempDir(), keychain });
    // A previous file-based session must not leave its token file behind.
    await new SessionStore({ dir: store.dir, keychain: null }).save(SESSION, 'old-token');
    expect(fs.existsSync(store.tokenFile)).toBe(true);

    expect(await store.save(SESSION, TOKEN)).toEqual({ tokenStore: 'keychain' });
    expect(entries.get('bob@https://pam.example.com')).toBe(TOKEN);
    expect(fs.existsSync(store.tokenFile)).toBe(false);
    const config = fs.readFileSync(store.configFile, 'utf8');
    expect(config).not.toContain(TOKEN);
    expect(JSON.parse(config)).toMatchObject({ server: SESSION.server, tokenStore: 'keychain' });
    expect((await store.load())?.token).toBe(TOKEN);

    await store.clear();
    expect(entries.size).toBe(0);
    expect(fs.existsSync(store.configFile)).toBe(false);
    expect(await store.load()).toBeNull();
  });

  it('falls back to the file when the keychain fails, and says why', async () => {
    const { keychain } = fakeKeychain({ failing: true });
    const store = new SessionStore({ dir: tempDir(), keychain });
    expect(await store.save(SESSION, TOKEN)).toEqual({
      tokenStore: 'file',
      keychainError: 'no secret service',
    });
    expect((await store.load())?.token).toBe(TOKEN);
  });

  it('a new login replaces the previous keychain entry', async () => {
    const { keychain, entries } = fakeKeychain();
    const store = new SessionStore({ dir: tempDir(), keychain });
    await store.save(SESSION, TOKEN);
    await store.save({ ...SESSION, username: 'alice' }, 'other');
    expect([...entries.keys()]).toEqual(['alice@https://pam.example.com']);
  });

  it('logout clears a file session', async () => {
    const store = new SessionStore({ dir: tempDir(), keychain: null });
    await store.save(SESSION, TOKEN);
    await store.clear();
    expect(fs.existsSync(store.tokenFile)).toBe(false);
    expect(await store.load()).toBeNull();
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
