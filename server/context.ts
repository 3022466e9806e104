import path from 'node:path';
import type { Logger } from 'pino';
import { loadMasterKey } from './crypto/masterKey.ts';
import { SecretBox } from './crypto/secretBox.ts';
import { AdminService } from './domain/adminService.ts';
import { type AuthOptions, AuthService } from './domain/authService.ts';
import { CheckoutService } from './domain/checkoutService.ts';
import { type Clock, systemClock } from './domain/clock.ts';
import { EventHub } from './domain/eventHub.ts';
import type { ThrottleState } from './domain/loginThrottle.ts';
import { PasswordRotator } from './domain/passwordRotator.ts';
import { RelayedEventHub } from './domain/relayedEventHub.ts';
import { SessionStreams } from './domain/sessionStreams.ts';
import { Sweeper } from './domain/sweeper.ts';
import type { PamStore } from './store/pamStore.ts';
import { PostgresStore } from './store/postgresStore.ts';
import { type Durability, SqliteStore } from './store/sqliteStore.ts';

export interface ServerContextOptions {
  /** Directory holding the database and, unless COFFRE_MASTER_KEY is set, the master key file. */
  dataDir: string;
  /**
   * A PostgreSQL URL (postgres://user:password@host:port/db): the store shared by several server
   * nodes. Without it, the SQLite file in `dataDir`.
   */
  databaseUrl?: string | undefined;
  clock?: Clock;
  durability?: Durability;
  masterKeyEnv?: string | undefined;
  auth?: Partial<AuthOptions>;
}

/** Everything a server instance holds, wired once; the HTTP layer only reads from it. */
export interface ServerContext {
  store: PamStore;
  clock: Clock;
  hub: EventHub;
  /** Open event streams by session, closed when the session ends. */
  streams: SessionStreams;
  secretBox: SecretBox;
  auth: AuthService;
  checkouts: CheckoutService;
  admin: AdminService;
  rotator: PasswordRotator;
  sweeper: Sweeper;
  masterKeySource: 'env' | 'file-existing' | 'file-created';
  close(): Promise<void>;
}

/**
 * Opens the store the options name (PostgreSQL when `databaseUrl` is set, migrated on the way)
 * and wires the context around it. On PostgreSQL, events reach this node through the outbox.
 */
export async function openServerContext(
  options: ServerContextOptions,
  logger?: Logger,
): Promise<ServerContext> {
  if (!options.databaseUrl) return checkedMasterKey(createServerContext(options, logger));
  const store = await PostgresStore.open({ url: options.databaseUrl });
  const hub = new RelayedEventHub(store);
  try {
    await hub.start();
    return await checkedMasterKey(
      createServerContext(options, logger, { store, hub, throttleState: store.throttleState() }),
    );
  } catch (error) {
    await hub.stop();
    await store.close();
    throw error;
  }
}

const KEY_CHECK = 'master-key-check';

/**
 * The first server to open a database leaves a value sealed with its master key there; a server
 * whose key cannot open it refuses to start (it would seal passwords the other nodes cannot read).
 */
async function checkedMasterKey(ctx: ServerContext): Promise<ServerContext> {
  try {
    const stored = await ctx.store.claimMeta(KEY_CHECK, ctx.secretBox.seal(KEY_CHECK, KEY_CHECK));
    try {
      ctx.secretBox.open(stored, KEY_CHECK);
    } catch {
      throw new Error(
        'This server’s master key is not the one the database was sealed with: give every node the same COFFRE_MASTER_KEY (or master.key file).',
      );
    }
    return ctx;
  } catch (error) {
    await ctx.close();
    throw error;
  }
}

export function createServerContext(
  options: ServerContextOptions,
  _logger?: Logger,
  opened?: {
    store: PamStore;
    hub: EventHub & { stop?: () => Promise<void> };
    throttleState?: ThrottleState;
  },
): ServerContext {
  const clock = options.clock ?? systemClock;
  const { key, source } = loadMasterKey({
    env: options.masterKeyEnv,
    keyFile: path.join(options.dataDir, 'master.key'),
  });
  const secretBox = SecretBox.fromKey(key);
  const store =
    opened?.store ??
    new SqliteStore({
      file: path.join(options.dataDir, 'coffre.db'),
      durability: options.durability ?? 'full',
    });
  const hub = opened?.hub ?? new EventHub();
  const streams = new SessionStreams();
  const rotator = new PasswordRotator({ store, clock, secretBox, hub });
  const checkouts = new CheckoutService({ store, clock, secretBox, hub, rotator });
  const admin = new AdminService({ store, clock, secretBox, checkouts, streams });
  const auth = new AuthService({
    store,
    clock,
    options: options.auth ?? {},
    streams,
    throttleState: opened?.throttleState,
  });
  const sweeper = new Sweeper({ store, clock, checkouts, rotator });
  return {
    store,
    clock,
    hub,
    streams,
    secretBox,
    auth,
    checkouts,
    admin,
    rotator,
    sweeper,
    masterKeySource: source,
    async close() {
      sweeper.stop();
      await opened?.hub.stop?.();
      await store.close();
    },
  };
}
