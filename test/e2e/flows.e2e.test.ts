/**
 * The flows around the seeds, through the UI: the clipboard cleared after the delay set in
 * Settings, an exclusive credential shown as taken to others, the deny path with the approver's
 * message, and the expiry notifications when the clock runs past a checkout's end (last: it moves
 * the shared clock for the rest of the file).
 */
import { describe, expect, it } from 'vitest';
import { setupWorld } from './fixtures.ts';
import { waitUntil } from './harness.ts';
import { activeCard, credentialRow, goTo, openCheckoutDialog, pendingCard, search, signIn } from './ui.ts';

const ctx = setupWorld();
const MINUTE = 60_000;

describe('flows', () => {
  it('clears the clipboard after the delay set in Settings (5 s)', async () => {
    const bob = await ctx.user({ label: 'bob' });
    const { page } = bob;
    await signIn(page, 'bob');

    await goTo(page, 'settings');
    const delay = page.getByRole('spinbutton', { name: 'Clear the clipboard after' });
    expect(await delay.inputValue()).toBe('30');
    await delay.fill('4');
    await delay.press('Enter');
    // Out of bounds: refused on the spot, nothing saved.
    await page.getByText('Enter a whole number from 5 to 600.').waitFor();
    await delay.fill('5');
    await delay.press('Enter');
    await page.getByRole('status').filter({ hasText: 'Saved' }).waitFor();

    await goTo(page, 'credentials');
    const dialog = await openCheckoutDialog(page, 'Core switch enable', 'core switch');
    await dialog.getByRole('button', { name: 'Check out', exact: true }).click();
    const card = activeCard(page, 'Core switch enable');
    await card.getByRole('button', { name: 'Copy password' }).click();

    const write = await waitUntil(() => bob.clipboard.writes[0], 'the password on the clipboard');
    expect(await card.getByTestId('clipboard-countdown').textContent()).toMatch(/^Clipboard clears in /);
    // Poll on the port's state: cleared by the delay and not before it (how late is not asserted:
    // a busy machine delays timers; the hang guard is far above the delay).
    const cleared = await waitUntil(() => bob.clipboard.clears[0], 'the clipboard cleared after 5 s', {
      timeoutMs: 20_000,
    });
    expect(bob.clipboard.value).toBe('');
    const waited = cleared.at - write.at;
    expect(waited).toBeGreaterThanOrEqual(4_900);
    await card.getByTestId('clipboard-countdown').waitFor({ state: 'detached' });

    // The checkout itself goes on; checking in leaves the (already clear) clipboard alone.
    await card.getByRole('button', { name: 'Check in' }).click();
    await card.waitFor({ state: 'detached' });
    expect(bob.clipboard.clears).toHaveLength(1);
  });

  it('shows an exclusive credential held by bob as taken for kelly', async () => {
    const bob = await ctx.user({ label: 'bob' });
    await signIn(bob.page, 'bob');
    const dialog = await openCheckoutDialog(bob.page, 'Linux jump host root', 'jump');
    await dialog.getByRole('button', { name: 'Check out', exact: true }).click();
    await activeCard(bob.page, 'Linux jump host root').waitFor();

    const kelly = await ctx.user({ label: 'kelly' });
    const { page } = kelly;
    await signIn(page, 'kelly');
    await search(page, 'jump');
    const row = credentialRow(page, 'Linux jump host root');
    await row.getByText('Checked out by bob').waitFor();
    expect(await row.getAttribute('data-state')).toBe('taken');
    await row.click();
    const details = page.getByTestId('credential-details');
    await details.getByText('bob has it checked out. It becomes available when they check it in.').waitFor();
    expect(await details.getByTestId('checkout-open').count()).toBe(0);
    // Activating the row (double-click, or Enter on the list) opens nothing either.
    await row.dblclick();
    await page.keyboard.press('Enter');
    expect(await page.getByRole('dialog').count()).toBe(0);
  });

  it('deny path: kelly sees alice’s message with the denied request in her history', async () => {
    const alice = await ctx.user({ label: 'alice' });
    await signIn(alice.page, 'alice');
    await goTo(alice.page, 'approvals');

    const kelly = await ctx.user({ label: 'kelly' });
    await signIn(kelly.page, 'kelly');
    const dialog = await openCheckoutDialog(kelly.page, 'PostgreSQL superuser', 'postgres');
    // The reason is required: sending without one says so at the field, which takes the focus.
    await dialog.getByRole('button', { name: 'Send request' }).click();
    const reason = dialog.getByRole('textbox', { name: /Reason/ });
    await dialog.getByText('Give a reason for this checkout.').waitFor();
    expect(await reason.evaluate((element) => element === (globalThis as any).document.activeElement)).toBe(
      true,
    );
    expect(await reason.getAttribute('aria-invalid')).toBe('true');
    await reason.fill('Vacuum the orders table');
    await dialog.getByRole('button', { name: 'Send request' }).click();
    await pendingCard(kelly.page, 'PostgreSQL superuser').waitFor();

    const row = alice.page.getByRole('listitem', { name: 'Kelly Nguyen requests PostgreSQL superuser' });
    await row
      .getByRole('textbox', { name: 'Message to the requester (optional)' })
      .fill('Not during the freeze');
    await row.getByRole('button', { name: /^Deny/ }).click();
    await row.waitFor({ state: 'detached' });

    // Kelly: the request leaves her pending list live, and history says why.
    await pendingCard(kelly.page, 'PostgreSQL superuser').waitFor({ state: 'detached' });
    await goTo(kelly.page, 'history');
    const entry = kelly.page.getByTestId('history-row').filter({ hasText: 'PostgreSQL superuser' });
    await entry.waitFor();
    expect(await entry.getByTestId('history-status').textContent()).toBe('Denied');
    expect(await entry.getByTestId('approver-message').textContent()).toBe('Not during the freeze');
    expect(await entry.textContent()).toContain('Alice Gagnon');
  });

  it('fires the expiry warning, then the expiry notification, when the clock passes the end', async () => {
    const bob = await ctx.user({ label: 'bob' });
    const { page } = bob;
    await signIn(page, 'bob');
    const dialog = await openCheckoutDialog(page, 'SQL Server sa', 'mssql');
    const duration = dialog.getByRole('combobox', { name: 'Duration' });
    await duration.selectOption('10'); // the policy's shortest
    await dialog.getByRole('button', { name: 'Check out', exact: true }).click();
    const card = activeCard(page, 'SQL Server sa');
    await card.getByRole('button', { name: 'Copy password' }).click();
    await waitUntil(() => bob.clipboard.value !== '', 'the password on the clipboard');
    expect(bob.notifications).toEqual([]);

    // Six minutes later (a laptop waking up): 4 minutes left, inside the 5-minute warning.
    ctx.world.clock.advance(6 * MINUTE);
    await ctx.world.wakeAll();
    const warning = await waitUntil(
      () => bob.notifications.find((n) => n.title.startsWith('SQL Server sa expires at')),
      'the expiry warning',
    );
    expect(warning.actions?.map((action) => action.label)).toEqual(['Extend']);

    // Past the end: the expired notice, the clipboard cleared, the card gone to history.
    ctx.world.clock.advance(4 * MINUTE + 5_000);
    await ctx.world.wakeAll();
    const expired = await waitUntil(
      () => bob.notifications.find((n) => n.title === 'SQL Server sa has expired'),
      'the expiry notification',
    );
    expect(expired.body).toContain('Request a new one');
    await waitUntil(() => bob.clipboard.value === '', 'the clipboard cleared at expiry');
    await card.waitFor({ state: 'detached' });
    await goTo(page, 'history');
    const entry = page.getByTestId('history-row').filter({ hasText: 'SQL Server sa' });
    expect(await entry.getByTestId('history-status').textContent()).toBe('Expired');
    expect(bob.notifications.filter((n) => n.title === 'SQL Server sa has expired')).toHaveLength(1);
  });
});
