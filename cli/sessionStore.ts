/**
 * Where `coffre` keeps its session between runs.
 *
 * - `config.json` (server URL, dialect, user, token expiry, where the token is): never the token
 *   when the OS keychain holds it.
 * - The token: in the OS keychain (service `coffre`, account `<username>@<server>`) through
 *   `@napi-rs/keyring` where it works, else in `token`, a file of mode 0600.
 *
 * The directory is `$COFFRE_CONFIG_DIR`, else `$XDG_CONFIG_HOME/coffre`, else `~/.config/coffre`
 * (`%APPDATA%\coffre` on Windows), mode 0700. `COFFRE_KEYCHAIN=off` skips the keychain.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { PamDialect, User } from '../client/pamBackend.ts';

export const KEYCHAIN_SERVICE = 'coffre';
const CONFIG_FILE = 'config.json';
const TOKEN_FILE = 'token';

/** The OS keychain, as the store needs it; tests pass a fake. */
export interface KeychainPort {
  get(account: string): Promise<string | null>;
  set(account: string, secret: string): Promise<void>;
  delete(account: string): Promise<void>;
}

export type TokenStore = 'keychain' | 'file';

/** What `config.json` holds. */
export interface SessionConfig {
  server: string;
  dialect: PamDialect;
  username: string;
  user: User | null;
  /** ISO-8601, as the server said at login. */
  expiresAt: string | null;
  /** The CA file given at login, reused by later commands. */
  ca: string | null;
  tokenStore: TokenStore;
}

export interface LoadedSession {
  config: SessionConfig;
  /** Null when the keychain or the file lost it. */
  token: string | null;
}

export interface SaveResult {
  tokenStore: TokenStore;
  /** Why the keychain was not used, when it was available but failed. */
  keychainError?: string;
}

export function configDir(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): string {
  if (env.COFFRE_CONFIG_DIR) return path.resolve(env.COFFRE_CONFIG_DIR);
  if (env.XDG_CONFIG_HOME) return path.join(env.XDG_CONFIG_HOME, 'coffre');
  if (platform === 'win32' && env.APPDATA) return path.join(env.APPDATA, 'coffre');
  return path.join(os.homedir(), '.config', 'coffre');
}

function accountOf(config: Pick<SessionConfig, 'username' | 'server'>): string {
  return `${config.username}@${config.server}`;
}

/** Writes a file atomically (temp file + rename) with the given mode from its first byte. */
function writePrivateFile(file: string, data: string): void {
  const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    fs.writeFileSync(temp, data, { mode: 0o600, flag: 'wx' });
    fs.renameSync(temp, file);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw error;
  }
  // rename keeps the temp file's mode; chmod anyway in case a umask or an odd filesystem interfered.
  if (process.platform !== 'win32') fs.chmodSync(file, 0o600);
}

function readIfExists(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

export class SessionStore {
  readonly dir: string;
  private readonly keychain: KeychainPort | null;

  constructor(options: { dir: string; keychain: KeychainPort | null }) {
    this.dir = options.dir;
    this.keychain = options.keychain;
  }

  get configFile(): string {
    return path.join(this.dir, CONFIG_FILE);
  }

  get tokenFile(): string {
    return path.join(this.dir, TOKEN_FILE);
  }

  private ensureDir(): void {
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    if (process.platform !== 'win32') fs.chmodSync(this.dir, 0o700);
  }

  readConfig(): SessionConfig | null {
    const text = readIfExists(this.configFile);
    if (text === null) return null;
    try {
      const parsed = JSON.parse(text) as Partial<SessionConfig>;
      if (typeof parsed.server !== 'string' || typeof parsed.username !== 'string') return null;
      return {
        server: parsed.server,
        dialect: parsed.dialect === 'mim' ? 'mim' : 'checkout',
        username: parsed.username,
        user: parsed.user ?? null,
        expiresAt: parsed.expiresAt ?? null,
        ca: parsed.ca ?? null,
        tokenStore: parsed.tokenStore === 'keychain' ? 'keychain' : 'file',
      };
    } catch {
      return null;
    }
  }

  async load(): Promise<LoadedSession | null> {
    const config = this.readConfig();
    if (!config) return null;
    if (config.tokenStore === 'keychain') {
      let token: string | null = null;
      if (this.keychain) {
        try {
          token = await this.keychain.get(accountOf(config));
        } catch {
          token = null;
        }
      }
      return { config, token };
    }
    const text = readIfExists(this.tokenFile);
    return { config, token: text?.trim() || null };
  }

  /** Saves a new session, replacing the previous one (whose token is removed from where it was). */
  async save(session: Omit<SessionConfig, 'tokenStore'>, token: string): Promise<SaveResult> {
    this.ensureDir();
    const previous = this.readConfig();
    let tokenStore: TokenStore = 'file';
    let keychainError: string | undefined;
    if (this.keychain) {
      try {
        await this.keychain.set(accountOf(session), token);
        tokenStore = 'keychain';
      } catch (error) {
        keychainError = error instanceof Error ? error.message : String(error);
      }
    }
    if (tokenStore === 'file') writePrivateFile(this.tokenFile, `${token}\n`);
    else fs.rmSync(this.tokenFile, { force: true });
    const config: SessionConfig = { ...session, tokenStore };
    writePrivateFile(this.configFile, `${JSON.stringify(config, null, 2)}\n`);
    if (previous?.tokenStore === 'keychain' && accountOf(previous) !== accountOf(session)) {
      await this.forgetKeychain(previous);
    }
    return keychainError === undefined ? { tokenStore } : { tokenStore, keychainError };
  }

  /** Updates what config.json says (e.g. the user after whoami); the token stays where it is. */
  updateConfig(patch: Partial<Omit<SessionConfig, 'tokenStore' | 'server' | 'username'>>): void {
    const config = this.readConfig();
    if (!config) return;
    writePrivateFile(this.configFile, `${JSON.stringify({ ...config, ...patch }, null, 2)}\n`);
  }

  /** Forgets the session: the token wherever it is, and config.json. */
  async clear(): Promise<void> {
    const config = this.readConfig();
    if (config?.tokenStore === 'keychain') await this.forgetKeychain(config);
    fs.rmSync(this.tokenFile, { force: true });
    fs.rmSync(this.configFile, { force: true });
  }

  private async forgetKeychain(config: SessionConfig): Promise<void> {
    try {
      await this.keychain?.delete(accountOf(config));
    } catch {
      // Nothing more can be done; the server-side token is revoked by logout anyway.
    }
  }
}

/**
 * The OS keychain through `@napi-rs/keyring` (prebuilt binaries, no install script): macOS
 * Keychain, Windows Credential Manager, Secret Service or the kernel keyring on Linux. Null when
 * `COFFRE_KEYCHAIN=off` or when the module cannot load on this platform; errors of the keychain
 * itself (locked, no D-Bus, denied) surface from its methods and make the store use the file.
 */
export async function systemKeychain(env: NodeJS.ProcessEnv): Promise<KeychainPort | null> {
  const setting = (env.COFFRE_KEYCHAIN ?? '').toLowerCase();
  if (setting === 'off' || setting === '0' || setting === 'false' || setting === 'no') return null;
  let keyring: typeof import('@napi-rs/keyring');
  try {
    keyring = await import('@napi-rs/keyring');
  } catch {
    return null;
  }
  const timeout = () => AbortSignal.timeout(10_000);
  const entry = (account: string) => new keyring.AsyncEntry(KEYCHAIN_SERVICE, account);
  return {
    get: async (account) => (await entry(account).getPassword(timeout())) ?? null,
    set: async (account, secret) => {
      await entry(account).setPassword(secret, timeout());
      // Read it back: some backends (e.g. a kernel keyring without a session) accept and lose it.
      const back = await entry(account).getPassword(timeout());
      if (back !== secret) throw new Error('the keychain did not keep the token');
    },
    delete: async (account) => {
      await entry(account).deletePassword(timeout());
    },
  };
}
