import { describe, expect, it } from 'vitest';
import { CheckoutStatus as CommonStatus } from '../../common/checkout.ts';
import {
  approvalPlan,
  CheckoutStatus,
  canSelfApprove,
  credentialState,
  openCheckoutsByCredential,
} from '../../renderer/src/domain.ts';
import { checkout, credential, guid, OTHER_ID, USER_ID } from './support/factories.ts';

describe('domain constants', () => {
  it('restates the checkout statuses of common/checkout.ts exactly', () => {
    expect(CheckoutStatus).toEqual(CommonStatus);
  });
});

describe('credentialState', () => {
  const held = (userID: string, status: number) => ({
    id: guid(500),
    status: status as 4,
    userID,
    username: userID === USER_ID ? 'bob' : 'kelly',
    expiresAt: '2026-01-01T12:00:00.000Z',
  });

  it('is available when nobody holds it', () => {
    expect(credentialState(credential(1), new Map(), USER_ID)).toEqual({ kind: 'available' });
  });

  it("is mine (until expiry) or pending from the user's own open checkouts", () => {
    const mine = openCheckoutsByCredential([checkout({ credentialID: guid(1), status: 4 })]);
    expect(credentialState(credential(1), mine, USER_ID)).toMatchObject({
      kind: 'mine',
      expiresAt: '2026-01-01T12:00:00.000Z',
    });
    const pending = openCheckoutsByCredential([
      checkout({ credentialID: guid(1), status: 1, expiresAt: null }),
    ]);
    expect(credentialState(credential(1), pending, USER_ID)).toMatchObject({ kind: 'pending' });
  });

  it('is taken by someone else only when exclusive', () => {
    const exclusive = credential(1, { checkout: held(OTHER_ID, 4) });
    expect(credentialState(exclusive, new Map(), USER_ID)).toEqual({ kind: 'taken', username: 'kelly' });
    const shared = credential(1, { checkout: held(OTHER_ID, 4), policy: { exclusive: false } });
    expect(credentialState(shared, new Map(), USER_ID)).toEqual({ kind: 'available' });
    const othersPending = credential(1, { checkout: held(OTHER_ID, 1) });
    expect(credentialState(othersPending, new Map(), USER_ID)).toEqual({ kind: 'available' });
  });

  it("trusts fresh 'mine' over the cached field: our ended checkout shows available", () => {
    const stale = credential(1, { checkout: held(USER_ID, 4) });
    expect(credentialState(stale, new Map(), USER_ID)).toEqual({ kind: 'available' });
    // Before `mine` has loaded, the cached field is all there is.
    expect(credentialState(stale, null, USER_ID)).toMatchObject({ kind: 'mine' });
  });

  it('ignores final checkouts when indexing by credential', () => {
    const index = openCheckoutsByCredential([
      checkout({ id: guid(1), credentialID: guid(7), status: 5 }),
      checkout({ id: guid(2), credentialID: guid(8), status: 1 }),
    ]);
    expect([...index.keys()]).toEqual([guid(8)]);
  });
});

describe('approval plan and self-approval', () => {
  const mandatory = credential(1, {
    policy: { approvalMode: 'mandatory', selfApproval: true, approvers: [USER_ID] },
  }).policy;

  it('tells what will happen', () => {
    expect(approvalPlan(credential(1).policy, null, USER_ID)).toEqual({ kind: 'immediate' });
    expect(approvalPlan(mandatory, null, USER_ID)).toEqual({ kind: 'chooseApprover' });
    expect(approvalPlan(mandatory, { id: USER_ID, name: 'Bob' }, USER_ID)).toEqual({ kind: 'self' });
    expect(approvalPlan(mandatory, { id: OTHER_ID, name: 'Alice' }, USER_ID)).toEqual({
      kind: 'approver',
      name: 'Alice',
    });
  });

  it('offers "Myself" only with self-approval and when the user is an approver', () => {
    expect(canSelfApprove(mandatory, USER_ID, [])).toBe(true);
    expect(canSelfApprove({ ...mandatory, approvers: [] }, USER_ID, [USER_ID])).toBe(true);
    expect(canSelfApprove({ ...mandatory, approvers: [] }, USER_ID, [OTHER_ID])).toBe(false);
    expect(canSelfApprove({ ...mandatory, selfApproval: false }, USER_ID, [USER_ID])).toBe(false);
    expect(canSelfApprove(mandatory, null, [USER_ID])).toBe(false);
  });
});
