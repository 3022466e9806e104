import path from 'node:path';
import type { Logger } from 'pino';
import { loadMasterKey } from './crypto/masterKey.ts';
import { SecretBox } from './crypto/secretBox.ts';
import { AdminService } from './domain/adminService.ts';
import { type AuthOptions, AuthService } from './domain/authService.ts';
import { CheckoutService } from './domain/checkoutService.ts';
import { type Clock, systemClock } from './domain/clock.ts';
import { EventHub } from './domain/eventHub.ts';
import { PasswordRotator } from './domain/passwordRotator.ts';
import { SessionStreams } from './domain/sessionStreams.ts';
import { Sweeper } from './domain/sweeper.ts';
import type { PamStore } from './store/pamStore.ts';
import { type Durability, SqliteStore } from './store/sqliteStore.ts';

export interface ServerContextOptions {
  /** Directory holding the database and, unless COFFRE_MASTER_KEY is set, the master key file. */
  dataDir: string;
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
  close(): void;
}

export function createServerContext(options: ServerContextOptions, _logger?: Logger): ServerContext {
  const clock = options.clock ?? systemClock;
  const { key, source } = loadMasterKey({
    env: options.masterKeyEnv,
    keyFile: path.join(options.dataDir, 'master.key'),
  });
  const secretBox = SecretBox.fromKey(key);
  const store = new SqliteStore({
    file: path.join(options.dataDir, 'coffre.db'),
    durability: options.durability ?? 'full',
  });
  const hub = new EventHub();
  const streams = new SessionStreams();
  const rotator = new PasswordRotator({ store, clock, secretBox, hub });
  const checkouts = new CheckoutService({ store, clock, secretBox, hub, rotator });
  const admin = new AdminService({ store, clock, secretBox, checkouts, streams });
  const auth = new AuthService({ store, clock, options: options.auth ?? {}, streams });
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
    close() {
      sweeper.stop();
      store.close();
    },
  };
}
