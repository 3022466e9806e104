import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createPamBackend } from '../../../client/createPamBackend.ts';
import type { CreatePamBackendOptions, PamBackend } from '../../../client/pamBackend.ts';
import { CheckoutStatus } from '../../../common/checkout.ts';
import type { AppEvent, ServerProfile } from '../../../common/ipc.ts';
import { DEMO_IDS } from '../../../server/demo.ts';
import { startTestServer, type TestServer } from '../../support/testServer.ts';
import { type DesktopHarness, startDesktop } from './desktopHarness.ts';

let server: TestServer;
const open: DesktopHarness[] = [];
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());
afterEach(async () => {
  for (const desktop of open.splice(0)) await desktop.close();
});

const profile = (): ServerProfile => ({ id: 'demo', name: 'Demo', url: server.url, dialect: 'checkout' });

async function signedIn(username: string, options: Parameters<typeof startDesktop>[0] = {}) {
  const desktop = await startDesktop(options);
  open.push(desktop);
  const state = await desktop.call('session:signIn', {
    profile: profile(),
    username,
    password: 'coffre-demo',
  });
  expect(state.status).toBe('signedIn');
  await desktop.call('sync:now');
  return desktop;
}

/** bob, signed in to `local` (a server of the test's own) and synced once. */
async function signedInTo(
  local: TestServer,
  options: Parameters<typeof startDesktop>[0],
): Promise<DesktopHarness> {
  const desktop = await startDesktop(options);
  open.push(desktop);
  await desktop.call('session:signIn', {
    profile: { id: 'local', name: 'Local', url: local.url, dialect: 'checkout' },
    username: 'bob',
    password: 'coffre-demo',
  });
  await desktop.call('sync:now');
  return desktop;
}

describe('desktop main process under plain Node, against the real server', () => {
  it('signs in, syncs the credentials into the cache and searches them', async () => {
    const bob = await signedIn('bob');
    const all = await bob.call('credentials:list', {});
    expect(all.total).toBe(14);
    const found = await bob.call('credentials:list', { search: 'web01' });
    expect(found.data.map((c) => c.id)).toEqual([DEMO_IDS.autoCredential]);
    const vaults = await bob.call('vaults:list');
    expect(vaults.map((v) => v.name)).toEqual(
      expect.arrayContaining(['Servers', 'Domain', 'Databases', 'Network']),
    );
    expect(bob.events.some((e) => e.type === 'sync.progress' && e.done === 14 && e.total === 14)).toBe(true);
  });

  it('seed 1: bob checks out, copies the password (concealed), checks in; the clipboard is cleared', async () => {
    const bob = await signedIn('bob');
    const { checkout, passwordReady } = await bob.call('checkouts:request', {
      credentialId: DEMO_IDS.autoCredential,
    });
    expect(checkout.status).toBe(CheckoutStatus.Active);
    expect(passwordReady).toBe(true);
    const before = Date.now();
    const copied = await bob.call('password:copy', { credentialId: DEMO_IDS.autoCredential });
    // Cleared 30 s after the copy (the default), so at least 30 s after `before`.
    expect(Date.parse(copied.clearsAt) - before).toBeGreaterThanOrEqual(30_000);
    expect(bob.clipboard.writes).toHaveLength(1);
    expect(bob.clipboard.writes[0]!.concealed).toBe(true);
    expect(bob.clipboard.value.length).toBe(24);
    const mine = await bob.call('checkouts:mine');
    expect(mine.map((c) => c.id)).toEqual([checkout.id]);
    await bob.call('checkouts:checkIn', { id: checkout.id });
    expect(bob.clipboard.value).toBe('');
    const history = await bob.call('checkouts:history');
    expect(history[0]).toMatchObject({ id: checkout.id, status: CheckoutStatus.Ended });
  });

  it('leaves the clipboard alone at check-in when the user copied something else', async () => {
    const bob = await signedIn('bob');
    const { checkout } = await bob.call('checkouts:request', { credentialId: DEMO_IDS.autoCredential });
    await bob.call('password:copy', { credentialId: DEMO_IDS.autoCredential });
    bob.clipboard.value = 'something the user copied';
    await bob.call('checkouts:checkIn', { id: checkout.id });
    expect(bob.clipboard.value).toBe('something the user copied');
  });

  it('seed 3: alice is notified of kelly’s request, approves it from the app; kelly is told', async () => {
    const alice = await signedIn('alice');
    const kelly = await signedIn('kelly');
    // Wait until alice's live subscription is up, so the request arrives as an event.
    while (server.ctx.hub.listenerCount(DEMO_IDS.alice) === 0) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const { checkout } = await kelly.call('checkouts:request', {
      credentialId: DEMO_IDS.approvedCredential,
      approverId: DEMO_IDS.alice,
      reason: 'Because',
    });
    expect(checkout.status).toBe(CheckoutStatus.Pending);
    await alice.waitForEvent((e) => e.type === 'approvals.changed' && e.pending === 1);
    expect(alice.notifications.some((n) => n.title.includes('kelly') || n.body.includes('Because'))).toBe(
      true,
    );
    expect(alice.trayCounts.at(-1)).toBe(1);
    const queue = await alice.call('approvals:list');
    expect(queue.map((c) => c.id)).toEqual([checkout.id]);
    const mark = kelly.events.length;
    await alice.call('approvals:approve', { id: checkout.id, message: 'OK' });
    await kelly.waitForEvent((e) => e.type === 'checkouts.changed', mark);
    const mine = await kelly.call('checkouts:mine');
    expect(mine[0]).toMatchObject({ id: checkout.id, status: CheckoutStatus.Active, approverMessage: 'OK' });
    await kelly.call('password:copy', { credentialId: DEMO_IDS.approvedCredential });
    expect(kelly.clipboard.value.length).toBeGreaterThan(0);
    await kelly.call('checkouts:checkIn', { id: checkout.id });
    expect(kelly.clipboard.value).toBe('');
  });

  it('alice grants kelly 1 h of the 4 h requested; kelly’s checkout ends after that hour', async () => {
    const alice = await signedIn('alice');
    const kelly = await signedIn('kelly');
    const { checkout } = await kelly.call('checkouts:request', {
      credentialId: DEMO_IDS.approvedCredential,
      approverId: DEMO_IDS.alice,
      reason: 'Patch night',
      duration: 240,
    });
    const [request] = await alice.call('approvals:list');
    expect(request).toMatchObject({ id: checkout.id, duration: 240, userDisplayName: 'Kelly Nguyen' });
    expect(request).toMatchObject({ credentialUsername: 'fsadmin', credentialHost: 'fs01.corp.example' });
    const approved = await alice.call('approvals:approve', { id: checkout.id, duration: 60 });
    expect(approved.duration).toBe(60);
    const [mine] = await kelly.call('checkouts:mine');
    expect(mine).toMatchObject({ id: checkout.id, status: CheckoutStatus.Active, duration: 60 });
    expect(Date.parse(mine!.expiresAt!) - Date.parse(mine!.checkoutDateTime!)).toBe(60 * 60_000);
    await kelly.call('checkouts:checkIn', { id: checkout.id });
  });

  it('copies the account name of a credential from the synced list, unconcealed', async () => {
    const bob = await signedIn('bob');
    await bob.call('username:copy', { credentialId: DEMO_IDS.autoCredential });
    expect(bob.clipboard.writes.at(-1)).toMatchObject({ text: 'Administrator', concealed: false });
  });

  it('reveal hands the password to the window for a while, then tells it to hide', async () => {
    const maurice = await signedIn('maurice');
    await maurice.call('settings:update', { revealSeconds: 5 });
    const { checkout } = await maurice.call('checkouts:request', {
      credentialId: DEMO_IDS.selfApprovalCredential,
      approverId: DEMO_IDS.maurice,
      reason: 'Because',
    });
    const revealed = await maurice.call('password:reveal', { credentialId: DEMO_IDS.selfApprovalCredential });
    expect(revealed.password.length).toBeGreaterThan(0);
    await maurice.call('checkouts:checkIn', { id: checkout.id });
    expect(maurice.events).toContainEqual({
      type: 'password.hidden',
      credentialId: DEMO_IDS.selfApprovalCredential,
    });
  });

  it('lock refuses every call until unlock re-authenticates; the clipboard is cleared at lock', async () => {
    const bob = await signedIn('bob');
    const { checkout } = await bob.call('checkouts:request', { credentialId: DEMO_IDS.autoCredential });
    await bob.call('password:copy', { credentialId: DEMO_IDS.autoCredential });
    await bob.app.lock('screen');
    expect(bob.clipboard.value).toBe('');
    const refused = await bob.raw('credentials:list', {});
    expect(refused).toMatchObject({ ok: false, error: { kind: 'locked' } });
    const wrong = await bob.raw('session:unlock', { password: 'nope' });
    expect(wrong).toMatchObject({ ok: false, error: { kind: 'unauthorized' } });
    const state = await bob.call('session:unlock', { password: 'coffre-demo' });
    expect(state.status).toBe('signedIn');
    await bob.call('checkouts:checkIn', { id: checkout.id });
  });

  it('restores the session from the saved token after a restart, and not when the keyring is plain text', async () => {
    const first = await signedIn('bob');
    await first.close({ keepDataDir: true });
    open.splice(open.indexOf(first), 1);
    const again = await startDesktop({ dataDir: first.dataDir });
    open.push(again);
    expect((await again.call('session:getState')).status).toBe('signedIn');

    const plain = await signedIn('kelly', { secretState: 'basic_text' });
    expect((await plain.call('session:getState')).tokenPersisted).toBe(false);
    await plain.close({ keepDataDir: true });
    open.splice(open.indexOf(plain), 1);
    const restarted = await startDesktop({ dataDir: plain.dataDir, secretState: 'basic_text' });
    open.push(restarted);
    expect((await restarted.call('session:getState')).status).toBe('signedOut');
  });

  it('the cache file holds no credential name, token or password in clear', async () => {
    const bob = await signedIn('bob');
    const { checkout } = await bob.call('checkouts:request', { credentialId: DEMO_IDS.autoCredential });
    await bob.call('password:copy', { credentialId: DEMO_IDS.autoCredential });
    const password = bob.clipboard.value;
    await bob.call('checkouts:checkIn', { id: checkout.id });
    const files = fs.readdirSync(bob.dataDir).filter((f) => f.startsWith('cache'));
    expect(files.length).toBeGreaterThan(0);
    const bytes = files.map((f) => fs.readFileSync(path.join(bob.dataDir, f)).toString('latin1')).join('');
    for (const secret of ['web01', 'Bob — web01', 'PostgreSQL superuser', 'coffre-demo', password]) {
      expect(bytes.includes(secret), secret).toBe(false);
    }
  });

  it('the router refuses untrusted senders, unknown channels and invalid arguments, without a stack', async () => {
    const bob = await signedIn('bob');
    expect(await bob.raw('session:getState', undefined, 'https://evil.example/')).toMatchObject({
      ok: false,
      error: { kind: 'forbidden', code: 'untrusted_sender' },
    });
    expect(await bob.raw('session:getState', undefined, null)).toMatchObject({
      ok: false,
      error: { kind: 'forbidden' },
    });
    expect(await bob.raw('fs:readFile', { path: '/etc/passwd' })).toMatchObject({
      ok: false,
      error: { code: 'unknown_channel' },
    });
    expect(await bob.raw('__proto__', {})).toMatchObject({ ok: false, error: { code: 'unknown_channel' } });
    const invalid = await bob.raw('checkouts:request', { credentialId: 'not-a-guid' });
    expect(invalid).toMatchObject({ ok: false, error: { kind: 'invalid', code: 'invalid_arguments' } });
    expect(JSON.stringify(invalid)).not.toMatch(/\.ts:\d+/);
    const conflict = await bob.raw('checkouts:cancel', { id: '11111111-2222-4333-8444-555555555555' });
    expect(conflict).toMatchObject({ ok: false, error: { kind: 'not_found' } });
  });

  it('works offline from the cache when the server is unreachable', async () => {
    const local = await startTestServer();
    const desktop = await signedInTo(local, {});
    await local.stop();
    const failed = await desktop.raw('sync:now', undefined);
    expect(failed).toMatchObject({ ok: false, error: { kind: 'network' } });
    const list = await desktop.call('credentials:list', { search: 'firewall' });
    expect(list.data.map((c) => c.name)).toEqual(['Edge firewall']);
    expect(list.offlineSince).not.toBeNull();
  });

  it('signs in through the profile’s other address when its first one does not answer (issue 16)', async () => {
    const desktop = await startDesktop();
    open.push(desktop);
    const dead = await startTestServer();
    const deadUrl = dead.url;
    await dead.stop();
    const state = await desktop.call('session:signIn', {
      profile: { id: 'nodes', name: 'Nodes', url: deadUrl, failoverUrls: [server.url], dialect: 'checkout' },
      username: 'bob',
      password: 'coffre-demo',
    });
    expect(state.status).toBe('signedIn');
    expect((await desktop.call('sync:now')).count).toBe(14);
    const saved = await desktop.call('settings:get');
    expect(saved.profiles.find((p) => p.id === 'nodes')?.failoverUrls).toEqual([server.url]);
  });
});

describe('the tray, for the holder (issue 15, item 8)', () => {
  it('lists the active checkouts; Copy password and Check in work from it, and only unlocked', async () => {
    const bob = await signedIn('bob');
    const { checkout } = await bob.call('checkouts:request', { credentialId: DEMO_IDS.autoCredential });
    await waitUntil(() => bob.trayCheckouts.at(-1)?.length === 1);
    expect(bob.trayCheckouts.at(-1)?.[0]).toMatchObject({
      checkoutId: checkout.id,
      credentialId: DEMO_IDS.autoCredential,
      canCopyPassword: true,
    });

    await bob.app.trayCommand({ kind: 'copyPassword', credentialId: DEMO_IDS.autoCredential });
    expect(bob.clipboard.writes.at(-1)).toMatchObject({ concealed: true });
    expect(bob.clipboard.value).not.toBe('');

    await bob.app.lock('user');
    expect(bob.trayCheckouts.at(-1)).toEqual([]);
    await bob.app.trayCommand({ kind: 'checkIn', checkoutId: checkout.id });
    expect(bob.notifications.at(-1)).toMatchObject({ id: 'tray:failed', title: 'That did not work' });
    await bob.call('session:unlock', { password: 'coffre-demo' });
    await waitUntil(() => bob.trayCheckouts.at(-1)?.length === 1);

    await bob.app.trayCommand({ kind: 'checkIn', checkoutId: checkout.id });
    expect(bob.trayCheckouts.at(-1)).toEqual([]);
    expect((await bob.call('checkouts:mine')).map((c) => c.id)).not.toContain(checkout.id);
  });
});

async function waitUntil(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(condition()).toBe(true);
}

describe('the credential list as users expect it (issue 15, item 7)', () => {
  const names = (list: { data: Array<{ name: string }> }) => list.data.map((credential) => credential.name);

  it('filters by state for the user: available, mine, pending, checked out by others', async () => {
    const bob = await signedIn('bob');
    const held = await bob.call('checkouts:request', { credentialId: DEMO_IDS.autoCredential });
    const kelly = await signedIn('kelly');
    const requested = await kelly.call('checkouts:request', {
      credentialId: DEMO_IDS.approvedCredential,
      reason: 'maintenance',
      approverId: DEMO_IDS.alice,
    });
    await bob.call('sync:now');
    await kelly.call('sync:now');

    const mine = await bob.call('credentials:list', { status: 'mine' });
    expect(mine.data.map((c) => c.id)).toEqual([DEMO_IDS.autoCredential]);
    const available = await bob.call('credentials:list', { status: 'available' });
    expect(available.total).toBe(13);
    expect(available.data.map((c) => c.id)).not.toContain(DEMO_IDS.autoCredential);
    const pending = await kelly.call('credentials:list', { status: 'pending' });
    expect(pending.data.map((c) => c.id)).toEqual([DEMO_IDS.approvedCredential]);
    const taken = await kelly.call('credentials:list', { status: 'taken' });
    expect(taken.data.map((c) => c.id)).toEqual([DEMO_IDS.autoCredential]);
    expect((await kelly.call('credentials:list', { status: 'mine' })).total).toBe(0);
    await bob.call('checkouts:checkIn', { id: held.checkout.id });
    await kelly.call('checkouts:cancel', { id: requested.checkout.id });
  });

  it('lists favourites, then recently used ones, first; sorts by vault on request', async () => {
    const bob = await signedIn('bob');
    const byName = names(await bob.call('credentials:list', {}));
    const last = byName[byName.length - 1];
    const all = await bob.call('credentials:list', {});
    const lastId = all.data[all.data.length - 1]!.id;
    await bob.call('settings:update', { favouriteCredentialIds: [lastId] });
    // Checking out makes it recently used (kept in the settings, not with the secrets).
    const held = await bob.call('checkouts:request', { credentialId: DEMO_IDS.autoCredential });
    await bob.call('checkouts:checkIn', { id: held.checkout.id });
    expect((await bob.call('settings:get')).recentCredentialIds).toEqual([DEMO_IDS.autoCredential]);
    const arranged = await bob.call('credentials:list', {});
    expect(arranged.data[0]?.name).toBe(last);
    expect(arranged.data[1]?.id).toBe(DEMO_IDS.autoCredential);
    expect(arranged.total).toBe(14);
    // Paged: the same order, page by page.
    const second = await bob.call('credentials:list', { offset: 1, limit: 1 });
    expect(second.data[0]?.id).toBe(DEMO_IDS.autoCredential);

    await bob.call('settings:update', { favouriteCredentialIds: [], recentCredentialIds: [] });
    const vaults = await bob.call('vaults:list');
    const vaultOrder = new Map(vaults.map((vault) => [vault.id, vault.name]));
    const byVault = await bob.call('credentials:list', { sort: 'vault' });
    const vaultNames = byVault.data.map((c) => vaultOrder.get(c.vaultID) ?? '');
    const sorted = [...vaultNames].sort((a, b) => a.localeCompare(b, 'en', { sensitivity: 'base' }));
    expect(vaultNames).toEqual(sorted);
    expect(byVault.total).toBe(14);
  });
});

describe('periodic sync', () => {
  it('refreshes the cached list every few minutes while signed in, so others’ checkouts show', async () => {
    const due: Array<{ at: number; run: () => void; id: number }> = [];
    let now = 0;
    let nextId = 0;
    const timers = {
      setTimeout: (run: () => void, ms: number) => {
        const id = ++nextId;
        due.push({ at: now + ms, run, id });
        return id;
      },
      clearTimeout: (id: unknown) => {
        const index = due.findIndex((timer) => timer.id === id);
        if (index >= 0) due.splice(index, 1);
      },
    };
    const kelly = await signedIn('kelly', { timers });
    const before = await kelly.call('credentials:list', { search: 'web01' });
    expect(before.data[0]?.checkout).toBeNull();
    const bob = await server.as('bob');
    const held = await bob.request('POST', '/api/pam/checkouts', { credentialID: DEMO_IDS.autoCredential });
    // Five minutes later, the periodic sync has run.
    now += 5 * 60_000;
    const mark = kelly.events.length;
    for (const timer of due.filter((t) => t.at <= now)) {
      due.splice(due.indexOf(timer), 1);
      timer.run();
    }
    await kelly.waitForEvent((e) => e.type === 'sync.progress' && e.done === e.total, mark);
    const after = await kelly.call('credentials:list', { search: 'web01' });
    expect(after.data[0]?.checkout).toMatchObject({ userID: bob.userId, status: CheckoutStatus.Active });
    await bob.request('PUT', `/api/pam/checkouts/${held.body.id}`, { status: CheckoutStatus.Ended });
  });
});

describe('incremental sync', () => {
  const SERVERS_VAULT = 'a1000000-0000-4000-8000-000000000001';

  interface CredentialReads {
    /** Pages of the full listing. */
    listings: number;
    /** Pages of changes. */
    changes: number;
  }

  /**
   * The real backend with its credential reads counted; `olderServer`: as a server without a
   * change sequence answers (no syncToken, no capability); `changesKnown`: the capability claimed
   * from the start (a real backend learns it from its first listing), so that only the sync's own
   * rules keep a new sign-in from continuing where the previous user's sync stopped.
   */
  function countingBackend(reads: CredentialReads, { olderServer = false, changesKnown = false } = {}) {
    return (options: CreatePamBackendOptions): PamBackend => {
      const real = createPamBackend(options);
      return new Proxy(real, {
        get(target, property) {
          if (property === 'capabilities' && (olderServer || changesKnown)) {
            return { ...target.capabilities, credentialChanges: !olderServer };
          }
          if (property === 'listCredentials') {
            return async (query: Parameters<PamBackend['listCredentials']>[0]) => {
              reads.listings++;
              const page = await target.listCredentials(query);
              return olderServer ? { data: page.data, total: page.total } : page;
            };
          }
          if (property === 'listCredentialChanges') {
            return (since: number, limit?: number) => {
              reads.changes++;
              return target.listCredentialChanges(since, limit);
            };
          }
          const value = Reflect.get(target, property, target);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
    };
  }

  /** A server of its own (these tests add and delete credentials) with three to change. */
  async function serverWithCredentials() {
    const local = await startTestServer();
    const admin = await local.as('admin');
    const create = async (name: string) =>
      (await admin.request('POST', '/api/admin/credentials', { vaultID: SERVERS_VAULT, name })).body
        .id as string;
    const ids = {
      edited: await create('Sync edited'),
      held: await create('Sync held'),
      deleted: await create('Sync deleted'),
    };
    /** Renames one, kelly checks out another, the admin deletes the third. */
    const change = async () => {
      await admin.request('PATCH', `/api/admin/credentials/${ids.edited}`, { name: 'Sync renamed' });
      const kelly = await local.as('kelly');
      const held = await kelly.request('POST', '/api/pam/checkouts', { credentialID: ids.held });
      expect(held.status).toBe(201);
      expect((await admin.request('DELETE', `/api/admin/credentials/${ids.deleted}`)).status).toBe(204);
    };
    return { local, ids, change };
  }

  const progressSince = (desktop: DesktopHarness, mark: number) =>
    desktop.events
      .slice(mark)
      .filter((e): e is Extract<AppEvent, { type: 'sync.progress' }> => e.type === 'sync.progress');

  it('after the first sync, reads only what changed: the edit, the checkout and the deletion', async () => {
    const { local, ids, change } = await serverWithCredentials();
    try {
      const reads = { listings: 0, changes: 0 };
      const bob = await signedInTo(local, { createBackend: countingBackend(reads) });
      expect(reads).toEqual({ listings: 1, changes: 0 });
      expect((await bob.call('credentials:list', {})).total).toBe(17);

      await change();
      reads.listings = 0;
      const mark = bob.events.length;
      const { count } = await bob.call('sync:now');
      expect(reads).toEqual({ listings: 0, changes: 1 });
      expect(count).toBe(16);
      expect(progressSince(bob, mark).at(-1)).toEqual({ type: 'sync.progress', done: 3, total: 3 });

      const list = await bob.call('credentials:list', { search: 'sync' });
      expect(list.total).toBe(2);
      expect(list.data.find((c) => c.id === ids.edited)?.name).toBe('Sync renamed');
      expect(list.data.find((c) => c.id === ids.held)?.checkout).toMatchObject({
        userID: DEMO_IDS.kelly,
        status: CheckoutStatus.Active,
      });
      expect(list.data.map((c) => c.id)).not.toContain(ids.deleted);

      // Nothing changed since: one empty page, and the renderer is still told the sync finished.
      const quiet = bob.events.length;
      expect(await bob.call('sync:now')).toEqual({ count: 16 });
      expect(reads).toEqual({ listings: 0, changes: 2 });
      expect(progressSince(bob, quiet)).toEqual([{ type: 'sync.progress', done: 0, total: 0 }]);
    } finally {
      await local.stop();
    }
  });

  it('lists in full again once the last full listing is an hour old', async () => {
    const { local, ids, change } = await serverWithCredentials();
    try {
      let skew = 0;
      const reads = { listings: 0, changes: 0 };
      const bob = await signedInTo(local, {
        createBackend: countingBackend(reads),
        clock: { now: () => Date.now() + skew },
      });
      await bob.call('sync:now');
      expect(reads).toEqual({ listings: 1, changes: 1 });
      await change();
      skew = 61 * 60_000;
      await bob.call('sync:now');
      expect(reads).toEqual({ listings: 2, changes: 1 });
      const list = await bob.call('credentials:list', { search: 'sync' });
      expect(list.data.map((c) => c.id).sort()).toEqual([ids.edited, ids.held].sort());
      // The full listing saved a new position: changes again from there.
      await bob.call('sync:now');
      expect(reads).toEqual({ listings: 2, changes: 2 });
    } finally {
      await local.stop();
    }
  });

  it('falls back to the full listing with a server that keeps no change sequence', async () => {
    const { local, ids, change } = await serverWithCredentials();
    try {
      const reads = { listings: 0, changes: 0 };
      const bob = await signedInTo(local, { createBackend: countingBackend(reads, { olderServer: true }) });
      expect(reads).toEqual({ listings: 1, changes: 0 });
      await change();
      const mark = bob.events.length;
      expect(await bob.call('sync:now')).toEqual({ count: 16 });
      expect(reads).toEqual({ listings: 2, changes: 0 });
      expect(progressSince(bob, mark).at(-1)).toEqual({ type: 'sync.progress', done: 16, total: 16 });
      const list = await bob.call('credentials:list', { search: 'sync' });
      expect(list.data.find((c) => c.id === ids.edited)?.name).toBe('Sync renamed');
      expect(list.data.map((c) => c.id)).not.toContain(ids.deleted);
    } finally {
      await local.stop();
    }
  });

  it('lists in full at every sign-in, and never continues from another user’s position', async () => {
    const local = await startTestServer();
    try {
      // A pending request shows only to its requester: bob's list and kelly's differ on it.
      const kellyApi = await local.as('kelly');
      const requested = await kellyApi.request('POST', '/api/pam/checkouts', {
        credentialID: DEMO_IDS.approvedCredential,
        approverID: DEMO_IDS.alice,
        reason: 'Because',
      });
      expect(requested.body.status).toBe(CheckoutStatus.Pending);
      const reads = { listings: 0, changes: 0 };
      const desktop = await signedInTo(local, {
        createBackend: countingBackend(reads, { changesKnown: true }),
      });
      const asBob = await desktop.call('credentials:list', { search: 'file server' });
      expect(asBob.data.find((c) => c.id === DEMO_IDS.approvedCredential)?.checkout).toBeNull();
      await desktop.call('session:signIn', {
        profile: { id: 'local', name: 'Local', url: local.url, dialect: 'checkout' },
        username: 'kelly',
        password: 'coffre-demo',
      });
      await desktop.call('sync:now');
      expect(reads.listings).toBe(2);
      const list = await desktop.call('credentials:list', { search: 'file server' });
      expect(list.data.find((c) => c.id === DEMO_IDS.approvedCredential)?.checkout).toMatchObject({
        userID: DEMO_IDS.kelly,
        status: CheckoutStatus.Pending,
      });
    } finally {
      await local.stop();
    }
  });
});

describe('Windows sign-in to a MIM server (the shell signs in through its own network stack)', () => {
  const mimProfile = (): ServerProfile => ({
    id: 'mim',
    name: 'MIM',
    url: server.url,
    dialect: 'mim',
    signIn: 'integrated',
  });

  it('signs in with no username or password: the fetch port proves who the user is', async () => {
    const urls: string[] = [];
    // What the OS does for Electron's net.fetch in front of IIS, here with the server's Basic scheme.
    const integratedFetch = (serverUrl: string) => {
      urls.push(serverUrl);
      return (input: string | URL, init?: RequestInit) => {
        const headers = new Headers(init?.headers);
        headers.set(
          'authorization',
          `Basic ${Buffer.from('COFFRE\\PRIV.Jen:coffre-demo').toString('base64')}`,
        );
        return fetch(input, { ...init, headers });
      };
    };
    const desktop = await startDesktop({ integratedFetch });
    open.push(desktop);
    const state = await desktop.call('session:signIn', { profile: mimProfile(), username: '', password: '' });
    expect(state.status).toBe('signedIn');
    expect(state.user?.username).toBe('COFFRE\\PRIV.Jen');
    expect(urls).toEqual([server.url]);
    await desktop.call('sync:now');
    const roles = await desktop.call('credentials:list', { search: 'Allow AD Access' });
    expect(roles.data.map((role) => role.id)).toEqual([DEMO_IDS.mimOpenRoleCredential]);
  });

  it('unlocks by running the Windows sign-in again: no password asked, none had', async () => {
    let accepted = true;
    let signIns = 0;
    // The OS's sign-in as the shell's fetch does it; `accepted` false is a Windows session whose
    // ticket has gone (signed out of the domain): the server then sees no credentials.
    const integratedFetch = () => (input: string | URL, init?: RequestInit) => {
      const headers = new Headers(init?.headers);
      if (accepted) {
        signIns++;
        headers.set('authorization', `Basic ${Buffer.from('PRIV.Jen:coffre-demo').toString('base64')}`);
      }
      return fetch(input, { ...init, headers });
    };
    const desktop = await startDesktop({ integratedFetch });
    open.push(desktop);
    await desktop.call('session:signIn', { profile: mimProfile(), username: '', password: '' });
    await desktop.app.lock('idle');
    expect((await desktop.raw('credentials:list', {})).ok).toBe(false);

    accepted = false;
    const refused = await desktop.raw('session:unlock', {});
    expect(refused).toMatchObject({ ok: false, error: { kind: 'unauthorized' } });
    expect((await desktop.call('session:getState')).status).toBe('locked');

    accepted = true;
    const before = signIns;
    const state = await desktop.call('session:unlock', {});
    expect(state.status).toBe('signedIn');
    expect(state.user?.username).toBe('COFFRE\\PRIV.Jen');
    expect(signIns).toBeGreaterThan(before);
    await desktop.call('sync:now');
    expect((await desktop.call('credentials:list', { search: 'Allow AD Access' })).total).toBe(1);
  });

  it('a password session still needs its password to unlock (none given: refused, still locked)', async () => {
    const desktop = await startDesktop();
    open.push(desktop);
    await desktop.call('session:signIn', {
      profile: { ...mimProfile(), id: 'mim-basic', signIn: 'basic' },
      username: 'COFFRE\\PRIV.Jen',
      password: 'coffre-demo',
    });
    await desktop.app.lock('user');
    const refused = await desktop.raw('session:unlock', {});
    expect(refused).toMatchObject({ ok: false, error: { kind: 'invalid', code: 'password_required' } });
    expect((await desktop.call('session:getState')).status).toBe('locked');
    // Basic unlocks with the name as typed at sign-in (DOMAIN\\user), whatever the server calls it.
    const state = await desktop.call('session:unlock', { password: 'coffre-demo' });
    expect(state.status).toBe('signedIn');
  });

  it('is refused where the shell offers none, and a username/password profile still needs both', async () => {
    const desktop = await startDesktop();
    open.push(desktop);
    const refused = await desktop.raw('session:signIn', {
      profile: mimProfile(),
      username: '',
      password: '',
    });
    expect(refused.ok).toBe(false);
    const noPassword = await desktop.raw('session:signIn', {
      profile: { ...mimProfile(), signIn: undefined },
      username: 'PRIV.Jen',
      password: '',
    });
    expect(noPassword.ok).toBe(false);
  });
});
