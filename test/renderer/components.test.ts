// @vitest-environment jsdom
/**
 * The screens in jsdom against a fake window.coffre: what a person sees and does (labels, roles,
 * keyboard), not implementation details.
 */
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { createElement } from 'react';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../common/ipc.ts';
import { App } from '../../renderer/src/App.tsx';
import { CheckoutDialog } from '../../renderer/src/components/CheckoutDialog.tsx';
import { i18n, initI18n } from '../../renderer/src/i18n/index.ts';
import { Approvals } from '../../renderer/src/screens/Approvals.tsx';
import { BridgeMissing } from '../../renderer/src/screens/BridgeMissing.tsx';
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
import { BOB, checkout, credential, guid, sessionState, USER_ID } from './support/factories.ts';
import { FakeFailure, flush, installFakeCoffre, removeFakeCoffre } from './support/fakeCoffre.ts';

beforeAll(() => {
  initI18n('en');
  // jsdom has no layout; Radix and the list ask for these.
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
});

afterEach(() => {
  cleanup();
  removeFakeCoffre();
});

describe('without window.coffre', () => {
  it('says plainly that the page must be opened by the app', () => {
    render(createElement(BridgeMissing));
    expect(screen.getByRole('heading', { name: 'Open this page in Coffre' })).toBeTruthy();
  });
});

describe('sign in', () => {
  it('offers the demo server, and shows a wrong password as such', async () => {
    const fake = installFakeCoffre({
      'session:getState': () =>
        sessionState({ status: 'signedOut', user: null, demoServerUrl: 'http://127.0.0.1:4555' }),
      'settings:get': () => DEFAULT_SETTINGS,
      'session:signIn': () => {
        throw new FakeFailure('unauthorized', 'bad_credentials', 'Invalid username or password.');
      },
    });
    render(createElement(App));
    const demo = await screen.findByRole('button', { name: 'Use the demo server' });
    fireEvent.click(demo);
    expect((screen.getByLabelText('Server address') as HTMLInputElement).value).toBe('http://127.0.0.1:4555');
    fireEvent.change(screen.getByLabelText('Username'), { target: { value: 'bob' } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'nope' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    const alert = await screen.findByText('Wrong username or password.');
    expect(alert.closest('[role="alert"]')).toBeTruthy();
    const [args] = fake.callsTo('session:signIn') as Array<{
      profile: { url: string; dialect: string };
      username: string;
    }>;
    expect(args?.profile).toMatchObject({ url: 'http://127.0.0.1:4555', dialect: 'checkout' });
    expect(args?.username).toBe('bob');
    // The password is not kept in the form after a failure.
    expect((screen.getByLabelText('Password') as HTMLInputElement).value).toBe('');
  });

  it('refuses to send without an address, saying why next to the field', async () => {
    const fake = installFakeCoffre({
      'session:getState': () => sessionState({ status: 'signedOut', user: null }),
      'settings:get': () => DEFAULT_SETTINGS,
    });
    render(createElement(App));
    fireEvent.click(await screen.findByRole('button', { name: 'Sign in' }));
    expect(screen.getByText('Enter the server’s address, starting with https://')).toBeTruthy();
    expect(document.activeElement).toBe(screen.getByLabelText('Server address'));
    expect(fake.callsTo('session:signIn')).toEqual([]);
  });
});

describe('sign in: who and where (issue 15, item 6)', () => {
  it('focuses the password when the last server’s username is prefilled', async () => {
    installFakeCoffre({
      'session:getState': () => sessionState({ status: 'signedOut', user: null }),
      'settings:get': () => ({
        ...DEFAULT_SETTINGS,
        profiles: [
          { id: 'p1', name: 'Work', url: 'https://pam.example.com', dialect: 'checkout', username: 'bob' },
        ],
        lastProfileId: 'p1',
      }),
      'server:probe': () => ({ dialects: ['checkout'], failure: null }),
    });
    render(createElement(App));
    const password = await screen.findByLabelText('Password');
    expect((screen.getByLabelText('Username') as HTMLInputElement).value).toBe('bob');
    await waitFor(() => expect(document.activeElement).toBe(password));
  });

  it('takes the server type from the server, and explains it where the server cannot tell', async () => {
    const answers: Record<string, { dialects: string[]; failure: string | null }> = {
      'https://mim.example.com': { dialects: ['mim'], failure: null },
      'https://down.example.com': { dialects: [], failure: 'unreachable' },
    };
    installFakeCoffre({
      'session:getState': () => sessionState({ status: 'signedOut', user: null }),
      'settings:get': () => DEFAULT_SETTINGS,
      'server:probe': ({ url }: { url: string }) => answers[url],
    });
    render(createElement(App));
    const type = (await screen.findByLabelText('Server type')) as HTMLSelectElement;
    expect(type.getAttribute('aria-describedby')).toBeTruthy();
    const hint = screen.getByTestId('signin-dialect-hint');
    expect(hint.textContent).toMatch(/once you enter its address/);

    fireEvent.change(screen.getByLabelText('Server address'), {
      target: { value: 'https://mim.example.com' },
    });
    await waitFor(() => expect(type.value).toBe('mim'), { timeout: 3000 });
    expect(hint.textContent).toBe('Detected: this server answers Microsoft MIM PAM.');

    fireEvent.change(screen.getByLabelText('Server address'), {
      target: { value: 'https://down.example.com' },
    });
    await waitFor(() => expect(hint.textContent).toMatch(/did not answer/), { timeout: 3000 });
    // Nothing learned: the choice stays the user's.
    expect(type.value).toBe('mim');
  });
});

describe('sign in to several nodes (issue 16)', () => {
  it('sends the other addresses with the profile, and names one that is not an address', async () => {
    const fake = installFakeCoffre({
      'session:getState': () => sessionState({ status: 'signedOut', user: null }),
      'settings:get': () => DEFAULT_SETTINGS,
      'session:signIn': () => sessionState(),
    });
    render(createElement(App));
    fireEvent.change(await screen.findByLabelText('Server address'), {
      target: { value: 'https://pam1.example.com' },
    });
    fireEvent.click(screen.getByText('Advanced'));
    const nodes = screen.getByLabelText('Other addresses of this server (failover)');
    fireEvent.change(nodes, { target: { value: 'https://pam2.example.com, pam3' } });
    fireEvent.change(screen.getByLabelText('Username'), { target: { value: 'bob' } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'pw' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(screen.getByText('“pam3” is not a server address: it must start with https://')).toBeTruthy();
    expect(nodes.getAttribute('aria-invalid')).toBe('true');
    expect(fake.callsTo('session:signIn')).toEqual([]);

    fireEvent.change(nodes, { target: { value: 'https://pam2.example.com\nhttps://pam3.example.com/' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    await waitFor(() => expect(fake.callsTo('session:signIn')).toHaveLength(1));
    const [args] = fake.callsTo('session:signIn') as Array<{
      profile: { url: string; failoverUrls?: string[] };
    }>;
    expect(args?.profile).toMatchObject({
      url: 'https://pam1.example.com',
      failoverUrls: ['https://pam2.example.com', 'https://pam3.example.com'],
    });
  });
});

describe('sign in with Windows (MIM)', () => {
  it('offers it for a MIM server only, and sends no username or password', async () => {
    const fake = installFakeCoffre({
      'session:getState': () => sessionState({ status: 'signedOut', user: null }),
      'settings:get': () => DEFAULT_SETTINGS,
      'session:signIn': () => {
        throw new FakeFailure('unauthorized', 'no_ticket', 'No Kerberos ticket.');
      },
    });
    render(createElement(App));
    await screen.findByRole('button', { name: 'Sign in' });
    expect(screen.queryByLabelText('Use my Windows sign-in')).toBeNull();
    fireEvent.change(screen.getByLabelText('Server address'), {
      target: { value: 'https://pamsrv.example' },
    });
    fireEvent.change(screen.getByLabelText('Server type'), { target: { value: 'mim' } });
    fireEvent.click(screen.getByLabelText('Use my Windows sign-in'));
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    await waitFor(() => expect(fake.callsTo('session:signIn')).toHaveLength(1));
    expect(fake.callsTo('session:signIn')[0]).toMatchObject({
      profile: { url: 'https://pamsrv.example', dialect: 'mim', signIn: 'integrated' },
      username: '',
      password: '',
    });
  });

  it('a username and password for a MIM server go as HTTP Basic (what IIS takes), said under the box', async () => {
    const fake = installFakeCoffre({
      'session:getState': () => sessionState({ status: 'signedOut', user: null }),
      'settings:get': () => DEFAULT_SETTINGS,
      'session:signIn': () => {
        throw new FakeFailure('unauthorized', 'unauthorized', 'Wrong username or password.');
      },
    });
    render(createElement(App));
    await screen.findByRole('button', { name: 'Sign in' });
    fireEvent.change(screen.getByLabelText('Server address'), {
      target: { value: 'https://pamsrv.example' },
    });
    fireEvent.change(screen.getByLabelText('Server type'), { target: { value: 'mim' } });
    expect(screen.getByTestId('signin-mim-hint').textContent).toMatch(/as HTTP Basic/);
    fireEvent.change(screen.getByLabelText('Username'), { target: { value: 'CORP\\jen' } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'pw' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    await waitFor(() => expect(fake.callsTo('session:signIn')).toHaveLength(1));
    expect(fake.callsTo('session:signIn')[0]).toMatchObject({
      profile: { url: 'https://pamsrv.example', dialect: 'mim', signIn: 'basic' },
      username: 'CORP\\jen',
      password: 'pw',
    });
  });

  it('in French', async () => {
    installFakeCoffre({
      'session:getState': () => sessionState({ status: 'signedOut', user: null }),
      'settings:get': () => ({ ...DEFAULT_SETTINGS, language: 'fr' as const }),
    });
    render(createElement(App));
    fireEvent.change(await screen.findByLabelText('Type de serveur'), { target: { value: 'mim' } });
    expect(screen.getByLabelText('Utiliser ma session Windows')).toBeTruthy();
  });
});

describe('unlock', () => {
  const windowsProfile = {
    id: 'mim',
    name: 'PAM',
    url: 'https://pamsrv.example',
    dialect: 'mim' as const,
    signIn: 'integrated' as const,
  };

  it('a password session asks for the password', async () => {
    const fake = installFakeCoffre({
      'session:getState': () => sessionState({ status: 'locked' }),
      'settings:get': () => DEFAULT_SETTINGS,
      'session:unlock': () => sessionState(),
    });
    render(createElement(App));
    fireEvent.change(await screen.findByLabelText('Password'), { target: { value: 'coffre-demo' } });
    fireEvent.click(screen.getByRole('button', { name: 'Unlock' }));
    await waitFor(() => expect(fake.callsTo('session:unlock')).toEqual([{ password: 'coffre-demo' }]));
  });

  it('a Windows sign-in has no password to type: unlocking signs in with Windows again', async () => {
    let accepted = false;
    const fake = installFakeCoffre({
      'session:getState': () => sessionState({ status: 'locked', profile: windowsProfile }),
      'settings:get': () => DEFAULT_SETTINGS,
      'session:unlock': () => {
        if (!accepted) throw new FakeFailure('unauthorized', 'unauthorized', 'Negotiate was not accepted.');
        return sessionState({ profile: windowsProfile });
      },
    });
    render(createElement(App));
    const button = await screen.findByRole('button', { name: 'Unlock with my Windows sign-in' });
    expect(screen.queryByLabelText('Password')).toBeNull();
    expect(screen.getByText(/with your Windows sign-in\. Unlock signs you in with it again/)).toBeTruthy();
    expect(document.activeElement).toBe(button);
    fireEvent.click(button);
    await waitFor(() =>
      expect(screen.getByTestId('unlock-error').textContent).toMatch(
        /^The server did not accept your Windows sign-in/,
      ),
    );
    accepted = true;
    fireEvent.click(button);
    await waitFor(() => expect(fake.callsTo('session:unlock')).toEqual([{}, {}]));
  });

  it('in French', async () => {
    installFakeCoffre({
      'session:getState': () => sessionState({ status: 'locked', profile: windowsProfile }),
      'settings:get': () => ({ ...DEFAULT_SETTINGS, language: 'fr' as const }),
    });
    render(createElement(App));
    expect(await screen.findByRole('button', { name: 'Déverrouiller avec ma session Windows' })).toBeTruthy();
  });
});

describe('checkout dialog', () => {
  const guarded = credential(2, {
    name: 'srv-domain',
    policy: { approvalMode: 'mandatory', reasonMode: 'mandatory', selfApproval: true, approvers: [USER_ID] },
  });

  function setup() {
    session.useSessionStore.setState({
      session: sessionState({ user: { ...BOB, roles: ['user', 'approver'] } }),
    });
    return installFakeCoffre({
      'credentials:approvers': () => [
        { id: USER_ID, username: 'bob', displayName: 'Bob Martin' },
        { id: guid(77), username: 'alice', displayName: 'Alice Gagnon' },
      ],
      'checkouts:request': (input) => ({
        checkout: checkout({ id: guid(500), credentialID: input.credentialId, status: 4 }),
        passwordReady: true,
      }),
    });
  }

  it('follows the policy: reason required, approver picker with "Myself", what will happen', async () => {
    setup();
    let closed = false;
    render(createElement(CheckoutDialog, { credential: guarded, onClose: () => (closed = true) }));
    const dialog = await screen.findByRole('dialog', { name: 'Request srv-domain' });
    const picker = await within(dialog).findByRole('combobox', { name: 'Approver' });
    await waitFor(() =>
      expect(within(picker).getByRole('option', { name: 'Myself (Bob Martin)' })).toBeTruthy(),
    );
    expect(
      within(dialog).getByText('The request will wait for approval by the approver you choose.'),
    ).toBeTruthy();

    fireEvent.change(picker, { target: { value: guid(77) } });
    expect(within(dialog).getByText('The request will wait for approval by Alice Gagnon.')).toBeTruthy();
    expect(within(dialog).getByRole('button', { name: 'Send request' })).toBeTruthy();
    fireEvent.change(picker, { target: { value: USER_ID } });
    expect(
      within(dialog).getByText('You approve it yourself: you will get the password at once.'),
    ).toBeTruthy();
    // Approving it oneself is a checkout: title and button say the same verb (issue 15, item 6).
    expect(screen.getByRole('dialog', { name: 'Check out srv-domain' })).toBe(dialog);
    expect(within(dialog).getByRole('button', { name: 'Check out' })).toBeTruthy();

    // Enter in a field submits; the missing reason is said next to the field, which takes the focus.
    fireEvent.submit(
      within(dialog).getByRole('combobox', { name: 'Duration' }).closest('form') as HTMLFormElement,
    );
    const reason = within(dialog).getByRole('textbox', { name: /Reason/ });
    expect(within(dialog).getByText('Give a reason for this checkout.')).toBeTruthy();
    expect(reason.getAttribute('aria-invalid')).toBe('true');
    expect(document.activeElement).toBe(reason);
    expect(closed).toBe(false);
  });

  it("on MIM: no approver to pick, the role's approvers get the request; no password to promise", async () => {
    const fake = installFakeCoffre({
      'credentials:approvers': () => [],
      'checkouts:request': (input) => ({
        checkout: checkout({
          id: guid(501),
          credentialID: input.credentialId,
          status: 1,
          approverName: null,
        }),
        passwordReady: false,
      }),
    });
    const mim = { ...sessionState().capabilities!, passwordRead: false, approverChoice: false };
    session.useSessionStore.setState({ session: sessionState({ capabilities: mim }) });
    const role = credential(3, {
      name: 'ApprovalRole',
      policy: { approvalMode: 'mandatory', approvers: [] },
    });
    let closed = false;
    render(createElement(CheckoutDialog, { credential: role, onClose: () => (closed = true) }));
    const dialog = await screen.findByRole('dialog', { name: 'Request ApprovalRole' });
    expect(within(dialog).queryByRole('combobox', { name: 'Approver' })).toBeNull();
    expect(
      within(dialog).getByText('The request will wait for approval by one of the approvers of this role.'),
    ).toBeTruthy();
    await act(async () => {
      fireEvent.click(within(dialog).getByRole('button', { name: 'Send request' }));
      await flush();
    });
    expect(fake.callsTo('checkouts:request')).toEqual([{ credentialId: role.id, duration: 120 }]);
    expect(fake.callsTo('credentials:approvers')).toEqual([]);
    expect(closed).toBe(true);
    expect(toasts.useToastsStore.getState().toasts[0]).toMatchObject({ key: 'checkout.requestedToastAny' });

    cleanup();
    const open = credential(4, { name: 'Allow AD Access' });
    render(createElement(CheckoutDialog, { credential: open, onClose: () => undefined }));
    const immediate = await screen.findByRole('dialog', { name: 'Check out Allow AD Access' });
    expect(within(immediate).getByText('It is granted at once, for the duration you choose.')).toBeTruthy();
  });

  it('offers the durations the policy allows, in hours and minutes, its default selected', async () => {
    setup();
    render(createElement(CheckoutDialog, { credential: credential(1), onClose: () => undefined }));
    const dialog = await screen.findByRole('dialog', { name: 'Check out server-1' });
    expect(within(dialog).getByText('You will get the password at once.')).toBeTruthy();
    const duration = within(dialog).getByRole('combobox', { name: 'Duration' }) as HTMLSelectElement;
    expect(duration.value).toBe('120');
    expect([...duration.options].map((option) => option.textContent)).toEqual([
      '10\u00a0min',
      '15\u00a0min',
      '30\u00a0min',
      '1\u00a0h',
      '2\u00a0h (default)',
      '4\u00a0h',
      '8\u00a0h',
    ]);
  });

  it('sends the request and goes to My checkouts with the new checkout selected', async () => {
    const fake = setup();
    let closed = false;
    render(createElement(CheckoutDialog, { credential: guarded, onClose: () => (closed = true) }));
    const dialog = await screen.findByRole('dialog');
    const picker = await within(dialog).findByRole('combobox', { name: 'Approver' });
    await waitFor(() => within(picker).getByRole('option', { name: 'Myself (Bob Martin)' }));
    fireEvent.change(picker, { target: { value: USER_ID } });
    fireEvent.change(within(dialog).getByRole('textbox', { name: /Reason/ }), {
      target: { value: ' Because ' },
    });
    fireEvent.change(within(dialog).getByRole('combobox', { name: 'Duration' }), {
      target: { value: '60' },
    });
    await act(async () => {
      fireEvent.click(within(dialog).getByRole('button', { name: 'Check out' }));
      await flush();
    });
    expect(fake.callsTo('checkouts:request')).toEqual([
      { credentialId: guarded.id, reason: 'Because', approverId: USER_ID, duration: 60 },
    ]);
    expect(closed).toBe(true);
    expect(navigation.useNavigationStore.getState()).toMatchObject({
      route: 'checkouts',
      selectedId: guid(500),
    });
    expect(toasts.useToastsStore.getState().toasts[0]).toMatchObject({ key: 'checkout.grantedToast' });
  });

  it('shows a refusal from the server inside the dialog', async () => {
    installFakeCoffre({
      'checkouts:request': () => {
        throw new FakeFailure('conflict', 'already_checked_out', 'Checked out by kelly.');
      },
    });
    session.useSessionStore.setState({ session: sessionState() });
    render(createElement(CheckoutDialog, { credential: credential(1), onClose: () => undefined }));
    const dialog = await screen.findByRole('dialog');
    await act(async () => {
      fireEvent.click(within(dialog).getByRole('button', { name: 'Check out' }));
      await flush();
    });
    expect(within(dialog).getByRole('alert').textContent).toContain('Checked out by kelly.');
  });
});

describe('approvals', () => {
  it('approves the focused request with the A key, sending the typed message', async () => {
    const request = checkout({
      id: guid(300),
      username: 'kelly',
      credentialName: 'srv-ad',
      status: 1,
      reason: 'Because',
      expiresAt: null,
      requestDateTime: new Date().toISOString(),
    });
    const fake = installFakeCoffre({
      'approvals:list': () => (fake.callsTo('approvals:approve').length ? [] : [request]),
      'approvals:approve': ({ id }) => ({ ...request, id, status: 4 }),
    });
    render(createElement(Approvals));
    const row = await screen.findByRole('listitem', { name: 'kelly requests srv-ad' });
    expect(within(row).getByText('Because')).toBeTruthy();
    expect(within(row).getByText('just now')).toBeTruthy();
    fireEvent.change(within(row).getByRole('textbox', { name: 'Message to the requester (optional)' }), {
      target: { value: 'ok for today' },
    });
    // Typing "a" in the message field is text, not the shortcut.
    fireEvent.keyDown(within(row).getByRole('textbox'), { key: 'a' });
    expect(fake.callsTo('approvals:approve')).toEqual([]);
    row.focus();
    await act(async () => {
      fireEvent.keyDown(row, { key: 'a' });
      await flush();
    });
    expect(fake.callsTo('approvals:approve')).toEqual([{ id: guid(300), message: 'ok for today' }]);
    await waitFor(() => expect(screen.getByText('No request is waiting for you.')).toBeTruthy());
  });
});

describe('credential list: status, order, favourites (issue 15, item 7)', () => {
  it('asks for the chosen state and order, and stars the selected credential by button or Ctrl+D', async () => {
    // jsdom has no scrolling; a new query scrolls the list to the top.
    Element.prototype.scrollTo ??= () => undefined;
    const rows = [credential(1), credential(2)];
    let stored = { ...DEFAULT_SETTINGS, favouriteCredentialIds: [] as string[] };
    const fake = installFakeCoffre({
      'credentials:list': () => ({ data: rows, total: rows.length, offlineSince: null }),
      'vaults:list': () => [],
      'settings:update': (patch: Partial<typeof stored>) => {
        stored = { ...stored, ...patch };
        return stored;
      },
    });
    session.useSessionStore.setState({ session: sessionState() });
    settings.useSettingsStore.setState({ settings: stored });
    render(createElement(Credentials));
    await credentials.actions.load();

    fireEvent.change(await screen.findByRole('combobox', { name: 'Show' }), { target: { value: 'taken' } });
    fireEvent.change(screen.getByRole('combobox', { name: 'Sort by' }), { target: { value: 'vault' } });
    await waitFor(() =>
      expect(fake.callsTo('credentials:list').at(-1)).toMatchObject({ status: 'taken', sort: 'vault' }),
    );

    const star = await screen.findByRole('button', { name: /Favourite/ });
    expect(star.getAttribute('aria-pressed')).toBe('false');
    fireEvent.click(star);
    await waitFor(() => expect(stored.favouriteCredentialIds).toEqual([guid(1)]));
    // (The row's star shows in the e2e tour: jsdom lays out no rows of the virtual list.)
    await waitFor(() =>
      expect(screen.getByRole('button', { name: /Favourite/ }).getAttribute('aria-pressed')).toBe('true'),
    );

    fireEvent.keyDown(screen.getByRole('listbox'), { key: 'd', ctrlKey: true });
    await waitFor(() => expect(stored.favouriteCredentialIds).toEqual([]));
  });
});

describe('my checkouts', () => {
  it('copies the password and shows when the clipboard clears; reveals until hidden', async () => {
    const expiresAt = new Date(Date.now() + 3_600_000).toISOString();
    installFakeCoffre({
      'password:copy': () => ({ clearsAt: new Date(Date.now() + 27_000).toISOString() }),
      'password:reveal': () => ({
        password: 's3cret-value',
        hideAt: new Date(Date.now() + 20_000).toISOString(),
      }),
      'password:hide': () => undefined,
    });
    session.useSessionStore.setState({ session: sessionState() });
    checkouts.useCheckoutsStore.setState({
      mine: [checkout({ id: guid(1), credentialID: guid(11), credentialName: 'srv-web', expiresAt })],
      mineLoaded: true,
    });
    render(createElement(MyCheckouts));
    const card = screen.getByRole('article', { name: 'srv-web' });
    expect(within(card).getByRole('timer')).toBeTruthy();

    await act(async () => {
      fireEvent.click(within(card).getByRole('button', { name: 'Copy password' }));
      await flush();
    });
    expect(within(card).getByText(/^Clipboard clears in 2[67] s$/)).toBeTruthy();

    await act(async () => {
      fireEvent.click(within(card).getByRole('button', { name: 'Reveal' }));
      await flush();
    });
    expect(within(card).getByTestId('revealed-password').textContent).toBe('s3cret-value');
    act(() => secrets.actions.handleEvent({ type: 'password.hidden', credentialId: guid(11) }));
    expect(within(card).queryByTestId('revealed-password')).toBeNull();
  });

  it('says so when nothing is checked out', () => {
    installFakeCoffre({});
    checkouts.useCheckoutsStore.setState({ mine: [], mineLoaded: true });
    render(createElement(MyCheckouts));
    expect(screen.getByText('Nothing checked out right now.')).toBeTruthy();
    expect(screen.getByText('No request waiting.')).toBeTruthy();
  });
});

describe('language', () => {
  it('renders French when the settings say so, and sets <html lang>', async () => {
    installFakeCoffre({
      'session:getState': () => sessionState({ status: 'signedOut', user: null }),
      'settings:get': () => ({ ...DEFAULT_SETTINGS, language: 'fr' }),
    });
    render(createElement(App));
    expect(await screen.findByRole('heading', { name: 'Connexion' })).toBeTruthy();
    expect(document.documentElement.lang).toBe('fr');
  });
});
