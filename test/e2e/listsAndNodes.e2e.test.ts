/**
 * Issue 15 items 6–7 and issue 16's sign-in field, as a person does them: the credential list's
 * status filter and favourites by keyboard (Tab, arrows, Ctrl+D), and the sign-in screen's other
 * addresses of a server by mouse: the first address is dead, the app signs in through the next.
 */
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { setupWorld } from './fixtures.ts';
import { DEMO_PASSWORD } from './harness.ts';
import { signIn, tabTo } from './ui.ts';

const ctx = setupWorld();

/** A loopback address where nothing listens (the port was free a moment ago). */
async function deadUrl(): Promise<string> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

describe('lists users expect, by keyboard', () => {
  it('kelly filters the list by state and stars a credential with Ctrl+D: it comes first', async () => {
    const kelly = await ctx.user({ label: 'kelly lists' });
    const { page } = kelly;
    await signIn(page, 'kelly');
    await page.getByTestId('credential-count').filter({ hasText: '14' }).waitFor();

    // The last credential in name order, starred from the keyboard, moves to the top with its star.
    await tabTo(page, page.getByTestId('credential-list'));
    await page.keyboard.press('End');
    const last = page.locator('[role="option"][aria-selected="true"]');
    const name = (await last.locator('.row-name').textContent()) ?? '';
    await page.keyboard.press('Control+d');
    const first = page.getByTestId('credential-row').first();
    await first.getByTestId('favourite-mark').waitFor();
    expect(await first.locator('.row-name').textContent()).toBe(name);
    // Still selected where it moved to.
    expect(await first.getAttribute('aria-selected')).toBe('true');

    // Show: "Checked out by me" — none yet.
    await tabTo(page, page.getByTestId('status-filter'), { back: true });
    await page.getByTestId('status-filter').selectOption('mine');
    await page
      .getByTestId('credential-list-empty')
      .filter({ hasText: 'No credential in this state' })
      .waitFor();
    await page.getByTestId('status-filter').selectOption('');
    await page.getByTestId('credential-count').filter({ hasText: '14' }).waitFor();
  });
});

describe('several addresses of one server, by mouse (issue 16)', () => {
  it('bob signs in with a dead first address and the demo server as the other one', async () => {
    const bob = await ctx.user({ label: 'bob nodes' });
    const { page } = bob;
    await page.getByTestId('signin-form').waitFor();
    const dead = await deadUrl();
    await page.getByTestId('signin-url').fill(dead);
    // Nothing answers there: the type cannot be detected, and the line says what to choose.
    await page.getByTestId('signin-dialect-hint').filter({ hasText: 'did not answer' }).waitFor();
    await page.getByTestId('signin-advanced').click();
    await page.getByTestId('signin-failover').fill(`not-a-url\n${ctx.world.server.url}`);
    await page.getByTestId('signin-username').fill('bob');
    await page.getByTestId('signin-password').fill(DEMO_PASSWORD);
    await page.getByTestId('signin-submit').click();
    await page.getByText('“not-a-url” is not a server address').waitFor();
    await page.getByTestId('signin-failover').fill(ctx.world.server.url);
    await page.getByTestId('signin-password').fill(DEMO_PASSWORD);
    await page.getByTestId('signin-submit').click();
    await page.getByTestId('nav-credentials').waitFor();
    await page.getByTestId('credential-count').filter({ hasText: '14' }).waitFor();
  });
});
