/**
 * Where `coffre` keeps its accounts between runs, several at once as `gh auth` does: one per
 * server and user, one of them current (the last login, or `coffre switch`), any of them usable
 * for one command with `--profile` / `COFFRE_PROFILE`.
 *
 * - `accounts.json` (mode 0600): each account's server URL, dialect, user, token expiry and where
 *   its token is, which one is current; never a token kept in the OS keychain.
 * - Tokens: in the OS keychain (service `coffre`, account `<username>@<server>`) through
 *   `@napi-rs/keyring` where it works, else in `tokens.json`, a file of mode 0600.
 * - Before several accounts, the one session was `config.json` + `token`: read as one account,
 *   and moved into the new files at the next change.
 *
 * The directory is `$COFFRE_CONFIG_DIR`, else `$XDG_CONFIG_HOME/coffre`, else `~/.config/coffre`
 * (`%APPDATA%\coffre` on Windows), mode 0700. `COFFRE_KEYCHAIN=off` skips the keychain.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { PamDialect, SignInMethod, User } from '../client/pamBackend.ts';

export const KEYCHAIN_SERVICE = 'coffre';
const ACCOUNTS_FILE = 'accounts.json';
const TOKENS_FILE = 'tokens.json';
const LEGACY_CONFIG_FILE = 'config.json';
const LEGACY_TOKEN_FILE = 'token';

/** The OS keychain, as the store needs it; tests pass a fake. */
export interface KeychainPort {
  get(account: string): Promise<string | null>;
  set(account: string, secret: string): Promise<void>;
  delete(account: string): Promise<void>;
}

export type TokenStore = 'keychain' | 'file';

/** One account, as `accounts.json` holds it. */
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
  /** How it signed in (absent: Coffre's token); see SignInMethod. */
  signIn?: SignInMethod;
}

export interface LoadedSession {
  /** `<username>@<server>`: how the account is named (and its keychain entry). */
  account: string;
  config: SessionConfig;
  /** Null when the keychain or the file lost it. */
  token: string | null;
}

export interface SaveResult {
  account: string;
  tokenStore: TokenStore;
  /** Why the keychain was not used; only the first time it fails, so the warning is said once. */
  keychainError?: string;
  /** The token this login replaced (same account), to revoke on its server. */
  replacedToken?: string;
}

/** Which account a `--profile` / `COFFRE_PROFILE` / `coffre switch` argument names. */
export type Selection =
  | { found: LoadedSession['account'] }
  | { unknown: string; accounts: string[] }
  | { ambiguous: string; accounts: string[] };

interface StoreState {
  current: string | null;
  /** The keychain fallback was already explained once. */
  keychainWarned: boolean;
  accounts: Record<string, SessionConfig>;
}

export function configDir(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): string {
  if (env.COFFRE_CONFIG_DIR) return path.resolve(env.COFFRE_CONFIG_DIR);
  if (env.XDG_CONFIG_HOME) return path.join(env.XDG_CONFIG_HOME, 'coffre');
  if (platform === 'win32' && env.APPDATA) return path.join(env.APPDATA, 'coffre');
  return path.join(os.homedir(), '.config', 'coffre');
}

export function accountOf(config: Pick<SessionConfig, 'username' | 'server'>): string {
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

function parseAccount(value: unknown): SessionConfig | null {
  if (!value || typeof value !== 'object') return null;
  const parsed = value as Partial<SessionConfig>;
  if (typeof parsed.server !== 'string' || typeof parsed.username !== 'string') return null;
  return {
    server: parsed.server,
    dialect: parsed.dialect === 'mim' ? 'mim' : 'checkout',
    username: parsed.username,
    user: parsed.user ?? null,
    expiresAt: parsed.expiresAt ?? null,
    ca: parsed.ca ?? null,
    tokenStore: parsed.tokenStore === 'keychain' ? 'keychain' : 'file',
    ...(parsed.signIn === 'basic' || parsed.signIn === 'integrated' ? { signIn: parsed.signIn } : {}),
  };
}

function parseJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

export class SessionStore {
  readonly dir: string;
  private readonly keychain: KeychainPort | null;

  constructor(options: { dir: string; keychain: KeychainPort | null }) {
    this.dir = options.dir;
    this.keychain = options.keychain;
  }

  get accountsFile(): string {
    return path.join(this.dir, ACCOUNTS_FILE);
  }

  /** Tokens of the accounts the keychain could not take (mode 0600). */
  get tokenFile(): string {
    return path.join(this.dir, TOKENS_FILE);
  }

  private ensureDir(): void {
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    if (process.platform !== 'win32') fs.chmodSync(this.dir, 0o700);
  }

  private readState(): StoreState {
    const json = parseJson(readIfExists(this.accountsFile)) as Partial<StoreState> | null;
    if (json && typeof json === 'object' && json.accounts && typeof json.accounts === 'object') {
      const accounts: Record<string, SessionConfig> = {};
      for (const [key, value] of Object.entries(json.accounts)) {
        const account = parseAccount(value);
        if (account && accountOf(account) === key) accounts[key] = account;
      }
      const current = typeof json.current === 'string' && accounts[json.current] ? json.current : null;
      return { current, keychainWarned: json.keychainWarned === true, accounts };
    }
    // The single session of earlier versions.
    const legacy = parseAccount(parseJson(readIfExists(path.join(this.dir, LEGACY_CONFIG_FILE))));
    if (!legacy) return { current: null, keychainWarned: false, accounts: {} };
    return { current: accountOf(legacy), keychainWarned: false, accounts: { [accountOf(legacy)]: legacy } };
  }

  private readFileTokens(): Record<string, string> {
    const json = parseJson(readIfExists(this.tokenFile));
    if (json && typeof json === 'object') {
      return Object.fromEntries(
        Object.entries(json as Record<string, unknown>).filter(
          (entry): entry is [string, string] => typeof entry[1] === 'string',
        ),
      );
    }
    const state = this.readState();
    const legacyToken = readIfExists(path.join(this.dir, LEGACY_TOKEN_FILE))?.trim();
    return legacyToken && state.current && !fs.existsSync(this.accountsFile)
      ? { [state.current]: legacyToken }
      : {};
  }

  private writeState(state: StoreState, tokens: Record<string, string>): void {
    this.ensureDir();
    if (Object.keys(tokens).length > 0)
      writePrivateFile(this.tokenFile, `${JSON.stringify(tokens, null, 2)}\n`);
    else fs.rmSync(this.tokenFile, { force: true });
    writePrivateFile(this.accountsFile, `${JSON.stringify(state, null, 2)}\n`);
    fs.rmSync(path.join(this.dir, LEGACY_CONFIG_FILE), { force: true });
    fs.rmSync(path.join(this.dir, LEGACY_TOKEN_FILE), { force: true });
  }

  /** Every account (sorted by name) and the current one. */
  list(): { current: string | null; accounts: Array<{ account: string; config: SessionConfig }> } {
    const state = this.readState();
    return {
      current: state.current,
      accounts: Object.keys(state.accounts)
        .sort()
        .map((account) => ({ account, config: state.accounts[account]! })),
    };
  }

  /** The account a name picks: its full name `<username>@<server>`, or a username only one account has. */
  select(name: string): Selection {
    const { accounts } = this.readState();
    const names = Object.keys(accounts).sort();
    if (accounts[name]) return { found: name };
    const byUser = names.filter((account) => accounts[account]!.username === name);
    if (byUser.length === 1) return { found: byUser[0]! };
    return byUser.length > 1 ? { ambiguous: name, accounts: byUser } : { unknown: name, accounts: names };
  }

  /** The current account's config, or the named one's. */
  readConfig(account?: string): SessionConfig | null {
    const state = this.readState();
    const key = account ?? state.current;
    return key ? (state.accounts[key] ?? null) : null;
  }

  /** An account (the current one by default) with its token. */
  async load(account?: string): Promise<LoadedSession | null> {
    const state = this.readState();
    const key = account ?? state.current;
    const config = key ? state.accounts[key] : undefined;
    if (!key || !config) return null;
    if (config.tokenStore === 'keychain') {
      let token: string | null = null;
      if (this.keychain) {
        try {
          token = await this.keychain.get(key);
        } catch {
          token = null;
        }
      }
      return { account: key, config, token };
    }
    return { account: key, config, token: this.readFileTokens()[key] ?? null };
  }

  /**
   * Adds an account, or replaces the same account's session (same server and user), and makes it
   * the current one. Other accounts stay as they are, signed in.
   */
  async save(session: Omit<SessionConfig, 'tokenStore'>, token: string): Promise<SaveResult> {
    const account = accountOf(session);
    const previous = await this.load(account);
    const state = this.readState();
    const tokens = this.readFileTokens();
    let tokenStore: TokenStore = 'file';
    let keychainError: string | undefined;
    if (this.keychain) {
      try {
        await this.keychain.set(account, token);
        tokenStore = 'keychain';
      } catch (error) {
        keychainError = error instanceof Error ? error.message : String(error);
      }
    }
    if (tokenStore === 'file') tokens[account] = token;
    else delete tokens[account];
    const warnNow = keychainError !== undefined && !state.keychainWarned;
    this.writeState(
      {
        current: account,
        keychainWarned: state.keychainWarned || keychainError !== undefined,
        accounts: { ...state.accounts, [account]: { ...session, tokenStore } },
      },
      tokens,
    );
    if (previous?.config.tokenStore === 'keychain' && tokenStore === 'file')
      await this.forgetKeychain(account);
    return {
      account,
      tokenStore,
      ...(warnNow ? { keychainError } : {}),
      ...(previous?.token && previous.token !== token ? { replacedToken: previous.token } : {}),
    };
  }

  /** Makes `account` the current one. */
  setCurrent(account: string): void {
    const state = this.readState();
    if (!state.accounts[account]) return;
    this.writeState({ ...state, current: account }, this.readFileTokens());
  }

  /** Updates what accounts.json says of an account (e.g. the user after whoami); the token stays. */
  updateConfig(
    account: string,
    patch: Partial<Omit<SessionConfig, 'tokenStore' | 'server' | 'username'>>,
  ): void {
    const state = this.readState();
    const config = state.accounts[account];
    if (!config) return;
    this.writeState(
      { ...state, accounts: { ...state.accounts, [account]: { ...config, ...patch } } },
      this.readFileTokens(),
    );
  }

  /** Forgets an account: its token wherever it is, and its entry; no account is current after it. */
  async remove(account: string): Promise<void> {
    const state = this.readState();
    const config = state.accounts[account];
    if (!config) return;
    if (config.tokenStore === 'keychain') await this.forgetKeychain(account);
    const tokens = this.readFileTokens();
    delete tokens[account];
    const accounts = { ...state.accounts };
    delete accounts[account];
    this.writeState(
      { ...state, current: state.current === account ? null : state.current, accounts },
      tokens,
    );
  }

  private async forgetKeychain(account: string): Promise<void> {
    try {
      await this.keychain?.delete(account);
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
