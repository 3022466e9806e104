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
