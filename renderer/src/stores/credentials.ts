/**
 * The credential list: vaults, the vault filter, the search text, and the result as pages fetched
 * by offset from `credentials:list` as they scroll into view. Only a bounded number of pages stays
 * cached, so 100 000 credentials never load at once.
 */
import { create } from 'zustand';
import { api, type CoffreError, toCoffreError } from '../api.ts';
import type {
  AppEvent,
  Approver,
  Credential,
  CredentialSort,
  CredentialStateKind,
  Vault,
} from '../domain.ts';
import { actions as toasts } from './toasts.ts';

export const PAGE_SIZE = 200;
/** Pages kept around the visible window; the farthest are dropped beyond this. */
export const MAX_CACHED_PAGES = 30;
/** While a sync runs, the list refreshes at most this often. */
export const SYNC_REFRESH_MS = 1000;

export interface CredentialQueryKey {
  vaultId: string | null;
  search: string;
  /** The status filter; null: every credential. */
  status: CredentialStateKind | null;
  sort: CredentialSort;
}

export interface CredentialsState {
  vaults: Vault[];
  vaultsLoaded: boolean;
  /** What the user picked and typed (the search box shows `searchText` as typed). */
  vaultId: string | null;
  searchText: string;
  status: CredentialStateKind | null;
  sort: CredentialSort;
  /** The query the cached pages answer. */
  applied: CredentialQueryKey;
  /** Bumped whenever the pages are replaced; rows from an older generation are stale. */
  generation: number;
  /** Null until the first page of the first query arrives. */
  total: number | null;
  pages: Record<number, Credential[]>;
  loadingPages: Record<number, true>;
  /** A new query is on its way; the previous result stays shown until it lands. */
  querying: boolean;
  offlineSince: string | null;
  error: CoffreError | null;
  /** The row with the keyboard focus / selection. */
  activeIndex: number;
  sync: { done: number; total: number } | null;
  /** A sync finished since sign-in: an empty list is really empty. */
  synced: boolean;
  approvers: Record<string, Approver[]>;
  approversLoading: Record<string, true>;
  approversError: Record<string, CoffreError>;
}

export const initialState: CredentialsState = {
  vaults: [],
  vaultsLoaded: false,
  vaultId: null,
  searchText: '',
  status: null,
  sort: 'name',
  applied: { vaultId: null, search: '', status: null, sort: 'name' },
  generation: 0,
  total: null,
  pages: {},
  loadingPages: {},
  querying: false,
  offlineSince: null,
  error: null,
  activeIndex: 0,
  sync: null,
  synced: false,
  approvers: {},
  approversLoading: {},
  approversError: {},
};

export const useCredentialsStore = create<CredentialsState>()(() => ({ ...initialState }));
const set = useCredentialsStore.setState;
const get = useCredentialsStore.getState;

// Not state: which query run is the latest, the search in flight, the throttle timer, the last range.
let latestRun = 0;
/** A search query is running; keystrokes meanwhile only mark that the latest text must run next. */
let searchInFlight: Promise<void> | null = null;
let searchAgain = false;
let syncRefreshTimer: ReturnType<typeof setTimeout> | null = null;
let lastSyncRefresh = 0;
let lastRange: { start: number; end: number } = { start: 0, end: PAGE_SIZE - 1 };

export function pageOffset(index: number): number {
  return Math.floor(index / PAGE_SIZE) * PAGE_SIZE;
}

/** Offsets of the pages that cover rows start..end (inclusive), clipped to the total. */
export function pagesFor(start: number, end: number, total: number | null): number[] {
  const last = total === null ? end : Math.min(end, total - 1);
  if (last < 0 || last < start) return total === 0 ? [] : [0];
  const offsets: number[] = [];
  for (let offset = pageOffset(Math.max(0, start)); offset <= last; offset += PAGE_SIZE) offsets.push(offset);
  return offsets;
}

function queryArgs(key: CredentialQueryKey, offset: number) {
  return {
    ...(key.vaultId ? { vaultId: key.vaultId } : {}),
    ...(key.search.trim() ? { search: key.search.trim() } : {}),
    ...(key.status ? { status: key.status } : {}),
    ...(key.sort !== 'name' ? { sort: key.sort } : {}),
    offset,
    limit: PAGE_SIZE,
  };
}

/** Drops the pages farthest from the visible window once more than MAX_CACHED_PAGES are held. */
function evict(pages: Record<number, Credential[]>): Record<number, Credential[]> {
  const offsets = Object.keys(pages).map(Number);
  if (offsets.length <= MAX_CACHED_PAGES) return pages;
  const centre = (lastRange.start + lastRange.end) / 2;
  offsets.sort((a, b) => Math.abs(a + PAGE_SIZE / 2 - centre) - Math.abs(b + PAGE_SIZE / 2 - centre));
  const kept: Record<number, Credential[]> = {};
  for (const offset of offsets.slice(0, MAX_CACHED_PAGES)) kept[offset] = pages[offset] as Credential[];
  return kept;
}

/**
 * Runs `key` for the pages around the last visible range and replaces the result in one step, so
 * the list never flashes empty between two queries. `keepPosition` is for a refresh of the same query.
 */
async function run(key: CredentialQueryKey, keepPosition: boolean): Promise<void> {
  const runId = ++latestRun;
  const range = keepPosition
    ? lastRange
    : { start: 0, end: Math.max(PAGE_SIZE - 1, lastRange.end - lastRange.start) };
  set({ querying: true });
  try {
    const first = await api.credentials.list(queryArgs(key, pageOffset(range.start)));
    if (runId !== latestRun) return;
    const pages: Record<number, Credential[]> = { [pageOffset(range.start)]: first.data };
    // A window that spans two pages gets both before the swap.
    const rest = pagesFor(range.start, range.end, first.total).filter((offset) => !(offset in pages));
    const more = await Promise.all(rest.map((offset) => api.credentials.list(queryArgs(key, offset))));
    if (runId !== latestRun) return;
    rest.forEach((offset, i) => {
      pages[offset] = (more[i] as { data: Credential[] }).data;
    });
    const { activeIndex } = get();
    set((state) => ({
      applied: key,
      generation: state.generation + 1,
      total: first.total,
      pages,
      loadingPages: {},
      querying: false,
      offlineSince: first.offlineSince,
      error: null,
      activeIndex: keepPosition ? Math.min(activeIndex, Math.max(0, first.total - 1)) : 0,
    }));
  } catch (error) {
    if (runId !== latestRun) return;
    const failure = toCoffreError(error);
    set({ querying: false, error: failure });
    toasts.error(failure);
  }
}

/** Resolves once the browser has painted the current frame (the typed character), or at once-ish. */
function afterNextPaint(): Promise<void> {
  return new Promise((resolve) => {
    if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => setTimeout(resolve, 0));
    else setTimeout(resolve, 0);
  });
}

/** Runs the search box's text until no keystroke arrived during the last run. */
function startSearch(): Promise<void> {
  const running: Promise<void> = afterNextPaint()
    .then(async () => {
      while (searchAgain) {
        searchAgain = false;
        await run(currentKey(), false);
      }
    })
    .finally(() => {
      if (searchInFlight === running) searchInFlight = null;
    });
  return running;
}

function currentKey(): CredentialQueryKey {
  const { vaultId, searchText, status, sort } = get();
  return { vaultId, search: searchText, status, sort };
}

function sameKey(a: CredentialQueryKey, b: CredentialQueryKey): boolean {
  return a.vaultId === b.vaultId && a.search === b.search && a.status === b.status && a.sort === b.sort;
}

/** Where a credential is in the loaded pages, or null. */
function loadedIndexOf(credentialId: string): number | null {
  for (const [offset, page] of Object.entries(get().pages)) {
    const at = page.findIndex((credential) => credential.id === credentialId);
    if (at >= 0) return Number(offset) + at;
  }
  return null;
}

async function fetchPage(offset: number): Promise<void> {
  const { generation, applied } = get();
  set((state) => ({ loadingPages: { ...state.loadingPages, [offset]: true } }));
  try {
    const result = await api.credentials.list(queryArgs(applied, offset));
    if (get().generation !== generation) return;
    set((state) => {
      const { [offset]: _done, ...loadingPages } = state.loadingPages;
      return {
        pages: evict({ ...state.pages, [offset]: result.data }),
        loadingPages,
        total: result.total,
        offlineSince: result.offlineSince,
      };
    });
  } catch (error) {
    if (get().generation !== generation) return;
    set((state) => {
      const { [offset]: _failed, ...loadingPages } = state.loadingPages;
      return { loadingPages, error: toCoffreError(error) };
    });
  }
}

export const actions = {
  /** Vaults and the first page; called once signed in. */
  async load(): Promise<void> {
    await Promise.all([actions.loadVaults(), run(get().applied, false)]);
  },

  async loadVaults(): Promise<void> {
    try {
      set({ vaults: await api.vaults.list(), vaultsLoaded: true });
    } catch (error) {
      toasts.error(error);
    }
  },

  /**
   * Updates the search box at once and queries right after the typed character has painted: no
   * debounce, so a keystroke's rows paint as soon as the cache answers (a few ms at 100 000
   * credentials). While a query runs, later keystrokes coalesce into one more query for the latest
   * text: never more than one in flight.
   */
  setSearch(text: string): void {
    set({ searchText: text });
    searchAgain = true;
    searchInFlight ??= startSearch();
  },

  /** Runs the typed search now (Enter in the search box), or waits for the one running. */
  flushSearch(): Promise<void> {
    if (searchInFlight) return searchInFlight;
    const key = currentKey();
    const { applied } = get();
    if (sameKey(key, applied) && get().total !== null) {
      return Promise.resolve();
    }
    return run(key, false);
  },

  setVault(vaultId: string | null): Promise<void> {
    set({ vaultId });
    return run(currentKey(), false);
  },

  /** Only the credentials in this state (issue 15, item 7); null: all. */
  setStatus(status: CredentialStateKind | null): Promise<void> {
    set({ status });
    return run(currentKey(), false);
  },

  setSort(sort: CredentialSort): Promise<void> {
    set({ sort });
    return run(currentKey(), false);
  },

  /** Re-reads the list (favourites changed) and keeps `credentialId` selected where it moved to. */
  async refreshKeeping(credentialId: string): Promise<void> {
    await actions.refresh();
    const index = loadedIndexOf(credentialId);
    if (index !== null) actions.setActiveIndex(index);
  },

  /** The virtual list reports which rows are in view; missing pages are fetched. */
  ensureRange(start: number, end: number): void {
    lastRange = { start: Math.max(0, start), end: Math.max(start, end) };
    const { total, pages, loadingPages, generation } = get();
    if (generation === 0 || total === null) return;
    for (const offset of pagesFor(lastRange.start, lastRange.end, total)) {
      if (!(offset in pages) && !(offset in loadingPages)) void fetchPage(offset);
    }
  },

  /** Re-reads the rows in view (after a checkout changed, or the cache filled). */
  refresh(): Promise<void> {
    // A search on its way would be dropped by an older query started after it: re-run it instead.
    if (searchInFlight) {
      searchAgain = true;
      return searchInFlight;
    }
    return run(get().applied, true);
  },

  setActiveIndex(index: number): void {
    const { total } = get();
    const last = Math.max(0, (total ?? 0) - 1);
    set({ activeIndex: Math.min(Math.max(0, index), last) });
  },

  async loadApprovers(credentialId: string): Promise<void> {
    set((state) => {
      const { [credentialId]: _old, ...approversError } = state.approversError;
      return { approversLoading: { ...state.approversLoading, [credentialId]: true }, approversError };
    });
    try {
      const approvers = await api.credentials.approvers({ credentialId });
      set((state) => {
        const { [credentialId]: _done, ...approversLoading } = state.approversLoading;
        return { approvers: { ...state.approvers, [credentialId]: approvers }, approversLoading };
      });
    } catch (error) {
      set((state) => {
        const { [credentialId]: _done, ...approversLoading } = state.approversLoading;
        return {
          approversLoading,
          approversError: { ...state.approversError, [credentialId]: toCoffreError(error) },
        };
      });
    }
  },

  handleEvent(event: AppEvent): void {
    if (event.type === 'checkouts.changed') {
      if (get().generation > 0) void actions.refresh();
    } else if (event.type === 'sync.progress') {
      const finished = event.done >= event.total;
      set(finished ? { sync: null, synced: true } : { sync: { done: event.done, total: event.total } });
      if (finished) {
        if (syncRefreshTimer !== null) clearTimeout(syncRefreshTimer);
        syncRefreshTimer = null;
        lastSyncRefresh = Date.now();
        void actions.loadVaults();
        void actions.refresh();
      } else if (syncRefreshTimer === null) {
        // The cache fills while the user looks: show it growing, without a query per page.
        const wait = Math.max(0, lastSyncRefresh + SYNC_REFRESH_MS - Date.now());
        syncRefreshTimer = setTimeout(() => {
          syncRefreshTimer = null;
          lastSyncRefresh = Date.now();
          void actions.refresh();
        }, wait);
      }
    }
  },

  reset(): void {
    latestRun++; // a query in flight is dropped when it answers
    searchAgain = false;
    searchInFlight = null;
    if (syncRefreshTimer !== null) clearTimeout(syncRefreshTimer);
    syncRefreshTimer = null;
    lastSyncRefresh = 0;
    lastRange = { start: 0, end: PAGE_SIZE - 1 };
    set({ ...initialState });
  },
};

export const selectors = {
  vaults: (state: CredentialsState) => state.vaults,
  vaultId: (state: CredentialsState) => state.vaultId,
  searchText: (state: CredentialsState) => state.searchText,
  status: (state: CredentialsState) => state.status,
  sort: (state: CredentialsState) => state.sort,
  total: (state: CredentialsState) => state.total,
  querying: (state: CredentialsState) => state.querying,
  generation: (state: CredentialsState) => state.generation,
  activeIndex: (state: CredentialsState) => state.activeIndex,
  offlineSince: (state: CredentialsState) => state.offlineSince,
  sync: (state: CredentialsState) => state.sync,
  synced: (state: CredentialsState) => state.synced,
  /** The credential at a list index, or undefined while its page is loading. */
  rowAt:
    (index: number) =>
    (state: CredentialsState): Credential | undefined =>
      state.pages[pageOffset(index)]?.[index - pageOffset(index)],
  active: (state: CredentialsState): Credential | undefined =>
    state.pages[pageOffset(state.activeIndex)]?.[state.activeIndex - pageOffset(state.activeIndex)],
  /** A loaded credential by id (a deep link, the dialog after a refresh). */
  byId:
    (id: string | null) =>
    (state: CredentialsState): Credential | undefined => {
      if (!id) return undefined;
      for (const page of Object.values(state.pages)) {
        const found = page.find((credential) => credential.id === id);
        if (found) return found;
      }
      return undefined;
    },
  approvers:
    (credentialId: string) =>
    (state: CredentialsState): Approver[] | undefined =>
      state.approvers[credentialId],
  approversLoading: (credentialId: string) => (state: CredentialsState) =>
    credentialId in state.approversLoading,
  approversError: (credentialId: string) => (state: CredentialsState) =>
    state.approversError[credentialId] ?? null,
  vaultName:
    (vaultId: string) =>
    (state: CredentialsState): string | undefined =>
      state.vaults.find((vault) => vault.id === vaultId)?.name,
  /** The user's role in the vault; undefined from servers without vault permissions. */
  vaultRole:
    (vaultId: string) =>
    (state: CredentialsState): Vault['role'] =>
      state.vaults.find((vault) => vault.id === vaultId)?.role,
};
