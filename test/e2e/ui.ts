/**
 * What a person does in the app, as Playwright steps: clicks and keys only, never a store or a
 * `window.coffre` call. Test ids only where the step must work in both languages (the screenshot
 * tour); the scenarios themselves find things by role and accessible name.
 */
import type { Locator, Page } from 'playwright-core';
import { DEMO_PASSWORD } from './harness.ts';

export type Route = 'credentials' | 'checkouts' | 'approvals' | 'history' | 'settings';

/** Signs in on the demo server the app offers (its URL is prefilled), by typing and clicking. */
export async function signIn(page: Page, username: string, password = DEMO_PASSWORD): Promise<void> {
  const form = page.getByTestId('signin-form');
  await form.waitFor();
  const demo = page.getByTestId('use-demo-server');
  if ((await demo.getAttribute('aria-pressed')) !== 'true') await demo.click();
  await page.getByTestId('signin-username').fill(username);
  await page.getByTestId('signin-password').fill(password);
  await page.getByTestId('signin-submit').click();
  await page.getByTestId('nav-credentials').waitFor();
}

/**
 * Signs in to the demo server as a MIM PAM server (its `/api/pamresources` dialect) with a username
 * and password, which the app sends as HTTP Basic, as IIS in front of MIM takes them.
 */
export async function signInMim(page: Page, username: string, password = DEMO_PASSWORD): Promise<void> {
  const form = page.getByTestId('signin-form');
  await form.waitFor();
  const demo = page.getByTestId('use-demo-server');
  if ((await demo.getAttribute('aria-pressed')) !== 'true') await demo.click();
  await page.getByRole('combobox', { name: 'Server type' }).selectOption({ label: 'Microsoft MIM PAM' });
  await page.getByRole('textbox', { name: 'Username' }).fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('nav-credentials').waitFor();
}

/** Clicks a navigation entry and waits for the screen's heading. */
export async function goTo(page: Page, route: Route): Promise<void> {
  await page.getByTestId(`nav-${route}`).click();
  await page.locator('main#main-content h1').first().waitFor();
  await page.waitForFunction(
    (testId) =>
      (globalThis as any).document
        .querySelector(`[data-testid="${testId}"]`)
        ?.getAttribute('aria-current') === 'page',
    `nav-${route}`,
  );
}

/** Types a search as a person would (key by key) and waits until the list answers it. */
export async function search(page: Page, text: string): Promise<Locator> {
  const box = page.getByTestId('credential-search');
  await box.click();
  await box.press('ControlOrMeta+a');
  await box.press('Backspace');
  await box.pressSequentially(text);
  // Keystrokes coalesce while a query runs: wait until nothing is in flight and what it shows answers the search
  // (every row contains the text, or the "no match" note quotes it). Plain-ASCII searches only.
  await page.waitForFunction((typed) => {
    const doc = (globalThis as any).document;
    const count = doc.querySelector('[data-testid="credential-count"]');
    if (!count || count.getAttribute('aria-busy') === 'true' || count.textContent === '') return false;
    const term = typed.trim().toLowerCase();
    const empty = doc.querySelector('[data-testid="credential-list-empty"]');
    if (empty) return term !== '' && empty.textContent.toLowerCase().includes(term);
    const rows = [...doc.querySelectorAll('[data-testid="credential-row"]')];
    return rows.length > 0 && rows.every((row: any) => row.textContent.toLowerCase().includes(term));
  }, text);
  return page.getByTestId('credential-list');
}

/** The credential row with this exact name (an `option` of the list box). */
export function credentialRow(page: Page, name: string): Locator {
  return page.getByRole('option', { name: new RegExp(`^${escapeRegExp(name)}`) });
}

/** Searches for a credential, selects its row and opens the checkout dialog from the details pane. */
export async function openCheckoutDialog(page: Page, name: string, searchText = name): Promise<Locator> {
  await search(page, searchText);
  const row = credentialRow(page, name);
  await row.click();
  const details = page.getByTestId('credential-details');
  await details.getByRole('heading', { name }).waitFor();
  await details.getByTestId('checkout-open').click();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  return dialog;
}

/** The card of an active checkout on My checkouts (an `article` named by its credential). */
export function activeCard(page: Page, credentialName: string): Locator {
  return page
    .getByTestId('active-checkout')
    .filter({ has: page.getByRole('heading', { name: credentialName }) });
}

export function pendingCard(page: Page, credentialName: string): Locator {
  return page
    .getByTestId('pending-checkout')
    .filter({ has: page.getByRole('heading', { name: credentialName }) });
}

/** The element that has the focus, described for assertions and failure messages. */
export async function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const element = (globalThis as any).document.activeElement;
    if (!element) return '(none)';
    const testId = element.getAttribute('data-testid');
    const name = element.getAttribute('aria-label') ?? element.textContent?.trim().slice(0, 60) ?? '';
    return `${element.tagName.toLowerCase()}${testId ? `[${testId}]` : ''} ${name}`.trim();
  });
}

/** Presses Tab (or Shift+Tab) until `target` has the focus; fails after `max` presses. */
export async function tabTo(page: Page, target: Locator, { max = 40, back = false } = {}): Promise<number> {
  for (let presses = 0; presses <= max; presses++) {
    if (await target.evaluate((element) => element === (globalThis as any).document.activeElement)) {
      return presses;
    }
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`Tab never reached the target in ${max} presses (focus is on ${await focused(page)}).`);
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
