/**
 * The approver-notification probe shared by bench:notify (one node, SSE vs polling) and
 * bench:notify-nodes (across PostgreSQL nodes): a watched subscription of the approver, and one
 * timed request (POST, wait for the approver's client to hear of it, cancel).
 */
import type { PamBackend, SubscribeOptions } from '../../client/pamBackend.ts';
import { CheckoutStatus } from '../../common/checkoutStatus.ts';
import type { PamEvent } from '../../common/events.ts';

export interface Pair {
  backend: PamBackend;
  credentialId: string;
}

/** `POST` of an admin route with a token; the created object's id. */
export async function admin(
  url: string,
  token: string,
  route: string,
  body: unknown,
): Promise<{ id: string }> {
  const response = await fetch(`${url}${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', tokenid: token },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`POST ${route}: ${response.status} ${text}`);
  return JSON.parse(text) as { id: string };
}

/**
 * Alice's subscription, recording when each `checkout.created` reaches the listener. The event can
 * arrive before the POST's answer (which carries the id), so arrivals are kept by checkout id.
 */
export function watch(alice: PamBackend, options: SubscribeOptions) {
  const arrivals = new Map<string, number>();
  const waiters = new Map<string, (at: number) => void>();
  let opened: () => void = () => undefined;
  const open = new Promise<void>((resolve) => {
    opened = resolve;
  });
  const errors: Error[] = [];
  const unsubscribe = alice.subscribe(
    (event: PamEvent) => {
      const at = performance.now();
      if (event.type !== 'checkout.created') return;
      const waiter = waiters.get(event.data.id);
      if (waiter) {
        waiters.delete(event.data.id);
        waiter(at);
      } else arrivals.set(event.data.id, at);
    },
    {
      ...options,
      onStatus: (status) => {
        if (status === 'open' || status === 'polling') opened();
      },
      onError: (error) => errors.push(error),
    },
  );
  /** When the event for `checkoutId` arrived, or null after `timeoutMs`. */
  const arrival = (checkoutId: string, timeoutMs: number) => {
    const seen = arrivals.get(checkoutId);
    if (seen !== undefined) {
      arrivals.delete(checkoutId);
      return Promise.resolve<number | null>(seen);
    }
    return new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => {
        waiters.delete(checkoutId);
        resolve(null);
      }, timeoutMs);
      waiters.set(checkoutId, (at) => {
        clearTimeout(timer);
        resolve(at);
      });
    });
  };
  return { open, arrival, unsubscribe, errors };
}

/** One request: POST, wait for alice to hear of it, cancel. The latency in ms, or null if never seen. */
export async function sample(
  pair: Pair,
  aliceId: string,
  arrival: (id: string, timeoutMs: number) => Promise<number | null>,
  timeoutMs: number,
): Promise<number | null> {
  const start = performance.now();
  const { checkout } = await pair.backend.requestCheckout({
    credentialId: pair.credentialId,
    approverId: aliceId,
    reason: 'notification latency bench',
  });
  if (checkout.status !== CheckoutStatus.Pending)
    throw new Error(`expected a pending request, got status ${checkout.status}`);
  const at = await arrival(checkout.id, timeoutMs);
  await pair.backend.cancel(checkout.id);
  return at === null ? null : at - start;
}
