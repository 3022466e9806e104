/**
 * Issue 15: the app at its smallest window (880 wide), by mouse and by keyboard — the vault column
 * folded into a drop-down, the details as an overlay opened from a row or the Details button and
 * closed with Escape — and Request again from a denied request in History.
 */
import { describe, expect, it } from 'vitest';
import { CheckoutStatus } from '../../common/checkoutStatus.ts';
import { DEMO_IDS } from '../../server/demo.ts';
import { setupWorld } from './fixtures.ts';
import { goTo, signIn } from './ui.ts';

const ctx = setupWorld();
const EDGE_FIREWALL = 'c2000000-0000-4000-8000-000000000008';

describe('at 880 × 600', () => {
  it('folds the vaults into a drop-down and shows the details as an overlay (mouse and keyboard)', async () => {
    const kelly = await ctx.user({ label: 'kelly 880', viewport: { width: 880, height: 600 } });
    const { page } = kelly;
    await signIn(page, 'kelly');
    await page.getByTestId('credential-count').filter({ hasText: '14 credentials' }).waitFor();
    expect(await page.getByRole('navigation', { name: 'Vaults' }).isVisible()).toBe(false);
    await page.getByRole('combobox', { name: 'Vaults' }).selectOption({ label: 'Databases' });
    await page.getByTestId('credential-count').filter({ hasText: '3 credentials' }).waitFor();

    // Mouse: a click on a row opens the details over the list; × closes them.
    const details = page.getByRole('complementary', { name: 'Credential details' });
    expect(await details.isVisible()).toBe(false);
    await page.getByRole('option', { name: /Oracle SYS/ }).click();
    await details.getByRole('heading', { name: 'Oracle SYS' }).waitFor();
    expect(await details.getByText('SYS@ora01.corp.example').isVisible()).toBe(true);
    await details.getByRole('button', { name: 'Close details' }).click();
    await details.waitFor({ state: 'hidden' });

    // Keyboard: the Details button opens them, Escape closes them, the list has the focus again.
    const toggle = page.getByRole('button', { name: 'Details', exact: true });
    await toggle.focus();
    await page.keyboard.press('Enter');
    await details.getByRole('heading', { name: 'Oracle SYS' }).waitFor();
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    await page.keyboard.press('Escape');
    await details.waitFor({ state: 'hidden' });
    expect(await page.evaluate(() => (globalThis as any).document.activeElement?.id)).toBe('credential-list');
  });

  it('requests again from a denied request in History', async () => {
    const { server } = ctx.world;
    const [kellyApi, alice] = await Promise.all([server.as('kelly'), server.as('alice')]);
    const asked = await kellyApi!.request('POST', '/api/pam/checkouts', {
      credentialID: EDGE_FIREWALL,
      reason: 'Open 443',
      approverID: DEMO_IDS.alice,
    });
    expect(asked.status).toBeLessThan(300);
    const id = (asked.body.checkout ?? asked.body).id as string;
    const denied = await alice!.request('PUT', `/api/pam/checkouts/${id}`, {
      status: CheckoutStatus.Denied,
      approverMessage: 'Friday',
    });
    expect(denied.status).toBeLessThan(300);

    const kelly = await ctx.user({ label: 'kelly history', viewport: { width: 880, height: 600 } });
    const { page } = kelly;
    await signIn(page, 'kelly');
    await goTo(page, 'history');
    const row = page.getByTestId('history-row').filter({ hasText: 'Edge firewall' });
    await row.waitFor();
    // A denial shows no time held, and the date once.
    expect(await row.getByRole('cell').nth(2).textContent()).toBe('');
    await row.getByRole('button', { name: /Request again/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Request Edge firewall' });
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  });
});
