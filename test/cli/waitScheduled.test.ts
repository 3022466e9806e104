/**
 * `coffre checkout --wait` on a request approved for a later start (Granted): the approval is not
 * the end of the wait, the start is (cli/wait.ts). Killed the mutant that let Granted count as
 * decided, which no end-to-end test caught (the CLI has no option to schedule).
 */
import { describe, expect, it } from 'vitest';
import { Status } from '../../cli/status.ts';
import { isDecided, waitForDecision } from '../../cli/wait.ts';
import type { Checkout, PamBackend } from '../../client/pamBackend.ts';

const pending = {
  id: '11111111-2222-4333-8444-555555555555',
  credentialID: '11111111-2222-4333-8444-555555555557',
  status: Status.Pending,
} as unknown as Checkout;

describe('waiting on a scheduled approval', () => {
  it('Pending and Granted are still waiting; Active, Denied and the ends are outcomes', () => {
    expect(isDecided(Status.Pending)).toBe(false);
    expect(isDecided(Status.Granted)).toBe(false);
    for (const status of [
      Status.Active,
      Status.Denied,
      Status.Ended,
      Status.Expired,
      Status.RequestCanceled,
    ]) {
      expect(isDecided(status)).toBe(true);
    }
  });

  it('keeps waiting through the approval for a later start, and ends when the checkout starts', async () => {
    let listener: ((event: { type: string; data: Checkout }) => void) | undefined;
    let current: Checkout = pending;
    const backend = {
      getCheckout: async () => current,
      subscribe: (onEvent: typeof listener) => {
        listener = onEvent;
        return () => undefined;
      },
    } as unknown as PamBackend;
    const controller = new AbortController();
    let outcome: Awaited<ReturnType<typeof waitForDecision>> | undefined;
    const waiting = waitForDecision(backend, pending, { signal: controller.signal, pollIntervalMs: 60_000 });
    void waiting.then((result) => {
      outcome = result;
    });

    current = { ...pending, status: Status.Granted, scheduledStart: '2030-01-01T09:00:00.000Z' } as Checkout;
    listener!({ type: 'checkout.updated', data: current });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(outcome).toBeUndefined();

    current = { ...current, status: Status.Active } as Checkout;
    listener!({ type: 'checkout.updated', data: current });
    expect(await waiting).toEqual({ kind: 'decided', checkout: current });
  });
});
