import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as navigation from '../../renderer/src/stores/navigation.ts';
import * as secrets from '../../renderer/src/stores/secrets.ts';
import * as toasts from '../../renderer/src/stores/toasts.ts';
import { guid } from './support/factories.ts';
import { FakeFailure, installFakeCoffre, removeFakeCoffre } from './support/fakeCoffre.ts';

const SECRET = 'Tr0ub4dor&3-correct-horse';

beforeEach(() => {
  secrets.actions.reset();
  toasts.actions.reset();
  navigation.actions.reset();
});
afterEach(() => {
  vi.useRealTimers();
  removeFakeCoffre();
});

describe('secrets store (clipboard and reveal state)', () => {
  it('copies and records when the clipboard clears, for the countdown', async () => {
    const fake = installFakeCoffre({ 'password:copy': () => ({ clearsAt: '2026-01-01T10:00:30.000Z' }) });
    await expect(secrets.actions.copy(guid(1))).resolves.toBe(true);
    expect(fake.callsTo('password:copy')).toEqual([{ credentialId: guid(1) }]);
    const state = secrets.useSecretsStore.getState();
    expect(secrets.selectors.clipboardFor(guid(1))(state)).toBe('2026-01-01T10:00:30.000Z');
    expect(secrets.selectors.clipboardFor(guid(2))(state)).toBeNull();
  });

  it('follows clipboard.changed: another copy, then the clear', () => {
    secrets.actions.handleEvent({
      type: 'clipboard.changed',
      state: 'copied',
      credentialId: guid(2),
      clearsAt: '2026-01-01T10:01:00.000Z',
    });
    expect(secrets.selectors.clipboard(secrets.useSecretsStore.getState())?.credentialId).toBe(guid(2));
    secrets.actions.handleEvent({
      type: 'clipboard.changed',
      state: 'cleared',
      credentialId: guid(2),
      clearsAt: null,
    });
    expect(secrets.selectors.clipboard(secrets.useSecretsStore.getState())).toBeNull();
  });

  it('ignores the clear of an older copy once another credential was copied', () => {
    secrets.actions.handleEvent({
      type: 'clipboard.changed',
      state: 'copied',
      credentialId: guid(2),
      clearsAt: '2026-01-01T10:01:00.000Z',
    });
    secrets.actions.handleEvent({
      type: 'clipboard.changed',
      state: 'cleared',
      credentialId: guid(1),
      clearsAt: null,
    });
    expect(secrets.selectors.clipboard(secrets.useSecretsStore.getState())?.credentialId).toBe(guid(2));
  });

  it('hands a revealed password to the caller and keeps only its hide time', async () => {
    installFakeCoffre({
      'password:reveal': () => ({ password: SECRET, hideAt: '2026-01-01T10:00:20.000Z' }),
    });
    await expect(secrets.actions.reveal(guid(1))).resolves.toBe(SECRET);
    const state = secrets.useSecretsStore.getState();
    expect(secrets.selectors.revealedUntil(guid(1))(state)).toBe('2026-01-01T10:00:20.000Z');
    expect(JSON.stringify(state)).not.toContain(SECRET);
  });

  it('drops the reveal on password.hidden, and hides on demand through the main process', async () => {
    const fake = installFakeCoffre({
      'password:reveal': () => ({ password: SECRET, hideAt: '2026-01-01T10:00:20.000Z' }),
      'password:hide': () => undefined,
    });
    await secrets.actions.reveal(guid(1));
    secrets.actions.handleEvent({ type: 'password.hidden', credentialId: guid(1) });
    expect(secrets.selectors.revealedUntil(guid(1))(secrets.useSecretsStore.getState())).toBeNull();
    await secrets.actions.reveal(guid(1));
    await secrets.actions.hide(guid(1));
    expect(fake.callsTo('password:hide')).toEqual([{ credentialId: guid(1) }]);
    expect(secrets.selectors.revealedUntil(guid(1))(secrets.useSecretsStore.getState())).toBeNull();
  });

  it('toasts a refused read and returns nothing', async () => {
    installFakeCoffre({
      'password:reveal': () => {
        throw new FakeFailure(
          'unsupported',
          'password_read_unsupported',
          'This server does not hand out passwords.',
        );
      },
    });
    await expect(secrets.actions.reveal(guid(1))).resolves.toBeNull();
    expect(secrets.selectors.revealing(guid(1))(secrets.useSecretsStore.getState())).toBe(false);
    expect(toasts.useToastsStore.getState().toasts[0]).toMatchObject({ key: 'error.unsupported' });
  });

  it('stops the clipboard countdown when it ran out even if the event is late', () => {
    secrets.useSecretsStore.setState({ clipboard: { credentialId: guid(1), clearsAt: 'T1' } });
    secrets.actions.clipboardExpired('T0');
    expect(secrets.selectors.clipboard(secrets.useSecretsStore.getState())).not.toBeNull();
    secrets.actions.clipboardExpired('T1');
    expect(secrets.selectors.clipboard(secrets.useSecretsStore.getState())).toBeNull();
  });
});

describe('toasts store', () => {
  it('translates errors by kind and keeps the server message as detail', () => {
    toasts.actions.error(new FakeFailure('tls', 'cert_untrusted', 'self-signed certificate').error);
    toasts.actions.error(new Error('boom'));
    expect(toasts.useToastsStore.getState().toasts).toMatchObject([
      { tone: 'error', key: 'error.tls', detail: 'self-signed certificate', errorCode: 'cert_untrusted' },
      { tone: 'error', key: 'error.internal', detail: 'boom' },
    ]);
  });

  it('shows no "locked" refusal: a load caught by the lock is redone at unlock, the lock screen says it', () => {
    expect(toasts.actions.error(new FakeFailure('locked', 'locked', 'Coffre is locked.').error)).toBe(0);
    expect(toasts.useToastsStore.getState().toasts).toEqual([]);
  });

  it('has a headline for every error kind', () => {
    for (const key of Object.values(toasts.ERROR_KEYS)) expect(key).toMatch(/^error\./);
    expect(Object.keys(toasts.ERROR_KEYS)).toHaveLength(15);
  });

  it('dismisses itself after a while, unless held', () => {
    vi.useFakeTimers();
    const kept = toasts.actions.success('checkout.grantedToast', { credential: 'x', time: '10:00' });
    toasts.actions.success('checkout.grantedToast', { credential: 'y', time: '10:00' });
    toasts.actions.hold(kept);
    vi.advanceTimersByTime(toasts.TOAST_MS.success + 1);
    expect(toasts.useToastsStore.getState().toasts.map((toast) => toast.id)).toEqual([kept]);
    toasts.actions.release(kept);
    vi.advanceTimersByTime(toasts.TOAST_MS.success + 1);
    expect(toasts.useToastsStore.getState().toasts).toEqual([]);
  });

  it('shows at most four at a time, the newest', () => {
    for (let i = 0; i < 6; i++)
      toasts.actions.success('checkout.grantedToast', { credential: `c${i}`, time: '' });
    const shown = toasts.useToastsStore.getState().toasts;
    expect(shown).toHaveLength(4);
    expect(shown.at(-1)?.values?.credential).toBe('c5');
  });
});

describe('navigation store', () => {
  it('navigates, bumping the sequence even to the same route', () => {
    navigation.actions.navigate('checkouts', guid(1));
    navigation.actions.navigate('checkouts', guid(1));
    const state = navigation.useNavigationStore.getState();
    expect(navigation.selectors.route(state)).toBe('checkouts');
    expect(navigation.selectors.selectedId(state)).toBe(guid(1));
    expect(navigation.selectors.seq(state)).toBe(2);
  });

  it('follows navigate events (notification clicks) and ignores unknown routes', () => {
    navigation.actions.handleEvent({ type: 'navigate', route: 'approvals', id: guid(5) });
    expect(navigation.useNavigationStore.getState()).toMatchObject({
      route: 'approvals',
      selectedId: guid(5),
    });
    navigation.actions.handleEvent({ type: 'navigate', route: 'nowhere' as 'approvals' });
    expect(navigation.useNavigationStore.getState().route).toBe('approvals');
  });
});
