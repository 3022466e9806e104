import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createPamBackend } from '../../client/createPamBackend.ts';
import { PamClientError } from '../../client/errors.ts';
import { backoffDelay, type PollSource, subscribePolling, subscribeSse } from '../../client/eventStream.ts';
import { createHttpClient } from '../../client/httpClient.ts';
import type { FetchLike, SubscriptionStatus } from '../../client/pamBackend.ts';
import { type Checkout, CheckoutStatus } from '../../common/checkout.ts';
import type { PamEvent } from '../../common/events.ts';
import { DEMO_IDS } from '../../server/demo.ts';
import { ManualTimers } from '../support/fakes.ts';
import { startTestServer, type TestServer } from '../support/testServer.ts';
import { EventCollector, localServer, loggedIn, signal, tcpProxy } from './support.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const IDLE_MS = 45_000;
const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';
const isCheckoutEvent = (type: PamEvent['type'], checkoutId: string) => (event: PamEvent) =>
  event.type === type && (event.data as Checkout).id === checkoutId;

describe('SSE', () => {
  it('alice’s subscription receives kelly’s request live', async () => {
    const alice = await loggedIn(server, 'alice');
    const kelly = await loggedIn(server, 'kelly');
    const collector = new EventCollector();
    const opened = signal<SubscriptionStatus>((status) => status === 'open');
    cleanups.push(alice.subscribe(collector.listener, { onStatus: opened.callback }));
    await opened.next();

    const { checkout } = await kelly.requestCheckout({
      credentialId: DEMO_IDS.approvedCredential,
      reason: 'live',
      approverId: DEMO_IDS.alice,
    });
    cleanups.push(() => kelly.cancel(checkout.id));
    const event = await collector.waitFor(
      isCheckoutEvent('checkout.created', checkout.id),
      10_000,
      'created',
    );
    expect(event.data).toMatchObject({ id: checkout.id, username: 'kelly', status: CheckoutStatus.Pending });
    expect(JSON.stringify(event)).not.toMatch(/password/i);
  });

  it('after a forced disconnect it resumes with Last-Event-ID, without loss or duplicates', async () => {
    const proxy = await tcpProxy(server.url);
    cleanups.push(() => proxy.close());
    const sentLastEventIds: Array<string | null> = [];
    const recordingFetch: FetchLike = (input, init) => {
      if (String(input).endsWith('/api/events')) {
        sentLastEventIds.push(new Headers(init?.headers).get('last-event-id'));
      }
      return fetch(input, init);
    };
    const alice = createPamBackend({ baseUrl: proxy.url, dialect: 'checkout', fetch: recordingFetch });
    await alice.login('alice', 'coffre-demo');
    const kelly = await loggedIn(server, 'kelly');

    const manual = new ManualTimers();
    const collector = new EventCollector();
    const opened = signal<SubscriptionStatus>((status) => status === 'open');
    const reconnecting = signal<SubscriptionStatus>((status) => status === 'reconnecting');
    const errors: Error[] = [];
    cleanups.push(
      alice.subscribe(collector.listener, {
        timers: manual.timers,
        initialBackoffMs: 100,
        onStatus: (status) => {
          opened.callback(status);
          reconnecting.callback(status);
        },
        onError: (error) => errors.push(error),
      }),
    );
    await opened.next();

    const first = await kelly.requestCheckout({
      credentialId: DEMO_IDS.approvedCredential,
      reason: 'before the cut',
      approverId: DEMO_IDS.alice,
    });
    const created = await collector.waitFor(isCheckoutEvent('checkout.created', first.checkout.id));

    proxy.cut();
    await reconnecting.next();
    expect(errors.length).toBeGreaterThan(0);

    // While alice is disconnected: kelly cancels the first request and makes a second one.
    await kelly.cancel(first.checkout.id);
    const second = await kelly.requestCheckout({
      credentialId: DEMO_IDS.approvedCredential,
      reason: 'during the cut',
      approverId: DEMO_IDS.alice,
    });
    cleanups.push(() => kelly.cancel(second.checkout.id));

    const delay = await manual.fire((ms) => ms < IDLE_MS);
    expect(delay).toBeGreaterThanOrEqual(50);
    expect(delay).toBeLessThanOrEqual(100);
    await opened.next();
    await collector.waitFor(isCheckoutEvent('checkout.created', second.checkout.id));
    const canceled = await collector.waitFor(isCheckoutEvent('checkout.updated', first.checkout.id));
    expect((canceled.data as Checkout).status).toBe(CheckoutStatus.RequestCanceled);

    expect(sentLastEventIds).toEqual([null, String(created.id)]);
    expect(proxy.connections).toBeGreaterThanOrEqual(2);
    const ids = collector.events.map((event) => event.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);

    // The store's own record of alice's events since the first one is exactly what she got.
    const replay = new EventCollector();
    const lastId = ids.at(-1)!;
    const direct = await loggedIn(server, 'alice');
    cleanups.push(direct.subscribe(replay.listener, { lastEventId: ids[0]! - 1 }));
    await replay.waitFor((event) => event.id === lastId);
    expect(replay.events.filter((event) => event.id <= lastId).map((event) => event.id)).toEqual(ids);
  });

  it('drops events replayed twice, skips unknown types, and copes with events split across chunks', async () => {
    const event = (id: number, type: string, data: unknown) =>
      `id: ${id}\nevent: ${type}\ndata: ${JSON.stringify(data)}\n\n`;
    const lastIds: Array<string | undefined> = [];
    const fake = await localServer((request, response) => {
      lastIds.push(request.headers['last-event-id'] as string | undefined);
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      if (lastIds.length === 1) {
        const text =
          event(1, 'checkout.created', checkout(A)) +
          event(2, 'something.new', { x: 1 }) +
          event(3, 'checkout.updated', checkout(A));
        // Split in the middle of an event: the parser must reassemble it.
        response.write(text.slice(0, 50));
        setImmediate(() => response.end(text.slice(50)));
      } else {
        // A careless server replays from too far back.
        response.end(
          event(3, 'checkout.updated', checkout(A)) +
            event(4, 'checkout.updated', checkout(A, { status: CheckoutStatus.Denied })),
        );
      }
    });
    cleanups.push(() => fake.close());
    const manual = new ManualTimers();
    const collector = new EventCollector();
    cleanups.push(
      subscribeSse(createHttpClient({ baseUrl: fake.url }), collector.listener, { timers: manual.timers }),
    );
    await collector.waitFor((e) => e.id === 3);
    await manual.fire((ms) => ms < IDLE_MS);
    await collector.waitFor((e) => e.id === 4);
    expect(collector.events.map((e) => [e.id, e.type])).toEqual([
      [1, 'checkout.created'],
      [3, 'checkout.updated'],
      [4, 'checkout.updated'],
    ]);
    expect(lastIds).toEqual([undefined, '3']);
  });

  it('a stream that goes silent past the idle limit is dropped and reopened', async () => {
    const fake = await localServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write(': hello\n\n'); // then silence, as a half-dead connection would be
    });
    cleanups.push(() => fake.close());
    const manual = new ManualTimers();
    const failed = signal<Error>();
    const opened = signal<SubscriptionStatus>((status) => status === 'open');
    cleanups.push(
      subscribeSse(createHttpClient({ baseUrl: fake.url }), () => undefined, {
        timers: manual.timers,
        onError: failed.callback,
        onStatus: opened.callback,
      }),
    );
    await opened.next();
    await manual.fire((ms) => ms === IDLE_MS);
    const error = await failed.next();
    expect(error).toMatchObject({ kind: 'timeout', code: 'stream_idle' });
    await manual.fire((ms) => ms < IDLE_MS);
    await opened.next();
    expect(fake.hits).toHaveLength(2);
  });

  it('a revoked token ends the subscription with an unauthorized error, without retrying', async () => {
    const bob = await loggedIn(server, 'bob');
    const token = bob.session().token!;
    await bob.logout();
    const stale = createPamBackend({ baseUrl: server.url, dialect: 'checkout', token });
    const manual = new ManualTimers();
    const closed = signal<SubscriptionStatus>((status) => status === 'closed');
    const errors: Error[] = [];
    cleanups.push(
      stale.subscribe(() => undefined, {
        timers: manual.timers,
        onStatus: closed.callback,
        onError: (error) => errors.push(error),
      }),
    );
    await closed.next();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ kind: 'unauthorized' });
    expect(manual.delays).toEqual([]);
  });

  it('backs off exponentially with jitter up to the cap while the server is down', async () => {
    const dead = await localServer(() => undefined);
    await dead.close();
    const manual = new ManualTimers();
    const delays: number[] = [];
    const statuses: SubscriptionStatus[] = [];
    const stop = subscribeSse(
      createHttpClient({ baseUrl: dead.url, token: () => 't' }),
      () => undefined,
      {
        timers: manual.timers,
        initialBackoffMs: 100,
        maxBackoffMs: 1000,
        onStatus: (status, detail) => {
          statuses.push(status);
          if (status === 'reconnecting') delays.push(detail!.delayMs!);
        },
      },
      { random: () => 1 },
    );
    cleanups.push(stop);
    for (let i = 0; i < 6; i++) await manual.fire();
    await manual.waitPending(); // the seventh attempt failed and scheduled the next
    expect(delays.slice(0, 7)).toEqual([100, 200, 400, 800, 1000, 1000, 1000]);
    stop();
    expect(statuses.at(-1)).toBe('closed');
    expect(manual.delays).toEqual([]);
  });

  it('jitter keeps every delay between half the ceiling and the ceiling, capped at 30 s', () => {
    expect(backoffDelay(0, 500, 30_000, () => 0)).toBe(250);
    expect(backoffDelay(0, 500, 30_000, () => 1)).toBe(500);
    expect(backoffDelay(3, 500, 30_000, () => 0.5)).toBe(3000);
    expect(backoffDelay(40, 500, 30_000, () => 1)).toBe(30_000);
    expect(backoffDelay(40, 500, 30_000, () => 0)).toBe(15_000);
  });

  it('a server answering JSON instead of an event stream is reported as a protocol error and retried', async () => {
    const fake = await localServer((_request, response) =>
      response.writeHead(200, { 'content-type': 'application/json' }).end('[]'),
    );
    cleanups.push(() => fake.close());
    const manual = new ManualTimers();
    const failed = signal<Error>();
    cleanups.push(
      subscribeSse(createHttpClient({ baseUrl: fake.url }), () => undefined, {
        timers: manual.timers,
        onError: failed.callback,
      }),
    );
    const error = await failed.next();
    expect(error).toMatchObject({ kind: 'protocol' });
    expect(error.message).toContain('text/event-stream');
    await manual.fire();
    await failed.next();
    expect(fake.hits.length).toBe(2);
  });

  it('falls back to polling when the server has no /api/events (404)', async () => {
    const fake = await localServer((request, response) => {
      if (request.url?.startsWith('/api/events')) {
        response
          .writeHead(404, { 'content-type': 'application/json' })
          .end('{"error":{"code":"not_found","message":"No."}}');
      } else response.writeHead(200, { 'content-type': 'application/json' }).end('[]');
    });
    cleanups.push(() => fake.close());
    const backend = createPamBackend({ baseUrl: fake.url, dialect: 'checkout', token: 't' });
    const polling = signal<SubscriptionStatus>((status) => status === 'polling');
    const manual = new ManualTimers();
    cleanups.push(
      backend.subscribe(() => undefined, {
        timers: manual.timers,
        onStatus: polling.callback,
        pollIntervalMs: 1234,
      }),
    );
    await polling.next();
    await manual.fire((ms) => ms === 1234);
    expect(fake.hits.filter((hit) => hit.url.startsWith('/api/pam/checkouts')).length).toBeGreaterThanOrEqual(
      2,
    );
  });
});

function checkout(id: string, patch: Partial<Checkout> = {}): Checkout {
  return {
    id,
    userID: DEMO_IDS.kelly,
    username: 'kelly',
    credentialID: DEMO_IDS.approvedCredential,
    credentialName: 'fs',
    approverID: DEMO_IDS.alice,
    approverName: 'alice',
    reason: '',
    approverMessage: '',
    status: CheckoutStatus.Pending,
    duration: 60,
    requestDateTime: '2026-01-01T09:00:00.000Z',
    scheduledStart: null,
    checkoutDateTime: null,
    checkInDateTime: null,
    expiresAt: null,
    ...patch,
  };
}

describe('polling fallback', () => {
  it('diffs successive polls into created / updated / expiring events; the first poll is the baseline', async () => {
    let now = Date.parse('2026-01-01T10:00:00.000Z');
    const state: { mine: Checkout[]; toApprove: Checkout[]; byId: Record<string, Checkout> } = {
      mine: [
        checkout(A, {
          userID: DEMO_IDS.alice,
          status: CheckoutStatus.Active,
          expiresAt: '2026-01-01T11:00:00.000Z',
        }),
      ],
      toApprove: [],
      byId: {},
    };
    const source: PollSource = {
      listMyCheckouts: async () => state.mine,
      listToApprove: async () => state.toApprove,
      getCheckout: async (id) => {
        const found = state.byId[id];
        if (!found) throw new Error('not found');
        return found;
      },
    };
    const manual = new ManualTimers();
    const collector = new EventCollector();
    cleanups.push(
      subscribePolling(
        source,
        collector.listener,
        { timers: manual.timers, pollIntervalMs: 5000 },
        { now: () => now },
      ),
    );

    await manual.fire((ms) => ms === 5000); // baseline done; second poll runs
    expect(collector.events).toEqual([]);

    state.toApprove = [checkout(B)];
    await manual.fire();
    await collector.waitFor((event) => event.type === 'checkout.created');
    expect(collector.events.map((e) => [e.type, (e.data as Checkout).id])).toEqual([['checkout.created', B]]);

    // B is approved by someone else: it leaves alice's queue; polling reads it once more.
    state.toApprove = [];
    state.byId[B] = checkout(B, { status: CheckoutStatus.Active, approverName: 'maurice' });
    // A gets close to its end.
    now = Date.parse('2026-01-01T10:56:00.000Z');
    await manual.fire();
    await collector.waitFor((event) => event.type === 'checkout.expiring');
    await collector.waitFor((event) => event.type === 'checkout.updated');
    await manual.fire();
    await manual.waitPending(); // a fifth poll, with nothing new, is over

    expect(collector.events.map((e) => [e.type, (e.data as Checkout).id]).sort()).toEqual(
      [
        ['checkout.created', B],
        ['checkout.expiring', A],
        ['checkout.updated', B],
      ].sort(),
    );
    const ids = collector.events.map((event) => event.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('stops on unauthorized and keeps going on other errors', async () => {
    let calls = 0;
    let failWith: Error | null = new Error('flaky');
    const source: PollSource = {
      listMyCheckouts: async () => {
        calls += 1;
        if (failWith) throw failWith;
        return [];
      },
      listToApprove: async () => [],
      getCheckout: async () => {
        throw new Error('unused');
      },
    };
    const manual = new ManualTimers();
    const errors: Error[] = [];
    const closed = signal<SubscriptionStatus>((status) => status === 'closed');
    cleanups.push(
      subscribePolling(source, () => undefined, {
        timers: manual.timers,
        onError: (error) => errors.push(error),
        onStatus: closed.callback,
      }),
    );
    failWith = null;
    await manual.fire();
    await manual.waitPending();
    failWith = new PamClientError('unauthorized', 'expired');
    await manual.fire();
    await closed.next();
    expect(calls).toBe(3);
    expect(errors.map((error) => error.message)).toEqual(['flaky', 'expired']);
    expect(manual.delays).toEqual([]);
  });
});
