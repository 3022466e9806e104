/**
 * The seeds' three scenarios, through the UI only, against the demo data: bob's checkout that needs
 * no approval, maurice approving his own request, kelly's request approved live by alice.
 */
import { describe, expect, it } from 'vitest';
import { setupWorld } from './fixtures.ts';
import { waitUntil } from './harness.ts';
import { activeCard, goTo, openCheckoutDialog, pendingCard, search, signIn } from './ui.ts';

const ctx = setupWorld();

describe('seed scenarios, by mouse', () => {
  it('seed 1: bob finds web01 by search, checks it out (password at once), copies it, checks in', async () => {
    const bob = await ctx.user({ label: 'bob' });
    const { page } = bob;
    // The sign-in screen offers the demo server the app runs (here: the test's server).
    await page.getByRole('button', { name: 'Use the demo server' }).waitFor();
    expect(await page.getByRole('textbox', { name: 'Server address' }).inputValue()).toBe(
      ctx.world.server.url,
    );
    await signIn(page, 'bob');

    await search(page, 'web01');
    // Exactly one match for the search.
    expect(await page.getByTestId('credential-list').getByRole('option').allTextContents()).toEqual([
      expect.stringMatching(/^Bob — web01 local admin.*Available$/),
    ]);
    expect(await page.getByTestId('credential-count').textContent()).toBe('1 credential');
    const dialog = await openCheckoutDialog(page, 'Bob — web01 local admin', 'web01');
    expect(await dialog.getByRole('heading').first().textContent()).toBe('Check out Bob — web01 local admin');
    expect(await dialog.getByTestId('checkout-outcome').textContent()).toContain(
      'You will get the password at once.',
    );
    await dialog.getByRole('button', { name: 'Check out', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });

    // Straight to My checkouts, active with a countdown.
    await page.getByRole('heading', { level: 1, name: 'My checkouts' }).waitFor();
    const card = activeCard(page, 'Bob — web01 local admin');
    await card.getByTestId('expiry-countdown').waitFor();
    await card.getByRole('button', { name: 'Copy password' }).click();

    const write = await waitUntil(() => bob.clipboard.writes[0], 'the password on the clipboard');
    expect(write.concealed).toBe(true);
    expect(write.text).toHaveLength(24); // the policy's generated length
    expect(bob.clipboard.value).toBe(write.text);
    await card.getByTestId('clipboard-countdown').waitFor();
    expect(await card.getByTestId('clipboard-countdown').textContent()).toMatch(/^Clipboard clears in /);
    // Copying never hands the password to the page.
    expect(await page.content()).not.toContain(write.text);

    await card.getByRole('button', { name: 'Check in' }).click();
    await card.waitFor({ state: 'detached' });
    await waitUntil(
      () => bob.clipboard.value === '' && bob.clipboard.clears.length === 1,
      'the clipboard cleared at check-in',
    );
    await page.getByTestId('no-active-checkouts').waitFor();

    // Back on the list, the credential is available again.
    await goTo(page, 'credentials');
    await page
      .getByRole('option', { name: /^Bob — web01 local admin/ })
      .and(page.locator('[data-state="available"]'))
      .waitFor();
  });

  it('seed 2: maurice approves his own request ("Myself") and has the password at once', async () => {
    const maurice = await ctx.user({ label: 'maurice' });
    const { page } = maurice;
    await signIn(page, 'maurice');

    const dialog = await openCheckoutDialog(page, 'Maurice — app02 root', 'app02');
    const approver = dialog.getByRole('combobox', { name: 'Approver' });
    // The credential's only approver is maurice himself: offered as "Myself", chosen already.
    expect(await approver.locator('option').allTextContents()).toEqual([
      'Choose an approver',
      'Myself (Maurice Tremblay)',
    ]);
    await approver.selectOption({ label: 'Myself (Maurice Tremblay)' });
    expect(await dialog.getByTestId('checkout-outcome').textContent()).toBe(
      'You approve it yourself: you will get the password at once.',
    );
    // Approving it himself makes it a checkout: the title says so, as the button does (issue 15, item 6).
    expect(await dialog.getByRole('heading').first().textContent()).toBe('Check out Maurice — app02 root');
    await dialog.getByRole('textbox', { name: /Reason/ }).fill('Restart the app02 service');
    await dialog.getByRole('button', { name: 'Check out', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });

    const card = activeCard(page, 'Maurice — app02 root');
    await card.getByTestId('expiry-countdown').waitFor();
    // Time left as a duration beside the end time, never a second clock (issue 15, item 5).
    expect(await card.getByTestId('expiry-countdown').textContent()).toMatch(
      /^\d+\u00a0(h(\u00a0\d{2})?|min) left$/,
    );
    expect(await page.getByTestId('pending-checkout').count()).toBe(0);
    await page.getByTestId('no-pending-checkouts').waitFor();
    await card.getByRole('button', { name: 'Copy password' }).waitFor();
  });

  it('seed 3: kelly requests with a reason, alice approves live with a message, kelly copies and checks in', async () => {
    const alice = await ctx.user({ label: 'alice' });
    await signIn(alice.page, 'alice');
    await goTo(alice.page, 'approvals');
    await alice.page.getByText('No request is waiting for you.').waitFor();
    // Marks this document: if the queue only updated after a reload, the mark would be gone.
    await alice.page.evaluate(() => {
      (globalThis as any).__sameDocument = true;
    });

    const kelly = await ctx.user({ label: 'kelly' });
    await signIn(kelly.page, 'kelly');
    const dialog = await openCheckoutDialog(kelly.page, 'Kelly — file server admin', 'file server');
    expect(await dialog.getByRole('heading').first().textContent()).toBe('Request Kelly — file server admin');
    await dialog.getByRole('textbox', { name: /Reason/ }).fill('Patch fs01 (CHG-1234)');
    await dialog.getByRole('combobox', { name: 'Approver' }).selectOption({ label: 'Alice Gagnon' });
    expect(await dialog.getByTestId('checkout-outcome').textContent()).toBe(
      'The request will wait for approval by Alice Gagnon.',
    );
    await dialog.getByRole('button', { name: 'Send request' }).click();
    await dialog.waitFor({ state: 'detached' });
    const pending = pendingCard(kelly.page, 'Kelly — file server admin');
    await pending.getByText('Waiting for Alice Gagnon').waitFor();

    // Alice: the request arrives in the open queue, with the count in the navigation.
    const row = alice.page.getByRole('listitem', { name: 'Kelly Nguyen requests Kelly — file server admin' });
    await row.waitFor();
    expect(await row.getByTestId('approval-reason').textContent()).toBe('Patch fs01 (CHG-1234)');
    const badge = alice.page.getByTestId('approvals-badge');
    expect(await badge.getAttribute('data-count')).toBe('1');
    expect(await alice.page.getByRole('button', { name: /^Approvals/ }).textContent()).toContain('1 pending');
    expect(await alice.page.evaluate(() => (globalThis as any).__sameDocument)).toBe(true);
    expect(alice.trayCounts.at(-1)).toBe(1);

    await row.getByRole('textbox', { name: 'Message to the requester (optional)' }).fill('OK for tonight');
    await row.getByRole('button', { name: /^Approve/ }).click();
    await row.waitFor({ state: 'detached' });
    await alice.page.getByText('No request is waiting for you.').waitFor();
    await alice.page.waitForFunction(
      () =>
        (globalThis as any).document.querySelector('[data-testid="approvals-badge"]')?.dataset.count === '0',
    );

    // Kelly: the pending card becomes an active one with a countdown and alice's message.
    await pending.waitFor({ state: 'detached' });
    const card = activeCard(kelly.page, 'Kelly — file server admin');
    await card.getByTestId('expiry-countdown').waitFor();
    expect(await card.getByText(/^Approved by Alice Gagnon/).textContent()).toContain('OK for tonight');
    expect(await card.getByTestId('expiry-countdown').textContent()).toMatch(
      /^\d+\u00a0(h(\u00a0\d{2})?|min) left$/,
    );

    await card.getByRole('button', { name: 'Copy password' }).click();
    const write = await waitUntil(() => kelly.clipboard.writes[0], 'kelly’s password on the clipboard');
    expect(write.concealed).toBe(true);
    await card.getByRole('button', { name: 'Check in' }).click();
    await card.waitFor({ state: 'detached' });
    await waitUntil(() => kelly.clipboard.value === '', 'kelly’s clipboard cleared at check-in');
    expect(kelly.clipboard.clears).toHaveLength(1);
  });
});
