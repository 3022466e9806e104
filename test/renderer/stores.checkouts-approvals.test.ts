import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as approvals from '../../renderer/src/stores/approvals.ts';
import * as checkouts from '../../renderer/src/stores/checkouts.ts';
import * as toasts from '../../renderer/src/stores/toasts.ts';
import { checkout, guid } from './support/factories.ts';
import { FakeFailure, flush, installFakeCoffre, removeFakeCoffre } from './support/fakeCoffre.ts';

beforeEach(() => {
  checkouts.actions.reset();
  approvals.actions.reset();
  toasts.actions.reset();
});
afterEach(() => {
  vi.useRealTimers();
  removeFakeCoffre();
});

const active = checkout({
  id: guid(1),
  credentialID: guid(11),
  status: 4,
  requestDateTime: '2026-01-01T10:00:00Z',
});
const pending = checkout({
  id: guid(2),
  credentialID: guid(12),
  status: 1,
  expiresAt: null,
  requestDateTime: '2026-01-01T09:00:00Z',
});

/** A fake main process that, like CheckoutActions, emits checkouts.changed after every refresh. */
function installMain(mine: () => unknown[]) {
  const fake = installFakeCoffre({
    // Like the main process: a read announces nothing; only a real change does.
    'checkouts:mine': () => mine(),
    'checkouts:history': () => [checkout({ id: guid(3), status: 5 })],
    'checkouts:checkIn': ({ id }) => {
      fake.emit({ type: 'checkouts.changed' });
      return { ...active, id, status: 5, checkInDateTime: '2026-01-01T10:30:00Z' };
    },
  });
  return fake;
}

describe('checkouts store', () => {
  it('loads open checkouts and splits them into pending and active', async () => {
    installMain(() => [active, pending]);
    await checkouts.actions.loadMine();
    const state = checkouts.useCheckoutsStore.getState();
    expect(checkouts.selectors.active(state).map((c) => c.id)).toEqual([guid(1)]);
    expect(checkouts.selectors.pending(state).map((c) => c.id)).toEqual([guid(2)]);
    expect(checkouts.selectors.mineLoaded(state)).toBe(true);
  });

  it('reloads when the main process announces a change, once per announcement', async () => {
    const fake = installMain(() => [active]);
    fake.coffre.onEvent((event) => checkouts.actions.handleEvent(event));
    await checkouts.actions.loadMine();
    await flush();
    expect(fake.callsTo('checkouts:mine')).toHaveLength(1);
    // The approvals watcher says our request was decided: a real change.
    fake.emit({ type: 'checkouts.changed' });
    await flush();
    expect(fake.callsTo('checkouts:mine')).toHaveLength(2);
    await flush();
    expect(fake.callsTo('checkouts:mine')).toHaveLength(2);
  });

  it('checks in: the checkout leaves the open list, history reloads if shown', async () => {
    const fake = installMain(() => [active]);
    await checkouts.actions.loadMine();
    await checkouts.actions.loadHistory();
    const result = await checkouts.actions.checkIn(guid(1));
    expect(result?.status).toBe(5);
    const state = checkouts.useCheckoutsStore.getState();
    expect(checkouts.selectors.active(state)).toEqual([]);
    expect(checkouts.selectors.busy(guid(1))(state)).toBeNull();
    expect(fake.callsTo('checkouts:history')).toHaveLength(2);
    expect(fake.callsTo('checkouts:checkIn')).toEqual([{ id: guid(1) }]);
  });

  it('marks the checkout busy during an action and toasts a failure', async () => {
    let fail: (error: unknown) => void = () => undefined;
    installFakeCoffre({
      'checkouts:extend': () =>
        new Promise((_resolve, reject) => {
          fail = reject;
        }),
    });
    const pendingExtend = checkouts.actions.extend(guid(1), 30);
    await flush();
    expect(checkouts.selectors.busy(guid(1))(checkouts.useCheckoutsStore.getState())).toBe('extend');
    fail(new FakeFailure('policy', 'extension_out_of_bounds', 'At most 240 minutes.'));
    await expect(pendingExtend).resolves.toBeNull();
    expect(checkouts.selectors.busy(guid(1))(checkouts.useCheckoutsStore.getState())).toBeNull();
    expect(toasts.useToastsStore.getState().toasts[0]).toMatchObject({
      key: 'error.policy',
      detail: 'At most 240 minutes.',
      errorCode: 'extension_out_of_bounds',
    });
  });

  it('requests a checkout and adds the answer at once; a refusal is thrown for the dialog', async () => {
    const fake = installFakeCoffre({
      'checkouts:request': (input) => {
        if (!input.reason) throw new FakeFailure('policy', 'reason_required', 'A reason is required.');
        return { checkout: { ...pending, credentialID: input.credentialId }, passwordReady: false };
      },
    });
    await expect(checkouts.actions.request({ credentialId: guid(12) })).rejects.toMatchObject({
      code: 'reason_required',
    });
    expect(toasts.useToastsStore.getState().toasts).toEqual([]);
    const result = await checkouts.actions.request({
      credentialId: guid(12),
      reason: 'Because',
      duration: 60,
    });
    expect(result.passwordReady).toBe(false);
    expect(fake.callsTo('checkouts:request').at(-1)).toEqual({
      credentialId: guid(12),
      reason: 'Because',
      duration: 60,
    });
    expect(checkouts.selectors.pending(checkouts.useCheckoutsStore.getState()).map((c) => c.id)).toEqual([
      guid(2),
    ]);
    expect(checkouts.useCheckoutsStore.getState().requesting).toBe(false);
  });
});

describe('approvals store', () => {
  const request = (n: number, at: string) =>
    checkout({ id: guid(100 + n), username: `user${n}`, status: 1, requestDateTime: at, expiresAt: null });

  it('lists pending requests oldest first with their count', async () => {
    installFakeCoffre({
      'approvals:list': () => [request(2, '2026-01-01T10:05:00Z'), request(1, '2026-01-01T10:00:00Z')],
    });
    await approvals.actions.load();
    const state = approvals.useApprovalsStore.getState();
    expect(approvals.selectors.items(state).map((c) => c.username)).toEqual(['user1', 'user2']);
    expect(approvals.selectors.count(state)).toBe(2);
  });

  it('follows approvals.changed live: the count at once, then the list, new ones marked fresh', async () => {
    const queue = [request(1, '2026-01-01T10:00:00Z')];
    installFakeCoffre({ 'approvals:list': () => [...queue] });
    await approvals.actions.load();
    queue.push(request(2, '2026-01-01T10:01:00Z'));
    approvals.actions.handleEvent({ type: 'approvals.changed', pending: 2 });
    expect(approvals.selectors.count(approvals.useApprovalsStore.getState())).toBe(2);
    await flush();
    const state = approvals.useApprovalsStore.getState();
    expect(approvals.selectors.items(state)).toHaveLength(2);
    expect(approvals.selectors.isFresh(guid(102))(state)).toBe(true);
    expect(approvals.selectors.isFresh(guid(101))(state)).toBe(false);
    approvals.actions.markSeen();
    expect(approvals.selectors.isFresh(guid(102))(approvals.useApprovalsStore.getState())).toBe(false);
  });

  it('approves with a trimmed message, removes the request and confirms', async () => {
    const fake = installFakeCoffre({
      'approvals:list': () => [request(1, '2026-01-01T10:00:00Z')],
      'approvals:approve': ({ id }) => ({ ...request(1, '2026-01-01T10:00:00Z'), id, status: 4 }),
    });
    await approvals.actions.load();
    await approvals.actions.approve(guid(101), '  Go ahead  ');
    expect(fake.callsTo('approvals:approve')).toEqual([{ id: guid(101), message: 'Go ahead' }]);
    expect(approvals.selectors.items(approvals.useApprovalsStore.getState())).toEqual([]);
    expect(approvals.selectors.count(approvals.useApprovalsStore.getState())).toBe(0);
    expect(toasts.useToastsStore.getState().toasts[0]).toMatchObject({
      tone: 'success',
      key: 'approvals.approvedToast',
    });
  });

  it('denies without a message when none is typed', async () => {
    const fake = installFakeCoffre({
      'approvals:deny': ({ id }) => ({ ...request(1, '2026-01-01T10:00:00Z'), id, status: 3 }),
    });
    await approvals.actions.deny(guid(101), '   ');
    expect(fake.callsTo('approvals:deny')).toEqual([{ id: guid(101) }]);
  });

  it('reloads after a failed decision (often decided elsewhere already)', async () => {
    const fake = installFakeCoffre({
      'approvals:list': () => [],
      'approvals:approve': () => {
        throw new FakeFailure('conflict', 'invalid_transition', 'Already decided.');
      },
    });
    await expect(approvals.actions.approve(guid(101))).resolves.toBeNull();
    await flush();
    expect(fake.callsTo('approvals:list')).toHaveLength(1);
    expect(toasts.useToastsStore.getState().toasts[0]).toMatchObject({ key: 'error.conflict' });
  });

  it('treats a refused list (not an approver) as an empty queue', async () => {
    installFakeCoffre({
      'approvals:list': () => {
        throw new FakeFailure('forbidden', 'forbidden');
      },
    });
    await approvals.actions.load();
    expect(approvals.selectors.loaded(approvals.useApprovalsStore.getState())).toBe(true);
    expect(toasts.useToastsStore.getState().toasts).toEqual([]);
  });
});

describe('expiry warnings', () => {
  it('turn into an info toast naming the credential and the time', () => {
    checkouts.actions.handleEvent({
      type: 'expiry.warning',
      checkoutId: guid(1),
      credentialName: 'srv-web',
      expiresAt: new Date(2026, 0, 1, 14, 5).toISOString(),
    });
    expect(toasts.useToastsStore.getState().toasts).toMatchObject([
      { tone: 'info', key: 'checkouts.expiryWarning', values: { credential: 'srv-web', time: '14:05' } },
    ]);
  });
});
