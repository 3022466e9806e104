/**
 * Every screen, in English and French, light and dark: axe-core finds no serious or critical
 * violation on any of them, and each is captured as <screen>-<lang>-<theme>.png.
 *
 * The language and theme are the OS's (the settings stay on 'system'): the page's locale and
 * prefers-color-scheme, and the main process's locale, as on a desktop set up that way.
 *
 * Screenshots go to $TMPDIR/coffre-e2e-screenshots, so a test run leaves the work tree alone; with
 * COFFRE_UPDATE_SCREENSHOTS=1 (`npm run screenshots`) they replace docs/screenshots/.
 * The data is set up through the server's API (other people's requests, a history); what the
 * tour user sees, it reaches by clicks.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { CheckoutStatus } from '../../common/checkoutStatus.ts';
import { DEMO_IDS } from '../../server/demo.ts';
import { setupWorld } from './fixtures.ts';
import { ROOT } from './harness.ts';
import { goTo, signIn } from './ui.ts';

const ctx = setupWorld();

const UPDATE = process.env.COFFRE_UPDATE_SCREENSHOTS === '1';
/** Outside an update, one fixed temporary directory (overwritten by each run, easy to look at). */
const SHOTS_DIR = UPDATE
  ? path.join(ROOT, 'docs', 'screenshots')
  : path.join(os.tmpdir(), 'coffre-e2e-screenshots');
fs.mkdirSync(SHOTS_DIR, { recursive: true });

const SCREENS = [
  'sign-in',
  'credentials',
  'checkout-dialog',
  'my-checkouts',
  'approvals',
  'history',
  'audit',
  'settings',
  'unlock',
] as const;
type Screen = (typeof SCREENS)[number];

const VARIANTS = [
  { lang: 'en', locale: 'en-US', theme: 'light' },
  { lang: 'en', locale: 'en-US', theme: 'dark' },
  { lang: 'fr', locale: 'fr-FR', theme: 'light' },
  { lang: 'fr', locale: 'fr-FR', theme: 'dark' },
] as const;

const ID = {
  jumpHost: 'c2000000-0000-4000-8000-000000000003',
  postgres: 'c2000000-0000-4000-8000-000000000004',
  oracle: 'c2000000-0000-4000-8000-000000000006',
  edgeFirewall: 'c2000000-0000-4000-8000-000000000008',
  wifi: 'c2000000-0000-4000-8000-000000000009',
  domainAdmin: 'c2000000-0000-4000-8000-000000000001',
};

interface Finding {
  screen: Screen;
  variant: string;
  id: string;
  impact: string;
  help: string;
  targets: string[];
}

beforeAll(async () => {
  const { server } = ctx.world;
  const [bob, maurice, kelly, alice, jen] = await Promise.all(
    ['bob', 'maurice', 'kelly', 'alice', 'PRIV.Jen'].map((name) => server.as(name)),
  );
  const ok = async (pending: ReturnType<NonNullable<typeof bob>['request']>, what: string) => {
    const response = await pending;
    if (response.status >= 300) throw new Error(`${what}: ${response.status} ${response.text}`);
    return response.body;
  };
  const request = (who: NonNullable<typeof bob>, body: Record<string, unknown>, what: string) =>
    ok(who.request('POST', '/api/pam/checkouts', body), what);
  const decide = (
    who: NonNullable<typeof bob>,
    id: string,
    status: number,
    message: string | undefined,
    what: string,
  ) => ok(who.request('PUT', `/api/pam/checkouts/${id}`, { status, approverMessage: message }), what);

  // Someone else holds the jump host: shown as taken.
  await request(bob!, { credentialID: ID.jumpHost, reason: 'Kernel update' }, 'bob: jump host');
  // Maurice: one active, one waiting for alice, one checked in, one denied.
  await request(
    maurice!,
    { credentialID: ID.oracle, reason: 'Apply the quarterly patch' },
    'maurice: oracle',
  );
  await request(
    maurice!,
    { credentialID: ID.postgres, reason: 'Reindex the orders table', approverID: DEMO_IDS.alice },
    'maurice: postgres',
  );
  const wifi = await request(maurice!, { credentialID: ID.wifi }, 'maurice: wifi');
  await decide(maurice!, wifi.id, CheckoutStatus.Ended, undefined, 'maurice: wifi check-in');
  const edge = await request(
    maurice!,
    { credentialID: ID.edgeFirewall, reason: 'Open 443 for the new portal', approverID: DEMO_IDS.alice },
    'maurice: edge firewall',
  );
  await decide(alice!, edge.id, CheckoutStatus.Denied, 'Use the Friday change window.', 'alice: deny');
  // Two requests waiting for maurice's decision.
  await request(
    kelly!,
    { credentialID: ID.edgeFirewall, reason: 'Allow the backup subnet', approverID: DEMO_IDS.maurice },
    'kelly: edge firewall',
  );
  await request(
    jen!,
    { credentialID: ID.domainAdmin, reason: 'Unlock a service account', approverID: DEMO_IDS.maurice },
    'jen: domain admin',
  );
});

async function capture(page: Page, screen: Screen, variant: string, findings: Finding[]): Promise<void> {
  await captureAs(page, screen, `${screen}-${variant}`, variant, findings);
}

async function captureAs(
  page: Page,
  screen: Screen,
  name: string,
  variant: string,
  findings: Finding[],
): Promise<void> {
  // Nothing mid-transition: toasts gone, live countdowns are fine (they change text, not layout).
  await page
    .getByTestId('toast')
    .first()
    .waitFor({ state: 'detached', timeout: 10_000 })
    .catch(() => undefined);
  const file = path.join(SHOTS_DIR, `${name}.png`);
  await page.screenshot({ path: file, animations: 'disabled', caret: 'hide' });
  expect(fs.statSync(file).size, file).toBeGreaterThan(10_000);

  const results = await new AxeBuilder({ page }).analyze();
  // axe really looked at the page (a failed injection would report nothing at all).
  expect(results.passes.length, `axe passes on ${screen}`).toBeGreaterThan(10);
  for (const violation of results.violations) {
    findings.push({
      screen,
      variant,
      id: violation.id,
      impact: violation.impact ?? 'unknown',
      help: violation.help,
      targets: violation.nodes.map((node) => node.target.join(' ')),
    });
  }
}

/** The widths the window really takes (it opens 1200 wide and may shrink to 880), per screen. */
const WIDTHS = [880, 1024, 1280, 1600] as const;
const SIZED: ReadonlyArray<readonly [string, readonly number[]]> = [
  ['credentials', WIDTHS],
  ['credentials-details', [880, 1024]],
  ['checkout-dialog', [880, 1280]],
  ['my-checkouts', [880, 1280]],
  ['approvals', [880, 1280]],
  ['history', [880, 1280]],
  ['audit', [880, 1280]],
  ['sign-in-advanced', [880, 1280]],
  ['credentials-favourites', [880, 1280]],
];

/** The screen at each width, as <screen>-<variant>-<width>.png, axe included; back to 1280 after. */
async function captureWidths(
  page: Page,
  screen: Screen,
  name: string,
  variant: string,
  widths: readonly number[],
  findings: Finding[],
): Promise<void> {
  for (const width of widths) {
    await page.setViewportSize({ width, height: 800 });
    await captureAs(page, screen, `${name}-${variant}-${width}`, variant, findings);
  }
  await page.setViewportSize({ width: 1280, height: 800 });
}

describe('every screen: axe-core and screenshots', () => {
  it('lists every screenshot in docs/screenshots/README.md', () => {
    const index = fs.readFileSync(path.join(ROOT, 'docs', 'screenshots', 'README.md'), 'utf8');
    for (const screen of SCREENS) {
      for (const { lang, theme } of VARIANTS) expect(index).toContain(`${screen}-${lang}-${theme}.png`);
    }
    for (const [name, widths] of SIZED) {
      for (const { lang, theme } of VARIANTS) {
        for (const width of widths) expect(index).toContain(`${name}-${lang}-${theme}-${width}.png`);
      }
    }
  });

  for (const { lang, locale, theme } of VARIANTS) {
    const variant = `${lang}-${theme}`;
    it(`${variant}: no serious or critical axe violation on any screen`, async () => {
      const findings: Finding[] = [];
      const maurice = await ctx.user({ label: `maurice ${variant}`, locale, colorScheme: theme });
      const { page } = maurice;

      // Sign in, with the demo server chosen and the username typed.
      await page.getByTestId('signin-form').waitFor();
      await page.getByTestId('use-demo-server').click();
      await page.getByTestId('signin-username').fill('maurice');
      expect(await page.locator('html').getAttribute('lang')).toBe(lang);
      await capture(page, 'sign-in', variant, findings);
      // The server type as the server answers it, and the other addresses of a server (failover).
      await page
        .getByTestId('signin-dialect-hint')
        .and(page.locator('[data-detected="checkout,mim"]'))
        .waitFor();
      await page.getByTestId('signin-advanced').click();
      await page.getByTestId('signin-failover').fill('https://pam2.example.com\nhttps://pam3.example.com');
      await captureWidths(page, 'sign-in', 'sign-in-advanced', variant, [880, 1280], findings);
      await page.getByTestId('signin-failover').fill('');
      await signIn(page, 'maurice');

      // Credentials, one selected (its details and policy on the right).
      await page.getByTestId('credential-count').filter({ hasText: '14' }).waitFor();
      await page.locator(`[data-testid="credential-row"][data-credential-id="${ID.edgeFirewall}"]`).click();
      await page.getByTestId('credential-details').getByRole('heading', { name: 'Edge firewall' }).waitFor();
      await page.locator(`[data-credential-id="${ID.jumpHost}"][data-state="taken"]`).waitFor();
      await capture(page, 'credentials', variant, findings);
      // Narrow windows: the click on the row opened the details as an overlay; closed, the list.
      await captureWidths(page, 'credentials', 'credentials-details', variant, [880, 1024], findings);
      await page.setViewportSize({ width: 880, height: 800 });
      await page.getByTestId('details-close').click();
      await page.getByTestId('credential-details').waitFor({ state: 'hidden' });
      await captureWidths(page, 'credentials', 'credentials', variant, WIDTHS, findings);

      // Oracle starred (first, ★), the list in vault order; then back to name order, unstarred.
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.locator(`[data-testid="credential-row"][data-credential-id="${ID.oracle}"]`).click();
      await page.getByTestId('credential-details').getByTestId('favourite-toggle').click();
      await page.getByTestId('sort-order').selectOption('vault');
      await page.locator('[data-testid="credential-row"]').first().getByTestId('favourite-mark').waitFor();
      await captureWidths(page, 'credentials', 'credentials-favourites', variant, [880, 1280], findings);
      await page.getByTestId('credential-details').getByTestId('favourite-toggle').click();
      await page.getByTestId('favourite-mark').waitFor({ state: 'detached' });
      await page.getByTestId('sort-order').selectOption('name');

      // The checkout dialog of a credential that needs a reason and an approver.
      await page.locator('[data-testid="credential-row"]').filter({ hasText: 'Enterprise Admin' }).click();
      await page.getByTestId('credential-details').getByTestId('checkout-open').click();
      const dialog = page.getByTestId('checkout-dialog');
      await dialog.waitFor();
      await dialog.getByTestId('checkout-outcome').filter({ hasText: 'Alice Gagnon' }).waitFor();
      await dialog.getByTestId('checkout-reason').fill(lang === 'fr' ? 'Audit des comptes' : 'Account audit');
      await capture(page, 'checkout-dialog', variant, findings);
      await captureWidths(page, 'checkout-dialog', 'checkout-dialog', variant, [880, 1280], findings);
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });

      await goTo(page, 'checkouts');
      await page.getByTestId('active-checkout').waitFor();
      await page.getByTestId('pending-checkout').waitFor();
      await capture(page, 'my-checkouts', variant, findings);
      // The account on each card, the time left; the password revealed (by character class).
      await page.getByTestId('active-checkout').getByTestId('reveal-password').click();
      await page.getByTestId('revealed-password').waitFor();
      await captureWidths(page, 'my-checkouts', 'my-checkouts', variant, [880, 1280], findings);

      await goTo(page, 'approvals');
      await page.getByTestId('approval-row').nth(1).waitFor();
      await capture(page, 'approvals', variant, findings);
      await captureWidths(page, 'approvals', 'approvals', variant, [880, 1280], findings);

      await goTo(page, 'history');
      await page.getByTestId('history-row').nth(1).waitFor();
      await capture(page, 'history', variant, findings);
      await captureWidths(page, 'history', 'history', variant, [880, 1280], findings);

      await goTo(page, 'settings');
      await page.getByTestId('settings-language').waitFor();
      await capture(page, 'settings', variant, findings);

      await page.getByTestId('lock').click();
      await page.getByRole('heading', { level: 1 }).waitFor();
      await page.getByTestId('nav-credentials').waitFor({ state: 'detached' });
      await capture(page, 'unlock', variant, findings);

      // The audit trail is an administrator's view of History.
      const admin = await ctx.user({ label: `admin ${variant}`, locale, colorScheme: theme });
      await signIn(admin.page, 'admin');
      await goTo(admin.page, 'history');
      await admin.page.getByTestId('tab-audit').click();
      await admin.page.getByTestId('audit-row').nth(5).waitFor();
      await admin.page
        .getByTestId('audit-credential-cell')
        .filter({ hasText: 'Edge firewall' })
        .first()
        .waitFor();
      await admin.page.getByTestId('audit-entry-details').first().locator('summary').click();
      await capture(admin.page, 'audit', variant, findings);
      await captureWidths(admin.page, 'audit', 'audit', variant, [880, 1280], findings);

      const blocking = findings.filter(
        (finding) => finding.impact === 'serious' || finding.impact === 'critical',
      );
      const others = findings.filter((finding) => !blocking.includes(finding));
      if (others.length > 0) {
        console.info(
          `axe, ${variant}: ${others.length} minor/moderate finding(s):\n` +
            others
              .map((f) => `  ${f.screen} ${f.impact} ${f.id}: ${f.help} (${f.targets.join(', ')})`)
              .join('\n'),
        );
      }
      expect(blocking, JSON.stringify(blocking, null, 2)).toEqual([]);
    });
  }
});
