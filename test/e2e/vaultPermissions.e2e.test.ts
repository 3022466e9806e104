/**
 * Vault permissions in the desktop app (issue 14): a user sees only the vaults they are a member
 * of, and a credential in a vault where their role is `view` shows its Request button disabled,
 * with the reason, in both languages. Screenshots of that pane go to $TMPDIR/coffre-e2e-vault-permissions.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { setupWorld } from './fixtures.ts';
import { credentialRow, search, signIn } from './ui.ts';

const ctx = setupWorld();
const SHOTS = path.join(os.tmpdir(), 'coffre-e2e-vault-permissions');
/** The vault sidebar's entries, or the drop-down's options where the window is narrow. */
const VAULTS = '[data-testid="vault-item"], [data-testid="vault-picker"] option';

describe('vault permissions in the app', () => {
  it('tina may view the DBA vault but not request its credentials: the button says why (EN)', async () => {
    const tina = await ctx.user({ label: 'tina' });
    const { page } = tina;
    await signIn(page, 'tina');
    await page.locator(VAULTS).filter({ hasText: 'DBA team' }).first().waitFor({ state: 'attached' });
    await search(page, 'payroll');
    await credentialRow(page, 'Payroll DB owner').click();
    const details = page.getByTestId('credential-details');
    await details.getByRole('heading', { name: 'Payroll DB owner' }).waitFor();
    const button = details.getByTestId('checkout-open');
    expect(await button.isDisabled()).toBe(true);
    const reason = details.getByTestId('view-only-reason');
    expect(await reason.textContent()).toBe(
      'Your role in DBA team is view: you can see this credential but not check it out. A manager of the vault can give you the request role.',
    );
    expect(await button.getAttribute('aria-describedby')).toBe('view-only-reason');
    // Activating the row (double-click, or Enter on the list) opens no checkout dialog either.
    await credentialRow(page, 'Payroll DB owner').dblclick();
    await page.keyboard.press('Enter');
    expect(await page.getByRole('dialog').count()).toBe(0);
    fs.mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({
      path: path.join(SHOTS, 'view-only-en.png'),
      animations: 'disabled',
      caret: 'hide',
    });

    // In the Windows team's vault she requests: the button is enabled and opens the dialog.
    await search(page, 'print');
    await credentialRow(page, 'Print server admin').click();
    await details.getByRole('heading', { name: 'Print server admin' }).waitFor();
    expect(await details.getByTestId('checkout-open').isDisabled()).toBe(false);
    expect(await details.getByTestId('view-only-reason').count()).toBe(0);
  });

  it('the same in French', async () => {
    const tina = await ctx.user({ label: 'tina fr', locale: 'fr-FR' });
    const { page } = tina;
    await signIn(page, 'tina');
    await search(page, 'payroll');
    await credentialRow(page, 'Payroll DB owner').click();
    const details = page.getByTestId('credential-details');
    await details.getByRole('heading', { name: 'Payroll DB owner' }).waitFor();
    expect(await details.getByTestId('checkout-open').isDisabled()).toBe(true);
    expect(await details.getByTestId('view-only-reason').textContent()).toBe(
      'Votre rôle dans DBA team est la consultation\u00a0: vous voyez cet identifiant mais ne pouvez pas l’extraire. Un gestionnaire du coffre peut vous donner le rôle de demande.',
    );
    await page.screenshot({
      path: path.join(SHOTS, 'view-only-fr.png'),
      animations: 'disabled',
      caret: 'hide',
    });
  });

  it('bob, in neither team, sees neither team vault nor its credentials', async () => {
    const bob = await ctx.user({ label: 'bob' });
    const { page } = bob;
    await signIn(page, 'bob');
    await page.locator(VAULTS).filter({ hasText: 'Servers' }).first().waitFor({ state: 'attached' });
    const vaults = await page.locator(VAULTS).allTextContents();
    expect(vaults.join()).not.toContain('DBA team');
    expect(vaults.join()).not.toContain('Windows team');
    const list = await search(page, 'payroll');
    expect(await list.getByTestId('credential-row').count()).toBe(0);
  });
});
