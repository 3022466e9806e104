// @vitest-environment jsdom
/**
 * The account is what the user came for (issue 15, item 2): the account and host on every checkout
 * card and in the dialog, Copy username beside Copy password, Ctrl+Shift+C for the selected
 * credential's password when the user holds it, a revealed password coloured by character class.
 */
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { createElement } from 'react';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CheckoutDialog } from '../../renderer/src/components/CheckoutDialog.tsx';
import { passwordRuns } from '../../renderer/src/components/PasswordText.tsx';
import { i18n, initI18n } from '../../renderer/src/i18n/index.ts';
import { Credentials } from '../../renderer/src/screens/Credentials.tsx';
import { MyCheckouts } from '../../renderer/src/screens/MyCheckouts.tsx';
import * as approvals from '../../renderer/src/stores/approvals.ts';
import * as checkouts from '../../renderer/src/stores/checkouts.ts';
import * as credentials from '../../renderer/src/stores/credentials.ts';
import * as navigation from '../../renderer/src/stores/navigation.ts';
import * as secrets from '../../renderer/src/stores/secrets.ts';
import * as session from '../../renderer/src/stores/session.ts';
import * as settings from '../../renderer/src/stores/settings.ts';
import * as toasts from '../../renderer/src/stores/toasts.ts';
import { checkout, credential, guid, sessionState, VAULT_ID } from './support/factories.ts';
import { flush, installFakeCoffre, removeFakeCoffre } from './support/fakeCoffre.ts';

beforeAll(() => {
  initI18n('en');
  globalThis.ResizeObserver ??= class {
    observe() {}
    unobserve() {}
    disconnect() {}
  } as unknown as typeof ResizeObserver;
});

beforeEach(async () => {
  await i18n.changeLanguage('en');
  for (const store of [session, settings, credentials, checkouts, approvals, secrets, navigation, toasts]) {
    store.actions.reset();
  }
  session.useSessionStore.setState({ session: sessionState() });
  credentials.useCredentialsStore.setState({
    vaults: [{ id: VAULT_ID, name: 'Databases', description: '' }],
  });
});

afterEach(() => {
  cleanup();
  removeFakeCoffre();
});

const oracle = checkout({
  id: guid(1),
  credentialID: guid(11),
  credentialName: 'Oracle SYS',
  credentialUsername: 'SYS',
  credentialHost: 'ora01',
  vaultName: 'Databases',
  expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
});

describe('a revealed password by character class', () => {
  it('cuts the password into runs of letters, digits and symbols, by code point', () => {
    expect(passwordRuns('ab12!?Cé9€')).toEqual([
      { kind: 'letter', text: 'ab' },
      { kind: 'digit', text: '12' },
      { kind: 'symbol', text: '!?' },
      { kind: 'letter', text: 'Cé' },
      { kind: 'digit', text: '9' },
      { kind: 'symbol', text: '€' },
    ]);
    expect(passwordRuns('')).toEqual([]);
    expect(passwordRuns('a😀b').map((run) => run.kind)).toEqual(['letter', 'symbol', 'letter']);
  });

  it('shows it in the card, monospace, digits and symbols marked, the text intact', async () => {
    installFakeCoffre({
      'password:reveal': () => ({ password: 'x9#Q', hideAt: new Date(Date.now() + 20_000).toISOString() }),
      'password:hide': () => undefined,
    });
    checkouts.useCheckoutsStore.setState({ mine: [oracle], mineLoaded: true });
    render(createElement(MyCheckouts));
    const card = screen.getByRole('article', { name: 'Oracle SYS' });
    await act(async () => {
      fireEvent.click(within(card).getByRole('button', { name: 'Reveal' }));
      await flush();
    });
    const secret = within(card).getByTestId('revealed-password');
    expect(secret.tagName).toBe('CODE');
    expect(secret.textContent).toBe('x9#Q');
    expect(secret.querySelector('.pw-digit')?.textContent).toBe('9');
    expect(secret.querySelector('.pw-symbol')?.textContent).toBe('#');
  });
});

describe('the account on every card and in the dialog', () => {
  it('shows SYS@ora01 and the vault on an active and on a pending card', () => {
    installFakeCoffre({});
    const pending = checkout({
      id: guid(2),
      status: 1,
      credentialID: guid(12),
      credentialName: 'Domain Admin',
      credentialUsername: 'CORP\\da-admin',
      credentialHost: 'corp.example',
      vaultName: 'Domain',
      expiresAt: null,
      checkoutDateTime: null,
    });
    checkouts.useCheckoutsStore.setState({ mine: [oracle, pending], mineLoaded: true });
    render(createElement(MyCheckouts));
    const active = screen.getByRole('article', { name: 'Oracle SYS' });
    expect(within(active).getByTestId('checkout-account').textContent).toBe('SYS@ora01·Databases');
    const waiting = screen.getByRole('article', { name: 'Domain Admin' });
    expect(within(waiting).getByTestId('checkout-account').textContent).toBe(
      'CORP\\da-admin@corp.example·Domain',
    );
  });

  it('falls back to the loaded credential when the server does not name the account (DVLS)', () => {
    installFakeCoffre({});
    credentials.useCredentialsStore.setState({
      pages: { 0: [credential(11, { username: 'SYS', host: 'ora01' })] },
    });
    const bare = checkout({ id: guid(1), credentialID: guid(11), credentialName: 'Oracle SYS' });
    checkouts.useCheckoutsStore.setState({ mine: [bare], mineLoaded: true });
    render(createElement(MyCheckouts));
    const card = screen.getByRole('article', { name: 'Oracle SYS' });
    expect(within(card).getByTestId('checkout-account').textContent).toBe('SYS@ora01·Databases');
  });

  it('names the account and vault under the dialog title', async () => {
    installFakeCoffre({});
    render(
      createElement(CheckoutDialog, {
        credential: credential(1, { name: 'Oracle SYS', username: 'SYS', host: 'ora01' }),
        onClose: () => undefined,
      }),
    );
    const dialog = await screen.findByRole('dialog', { name: 'Check out Oracle SYS' });
    expect(within(dialog).getByTestId('checkout-account').textContent).toBe('SYS@ora01 · Databases');
  });
});

describe('copying the username and the password', () => {
  it('Copy username sits beside Copy password and copies the account', async () => {
    const fake = installFakeCoffre({ 'username:copy': () => undefined });
    checkouts.useCheckoutsStore.setState({ mine: [oracle], mineLoaded: true });
    render(createElement(MyCheckouts));
    const card = screen.getByRole('article', { name: 'Oracle SYS' });
    const copyPassword = within(card).getByRole('button', { name: 'Copy password' });
    const copyUsername = within(card).getByRole('button', { name: 'Copy username' });
    expect(copyPassword.nextElementSibling).toBe(copyUsername);
    await act(async () => {
      fireEvent.click(copyUsername);
      await flush();
    });
    expect(fake.callsTo('username:copy')).toEqual([{ credentialId: guid(11) }]);
    expect(toasts.useToastsStore.getState().toasts.at(-1)).toMatchObject({ key: 'checkouts.usernameCopied' });
  });

  /** The credentials screen with one selected row: `held` says whether the user holds its checkout. */
  function credentialsScreen(held: boolean) {
    const fake = installFakeCoffre({
      'password:copy': () => ({ clearsAt: new Date(Date.now() + 30_000).toISOString() }),
      'username:copy': () => undefined,
      'credentials:list': () => ({ data: [], total: 0, offlineSince: null }),
      'vaults:list': () => [],
    });
    const row = credential(11, { name: 'Oracle SYS', username: 'SYS', host: 'ora01' });
    credentials.useCredentialsStore.setState({ pages: { 0: [row] }, total: 1, activeIndex: 0 });
    checkouts.useCheckoutsStore.setState({
      mine: held ? [oracle] : [],
      mineLoaded: true,
    });
    render(createElement(Credentials));
    return fake;
  }

  it('Ctrl+Shift+C copies the selected credential’s password when the user holds it; the hint says so', async () => {
    const fake = credentialsScreen(true);
    const details = screen.getByTestId('credential-details');
    expect(within(details).getByTestId('copy-shortcut-hint').textContent).toContain('Ctrl+Shift+C');
    expect(
      within(details).getByRole('button', { name: 'Copy password' }).getAttribute('aria-keyshortcuts'),
    ).toContain('Control+Shift+C');
    await act(async () => {
      fireEvent.keyDown(document.body, { key: 'C', ctrlKey: true, shiftKey: true });
      await flush();
    });
    expect(fake.callsTo('password:copy')).toEqual([{ credentialId: guid(11) }]);
  });

  it('Ctrl+Shift+C on a credential the user does not hold copies nothing and says why', async () => {
    const fake = credentialsScreen(false);
    expect(screen.queryByRole('button', { name: 'Copy password' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Copy username' })).toBeTruthy();
    await act(async () => {
      fireEvent.keyDown(document.body, { key: 'c', ctrlKey: true, shiftKey: true });
      await flush();
    });
    expect(fake.callsTo('password:copy')).toEqual([]);
    expect(toasts.useToastsStore.getState().toasts.at(-1)).toMatchObject({
      key: 'credentials.copyNotYours',
      values: { name: 'Oracle SYS' },
    });
  });
});
