import { beforeEach, describe, expect, it } from 'vitest';
import type { ListMyCheckoutsOptions, PamBackend, SubscribeOptions } from '../../../client/pamBackend.ts';
import { type Checkout, CheckoutStatus } from '../../../common/checkout.ts';
import type { PamEvent } from '../../../common/events.ts';
import {
  ApprovalsWatcher,
  type ApprovalsWatcherDeps,
  decisionNotificationId,
  requestNotificationId,
} from '../../../main/services/approvalsWatcher.ts';
import { APPROVALS_MESSAGES_EN } from '../../../main/services/i18n/en.ts';
import { APPROVALS_MESSAGES_FR } from '../../../main/services/i18n/fr.ts';
import { FakeNotifier, FakeTray, RecordingSink } from '../../support/fakes.ts';

const CAROL = { id: 'c0000000-0000-4000-8000-00000000000c', roles: ['user', 'approver'] as const };
const DAVE = { id: 'd0000000-0000-4000-8000-00000000000d', roles: ['approver'] as const };
const BOB = { id: 'b0000000-0000-4000-8000-00000000000b', roles: ['user'] as const };
const REQ_1 = '10000000-0000-4000-8000-000000000001';
const REQ_2 = '20000000-0000-4000-8000-000000000002';
const REQ_3 = '30000000-0000-4000-8000-000000000003';

/** A request from Bob to Carol, pending. */
function request(overrides: Partial<Checkout> = {}): Checkout {
  return {
    id: REQ_1,
    userID: BOB.id,
    username: 'bob',
    credentialID: 'cccccccc-0000-4000-8000-000000000001',
    credentialName: 'prod-db root',
    approverID: CAROL.id,
    approverName: 'Carol',
    reason: 'incident 42',
    approverMessage: '',
    status: CheckoutStatus.Pending,
    duration: 120,
    requestDateTime: '2025-06-02T09:00:00Z',
    scheduledStart: null,
    checkoutDateTime: null,
    checkInDateTime: null,
    expiresAt: null,
    ...overrides,
  };
}

interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}
function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** The parts of a PamBackend the watcher uses, driven by the test. */
class FakeBackend {
  toApprove: Checkout[] = [];
  mine: Checkout[] = [];
  listToApproveCalls = 0;
  myCheckoutsOptions: Array<ListMyCheckoutsOptions | undefined> = [];
  /** When set, the next listToApprove answers with this instead of `toApprove`. */
  nextToApprove: Deferred<Checkout[]> | null = null;
  decisions: Array<['approve' | 'deny', string]> = [];
  decisionError: Error | null = null;
  listener: ((event: PamEvent) => void) | null = null;
  subscribeOptions: SubscribeOptions | undefined;
  unsubscribed = 0;
  private eventId = 0;

  listToApprove = async (): Promise<Checkout[]> => {
    this.listToApproveCalls++;
    const pending = this.nextToApprove;
    this.nextToApprove = null;
    return pending ? pending.promise : this.toApprove.map((c) => ({ ...c }));
  };

  listMyCheckouts = async (options?: ListMyCheckoutsOptions): Promise<Checkout[]> => {
    this.myCheckoutsOptions.push(options);
    return this.mine;
  };

  /** The message sent with each decision, in order ('' for none). */
  decisionMessages: string[] = [];
  approve = async (id: string, message?: string): Promise<Checkout> =>
    this.decide('approve', id, CheckoutStatus.Active, message);
  deny = async (id: string, message?: string): Promise<Checkout> =>
    this.decide('deny', id, CheckoutStatus.Denied, message);

  private decide(kind: 'approve' | 'deny', id: string, status: CheckoutStatus, message?: string): Checkout {
    this.decisions.push([kind, id]);
    this.decisionMessages.push(message ?? '');
    if (this.decisionError) throw this.decisionError;
    const found = this.toApprove.find((c) => c.id === id) ?? request({ id });
    this.toApprove = this.toApprove.filter((c) => c.id !== id);
    return { ...found, status };
  }

  subscribe = (listener: (event: PamEvent) => void, options?: SubscribeOptions): (() => void) => {
    this.listener = listener;
    this.subscribeOptions = options;
    return () => {
      this.unsubscribed++;
    };
  };

  /** The server (or the polling fallback) delivers an event. */
  send(type: 'checkout.created' | 'checkout.updated' | 'checkout.expiring', data: Checkout): void {
    if (!this.listener) throw new Error('not subscribed');
    this.listener({ id: ++this.eventId, type, data });
  }

  asBackend(): PamBackend {
    return this as unknown as PamBackend;
  }
}

let backend: FakeBackend;
let notifier: FakeNotifier;
let tray: FakeTray;
let events: RecordingSink;
let opened: string[];
let openedCheckouts: string[];
let errors: unknown[];
let watcher: ApprovalsWatcher;

function build(overrides: Partial<ApprovalsWatcherDeps> = {}): ApprovalsWatcher {
  return new ApprovalsWatcher({
    notifier,
    tray,
    events,
    messages: APPROVALS_MESSAGES_EN,
    onOpen: (id) => opened.push(id),
    onError: (error) => errors.push(error),
    onOpenCheckout: (id) => openedCheckouts.push(id),
    ...overrides,
  });
}

beforeEach(() => {
  backend = new FakeBackend();
  notifier = new FakeNotifier();
  tray = new FakeTray();
  events = new RecordingSink();
  opened = [];
  openedCheckouts = [];
  errors = [];
  watcher = build();
});

describe('ApprovalsWatcher as an approver', () => {
  it('loads the queue at start: tray count and approvals.changed, without notifying', async () => {
    backend.toApprove = [request({ id: REQ_1 }), request({ id: REQ_2, username: 'erin' })];
    const subscribeOptions: SubscribeOptions = { mode: 'poll', pollIntervalMs: 5_000 };
    watcher = build({ subscribeOptions });

    await watcher.start(backend.asBackend(), CAROL);

    expect(tray.current).toBe(2);
    expect(events.ofType('approvals.changed').at(-1)).toEqual({ type: 'approvals.changed', pending: 2 });
    expect(watcher.pending().map((c) => c.id)).toEqual([REQ_1, REQ_2]);
    expect(notifier.shown).toEqual([]);
    expect(backend.subscribeOptions).toBe(subscribeOptions);
    expect(backend.myCheckoutsOptions).toEqual([{ activeAndPending: true }]);
  });

  it('a new request addressed to the user raises a notification with Approve and Deny', async () => {
    await watcher.start(backend.asBackend(), CAROL);

    backend.send('checkout.created', request());

    const shown = notifier.last(requestNotificationId(REQ_1));
    expect(shown.title).toBe('bob requests prod-db root');
    expect(shown.body).toBe('Reason: incident 42 — for 2\u00a0h');
    expect(shown.actions).toEqual([
      { id: 'approve', label: 'Approve' },
      { id: 'deny', label: 'Deny' },
    ]);
    expect(tray.current).toBe(1);
    expect(events.ofType('approvals.changed').at(-1)).toEqual({ type: 'approvals.changed', pending: 1 });
  });

  it('a replayed creation event does not notify twice', async () => {
    await watcher.start(backend.asBackend(), CAROL);
    backend.send('checkout.created', request());
    backend.send('checkout.created', request());

    expect(notifier.shown).toHaveLength(1);
    expect(tray.counts.at(-1)).toBe(1);
  });

  it('ignores requests addressed to another approver and requests that need no approval', async () => {
    await watcher.start(backend.asBackend(), CAROL);

    backend.send('checkout.created', request({ approverID: DAVE.id, approverName: 'Dave' }));
    backend.send('checkout.created', request({ id: REQ_2, status: CheckoutStatus.Active, approverID: null }));

    expect(notifier.shown).toEqual([]);
    expect(watcher.pending()).toEqual([]);
  });

  it('a click on the notification opens the request in the queue', async () => {
    await watcher.start(backend.asBackend(), CAROL);
    backend.send('checkout.created', request());

    notifier.click(requestNotificationId(REQ_1));

    expect(opened).toEqual([REQ_1]);
    expect(backend.decisions).toEqual([]);
  });

  it('Approve from the notification approves on the server and refreshes the queue', async () => {
    await watcher.start(backend.asBackend(), CAROL);
    backend.toApprove = [request(), request({ id: REQ_2 })];
    backend.send('checkout.created', request());
    backend.send('checkout.created', request({ id: REQ_2 }));
    const listsBefore = backend.listToApproveCalls;

    notifier.click(requestNotificationId(REQ_1), 'approve');
    await watcher.whenIdle();

    expect(backend.decisions).toEqual([['approve', REQ_1]]);
    expect(backend.listToApproveCalls).toBe(listsBefore + 1);
    expect(watcher.pending().map((c) => c.id)).toEqual([REQ_2]);
    expect(tray.current).toBe(1);
    expect(notifier.closed).toContain(requestNotificationId(REQ_1));
    expect(errors).toEqual([]);
  });

  it('a reply is a message: the notification then asks which decision to send it with (issue 15, item 8)', async () => {
    await watcher.start(backend.asBackend(), CAROL);
    backend.toApprove = [request(), request({ id: REQ_2 })];
    backend.send('checkout.created', request());
    backend.send('checkout.created', request({ id: REQ_2 }));
    expect(notifier.last(requestNotificationId(REQ_1)).replyPlaceholder).toBe('A message for the requester…');

    notifier.reply(requestNotificationId(REQ_1), '  only until 18:00  ');
    const asked = notifier.last(requestNotificationId(REQ_1));
    expect(asked.body).toBe('Your message: “only until 18:00”. Approve or deny with it?');
    expect(asked.actions?.map((action) => action.label)).toEqual([
      'Approve with message',
      'Deny with message',
    ]);
    expect(backend.decisions).toEqual([]);

    notifier.click(requestNotificationId(REQ_1), 'approve');
    await watcher.whenIdle();
    expect(backend.decisions).toEqual([['approve', REQ_1]]);
    expect(backend.decisionMessages).toEqual(['only until 18:00']);

    // An empty reply decides nothing.
    notifier.reply(requestNotificationId(REQ_2), '   ');
    notifier.click(requestNotificationId(REQ_2), 'deny');
    await watcher.whenIdle();
    expect(backend.decisionMessages).toEqual(['only until 18:00', '']);
  });

  it('Deny from the notification denies on the server', async () => {
    await watcher.start(backend.asBackend(), CAROL);
    backend.toApprove = [request()];
    backend.send('checkout.created', request());

    notifier.click(requestNotificationId(REQ_1), 'deny');
    await watcher.whenIdle();

    expect(backend.decisions).toEqual([['deny', REQ_1]]);
    expect(watcher.pending()).toEqual([]);
    expect(tray.current).toBe(0);
  });

  it('a failed decision goes to onError and the queue is reloaded', async () => {
    await watcher.start(backend.asBackend(), CAROL);
    backend.toApprove = [request()];
    backend.send('checkout.created', request());
    backend.decisionError = new Error('already decided');
    // Another approver was faster: the server's queue no longer has it.
    backend.toApprove = [];

    notifier.click(requestNotificationId(REQ_1), 'approve');
    await watcher.whenIdle();

    expect(errors).toEqual([backend.decisionError]);
    expect(watcher.pending()).toEqual([]);
    expect(tray.current).toBe(0);
  });

  it.each([
    ['approved by another approver', CheckoutStatus.Active],
    ['denied by another approver', CheckoutStatus.Denied],
    ['canceled by the requester', CheckoutStatus.RequestCanceled],
  ])('drops a request %s and withdraws its notification', async (_what, status) => {
    await watcher.start(backend.asBackend(), CAROL);
    backend.send('checkout.created', request());
    backend.send('checkout.created', request({ id: REQ_2 }));

    backend.send('checkout.updated', request({ status }));

    expect(watcher.pending().map((c) => c.id)).toEqual([REQ_2]);
    expect(tray.counts).toEqual([0, 1, 2, 1]);
    expect(events.ofType('approvals.changed').map((e) => e.pending)).toEqual([0, 1, 2, 1]);
    expect(notifier.closed).toEqual([requestNotificationId(REQ_1)]);
  });

  it('keeps changes that arrive while the queue is loading', async () => {
    const firstLoad = deferred<Checkout[]>();
    backend.nextToApprove = firstLoad;
    const started = watcher.start(backend.asBackend(), CAROL);

    backend.send('checkout.created', request({ id: REQ_3 })); // new, not in the (older) answer
    backend.send('checkout.updated', request({ id: REQ_2, status: CheckoutStatus.RequestCanceled }));
    firstLoad.resolve([request({ id: REQ_1 }), request({ id: REQ_2 })]);
    await started;

    expect(
      watcher
        .pending()
        .map((c) => c.id)
        .sort(),
    ).toEqual([REQ_1, REQ_3]);
    expect(tray.current).toBe(2);
  });

  it('an older queue load answering last does not overwrite a newer one', async () => {
    await watcher.start(backend.asBackend(), CAROL);
    const slow = deferred<Checkout[]>();
    backend.nextToApprove = slow;
    const older = watcher.refresh();
    backend.toApprove = [request({ id: REQ_2 })];
    await watcher.refresh();

    slow.resolve([request({ id: REQ_1 })]);
    await older;

    expect(watcher.pending().map((c) => c.id)).toEqual([REQ_2]);
  });

  it('does not watch a queue for a user who is not an approver', async () => {
    await watcher.start(backend.asBackend(), BOB);
    backend.send('checkout.created', request({ approverID: BOB.id }));

    expect(backend.listToApproveCalls).toBe(0);
    expect(tray.counts).toEqual([]);
    expect(notifier.shown).toEqual([]);
  });
});

describe('ApprovalsWatcher as a requester', () => {
  const mine = (overrides: Partial<Checkout> = {}) => request({ ...overrides });

  it('tells the requester their request was approved, and that checkouts changed', async () => {
    await watcher.start(backend.asBackend(), BOB);
    backend.send('checkout.created', mine());
    expect(events.ofType('checkouts.changed')).toHaveLength(1);

    backend.send(
      'checkout.updated',
      mine({ status: CheckoutStatus.Active, expiresAt: '2025-06-02T11:00:00Z' }),
    );

    const shown = notifier.last(decisionNotificationId(REQ_1));
    expect(shown.title).toBe('prod-db root approved by Carol');
    expect(shown.body).toBe('You can use it now.');
    expect(events.ofType('checkouts.changed')).toHaveLength(2);

    notifier.click(decisionNotificationId(REQ_1));
    expect(openedCheckouts).toEqual([REQ_1]);
  });

  it('tells the requester their request was denied, with the approver’s message', async () => {
    await watcher.start(backend.asBackend(), BOB);
    backend.send('checkout.created', mine());

    backend.send(
      'checkout.updated',
      mine({ status: CheckoutStatus.Denied, approverMessage: 'use the replica' }),
    );
    backend.send(
      'checkout.updated',
      mine({ status: CheckoutStatus.Denied, approverMessage: 'use the replica' }),
    );

    expect(notifier.shown).toHaveLength(1);
    const shown = notifier.last(decisionNotificationId(REQ_1));
    expect(shown.title).toBe('prod-db root denied by Carol');
    expect(shown.body).toBe('Denied: use the replica');
  });

  it('an extension or a scheduled start is not announced as an approval', async () => {
    backend.mine = [mine({ id: REQ_2, status: CheckoutStatus.Active, expiresAt: '2025-06-02T11:00:00Z' })];
    await watcher.start(backend.asBackend(), BOB);

    backend.send(
      'checkout.updated',
      mine({ id: REQ_2, status: CheckoutStatus.Active, expiresAt: '2025-06-02T12:00:00Z' }),
    );
    backend.send('checkout.created', mine());
    backend.send(
      'checkout.updated',
      mine({ status: CheckoutStatus.Granted, scheduledStart: '2025-06-02T10:00:00Z' }),
    );
    backend.send('checkout.updated', mine({ status: CheckoutStatus.Active }));

    expect(notifier.titles()).toEqual(['prod-db root approved by Carol']);
    expect(events.ofType('checkouts.changed')).toHaveLength(4);
  });

  it('an approval seen without the pending state (missed events) is still announced', async () => {
    await watcher.start(backend.asBackend(), BOB);
    backend.send('checkout.updated', mine({ status: CheckoutStatus.Active, approverName: null }));

    expect(notifier.titles()).toEqual(['prod-db root approved by an approver']);
  });

  it('every own checkout event means checkouts.changed; other people’s do not', async () => {
    await watcher.start(backend.asBackend(), BOB);

    backend.send('checkout.expiring', mine({ status: CheckoutStatus.Active }));
    backend.send('checkout.updated', mine({ id: REQ_2, userID: DAVE.id, status: CheckoutStatus.Ended }));

    expect(events.ofType('checkouts.changed')).toHaveLength(1);
    expect(notifier.shown).toEqual([]);
  });

  it('an approver who requests is told about their own requests too', async () => {
    await watcher.start(backend.asBackend(), CAROL);
    const own = request({
      id: REQ_2,
      userID: CAROL.id,
      username: 'carol',
      approverID: DAVE.id,
      approverName: 'Dave',
    });
    backend.send('checkout.created', own);
    backend.send('checkout.updated', { ...own, status: CheckoutStatus.Active });

    expect(notifier.titles()).toEqual(['prod-db root approved by Dave']);
    expect(watcher.pending()).toEqual([]);
  });
});

describe('ApprovalsWatcher.stop and restart', () => {
  it('stop unsubscribes, zeroes the tray and withdraws request notifications', async () => {
    await watcher.start(backend.asBackend(), CAROL);
    backend.send('checkout.created', request());
    const listener = backend.listener!;

    watcher.stop();

    expect(backend.unsubscribed).toBe(1);
    expect(tray.current).toBe(0);
    expect(events.ofType('approvals.changed').at(-1)).toEqual({ type: 'approvals.changed', pending: 0 });
    expect(notifier.closed).toEqual([requestNotificationId(REQ_1)]);
    expect(watcher.pending()).toEqual([]);

    // Late deliveries and clicks on old notifications do nothing.
    const shownBefore = notifier.shown.length;
    listener({ id: 99, type: 'checkout.created', data: request({ id: REQ_2 }) });
    notifier.click(requestNotificationId(REQ_1), 'approve');
    await watcher.whenIdle();
    expect(notifier.shown).toHaveLength(shownBefore);
    expect(backend.decisions).toEqual([]);
    expect(tray.current).toBe(0);
  });

  it('a notification from the previous session does nothing after a restart', async () => {
    await watcher.start(backend.asBackend(), CAROL);
    backend.send('checkout.created', request());
    const oldNotification = notifier.last(requestNotificationId(REQ_1));

    const other = new FakeBackend();
    other.toApprove = [request({ id: REQ_1 })];
    await watcher.start(other.asBackend(), CAROL);
    oldNotification.onAction('approve');
    oldNotification.onAction('click');
    await watcher.whenIdle();

    expect(other.decisions).toEqual([]);
    expect(backend.decisions).toEqual([]);
    expect(opened).toEqual([]);
  });

  it('a load from the previous session answering late is dropped', async () => {
    const stale = deferred<Checkout[]>();
    backend.nextToApprove = stale;
    const first = watcher.start(backend.asBackend(), CAROL);

    const other = new FakeBackend();
    other.toApprove = [request({ id: REQ_2, approverID: DAVE.id })];
    await watcher.start(other.asBackend(), DAVE);
    stale.resolve([request({ id: REQ_1 }), request({ id: REQ_3 })]);
    await first;

    expect(backend.unsubscribed).toBe(1);
    expect(watcher.pending().map((c) => c.id)).toEqual([REQ_2]);
    expect(tray.current).toBe(1);
  });
});

describe('ApprovalsWatcher messages', () => {
  it('speaks French with the French messages', async () => {
    watcher = build({ messages: APPROVALS_MESSAGES_FR });
    await watcher.start(backend.asBackend(), CAROL);
    backend.send('checkout.created', request({ duration: 90 }));

    const shown = notifier.last(requestNotificationId(REQ_1));
    expect(shown.title).toBe('bob demande prod-db root');
    expect(shown.body).toBe('Motif\u00a0: incident 42 — durée\u00a0: 1\u00a0h 30\u00a0min');
    expect(shown.actions?.map((a) => a.label)).toEqual(['Approuver', 'Refuser']);
  });

  it('formats reasons and durations in both languages', () => {
    expect(APPROVALS_MESSAGES_EN.requestBody('', 45)).toBe('No reason given — for 45\u00a0min');
    expect(APPROVALS_MESSAGES_FR.requestBody('', 45)).toBe('Aucun motif donné — durée\u00a0: 45\u00a0min');
    expect(APPROVALS_MESSAGES_FR.deniedTitle('X', 'Dave')).toBe('Extraction de X refusée par Dave');
    expect(APPROVALS_MESSAGES_FR.approvedTitle('X', 'Dave')).toBe('Extraction de X approuvée par Dave');
    expect(APPROVALS_MESSAGES_FR.deniedBody('non')).toBe('Refusée\u00a0: non');
    expect(APPROVALS_MESSAGES_EN.deniedBody('')).toBe('Denied, no reason given.');
  });
});
