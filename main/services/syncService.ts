import { isNotOffered } from '../../client/notOffered.ts';
import type { PamBackend } from '../../client/pamBackend.ts';
import type { Clock, TimerHandle, Timers } from '../../client/ports.ts';
import type { Credential, Vault } from '../../common/checkout.ts';
import type { CredentialListResult, CredentialQuery } from '../../common/ipc.ts';
import { credentialQuerySchema } from '../../common/ipc.ts';
import type { CredentialCache } from '../cache/credentialCache.ts';
import { cacheQueryFor } from './credentialListing.ts';
import type { EventSink } from './ports.ts';
import type { ServerCaller } from './serverCalls.ts';
import type { SessionService } from './sessionService.ts';

export const SYNC_PAGE_SIZE = 1000;

/** How often the credential list (and who holds what) is refreshed while signed in. */
export const PERIODIC_SYNC_MS = 5 * 60_000;

/**
 * Even where the server lists changes, a full listing at least this often: it also corrects what
 * the changes cannot say (a checkout past its end that the server's sweeper has not written down
 * yet shows as held until then) and anything a missed change left behind.
 */
export const FULL_SYNC_INTERVAL_MS = 60 * 60_000;

/** Cache meta key of the incremental sync's position (SyncPosition). */
export const SYNC_POSITION_KEY = 'credentialSync';

/**
 * Where the cached credential list stands in a server's change sequence. The cache holds one list
 * (the last signed-in user's), so one position, valid only for the server and user it was taken
 * with: any other sign-in lists in full and replaces it.
 */
export interface SyncPosition {
  serverUrl: string;
  userId: string;
  /** The server's syncToken: changes after it are not in the cache yet. */
  syncToken: number;
  /** Epoch ms of the last full listing. */
  fullSyncAt: number;
}

interface SyncScope {
  serverUrl: string;
  userId: string | null;
  /** The backend can list changes (its server keeps a change sequence). */
  changes: boolean;
}

export interface SyncOptions {
  /** List every credential even if the changes since the last sync would do (sign-in). */
  full?: boolean;
}

/**
 * Vaults and credentials into the cache, page by page with progress events; the credential list
 * is always answered from the cache, so it works offline. Where the server keeps a change
 * sequence, a sync after the first reads only what changed (and what was deleted) since.
 */
export class SyncService {
  private readonly cache: CredentialCache;
  private readonly events: EventSink;
  private readonly clock: Clock;
  private readonly session: SessionService;
  private readonly callServer: ServerCaller;
  private readonly timers: Timers;
  private readonly preferences: () => { favourites: readonly string[]; recent: readonly string[] };
  private running: { full: boolean; done: Promise<{ count: number }> } | null = null;
  /** The periodic sync while started: its next timer, or 'syncing' while one runs. */
  private periodic: { next: TimerHandle | 'syncing'; onFailure: (error: unknown) => void } | null = null;

  constructor(deps: {
    cache: CredentialCache;
    events: EventSink;
    clock: Clock;
    session: SessionService;
    callServer: ServerCaller;
    timers: Timers;
    /** Starred and recently used credentials, listed first; none when absent. */
    preferences?: () => { favourites: readonly string[]; recent: readonly string[] };
  }) {
    this.preferences = deps.preferences ?? (() => ({ favourites: [], recent: [] }));
    this.cache = deps.cache;
    this.events = deps.events;
    this.clock = deps.clock;
    this.session = deps.session;
    this.callServer = deps.callServer;
    this.timers = deps.timers;
  }

  /**
   * Syncs every PERIODIC_SYNC_MS until `stop`: who holds which credential changes without events
   * for the other users. A failure goes to `onFailure` (it shows as offline) and the next one
   * still comes.
   */
  start(onFailure: (error: unknown) => void): void {
    this.stop();
    this.periodic = { next: null, onFailure };
    this.scheduleNext();
  }

  stop(): void {
    const next = this.periodic?.next;
    if (next !== undefined && next !== null && next !== 'syncing') this.timers.clearTimeout(next);
    this.periodic = null;
  }

  private scheduleNext(): void {
    const periodic = this.periodic;
    if (!periodic) return;
    periodic.next = this.timers.setTimeout(() => {
      periodic.next = 'syncing';
      void this.sync()
        .catch(periodic.onFailure)
        // Stopped (or restarted) meanwhile: that call owns the schedule now.
        .finally(() => {
          if (this.periodic === periodic) this.scheduleNext();
        });
    }, PERIODIC_SYNC_MS);
  }

  /**
   * One sync at a time; a second caller waits for the running one. A full sync asked for while
   * an incremental one runs (a sign-in during a periodic sync) runs after it.
   */
  sync(options: SyncOptions = {}): Promise<{ count: number }> {
    const full = options.full ?? false;
    if (this.running) {
      if (full && !this.running.full) {
        return this.running.done.catch(() => undefined).then(() => this.sync(options));
      }
      return this.running.done;
    }
    const done = this.syncOnce(full).finally(() => {
      this.running = null;
    });
    this.running = { full, done };
    return done;
  }

  private async syncOnce(full: boolean): Promise<{ count: number }> {
    const { vaults, scope } = await this.callServer(async (backend) => ({
      // A real DVLS has no vault list (a Coffre addition): its credentials sync without vault names.
      vaults: await backend.listVaults().catch((error: unknown) => {
        if (isNotOffered(error)) return [];
        throw error;
      }),
      scope: this.scopeOf(backend),
    }));
    const vaultIds = new Set(vaults.map((vault) => vault.id));
    this.cache.removeVaults(
      this.cache
        .listVaults()
        .filter((vault) => !vaultIds.has(vault.id))
        .map((v) => v.id),
    );
    this.cache.upsertVaults(vaults);
    const position = full ? undefined : this.positionFor(scope);
    const changed = position ? await this.applyChanges(position) : null;
    const count = changed ?? (await this.listInFull(scope));
    this.cache.setMeta('lastSyncAt', new Date(this.clock.now()).toISOString());
    this.session.setOnline(true);
    return { count };
  }

  private scopeOf(backend: PamBackend): SyncScope {
    const session = backend.session();
    return {
      serverUrl: session.baseUrl,
      userId: session.user?.id ?? this.session.currentUser()?.id ?? null,
      changes: backend.capabilities.credentialChanges,
    };
  }

  /** The saved position, when the changes since it may be read instead of everything. */
  private positionFor(scope: SyncScope): SyncPosition | undefined {
    const saved = this.cache.getMeta<SyncPosition>(SYNC_POSITION_KEY);
    if (!scope.changes || !isSyncPosition(saved)) return undefined;
    if (saved.serverUrl !== scope.serverUrl || saved.userId !== scope.userId) return undefined;
    const age = this.clock.now() - saved.fullSyncAt;
    // A negative age is a clock that jumped back: the hour cannot be trusted either.
    if (age < 0 || age >= FULL_SYNC_INTERVAL_MS) return undefined;
    return saved;
  }

  /** Every credential, as before change sequences; saves the position to continue from, if any. */
  private async listInFull(scope: SyncScope): Promise<number> {
    const startedAt = this.clock.now();
    const seen = new Set<string>();
    let total = 0;
    let syncToken: number | undefined;
    for (let offset = 0; ; offset += SYNC_PAGE_SIZE) {
      const page = await this.callServer((backend) =>
        backend.listCredentials({ offset, limit: SYNC_PAGE_SIZE }),
      );
      // The first page's token: a change made while the later pages were read (even one that
      // moved a row to a page already read) comes with the next changes.
      if (offset === 0) syncToken = page.syncToken;
      total = page.total;
      this.cache.upsertCredentials(page.data);
      for (const credential of page.data) seen.add(credential.id);
      this.events.emit({ type: 'sync.progress', done: Math.min(seen.size, total), total });
      if (page.data.length < SYNC_PAGE_SIZE || seen.size >= total) break;
    }
    // What the server no longer lists (deleted, or moved out of reach) leaves the cache too.
    this.cache.removeCredentials(this.cache.credentialIds().filter((id) => !seen.has(id)));
    const position =
      syncToken !== undefined && scope.userId !== null
        ? { serverUrl: scope.serverUrl, userId: scope.userId, syncToken, fullSyncAt: startedAt }
        : undefined;
    this.cache.setMeta(SYNC_POSITION_KEY, position);
    return seen.size;
  }

  /**
   * The changes since `position`, page by page until a short one; the position moves on with each
   * page applied, so an interrupted sync resumes where it stopped. Returns how many credentials
   * the cache holds, or null when the server's sequence went back (its store was reset or
   * restored): then only a full listing is right.
   */
  private async applyChanges(position: SyncPosition): Promise<number | null> {
    let syncToken = position.syncToken;
    let done = 0;
    let total: number | null = null;
    for (;;) {
      const since = syncToken;
      const page = await this.callServer((backend) => backend.listCredentialChanges(since, SYNC_PAGE_SIZE));
      if (page.syncToken < since) return null;
      total ??= page.total;
      this.cache.upsertCredentials(page.data);
      this.cache.removeCredentials(page.deleted);
      const entries = page.data.length + page.deleted.length;
      done += entries;
      syncToken = page.syncToken;
      this.cache.setMeta(SYNC_POSITION_KEY, { ...position, syncToken });
      // Changes made meanwhile can make more pages than the first page announced.
      total = Math.max(total, done);
      if (entries < SYNC_PAGE_SIZE) break;
      this.events.emit({ type: 'sync.progress', done, total });
    }
    // The last event says "finished" (done = total), even when nothing changed.
    this.events.emit({ type: 'sync.progress', done: total, total });
    return this.cache.credentialIds().length;
  }

  /**
   * One credential as the server has it now (who holds it); the fresh row replaces the cached one,
   * so the list shows it too.
   */
  async fetchCredential(id: string): Promise<Credential> {
    const credential = await this.callServer((backend) => backend.getCredential(id));
    this.cache.upsertCredentials([credential]);
    return credential;
  }

  listVaults(): Vault[] {
    return this.cache.listVaults();
  }

  listCredentials(query: CredentialQuery): CredentialListResult {
    const parsed = credentialQuerySchema.parse(query);
    const page = this.cache.queryCredentials(
      cacheQueryFor(parsed, {
        held: this.cache.heldCredentials(),
        myCheckouts: parsed.status ? this.cache.listCheckouts() : [],
        userId: this.session.currentUser()?.id ?? null,
        ...this.preferences(),
      }),
    );
    return { ...page, offlineSince: this.session.state().offlineSince };
  }
}

function isSyncPosition(value: unknown): value is SyncPosition {
  if (typeof value !== 'object' || value === null) return false;
  const position = value as Record<string, unknown>;
  return (
    typeof position.serverUrl === 'string' &&
    typeof position.userId === 'string' &&
    Number.isSafeInteger(position.syncToken) &&
    Number.isFinite(position.fullSyncAt)
  );
}
