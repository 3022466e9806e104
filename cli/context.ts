/** What every command gets: output, messages, the session, a backend, and Ctrl-C handling. */
import fs from 'node:fs';
import { InvalidArgumentError } from 'commander';
import type { CreatePamBackendOptions, PamBackend, PamDialect, SignInMethod } from '../client/pamBackend.ts';
import { unpackSessionSecret } from '../client/sessionSecret.ts';
import { parseDuration } from '../common/duration.ts';
import type { ClipboardPort } from './clipboard.ts';
import { CliError } from './errors.ts';
import { ExitCode } from './exitCodes.ts';
import type { Lang, Messages } from './messages.ts';
import { formatData, type View } from './output.ts';
import { configDir, type KeychainPort, type SessionConfig, SessionStore } from './sessionStore.ts';

export interface Terminal {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface Input extends NodeJS.ReadableStream {
  isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
}

export interface CliIo {
  stdout: Terminal;
  stderr: Terminal;
  stdin: Input;
  env: NodeJS.ProcessEnv;
}

/** The outside world, injectable for tests. */
export interface CliDeps {
  io: CliIo;
  /** Async so that the client core (zod, undici) loads only when a command talks to a server. */
  createBackend(options: CreatePamBackendOptions): Promise<PamBackend>;
  keychain(env: NodeJS.ProcessEnv): Promise<KeychainPort | null>;
  clipboard(env: NodeJS.ProcessEnv): ClipboardPort | null;
}

/** Options every command accepts (declared on the program). */
export interface GlobalOptions {
  server?: string;
  dialect?: PamDialect;
  ca?: string;
  json?: boolean;
  lang?: Lang;
  debug?: boolean;
  /** `-o json|yaml|table|ids`; `--json` is `-o json`. */
  output?: OutputFormat;
  /** Tables with every column (IDs included). */
  wide?: boolean;
  profile?: string;
}

export const OUTPUT_FORMATS = ['table', 'json', 'yaml', 'ids'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export interface ActiveSession {
  backend: PamBackend;
  /** `<username>@<server>`. */
  account: string;
  config: SessionConfig;
  store: SessionStore;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isGuid(value: string): boolean {
  return GUID.test(value);
}

export class Cli {
  readonly t: Messages;
  readonly lang: Lang;
  readonly deps: CliDeps;
  globals: GlobalOptions = {};
  private readonly interruptHandlers = new Set<() => void>();
  private storeInstance: SessionStore | null = null;

  constructor(deps: CliDeps, t: Messages, lang: Lang) {
    this.deps = deps;
    this.t = t;
    this.lang = lang;
  }

  get env(): NodeJS.ProcessEnv {
    return this.deps.io.env;
  }

  get format(): OutputFormat {
    return this.globals.json ? 'json' : (this.globals.output ?? 'table');
  }

  /** Output for programs (json, yaml or ids) rather than people. */
  get json(): boolean {
    return this.format !== 'table';
  }

  /** Colours only on a terminal, and never when NO_COLOR is set (https://no-color.org). */
  get color(): boolean {
    return this.deps.io.stdout.isTTY === true && !this.env.NO_COLOR && this.env.TERM !== 'dumb';
  }

  /** Columns a table may take: the terminal's, else $COLUMNS, else no limit (piped output). */
  get width(): number {
    const { stdout } = this.deps.io;
    if (stdout.isTTY) return stdout.columns || 80;
    const columns = Number(this.env.COLUMNS);
    return Number.isInteger(columns) && columns > 0 ? columns : Number.POSITIVE_INFINITY;
  }

  /** How tables are drawn now: width, colours, every column or not. */
  view(): View {
    return {
      t: this.t,
      lang: this.lang,
      now: Date.now(),
      width: this.width,
      color: this.color,
      wide: this.globals.wide === true,
    };
  }

  /** Whether stdout is a terminal (where a password would stay in the scrollback). */
  get stdoutIsTty(): boolean {
    return this.deps.io.stdout.isTTY === true;
  }

  /** A line (or block) of results on stdout. */
  print(text: string): void {
    this.deps.io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  /** A result for programs, in the asked format (`-o json|yaml|ids`). */
  printJson(value: unknown): void {
    this.deps.io.stdout.write(formatData(value, this.format));
  }

  /** Progress and advice on stderr, so that stdout stays clean for results and scripts. */
  notice(text: string): void {
    this.deps.io.stderr.write(`${text}\n`);
  }

  get stderrIsTty(): boolean {
    return this.deps.io.stderr.isTTY === true;
  }

  // ── argument parsers (commander calls them; they throw InvalidArgumentError) ──

  readonly parseId = (value: string): string => {
    if (!isGuid(value.trim())) throw new InvalidArgumentError(this.t.errors.invalidId(value));
    return value.trim().toLowerCase();
  };

  readonly parsePositiveInt = (value: string): number => {
    if (!/^\d+$/.test(value.trim()) || Number(value) <= 0 || !Number.isSafeInteger(Number(value))) {
      throw new InvalidArgumentError(this.t.errors.positiveInteger(value));
    }
    return Number(value);
  };

  readonly parseWholeNumber = (value: string): number => {
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(Number(value))) {
      throw new InvalidArgumentError(this.t.errors.wholeNumber(value));
    }
    return Number(value);
  };

  /** "2h", "90m", "1h30m", or plain minutes. */
  readonly parseDuration = (value: string): number => {
    const minutes = parseDuration(value);
    if (minutes === null) throw new InvalidArgumentError(this.t.errors.badDuration(value));
    return minutes;
  };

  // ── session ──

  async store(): Promise<SessionStore> {
    this.storeInstance ??= new SessionStore({
      dir: configDir(this.env),
      keychain: await this.deps.keychain(this.env),
    });
    return this.storeInstance;
  }

  /** `--server`, else `$COFFRE_SERVER`, normalised; undefined when neither is given. */
  askedServer(): string | undefined {
    const value = this.globals.server ?? this.env.COFFRE_SERVER;
    return value ? this.normalizeServer(value) : undefined;
  }

  normalizeServer(value: string): string {
    let url: URL;
    try {
      url = new URL(value.trim());
    } catch {
      throw new CliError(this.t.errors.badUrl(value), ExitCode.usage);
    }
    if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.username || url.password) {
      throw new CliError(this.t.errors.badUrl(value), ExitCode.usage);
    }
    return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
  }

  readCa(file: string): string {
    try {
      return fs.readFileSync(file, 'utf8');
    } catch (error) {
      throw new CliError(
        this.t.errors.caUnreadable(file, (error as NodeJS.ErrnoException).code ?? String(error)),
        ExitCode.usage,
      );
    }
  }

  async newBackend(options: {
    server: string;
    dialect: PamDialect;
    ca?: string | null;
    token?: string;
    expiresAt?: string | null;
    config?: SessionConfig;
    timeoutMs?: number;
    signIn?: SignInMethod;
  }): Promise<PamBackend> {
    const signIn = options.signIn ?? options.config?.signIn;
    // Windows sign-in: every request carries a Negotiate token from the user's Kerberos ticket.
    const negotiate =
      signIn === 'integrated'
        ? await (await import('../client/negotiateFetch.ts')).createNegotiateFetch()
        : undefined;
    return this.deps.createBackend({
      baseUrl: options.server,
      dialect: options.dialect,
      ...(signIn ? { signIn } : {}),
      ...(negotiate ? { fetch: negotiate } : {}),
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.ca ? { ca: this.readCa(options.ca) } : {}),
      // The stored secret: the token, and the DVLS session key when there is one.
      ...(options.token ? unpackSessionSecret(options.token) : {}),
      ...(options.expiresAt ? { expiresAt: options.expiresAt } : {}),
      ...(options.config?.user ? { user: options.config.user } : {}),
    });
  }

  /** `--profile`, else `$COFFRE_PROFILE`: the account asked for this command, if any. */
  askedProfile(): string | undefined {
    const value = (this.globals.profile ?? this.env.COFFRE_PROFILE)?.trim();
    return value || undefined;
  }

  /** The account a name picks; exit 3 when there is none such, 2 when it names several. */
  accountNamed(store: SessionStore, name: string): string {
    const selection = store.select(name);
    if ('found' in selection) return selection.found;
    if ('ambiguous' in selection) {
      throw new CliError(this.t.errors.ambiguousAccount(name, selection.accounts.join(', ')), ExitCode.usage);
    }
    throw new CliError(this.t.errors.unknownAccount(name, selection.accounts.join(', ')), ExitCode.auth);
  }

  /**
   * The account this command runs as: the one `--profile`/`COFFRE_PROFILE` names, else the only
   * account on the `--server` asked for, else the current one. An auth error (exit 3) otherwise.
   */
  pickAccount(store: SessionStore): string {
    const asked = this.askedProfile();
    if (asked) return this.accountNamed(store, asked);
    const { current, accounts } = store.list();
    if (accounts.length === 0) throw new CliError(this.t.errors.notLoggedIn, ExitCode.auth);
    const server = this.askedServer();
    const currentServer = current ? store.readConfig(current)?.server : undefined;
    if (server && server !== currentServer) {
      const there = accounts.filter((entry) => entry.config.server === server);
      if (there.length === 1) return there[0]!.account;
      throw new CliError(this.t.errors.otherServer(currentServer ?? '—', server), ExitCode.auth);
    }
    if (!current) {
      const names = accounts.map((entry) => entry.account).join(', ');
      throw new CliError(this.t.errors.noCurrentAccount(names), ExitCode.auth);
    }
    return current;
  }

  /** The logged-in session, with a backend ready to use; an auth error (exit 3) when there is none. */
  async session(): Promise<ActiveSession> {
    const store = await this.store();
    const account = this.pickAccount(store);
    const loaded = await store.load(account);
    if (!loaded) throw new CliError(this.t.errors.notLoggedIn, ExitCode.auth);
    const { config, token } = loaded;
    if (!token) {
      const where = config.tokenStore === 'keychain' ? this.t.values.keychain : store.tokenFile;
      throw new CliError(this.t.errors.tokenMissing(where), ExitCode.auth);
    }
    const backend = await this.newBackend({
      server: config.server,
      dialect: this.globals.dialect ?? config.dialect,
      ca: this.globals.ca ?? config.ca,
      token,
      expiresAt: config.expiresAt,
      config,
    });
    return { backend, account, config, store };
  }

  // ── Ctrl-C ──

  /** Runs `handler` at the next Ctrl-C instead of exiting; returns the unregistration. */
  onInterrupt(handler: () => void): () => void {
    this.interruptHandlers.add(handler);
    return () => this.interruptHandlers.delete(handler);
  }

  /** An AbortSignal that aborts at Ctrl-C, and its release. */
  interruptSignal(): { signal: AbortSignal; release: () => void } {
    const controller = new AbortController();
    const release = this.onInterrupt(() => controller.abort());
    return { signal: controller.signal, release };
  }

  /** Called on SIGINT; false when no command is listening (then the process exits with 130). */
  interrupt(): boolean {
    if (this.interruptHandlers.size === 0) return false;
    for (const handler of [...this.interruptHandlers]) handler();
    return true;
  }
}
