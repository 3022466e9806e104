import { describe, expect, it } from 'vitest';
import { type Checkout, CheckoutStatus } from '../../../common/checkout.ts';
import type { CredentialCache } from '../../../main/cache/credentialCache.ts';
import { CheckoutActions } from '../../../main/services/checkoutActions.ts';
import type { ServerCaller } from '../../../main/services/serverCalls.ts';
import { RecordingSink } from '../../support/fakes.ts';

const checkout = (status: CheckoutStatus): Checkout => ({
  id: '11111111-2222-4333-8444-555555555555',
  userID: '11111111-2222-4333-8444-555555555556',
  username: 'bob',
  credentialID: '11111111-2222-4333-8444-555555555557',
  credentialName: 'web01',
  approverID: null,
  approverName: null,
  reason: '',
  approverMessage: '',
  status,
  duration: 60,
  requestDateTime: '2026-01-01T09:00:00.000Z',
  scheduledStart: null,
  checkoutDateTime: '2026-01-01T09:00:00.000Z',
  checkInDateTime: null,
  expiresAt: '2026-01-01T10:00:00.000Z',
});

describe('CheckoutActions announces changes, not reads', () => {
  it('emits checkouts.changed when the user’s checkouts differ from the last read, and only then', async () => {
    let current = [checkout(CheckoutStatus.Pending)];
    const callServer = (async (work: (backend: unknown) => Promise<unknown>) =>
      work({ listMyCheckouts: async () => current })) as unknown as ServerCaller;
    const cache = { putCheckouts: () => undefined } as unknown as CredentialCache;
    const events = new RecordingSink();
    const actions = new CheckoutActions({ callServer, cache, events });
    await actions.mine();
    await actions.mine();
    expect(events.ofType('checkouts.changed')).toHaveLength(1);
    current = [checkout(CheckoutStatus.Active)];
    await actions.mine();
    await actions.mine();
    expect(events.ofType('checkouts.changed')).toHaveLength(2);
  });
});

describe('CheckoutActions releases what a checkout held as soon as it ends', () => {
  // The refresh after a check-in also clears the clipboard when it sees the checkout gone, which
  // hid a missing `released` call: here the refresh still reports the checkout Active (the list
  // lags, or another device), so only the check-in's own hook can clear it.
  it.each([
    ['checkIn', CheckoutStatus.Ended],
    ['cancel', CheckoutStatus.RequestCanceled],
  ] as const)(
    '%s calls the released hook with the ended checkout, before refreshing',
    async (action, status) => {
      const order: string[] = [];
      const ended = checkout(status);
      const backend = {
        checkIn: async () => ended,
        cancel: async () => ended,
        listMyCheckouts: async () => {
          order.push('refresh');
          return [checkout(CheckoutStatus.Active)];
        },
      };
      const callServer = (async (work: (backend: unknown) => Promise<unknown>) =>
        work(backend)) as unknown as ServerCaller;
      const cache = { putCheckouts: () => undefined } as unknown as CredentialCache;
      const actions = new CheckoutActions({ callServer, cache, events: new RecordingSink() });
      const released: Checkout[] = [];
      actions.onReleased((which) => {
        order.push('released');
        released.push(which);
      });
      await actions[action](ended.id);
      expect(released).toEqual([ended]);
      expect(order).toEqual(['released', 'refresh']);
    },
  );
});
