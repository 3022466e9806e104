import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../common/ipc.ts';
import * as approvals from '../../renderer/src/stores/approvals.ts';
import * as checkouts from '../../renderer/src/stores/checkouts.ts';
import * as credentials from '../../renderer/src/stores/credentials.ts';
import { startStores } from '../../renderer/src/stores/lifecycle.ts';
import * as navigation from '../../renderer/src/stores/navigation.ts';
import * as secrets from '../../renderer/src/stores/secrets.ts';
import * as session from '../../renderer/src/stores/session.ts';
import * as settings from '../../renderer/src/stores/settings.ts';
import { checkout, credentialSource, guid, sessionState } from './support/factories.ts';
import { flush, installFakeCoffre, removeFakeCoffre } from './support/fakeCoffre.ts';

let stop: () => void = () => undefined;

beforeEach(() => {
  for (const store of [session, settings, credentials, checkouts, approvals, secrets, navigation])
    store.actions.reset();
});
afterEach(() => {
  stop();
  removeFakeCoffre();
});

function install(initial = sessionState({ status: 'signedOut', user: null })) {
  return installFakeCoffre({
    'session:getState': () => initial,
    'settings:get': () => DEFAULT_SETTINGS,
    'vaults:list': () => [],
    'credentials:list': credentialSource(500),
    'checkouts:mine': () => [checkout({ id: guid(1) })],
    'approvals:list': () => [],
    'session:signOut': () => sessionState({ status: 'signedOut', user: null }),
  });
}

describe('startStores', () => {
  it('subscribes to events once and unsubscribes on cleanup', async () => {
    const fake = install();
    stop = startStores();
    expect(fake.listenerCount()).toBe(1);
    stop();
    stop = () => undefined;
    expect(fake.listenerCount()).toBe(0);
  });

  it('loads nothing but session and settings while signed out', async () => {
    const fake = install();
    stop = startStores();
    await flush();
    expect(fake.calls.map((call) => call.channel).sort()).toEqual(['session:getState', 'settings:get']);
  });

  it('loads every area once signed in (restored session included)', async () => {
    const fake = install(sessionState());
    stop = startStores();
    await flush();
    for (const channel of ['vaults:list', 'credentials:list', 'checkouts:mine', 'approvals:list'] as const) {
      expect(fake.callsTo(channel).length, channel).toBeGreaterThan(0);
    }
    expect(credentials.selectors.total(credentials.useCredentialsStore.getState())).toBe(500);
    expect(checkouts.selectors.active(checkouts.useCheckoutsStore.getState())).toHaveLength(1);
  });

  it('dispatches events to the stores', async () => {
    const fake = install(sessionState());
    stop = startStores();
    await flush();
    fake.emit({ type: 'approvals.changed', pending: 3 });
    fake.emit({ type: 'navigate', route: 'approvals', id: guid(9) });
    expect(approvals.selectors.count(approvals.useApprovalsStore.getState())).toBe(3);
    expect(navigation.selectors.route(navigation.useNavigationStore.getState())).toBe('approvals');
  });

  it('forgets shown secrets on lock and all data on sign-out', async () => {
    const fake = install(sessionState());
    stop = startStores();
    await flush();
    secrets.useSecretsStore.setState({ reveals: { [guid(1)]: { hideAt: 'T' } } });
    fake.emit({ type: 'session.changed', state: sessionState({ status: 'locked' }) });
    expect(secrets.useSecretsStore.getState().reveals).toEqual({});
    expect(credentials.selectors.total(credentials.useCredentialsStore.getState())).toBe(500);

    await session.actions.signOut();
    expect(credentials.selectors.total(credentials.useCredentialsStore.getState())).toBeNull();
    expect(checkouts.useCheckoutsStore.getState().mine).toEqual([]);
    expect(session.selectors.phase(session.useSessionStore.getState())).toBe('signedOut');
  });

  it('catches up after unlocking', async () => {
    const fake = install(sessionState());
    stop = startStores();
    await flush();
    fake.emit({ type: 'session.changed', state: sessionState({ status: 'locked' }) });
    const before = fake.callsTo('checkouts:mine').length;
    fake.emit({ type: 'session.changed', state: sessionState() });
    await flush();
    expect(fake.callsTo('checkouts:mine').length).toBe(before + 1);
  });
});
