/**
 * The approver scenario through the MIM dialect (issue 13's proof): both people sign in to the
 * demo server as a Microsoft MIM PAM server, with a username and password that the app sends as
 * HTTP Basic on every call (what IIS in front of MIM takes; no Coffre token). PRIV.Jen activates
 * ApprovalRole (seed 002's role, owned by alice and maurice), alice approves it from her queue,
 * Jen's request turns active, then Jen deactivates it. MIM has no server events: both apps poll.
 */
import { describe, expect, it } from 'vitest';
import { DEMO_IDS } from '../../server/demo.ts';
import { setupWorld } from './fixtures.ts';
import { APP_URL, waitUntil } from './harness.ts';
import { activeCard, goTo, openCheckoutDialog, pendingCard, signInMim } from './ui.ts';

const ctx = setupWorld();
/** Polling runs every 10 s (client/eventStream.ts): a change shows within two rounds. */
const POLLED = { timeout: 45_000 };

describe('MIM dialect with Basic sign-in, by mouse', () => {
  it('PRIV.Jen activates ApprovalRole, alice (one of its approvers) approves, Jen deactivates', async () => {
    const jen = await ctx.user({ label: 'PRIV.Jen' });
    await signInMim(jen.page, 'COFFRE\\PRIV.Jen');
    // The session is a Basic one: what the backend holds is the Basic credentials, no Coffre token.
    const envelope = JSON.parse(
      JSON.stringify(
        await jen.app.router.handle({ url: APP_URL, topFrame: true }, 'session:getState', undefined),
      ),
    );
    expect(envelope.value.profile).toMatchObject({ dialect: 'mim', signIn: 'basic' });
    expect(envelope.value.user.username).toBe('COFFRE\\PRIV.Jen');
    expect(jen.tokens).toEqual([Buffer.from('COFFRE\\PRIV.Jen:coffre-demo').toString('base64')]);

    const dialog = await openCheckoutDialog(jen.page, 'ApprovalRole');
    expect(await dialog.getByRole('heading').first().textContent()).toBe('Request ApprovalRole');
    // MIM sends the request to every owner of the role: there is no approver to choose.
    expect(await dialog.getByRole('combobox', { name: 'Approver' }).count()).toBe(0);
    expect(await dialog.getByTestId('checkout-outcome').textContent()).toBe(
      'The request will wait for approval by one of the approvers of this role.',
    );
    await dialog.getByRole('textbox', { name: /Reason/ }).fill('Patch the DCs (CHG-2002)');
    await dialog.getByRole('button', { name: 'Send request' }).click();
    await dialog.waitFor({ state: 'detached' });
    const pending = pendingCard(jen.page, 'ApprovalRole');
    await pending.getByText('Waiting for an approver').waitFor();

    // On the server: a MIM request addressed to the role's approvers, no one in particular yet.
    const [request] = await ctx.world.server.ctx.store.listCheckoutsOfUser(DEMO_IDS.jen, null);
    expect(request).toMatchObject({ credentialId: DEMO_IDS.mimRoleCredential, approverId: null });

    const alice = await ctx.user({ label: 'alice' });
    await signInMim(alice.page, 'alice');
    await goTo(alice.page, 'approvals');
    const row = alice.page.getByRole('listitem', { name: /requests ApprovalRole$/ });
    await row.waitFor(POLLED);
    expect(await row.getByTestId('approval-reason').textContent()).toBe('Patch the DCs (CHG-2002)');
    await row.getByRole('button', { name: /^Approve/ }).click();
    await row.waitFor({ state: 'detached' });
    await alice.page.getByText('No request is waiting for you.').waitFor();
    // The decider is recorded: alice, who approved it among the role's approvers.
    expect((await ctx.world.server.ctx.store.getCheckout(request!.id))?.approverId).toBe(DEMO_IDS.alice);

    // Jen: the request turns active at the next poll, with its end time; MIM gives no password.
    await pending.waitFor({ state: 'detached', ...POLLED });
    const card = activeCard(jen.page, 'ApprovalRole');
    await card.getByTestId('expiry-countdown').waitFor();
    expect(await card.getByRole('button', { name: 'Copy password' }).count()).toBe(0);
    await card.getByRole('button', { name: 'Check in' }).click();
    await card.waitFor({ state: 'detached' });
    await jen.page.getByTestId('no-active-checkouts').waitFor();
    await waitUntil(
      async () => (await ctx.world.server.ctx.store.getCheckout(request!.id))?.status === 5,
      'the request closed on the server',
    );
    expect(alice.tokens).toEqual([Buffer.from('alice:coffre-demo').toString('base64')]);
  });
});
