/**
 * The checkout flows with the keyboard only: Tab (and Shift+Tab) to move, Enter to act, Esc to back
 * out, and typing where there is text to enter. No click, no arrow key, no shortcut: what a person
 * who cannot use a pointer does, and a check that every step is reachable in the tab order.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { setupWorld } from './fixtures.ts';
import { DEMO_PASSWORD, waitUntil } from './harness.ts';
import { focused, tabTo } from './ui.ts';

const ctx = setupWorld();

/** Waits until the element with this test id has the focus (hang guard only); says where it is otherwise. */
async function expectFocus(page: Page, testId: string): Promise<void> {
  try {
    await page.waitForFunction(
      (id) => (globalThis as any).document.activeElement?.getAttribute('data-testid') === id,
      testId,
      { timeout: 20_000 },
    );
  } catch {
    expect(await focused(page), `the focus should be on [data-testid=${testId}]`).toContain(`[${testId}]`);
  }
}

async function signInByKeyboard(page: Page, username: string): Promise<void> {
  await tabTo(page, page.getByTestId('signin-username'));
  await page.keyboard.type(username);
  await tabTo(page, page.getByTestId('signin-password'));
  await page.keyboard.type(DEMO_PASSWORD);
  await page.keyboard.press('Enter');
  await page.getByTestId('nav-credentials').waitFor();
}

/** Tabs to the search box, types, and waits until the list shows the answer. */
async function searchByKeyboard(page: Page, text: string, expected: string): Promise<void> {
  await tabTo(page, page.getByTestId('credential-search'));
  await page.keyboard.type(text);
  await page
    .getByTestId('credential-count')
    .filter({ hasText: /^1 credential$/ })
    .waitFor();
  await page.getByRole('option', { name: new RegExp(`^${expected}`) }).waitFor();
}

describe('keyboard only', () => {
  it('bob: sign in, search, open the dialog, back out with Esc, check out, copy, check in', async () => {
    const bob = await ctx.user({ label: 'bob keyboard' });
    const { page } = bob;
    await signInByKeyboard(page, 'bob');

    await searchByKeyboard(page, 'jump', 'Linux jump host root');
    // From the search box, Tab lands on the list; Enter opens the active (first) row's dialog.
    await tabTo(page, page.getByTestId('credential-list'), { max: 3 });
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Check out Linux jump host root' });
    await dialog.waitFor();
    // The focus moved into the dialog (its first field), and Esc closes it back to the list.
    await expectFocus(page, 'checkout-reason');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await expectFocus(page, 'credential-list');

    await page.keyboard.press('Enter');
    await dialog.waitFor();
    await page.keyboard.type('Rotate the SSH host keys');
    // The focus stays trapped in the dialog: Tab cycles to the submit button, never out.
    await tabTo(page, dialog.getByTestId('checkout-submit'), { max: 8 });
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });

    // My checkouts: the new checkout's first action has the focus.
    await page.getByRole('heading', { level: 1, name: 'My checkouts' }).waitFor();
    await expectFocus(page, 'copy-password');
    await page.keyboard.press('Enter');
    const write = await waitUntil(() => bob.clipboard.writes[0], 'the password on the clipboard');
    expect(write.concealed).toBe(true);

    await tabTo(page, page.getByTestId('check-in'), { max: 8 });
    await page.keyboard.press('Enter');
    await page.getByTestId('no-active-checkouts').waitFor();
    await waitUntil(() => bob.clipboard.value === '', 'the clipboard cleared at check-in');
  });

  it('kelly requests and alice approves, both by keyboard', async () => {
    const alice = await ctx.user({ label: 'alice keyboard' });
    await signInByKeyboard(alice.page, 'alice');
    await tabTo(alice.page, alice.page.getByTestId('nav-approvals'));
    await alice.page.keyboard.press('Enter');
    await alice.page.getByText('No request is waiting for you.').waitFor();

    const kelly = await ctx.user({ label: 'kelly keyboard' });
    const { page } = kelly;
    await signInByKeyboard(page, 'kelly');
    await searchByKeyboard(page, 'fs01', 'Kelly — file server admin');
    await tabTo(page, page.getByTestId('credential-list'), { max: 3 });
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Request Kelly — file server admin' });
    await dialog.waitFor();
    await page.keyboard.type('Patch fs01 (CHG-2001)');
    // The only approver is chosen already: nothing to pick with arrows.
    await dialog.getByTestId('checkout-outcome').filter({ hasText: 'Alice Gagnon' }).waitFor();
    // Enter in a text field sends the form.
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    await page.getByTestId('pending-checkout').waitFor();

    // Alice: the request arrives; she tabs to its message field, types, tabs to Approve, Enter.
    const row = alice.page.getByTestId('approval-row');
    await row.waitFor();
    await tabTo(alice.page, row.getByTestId('approval-message'));
    await alice.page.keyboard.type('Go ahead');
    await tabTo(alice.page, row.getByTestId('approve'), { max: 3 });
    await alice.page.keyboard.press('Enter');
    await alice.page.getByTestId('no-approvals').waitFor();

    // Kelly: active, with the message; copy and check in by keyboard from the navigation.
    const card = page.getByTestId('active-checkout');
    await card.getByText('Go ahead').waitFor();
    await tabTo(page, card.getByTestId('copy-password'));
    await page.keyboard.press('Enter');
    await waitUntil(() => kelly.clipboard.writes.length === 1, 'kelly’s password on the clipboard');
    await tabTo(page, card.getByTestId('check-in'), { max: 8 });
    await page.keyboard.press('Enter');
    await page.getByTestId('no-active-checkouts').waitFor();
    await waitUntil(() => kelly.clipboard.value === '', 'kelly’s clipboard cleared at check-in');
  });
});
