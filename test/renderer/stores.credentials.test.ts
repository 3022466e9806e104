import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as credentials from '../../renderer/src/stores/credentials.ts';
import * as toasts from '../../renderer/src/stores/toasts.ts';
import { credential, credentialSource, guid, VAULT_ID } from './support/factories.ts';
import { FakeFailure, flush, installFakeCoffre, removeFakeCoffre } from './support/fakeCoffre.ts';

/** One macrotask: the store queries after the frame with the typed character (no rAF here: a task). */
const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));
const { actions, selectors, useCredentialsStore, PAGE_SIZE, MAX_CACHED_PAGES } = credentials;
const state = () => useCredentialsStore.getState();

beforeEach(() => {
  actions.reset();
  toasts.actions.reset();
});
afterEach(() => {
  vi.useRealTimers();
  removeFakeCoffre();
});

function install(count = 100_000) {
  return installFakeCoffre({
    'vaults:list': () => [{ id: VAULT_ID, name: 'Servers', description: '' }],
    'credentials:list': credentialSource(count),
    'credentials:approvers': () => [{ id: guid(77), username: 'alice', displayName: 'Alice Gagnon' }],
  });
}

describe('credentials store: paged, windowed fetching', () => {
  it('loads vaults and only the first page of 100 000 credentials', async () => {
    const fake = install();
    await actions.load();
    expect(selectors.total(state())).toBe(100_000);
    expect(selectors.vaults(state())).toHaveLength(1);
    expect(fake.callsTo('credentials:list')).toEqual([{ offset: 0, limit: PAGE_SIZE }]);
    expect(selectors.rowAt(0)(state())?.name).toBe('server-1');
    expect(selectors.rowAt(PAGE_SIZE - 1)(state())?.name).toBe(`server-${PAGE_SIZE}`);
    expect(selectors.rowAt(PAGE_SIZE)(state())).toBeUndefined();
  });

  it('fetches the pages a scrolled window needs, once each, and caches them by offset', async () => {
    const fake = install();
    await actions.load();
    fake.calls.length = 0;
    actions.ensureRange(50_010, 50_030);
    actions.ensureRange(50_010, 50_030); // while loading: no second request
    await flush();
    actions.ensureRange(50_000, 50_050); // cached: none
    await flush();
    expect(fake.callsTo('credentials:list')).toEqual([{ offset: 50_000, limit: PAGE_SIZE }]);
    expect(selectors.rowAt(50_020)(state())?.name).toBe('server-50021');
  });

  it('fetches both pages when the window straddles a page boundary', async () => {
    const fake = install();
    await actions.load();
    fake.calls.length = 0;
    actions.ensureRange(PAGE_SIZE * 10 - 5, PAGE_SIZE * 10 + 5);
    await flush();
    expect(fake.callsTo('credentials:list')).toEqual([
      { offset: PAGE_SIZE * 9, limit: PAGE_SIZE },
      { offset: PAGE_SIZE * 10, limit: PAGE_SIZE },
    ]);
  });

  it(`keeps at most ${MAX_CACHED_PAGES} pages, dropping those farthest from the view`, async () => {
    install();
    await actions.load();
    for (let page = 1; page <= MAX_CACHED_PAGES + 10; page++) {
      actions.ensureRange(page * PAGE_SIZE, page * PAGE_SIZE + 20);
      await flush();
    }
    const offsets = Object.keys(state().pages).map(Number);
    expect(offsets.length).toBe(MAX_CACHED_PAGES);
    expect(offsets).toContain((MAX_CACHED_PAGES + 10) * PAGE_SIZE);
    expect(offsets).not.toContain(0);
  });

  it('searches at once, and coalesces the keystrokes typed while a query runs into one query for the latest text', async () => {
    const source = credentialSource(100_000);
    const pending: Array<() => void> = [];
    const fake = installFakeCoffre({
      'vaults:list': () => [],
      'credentials:list': (args) =>
        args.search ? new Promise((resolve) => pending.push(() => resolve(source(args)))) : source(args),
    });
    await actions.load();
    fake.calls.length = 0;
    actions.setSearch('s');
    // The query waits for the typed character to paint (a task later), then runs at once.
    expect(fake.callsTo('credentials:list')).toEqual([]);
    await nextTask();
    expect(fake.callsTo('credentials:list')).toEqual([{ search: 's', offset: 0, limit: PAGE_SIZE }]);
    for (const text of ['se', 'ser', 'server-99999']) actions.setSearch(text);
    await nextTask();
    // The box follows each keystroke; no second query while the first runs.
    expect(selectors.searchText(state())).toBe('server-99999');
    expect(fake.callsTo('credentials:list')).toHaveLength(1);
    pending.shift()!();
    await flush();
    // One more query, for the latest text only.
    expect(fake.callsTo('credentials:list')).toEqual([
      { search: 's', offset: 0, limit: PAGE_SIZE },
      { search: 'server-99999', offset: 0, limit: PAGE_SIZE },
    ]);
    pending.shift()!();
    await flush();
    expect(selectors.total(state())).toBe(1);
    expect(selectors.rowAt(0)(state())?.name).toBe('server-99999');
    expect(fake.callsTo('credentials:list')).toHaveLength(2);
  });

  /** `credentials:list` answers a search only when the test releases it (by vault and text). */
  function heldSearches() {
    const source = credentialSource(1000);
    const releases = new Map<string, () => void>();
    installFakeCoffre({
      'vaults:list': () => [],
      'credentials:list': (args) =>
        args.search
          ? new Promise((resolve) =>
              releases.set(`${args.vaultId ?? ''}|${args.search}`, () => resolve(source(args))),
            )
          : source(args),
    });
    return releases;
  }

  it('keeps the previous result on screen until the new query answers', async () => {
    const releases = heldSearches();
    await actions.load();
    actions.setSearch('server-1');
    await nextTask();
    expect(selectors.total(state())).toBe(1000); // still the previous result
    expect(selectors.querying(state())).toBe(true);
    releases.get('|server-1')!();
    await actions.flushSearch();
    expect(state().applied.search).toBe('server-1');
    expect(selectors.total(state())).toBeLessThan(1000);
    expect(selectors.querying(state())).toBe(false);
  });

  it('drops a stale answer: a vault chosen during a search wins, whichever answers last', async () => {
    const releases = heldSearches();
    await actions.load();
    actions.setSearch('server-1');
    const search = actions.flushSearch();
    await nextTask();
    const vault = actions.setVault(VAULT_ID);
    await flush();
    releases.get(`${VAULT_ID}|server-1`)!();
    await vault;
    expect(state().applied).toMatchObject({ vaultId: VAULT_ID, search: 'server-1' });
    const total = selectors.total(state());
    releases.get('|server-1')!(); // the older answer lands last…
    await search;
    expect(state().applied).toMatchObject({ vaultId: VAULT_ID, search: 'server-1' }); // …and is ignored
    expect(selectors.total(state())).toBe(total);
    expect(selectors.querying(state())).toBe(false);
  });

  it('a refresh during a search does not undo the search', async () => {
    const releases = heldSearches();
    await actions.load();
    actions.setSearch('server-1');
    const refreshed = actions.refresh();
    await nextTask();
    releases.get('|server-1')!();
    await flush();
    // The search ran again for fresh rows: release that one too.
    releases.get('|server-1')!();
    await refreshed;
    expect(state().applied.search).toBe('server-1');
    expect(selectors.total(state())).toBeLessThan(1000);
  });

  it('filters by vault at once and starts from the top', async () => {
    const fake = install();
    await actions.load();
    actions.setActiveIndex(42);
    await actions.setVault(VAULT_ID);
    expect(fake.callsTo('credentials:list').at(-1)).toEqual({
      vaultId: VAULT_ID,
      offset: 0,
      limit: PAGE_SIZE,
    });
    expect(selectors.vaultId(state())).toBe(VAULT_ID);
    expect(selectors.activeIndex(state())).toBe(0);
  });

  it('refreshes the rows in view on checkouts.changed, keeping the position', async () => {
    const fake = install();
    await actions.load();
    actions.ensureRange(5000, 5020);
    await flush();
    actions.setActiveIndex(5010);
    fake.calls.length = 0;
    actions.handleEvent({ type: 'checkouts.changed' });
    await flush();
    expect(fake.callsTo('credentials:list')).toEqual([{ offset: 5000, limit: PAGE_SIZE }]);
    expect(selectors.activeIndex(state())).toBe(5010);
    expect(selectors.active(state())?.name).toBe('server-5011');
  });

  it('shows the cache filling during a sync at most once a second, and refreshes at the end', async () => {
    vi.useFakeTimers();
    const fake = install();
    await actions.load();
    fake.calls.length = 0;
    for (let done = 1000; done < 10_000; done += 1000) {
      actions.handleEvent({ type: 'sync.progress', done, total: 10_000 });
    }
    expect(selectors.sync(state())).toEqual({ done: 9000, total: 10_000 });
    vi.advanceTimersByTime(credentials.SYNC_REFRESH_MS);
    await flush();
    expect(fake.callsTo('credentials:list')).toHaveLength(1);
    actions.handleEvent({ type: 'sync.progress', done: 10_000, total: 10_000 });
    await flush();
    expect(selectors.sync(state())).toBeNull();
    expect(fake.callsTo('vaults:list')).toHaveLength(1);
    expect(fake.callsTo('credentials:list')).toHaveLength(2);
  });

  it('toasts a failed query', async () => {
    installFakeCoffre({
      'vaults:list': () => [],
      'credentials:list': () => {
        throw new FakeFailure('timeout', 'timeout', 'The server did not answer in time.');
      },
    });
    await actions.load();
    expect(state().error?.kind).toBe('timeout');
    expect(toasts.useToastsStore.getState().toasts[0]).toMatchObject({ key: 'error.timeout' });
  });

  it('clamps the active row to the list', async () => {
    install(10);
    await actions.load();
    actions.setActiveIndex(99);
    expect(selectors.activeIndex(state())).toBe(9);
    actions.setActiveIndex(-3);
    expect(selectors.activeIndex(state())).toBe(0);
  });

  it('loads a credential’s approvers on demand', async () => {
    install();
    const pending = actions.loadApprovers(guid(1));
    expect(selectors.approversLoading(guid(1))(state())).toBe(true);
    await pending;
    expect(selectors.approvers(guid(1))(state())).toEqual([
      { id: guid(77), username: 'alice', displayName: 'Alice Gagnon' },
    ]);
    expect(selectors.approversLoading(guid(1))(state())).toBe(false);
  });

  it('finds a loaded credential by id', async () => {
    install();
    await actions.load();
    expect(selectors.byId(credential(3).id)(state())?.name).toBe('server-3');
    expect(selectors.byId(guid(999_999))(state())).toBeUndefined();
  });
});

describe('pagesFor', () => {
  it('covers a range with page offsets, clipped to the total', () => {
    expect(credentials.pagesFor(0, 10, 100_000)).toEqual([0]);
    expect(credentials.pagesFor(190, 210, 100_000)).toEqual([0, 200]);
    expect(credentials.pagesFor(0, 500, 250)).toEqual([0, 200]);
    expect(credentials.pagesFor(0, 10, 0)).toEqual([]);
  });
});
