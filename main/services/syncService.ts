import type { Credential, Vault } from '../../common/checkout.ts';
import type { CredentialListResult, CredentialQuery } from '../../common/ipc.ts';
import { credentialQuerySchema } from '../../common/ipc.ts';
import type { CredentialCache } from '../cache/credentialCache.ts';
import type { Clock, EventSink } from './ports.ts';
import type { ServerCaller } from './serverCalls.ts';
import type { SessionService } from './sessionService.ts';

export const SYNC_PAGE_SIZE = 1000;

/**
 * Vaults and credentials into the cache, page by page with progress events; the credential list
 * is always answered from the cache, so it works offline.
 */
export class SyncService {
  private readonly cache: CredentialCache;
  private readonly events: EventSink;
  private readonly clock: Clock;
  private readonly session: SessionService;
  private readonly callServer: ServerCaller;
  private running: Promise<{ count: number }> | null = null;

  constructor(deps: {
    cache: CredentialCache;
    events: EventSink;
    clock: Clock;
    session: SessionService;
    callServer: ServerCaller;
  }) {
    this.cache = deps.cache;
    this.events = deps.events;
    this.clock = deps.clock;
    this.session = deps.session;
    this.callServer = deps.callServer;
  }

  /** One sync at a time; a second caller waits for the running one. */
  sync(): Promise<{ count: number }> {
    this.running ??= this.syncOnce().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async syncOnce(): Promise<{ count: number }> {
    const vaults = await this.callServer((backend) => backend.listVaults());
    const vaultIds = new Set(vaults.map((vault) => vault.id));
    this.cache.removeVaults(
      this.cache
        .listVaults()
        .filter((vault) => !vaultIds.has(vault.id))
        .map((v) => v.id),
    );
    this.cache.upsertVaults(vaults);
    const seen = new Set<string>();
    let total = 0;
    for (let offset = 0; ; offset += SYNC_PAGE_SIZE) {
      const page = await this.callServer((backend) =>
        backend.listCredentials({ offset, limit: SYNC_PAGE_SIZE }),
      );
      total = page.total;
      this.cache.upsertCredentials(page.data);
      for (const credential of page.data) seen.add(credential.id);
      this.events.emit({ type: 'sync.progress', done: Math.min(seen.size, total), total });
      if (page.data.length < SYNC_PAGE_SIZE || seen.size >= total) break;
    }
    // What the server no longer lists (deleted, or moved out of reach) leaves the cache too.
    this.cache.removeCredentials(this.cache.credentialIds().filter((id) => !seen.has(id)));
    this.cache.setMeta('lastSyncAt', new Date(this.clock.now()).toISOString());
    this.session.setOnline(true);
    return { count: seen.size };
  }

  /** Keeps one credential read outside a sync (its live checkout state) in the cache. */
  remember(credential: Credential): void {
    this.cache.upsertCredentials([credential]);
  }

  listVaults(): Vault[] {
    return this.cache.listVaults();
  }

  listCredentials(query: CredentialQuery): CredentialListResult {
    const parsed = credentialQuerySchema.parse(query);
    const search = parsed.search?.trim();
    const page = this.cache.queryCredentials({
      ...(parsed.vaultId ? { vaultId: parsed.vaultId } : {}),
      ...(search ? { search } : {}),
      offset: parsed.offset,
      limit: parsed.limit,
    });
    return { ...page, offlineSince: this.session.state().offlineSince };
  }
}
