/**
 * Issue 15, items 2, 4 and 5 through the UI: the account on the cards and in the dialog, Copy
 * username, a revealed password by character class, Ctrl+Shift+C; the approver's context and a
 * shorter grant; times left as durations, durations picked from presets (dialog, Extend). Once by
 * mouse, once by keyboard.
 */
import { describe, expect, it } from 'vitest';
import { setupWorld } from './fixtures.ts';
import { waitUntil } from './harness.ts';
import { activeCard, goTo, openCheckoutDialog, search, signIn } from './ui.ts';

const ctx = setupWorld();
const NBSP = '\u00a0';

describe('the account, the password and the time left, by mouse', () => {
  it('bob checks out Oracle SYS for 1 h, copies the username, reveals the password, extends by 30 min', async () => {
    const bob = await ctx.user({ label: 'bob mouse' });
    const { page } = bob;
    await signIn(page, 'bob');
    const dialog = await openCheckoutDialog(page, 'Oracle SYS', 'Oracle');
    expect(await dialog.getByTestId('checkout-account').textContent()).toBe(
      'SYS@ora01.corp.example · Databases',
    );
    await dialog.getByRole('combobox', { name: 'Duration' }).selectOption({ label: `1${NBSP}h` });
    await dialog.getByRole('button', { name: 'Check out', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });

    const card = activeCard(page, 'Oracle SYS');
    expect(await card.getByTestId('checkout-account').textContent()).toBe('SYS@ora01.corp.example·Databases');
    expect(await card.getByTestId('expiry-countdown').textContent()).toBe(`1${NBSP}h left`);

    await card.getByRole('button', { name: 'Copy username' }).click();
    const write = await waitUntil(() => bob.clipboard.writes[0], 'the username on the clipboard');
    expect(write).toMatchObject({ text: 'SYS', concealed: false });

    await card.getByRole('button', { name: 'Reveal' }).click();
    const secret = card.getByTestId('revealed-password');
    await secret.waitFor();
    expect(await secret.textContent()).toBe(bob.revealed.at(-1));
    expect(await secret.evaluate((node) => (globalThis as any).getComputedStyle(node).fontFamily)).toMatch(
      /mono/i,
    );
    const classes = await secret.locator('span').evaluateAll((spans) => spans.map((span) => span.className));
    expect(classes.every((name) => /^pw-(letter|digit|symbol)$/.test(name))).toBe(true);

    const extendBy = card.getByRole('combobox', { name: 'Extend by' });
    expect(await extendBy.locator('option').allTextContents()).toEqual([
      `15${NBSP}min`,
      `30${NBSP}min`,
      `1${NBSP}h`,
      `2${NBSP}h`,
      `4${NBSP}h`,
    ]);
    await extendBy.selectOption({ label: `30${NBSP}min` });
    await card.getByRole('button', { name: 'Extend' }).click();
    await card
      .getByTestId('expiry-countdown')
      .filter({ hasText: `1${NBSP}h${NBSP}30 left` })
      .waitFor();
  });
});

describe('the approver’s context and a shorter grant, by keyboard', () => {
  it('kelly asks for 4 h; alice reads who and what, grants 1 h with the keyboard; kelly copies with Ctrl+Shift+C', async () => {
    const alice = await ctx.user({ label: 'alice keys' });
    await signIn(alice.page, 'alice');
    await goTo(alice.page, 'approvals');
    await alice.page.getByTestId('no-approvals').waitFor();

    const kelly = await ctx.user({ label: 'kelly keys' });
    const { page } = kelly;
    await signIn(page, 'kelly');
    const dialog = await openCheckoutDialog(page, 'Kelly — file server admin', 'fs01');
    await dialog.getByRole('textbox', { name: /Reason/ }).fill('Patch night');
    await dialog.getByRole('combobox', { name: 'Duration' }).selectOption({ label: `4${NBSP}h` });
    await dialog.getByTestId('checkout-outcome').filter({ hasText: 'Alice Gagnon' }).waitFor();
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    const pending = page.getByTestId('pending-checkout');
    expect(await pending.getByTestId('checkout-account').textContent()).toBe(
      'fsadmin@fs01.corp.example·Servers',
    );

    // Alice: one title (full name, credential), then what it opens, for how long, since when.
    const row = alice.page.getByRole('listitem', { name: 'Kelly Nguyen requests Kelly — file server admin' });
    await row.waitFor();
    expect(await row.getByTestId('approval-account').textContent()).toBe('fsadmin@fs01.corp.example');
    expect(await row.getByTestId('approval-vault').textContent()).toBe('Servers');
    expect(await row.getByTestId('approval-requester').textContent()).toBe('kelly');
    expect(await row.getByTestId('approval-duration').textContent()).toBe(`4${NBSP}h`);
    expect(await row.getByTestId('approval-waiting').textContent()).toMatch(
      /^(just now|waiting for \d+\u00a0min)$/,
    );

    // Keys only: the row, Tab to the grant, two steps up (4 h → 2 h → 1 h), Esc back to the row, A.
    await row.focus();
    await alice.page.keyboard.press('Tab');
    const grant = row.getByRole('combobox', { name: 'Grant' });
    expect(await grant.evaluate((node) => node === (globalThis as any).document.activeElement)).toBe(true);
    await alice.page.keyboard.press('ArrowUp');
    await alice.page.keyboard.press('ArrowUp');
    expect(await grant.inputValue()).toBe('60');
    await alice.page.keyboard.press('Escape');
    expect(await row.evaluate((node) => node === (globalThis as any).document.activeElement)).toBe(true);
    await alice.page.keyboard.press('a');
    await alice.page.getByTestId('no-approvals').waitFor();

    // Kelly: granted 1 h, not the 4 h asked.
    const card = activeCard(page, 'Kelly — file server admin');
    await card.getByTestId('expiry-countdown').waitFor();
    expect(await card.getByTestId('expiry-countdown').textContent()).toBe(`1${NBSP}h left`);

    // Credentials: the held credential selected, Ctrl+Shift+C copies its password (concealed).
    await goTo(page, 'credentials');
    await search(page, 'fs01');
    await page.getByTestId('credential-list').focus();
    await page.getByTestId('copy-shortcut-hint').filter({ hasText: 'Ctrl+Shift+C' }).waitFor();
    await page.getByTestId('details-copy-password').waitFor();
    await page.keyboard.press('Control+Shift+C');
    const write = await waitUntil(() => kelly.clipboard.writes[0], 'kelly’s password on the clipboard');
    expect(write.concealed).toBe(true);
  });
});
