import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../common/ipc.ts';
import * as session from '../../renderer/src/stores/session.ts';
import * as settings from '../../renderer/src/stores/settings.ts';
import * as toasts from '../../renderer/src/stores/toasts.ts';
import { BOB, sessionState } from './support/factories.ts';
import { FakeFailure, installFakeCoffre, removeFakeCoffre } from './support/fakeCoffre.ts';

const profile = { id: 'p1', name: 'Demo', url: 'http://127.0.0.1:4000', dialect: 'checkout' as const };

beforeEach(() => {
  session.actions.reset();
  settings.actions.reset();
  toasts.actions.reset();
});
afterEach(() => removeFakeCoffre());

describe('session store', () => {
  it('starts loading, then holds the main process state', async () => {
    installFakeCoffre({ 'session:getState': () => sessionState({ status: 'signedOut', user: null }) });
    expect(session.selectors.phase(session.useSessionStore.getState())).toBe('loading');
    await session.actions.load();
    expect(session.selectors.phase(session.useSessionStore.getState())).toBe('signedOut');
  });

  it("is 'unavailable' when even the state cannot be read", async () => {
    installFakeCoffre({});
    await session.actions.load();
    expect(session.selectors.phase(session.useSessionStore.getState())).toBe('unavailable');
  });

  it('signs in, sending profile, username and password', async () => {
    const fake = installFakeCoffre({ 'session:signIn': () => sessionState() });
    await expect(session.actions.signIn({ profile, username: 'bob', password: 'pw' })).resolves.toBe(true);
    expect(fake.callsTo('session:signIn')).toEqual([{ profile, username: 'bob', password: 'pw' }]);
    const state = session.useSessionStore.getState();
    expect(session.selectors.phase(state)).toBe('signedIn');
    expect(session.selectors.user(state)).toEqual(BOB);
    expect(state.signingIn).toBe(false);
  });

  it('keeps a failed sign-in on the form (kind for the translated message), no toast', async () => {
    installFakeCoffre({
      'session:signIn': () => {
        throw new FakeFailure('unauthorized', 'bad_credentials', 'Invalid username or password.');
      },
    });
    await expect(session.actions.signIn({ profile, username: 'bob', password: 'x' })).resolves.toBe(false);
    const state = session.useSessionStore.getState();
    expect(session.selectors.signInError(state)).toMatchObject({ kind: 'unauthorized' });
    expect(toasts.useToastsStore.getState().toasts).toEqual([]);
    session.actions.clearSignInError();
    expect(session.useSessionStore.getState().signInError).toBeNull();
  });

  it('follows session.changed events (offline, lock)', () => {
    session.actions.handleEvent({
      type: 'session.changed',
      state: sessionState({ offlineSince: '2026-01-01T10:00:00Z' }),
    });
    expect(session.selectors.offlineSince(session.useSessionStore.getState())).toBe('2026-01-01T10:00:00Z');
    session.actions.handleEvent({ type: 'session.changed', state: sessionState({ status: 'locked' }) });
    expect(session.selectors.phase(session.useSessionStore.getState())).toBe('locked');
  });

  it('unlocks with the password, or keeps the error', async () => {
    let accept = false;
    installFakeCoffre({
      'session:unlock': () => {
        if (!accept) throw new FakeFailure('unauthorized', 'bad_credentials');
        return sessionState();
      },
    });
    await expect(session.actions.unlock('wrong')).resolves.toBe(false);
    expect(session.useSessionStore.getState().unlockError?.kind).toBe('unauthorized');
    accept = true;
    await expect(session.actions.unlock('right')).resolves.toBe(true);
    expect(session.useSessionStore.getState().unlockError).toBeNull();
  });

  it('derives roles and capabilities', () => {
    const admin = { ...BOB, roles: ['admin' as const] };
    session.actions.handleEvent({
      type: 'session.changed',
      state: sessionState({ user: admin, tokenPersisted: false }),
    });
    const state = session.useSessionStore.getState();
    expect(session.selectors.isAdmin(state)).toBe(true);
    expect(session.selectors.isApprover(state)).toBe(true);
    expect(session.selectors.tokenNotKept(state)).toBe(true);
    expect(session.selectors.canExtend(state)).toBe(true);
  });

  it('toasts a failed sign-out', async () => {
    installFakeCoffre({
      'session:signOut': () => {
        throw new FakeFailure('network', 'unreachable', 'connect ECONNREFUSED');
      },
    });
    await session.actions.signOut();
    expect(toasts.useToastsStore.getState().toasts).toMatchObject([
      { tone: 'error', key: 'error.network', detail: 'connect ECONNREFUSED' },
    ]);
  });
});

describe('settings store', () => {
  it('selectors give the same value for the same state before settings load (else React loops)', () => {
    const state = settings.useSettingsStore.getState();
    expect(settings.selectors.profiles(state)).toBe(settings.selectors.profiles(state));
  });

  it('loads, and resolves the language: system follows the OS', async () => {
    installFakeCoffre({ 'settings:get': () => ({ ...DEFAULT_SETTINGS, theme: 'dark' }) });
    await settings.actions.load();
    const state = settings.useSettingsStore.getState();
    expect(settings.selectors.theme(state)).toBe('dark');
    expect(settings.selectors.languageSetting(state)).toBe('system');
    expect(['en', 'fr']).toContain(settings.selectors.language(state));
  });

  it('applies a change at once and keeps what the main process answers', async () => {
    let release: () => void = () => undefined;
    const fake = installFakeCoffre({
      'settings:update': (patch) =>
        new Promise((resolve) => {
          release = () => resolve({ ...DEFAULT_SETTINGS, ...patch, clipboardClearSeconds: 45 });
        }),
    });
    settings.useSettingsStore.setState({ settings: { ...DEFAULT_SETTINGS } });
    const pending = settings.actions.update({ language: 'fr' });
    expect(settings.selectors.language(settings.useSettingsStore.getState())).toBe('fr');
    release();
    await expect(pending).resolves.toBe(true);
    expect(fake.callsTo('settings:update')).toEqual([{ language: 'fr' }]);
    expect(settings.useSettingsStore.getState().settings?.clipboardClearSeconds).toBe(45);
  });

  it('puts the previous values back when saving fails', async () => {
    installFakeCoffre({
      'settings:update': () => {
        throw new FakeFailure('invalid', 'invalid_settings', 'clipboardClearSeconds: too small');
      },
    });
    settings.useSettingsStore.setState({ settings: { ...DEFAULT_SETTINGS } });
    await expect(settings.actions.update({ clipboardClearSeconds: 1 })).resolves.toBe(false);
    expect(settings.useSettingsStore.getState().settings?.clipboardClearSeconds).toBe(30);
    expect(toasts.useToastsStore.getState().toasts[0]).toMatchObject({ key: 'error.invalid' });
  });

  it('removes a profile, forgetting it as the last one used', async () => {
    const fake = installFakeCoffre({ 'settings:update': (patch) => ({ ...DEFAULT_SETTINGS, ...patch }) });
    const other = { ...profile, id: 'p2', url: 'https://pam.example.com' };
    settings.useSettingsStore.setState({
      settings: { ...DEFAULT_SETTINGS, profiles: [profile, other], lastProfileId: 'p1' },
    });
    await settings.actions.removeProfile('p1');
    expect(fake.callsTo('settings:update')).toEqual([{ profiles: [other], lastProfileId: null }]);
    expect(settings.selectors.profiles(settings.useSettingsStore.getState())).toEqual([other]);
  });
});
