// @vitest-environment jsdom
/**
 * Approvers decide with context (issue 15, item 4): the request card says who (full name), what
 * (account, host, vault), for how long and since when, without repeating its title; the approver
 * may grant fewer minutes than requested, by mouse or with the A key.
 */
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { createElement } from 'react';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { i18n, initI18n } from '../../renderer/src/i18n/index.ts';
import { Approvals } from '../../renderer/src/screens/Approvals.tsx';
import * as approvals from '../../renderer/src/stores/approvals.ts';
import * as credentials from '../../renderer/src/stores/credentials.ts';
import * as session from '../../renderer/src/stores/session.ts';
import * as toasts from '../../renderer/src/stores/toasts.ts';
import { checkout, guid, sessionState } from './support/factories.ts';
import { flush, installFakeCoffre, removeFakeCoffre } from './support/fakeCoffre.ts';

beforeAll(() => initI18n('en'));

beforeEach(async () => {
  await i18n.changeLanguage('en');
  for (const store of [session, credentials, approvals, toasts]) store.actions.reset();
  session.useSessionStore.setState({ session: sessionState() });
});

afterEach(() => {
  cleanup();
  removeFakeCoffre();
});

const request = checkout({
  id: guid(300),
  username: 'kelly',
  userDisplayName: 'Kelly Nguyen',
  credentialName: 'Oracle SYS',
  credentialUsername: 'SYS',
  credentialHost: 'ora01',
  vaultName: 'Databases',
  status: 1,
  duration: 240,
  reason: 'Patch night',
  expiresAt: null,
  checkoutDateTime: null,
  requestDateTime: new Date(Date.now() - 14 * 60_000 - 5_000).toISOString(),
});

function queue() {
  const fake = installFakeCoffre({
    'approvals:list': () => (fake.callsTo('approvals:approve').length ? [] : [request]),
    'approvals:approve': ({ id, duration }) => ({ ...request, id, status: 4, duration: duration ?? 240 }),
  });
  render(createElement(Approvals));
  return fake;
}

describe('the approver’s request card', () => {
  it('names the requester in full, the account, host and vault, how long it has waited; no repeated title', async () => {
    queue();
    const row = await screen.findByRole('listitem', { name: 'Kelly Nguyen requests Oracle SYS' });
    expect(within(row).getByTestId('approval-account').textContent).toBe('SYS@ora01');
    expect(within(row).getByTestId('approval-vault').textContent).toBe('Databases');
    expect(within(row).getByTestId('approval-requester').textContent).toBe('kelly');
    expect(within(row).getByTestId('approval-duration').textContent).toBe('4\u00a0h');
    expect(within(row).getByTestId('approval-waiting').textContent).toBe('waiting for 14\u00a0min');
    // The title's two parts appear once each, in the title.
    expect(within(row).getAllByText(/Oracle SYS/)).toHaveLength(1);
    expect(within(row).getAllByText(/Kelly Nguyen/)).toHaveLength(1);
  });

  it('offers shorter grants up to the requested duration; the mouse approves for 1 h', async () => {
    const fake = queue();
    const row = await screen.findByRole('listitem', { name: 'Kelly Nguyen requests Oracle SYS' });
    const grant = within(row).getByRole('combobox', { name: 'Grant' }) as HTMLSelectElement;
    expect([...grant.options].map((option) => option.textContent)).toEqual([
      '15\u00a0min',
      '30\u00a0min',
      '1\u00a0h',
      '2\u00a0h',
      '4\u00a0h (as requested)',
    ]);
    expect(grant.value).toBe('240');
    fireEvent.change(grant, { target: { value: '60' } });
    await act(async () => {
      fireEvent.click(within(row).getByRole('button', { name: /Approve/ }));
      await flush();
    });
    expect(fake.callsTo('approvals:approve')).toEqual([{ id: guid(300), duration: 60 }]);
  });

  it('the A key approves with the chosen grant; letters typed on the picker are not shortcuts', async () => {
    const fake = queue();
    const row = await screen.findByRole('listitem', { name: 'Kelly Nguyen requests Oracle SYS' });
    const grant = within(row).getByRole('combobox', { name: 'Grant' });
    fireEvent.change(grant, { target: { value: '120' } });
    fireEvent.keyDown(grant, { key: 'a' });
    expect(fake.callsTo('approvals:approve')).toEqual([]);
    row.focus();
    await act(async () => {
      fireEvent.keyDown(row, { key: 'a' });
      await flush();
    });
    expect(fake.callsTo('approvals:approve')).toEqual([{ id: guid(300), duration: 120 }]);
  });

  it('sends no duration when granted as requested, and offers no choice where the server has none (MIM)', async () => {
    session.useSessionStore.setState({
      session: sessionState({
        capabilities: {
          passwordRead: false,
          serverEvents: false,
          selfApproval: false,
          extend: false,
          grantShorter: false,
          approverChoice: false,
          scheduledStart: true,
        },
      }),
    });
    const fake = queue();
    const row = await screen.findByRole('listitem', { name: 'Kelly Nguyen requests Oracle SYS' });
    expect(within(row).queryByRole('combobox', { name: 'Grant' })).toBeNull();
    await act(async () => {
      fireEvent.click(within(row).getByRole('button', { name: /Approve/ }));
      await flush();
    });
    expect(fake.callsTo('approvals:approve')).toEqual([{ id: guid(300) }]);
  });

  it('in French: “en attente depuis”, “Accorder”, the facts in French', async () => {
    await i18n.changeLanguage('fr');
    queue();
    const row = await screen.findByRole('listitem', { name: 'Kelly Nguyen demande Oracle SYS' });
    expect(within(row).getByTestId('approval-waiting').textContent).toBe('en attente depuis 14\u00a0min');
    expect(within(row).getByText('Compte')).toBeTruthy();
    const grant = within(row).getByRole('combobox', { name: 'Accorder' }) as HTMLSelectElement;
    expect(grant.selectedOptions[0]?.textContent).toBe('4\u00a0h (comme demandé)');
  });
});
