/**
 * Waiting for the decision on a pending request: the backend's live events (SSE), with polling
 * of the checkout whenever the stream is not open (no SSE, or reconnecting), and one read of the
 * checkout each time the stream opens so that nothing decided before it opened is missed.
 */
import { isPamClientError } from '../client/errors.ts';
import type { Checkout, PamBackend, SubscriptionStatus } from '../client/pamBackend.ts';
import { Status } from './status.ts';

export const DEFAULT_WAIT_POLL_MS = 5_000;

/** Pending and Granted (approved for a later start) are still waiting; everything else is an outcome. */
export function isDecided(status: number): boolean {
  return status !== Status.Pending && status !== Status.Granted && status !== Status.Initial;
}

export type WaitOutcome =
  | { kind: 'decided'; checkout: Checkout }
  /** Ctrl-C: the request is left as it is. */
  | { kind: 'interrupted'; checkout: Checkout };

export interface WaitOptions {
  signal: AbortSignal;
  pollIntervalMs?: number;
  /** A newer state of the checkout (status or anything else changed). */
  onUpdate?: (checkout: Checkout) => void;
  onConnection?: (status: SubscriptionStatus) => void;
}

function fatal(error: unknown): boolean {
  return (
    isPamClientError(error) &&
    (error.kind === 'unauthorized' || error.kind === 'forbidden' || error.kind === 'not_found')
  );
}

export function waitForDecision(
  backend: PamBackend,
  initial: Checkout,
  options: WaitOptions,
): Promise<WaitOutcome> {
  const pollIntervalMs = options.pollIntervalMs ?? DEFAULT_WAIT_POLL_MS;
  return new Promise<WaitOutcome>((resolve, reject) => {
    let current = initial;
    let done = false;
    let unsubscribe: (() => void) | null = null;
    let pollTimer: ReturnType<typeof setInterval> | null = null;
    let refreshing = false;
    // The backend's reconnect and poll timers do not keep a process alive; this does, while waiting.
    const keepAlive = setInterval(() => undefined, 60_000);

    const stopPolling = () => {
      if (pollTimer) clearInterval(pollTimer);
      pollTimer = null;
    };
    const finish = (settle: () => void) => {
      if (done) return;
      done = true;
      clearInterval(keepAlive);
      stopPolling();
      options.signal.removeEventListener('abort', onAbort);
      unsubscribe?.();
      settle();
    };
    const consider = (checkout: Checkout) => {
      if (done || checkout.id !== initial.id) return;
      if (JSON.stringify(checkout) !== JSON.stringify(current)) {
        current = checkout;
        options.onUpdate?.(checkout);
      }
      if (isDecided(checkout.status)) finish(() => resolve({ kind: 'decided', checkout }));
    };
    const refresh = async () => {
      if (refreshing || done) return;
      refreshing = true;
      try {
        consider(await backend.getCheckout(initial.id));
      } catch (error) {
        // Transient failures (network, timeout, 5xx) are retried at the next poll or reconnect.
        if (fatal(error)) finish(() => reject(error));
      } finally {
        refreshing = false;
      }
    };
    const startPolling = () => {
      pollTimer ??= setInterval(() => void refresh(), pollIntervalMs);
    };
    function onAbort() {
      finish(() => resolve({ kind: 'interrupted', checkout: current }));
    }

    if (options.signal.aborted) return onAbort();
    options.signal.addEventListener('abort', onAbort, { once: true });

    const cleanup = backend.subscribe(
      (event) => {
        if (event.type !== 'credential.rotated') consider(event.data);
      },
      {
        pollIntervalMs,
        onStatus: (status, detail) => {
          if (done) return;
          options.onConnection?.(status);
          if (status === 'open') {
            stopPolling();
            void refresh();
          } else if (status === 'polling' || status === 'reconnecting') {
            startPolling();
          } else if (status === 'closed' && detail?.error) {
            if (fatal(detail.error)) finish(() => reject(detail.error));
            else startPolling();
          }
        },
      },
    );
    if (done) cleanup();
    else unsubscribe = cleanup;
    // In case it was decided between the request and the subscription.
    void refresh();
  });
}
