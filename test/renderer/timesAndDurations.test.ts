// @vitest-environment jsdom
/**
 * Times that read as times (issue 15, item 5): the end time once and the time left as a duration
 * ("1 h 05 left"), and Extend by durations within the policy instead of a bare minutes box.
 */
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { createElement } from 'react';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { durationPresets, extensionPresets } from '../../common/duration.ts';
import { formatClock } from '../../renderer/src/format.ts';
import { i18n, initI18n } from '../../renderer/src/i18n/index.ts';
import { MyCheckouts } from '../../renderer/src/screens/MyCheckouts.tsx';
import * as checkouts from '../../renderer/src/stores/checkouts.ts';
import * as credentials from '../../renderer/src/stores/credentials.ts';
import * as session from '../../renderer/src/stores/session.ts';
import * as toasts from '../../renderer/src/stores/toasts.ts';
import { checkout, credential, guid, sessionState } from './support/factories.ts';
import { flush, installFakeCoffre, removeFakeCoffre } from './support/fakeCoffre.ts';

const NBSP = '\u00a0';

beforeAll(() => initI18n('en'));

beforeEach(async () => {
  await i18n.changeLanguage('en');
  for (const store of [session, credentials, checkouts, toasts]) store.actions.reset();
  session.useSessionStore.setState({ session: sessionState() });
});

afterEach(() => {
  cleanup();
  removeFakeCoffre();
});

describe('presets', () => {
  it('offers extensions up to the policy’s maximum, none when it allows none', () => {
    expect(extensionPresets(240)).toEqual([15, 30, 60, 120, 240]);
    expect(extensionPresets(45)).toEqual([15, 30, 45]);
    expect(extensionPresets(10)).toEqual([10]);
    expect(extensionPresets(0)).toEqual([]);
  });

  it('offers checkout durations within the policy, its bounds and default included', () => {
    expect(durationPresets({ minDuration: 10, maxDuration: 480, defaultDuration: 120 })).toEqual([
      10, 15, 30, 60, 120, 240, 480,
    ]);
    expect(durationPresets({ minDuration: 45, maxDuration: 90, defaultDuration: 75 })).toEqual([
      45, 60, 75, 90,
    ]);
  });
});

/** One active checkout ending in `minutes` (and a few seconds), its credential in the loaded list. */
function activeFor(minutes: number, maxExtension = 120) {
  const expiresAt = new Date(Date.now() + minutes * 60_000 - 2_000).toISOString();
  const fake = installFakeCoffre({
    'checkouts:extend': ({ id, minutes: by }) =>
      checkout({
        id,
        credentialID: guid(11),
        expiresAt: new Date(Date.parse(expiresAt) + by * 60_000).toISOString(),
      }),
    'checkouts:mine': () => [],
  });
  credentials.useCredentialsStore.setState({
    pages: { 0: [credential(11, { name: 'Oracle SYS', policy: { maxExtension } })] },
  });
  checkouts.useCheckoutsStore.setState({
    mine: [checkout({ id: guid(1), credentialID: guid(11), credentialName: 'Oracle SYS', expiresAt })],
    mineLoaded: true,
  });
  render(createElement(MyCheckouts));
  return { fake, card: screen.getByRole('article', { name: 'Oracle SYS' }), expiresAt };
}

describe('the active card’s times', () => {
  it('gives the end time once and the time left as a duration', () => {
    const { card, expiresAt } = activeFor(65);
    const meta = card.querySelector('.card-meta')?.textContent;
    expect(meta).toBe(`Until ${formatClock(expiresAt)}·1${NBSP}h${NBSP}05 left`);
    expect(within(card).getByRole('timer').textContent).toBe(`1${NBSP}h${NBSP}05 left`);
    expect(meta?.match(/\d\d:\d\d/g)).toHaveLength(1);
  });

  it('in French: “il reste 10 min”', async () => {
    await i18n.changeLanguage('fr');
    const { card, expiresAt } = activeFor(10);
    expect(card.querySelector('.card-meta')?.textContent).toBe(
      `Jusqu’à ${formatClock(expiresAt)}·il reste 10${NBSP}min`,
    );
  });
});

describe('Extend', () => {
  it('offers durations within the policy, 30 min first chosen; the mouse extends by 1 h', async () => {
    const { fake, card } = activeFor(30);
    const picker = within(card).getByRole('combobox', { name: 'Extend by' }) as HTMLSelectElement;
    expect([...picker.options].map((option) => option.textContent)).toEqual([
      `15${NBSP}min`,
      `30${NBSP}min`,
      `1${NBSP}h`,
      `2${NBSP}h`,
    ]);
    expect(picker.value).toBe('30');
    fireEvent.change(picker, { target: { value: '60' } });
    await act(async () => {
      fireEvent.click(within(card).getByRole('button', { name: 'Extend' }));
      await flush();
    });
    expect(fake.callsTo('checkouts:extend')).toEqual([{ id: guid(1), minutes: 60 }]);
  });

  it('Enter on the picker extends by the chosen duration', async () => {
    const { fake, card } = activeFor(30);
    const picker = within(card).getByRole('combobox', { name: 'Extend by' });
    await act(async () => {
      fireEvent.keyDown(picker, { key: 'Enter' });
      await flush();
    });
    expect(fake.callsTo('checkouts:extend')).toEqual([{ id: guid(1), minutes: 30 }]);
  });

  it('is not offered when the policy allows no extension', () => {
    const { card } = activeFor(30, 0);
    expect(within(card).queryByRole('combobox', { name: 'Extend by' })).toBeNull();
    expect(within(card).queryByRole('button', { name: 'Extend' })).toBeNull();
  });
});
