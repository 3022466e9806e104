import type { PamBackend, SubscribeOptions } from '../../client/pamBackend.ts';
import { type Checkout, CheckoutStatus } from '../../common/checkout.ts';
import type { PamEvent } from '../../common/events.ts';
import { type EventSink, type NotifierPort, REPLY_ACTION, type TrayPort } from './ports.ts';

/** Notification texts, in the user's language (main/services/i18n/). */
export interface ApprovalsMessages {
  /** To an approver: "<requester> requests <credential>". */
  requestTitle(requester: string, credentialName: string): string;
  /** `reason` may be empty; `durationMinutes` is the requested duration. */
  requestBody(reason: string, durationMinutes: number): string;
  approveAction: string;
  denyAction: string;
  /** The request notification's reply field: a message to send with the decision. */
  replyPlaceholder: string;
  /** After a reply: the message, and the question which decision to send it with. */
  messageBody(message: string): string;
  approveWithMessage: string;
  denyWithMessage: string;
  /** To a requester. `approver` falls back to `someApprover` when the server does not say. */
  approvedTitle(credentialName: string, approver: string): string;
  approvedBody(approverMessage: string): string;
  deniedTitle(credentialName: string, approver: string): string;
  deniedBody(approverMessage: string): string;
  /** Stands for a requester or approver the server did not name. */
  someone: string;
}

export const APPROVE_ACTION = 'approve';
export const DENY_ACTION = 'deny';

export function requestNotificationId(checkoutId: string): string {
  return `approval:${checkoutId}`;
}
export function decisionNotificationId(checkoutId: string): string {
  return `checkout:${checkoutId}`;
}

export interface WatchedUser {
  id: string;
  roles: readonly string[];
}

export interface ApprovalsWatcherDeps {
  notifier: NotifierPort;
  tray: Pick<TrayPort, 'setPendingCount'>;
  events: EventSink;
  /** An object, or a function read at each notification (follows a language change). */
  messages: ApprovalsMessages | (() => ApprovalsMessages);
  /** The approver clicked a request notification: show it in the queue. */
  onOpen: (checkoutId: string) => void;
  /** Approve/Deny from a notification failed (the app shows a toast). Never carries a secret. */
  onError: (error: unknown) => void;
  /** The requester clicked an approved/denied notification. */
  onOpenCheckout?: (checkoutId: string) => void;
  /** Passed to `backend.subscribe` as is (it polls by itself where the server has no events). */
  subscribeOptions?: SubscribeOptions;
}

interface WatchSession {
  backend: PamBackend;
  user: WatchedUser;
  approver: boolean;
  unsubscribe: () => void;
}

const APPROVED_STATUSES: readonly CheckoutStatus[] = [CheckoutStatus.Active, CheckoutStatus.Granted];

/**
 * Follows the signed-in user's server events. As an approver: the queue of requests awaiting
 * them (tray count, `approvals.changed`) and a notification, with Approve/Deny, per new request.
 * As a requester: a notification when their request is approved or denied, and
 * `checkouts.changed` whenever one of their checkouts changes.
 */
export class ApprovalsWatcher {
  private readonly notifier: NotifierPort;
  private readonly tray: Pick<TrayPort, 'setPendingCount'>;
  private readonly events: EventSink;
  private readonly messages: () => ApprovalsMessages;
  private readonly onOpen: (checkoutId: string) => void;
  private readonly onError: (error: unknown) => void;
  private readonly onOpenCheckout: (checkoutId: string) => void;
  private readonly subscribeOptions: SubscribeOptions | undefined;

  /** Bumped by start/stop: work begun for an earlier session is dropped when it completes. */
  private generation = 0;
  private session: WatchSession | null = null;
  private readonly queue = new Map<string, Checkout>();
  /** Requests already announced, so a replayed event does not announce them twice. */
  private readonly announced = new Set<string>();
  /** Last known status of the user's own checkouts, to notify on transitions only. */
  private readonly ownStatus = new Map<string, CheckoutStatus>();
  /** Queue changes seen while a `listToApprove` is in flight (applied over its answer). */
  private readonly inFlightChanges = new Set<Map<string, Checkout | null>>();
  private refreshSeq = 0;
  private appliedRefreshSeq = 0;
  private readonly work = new Set<Promise<unknown>>();

  constructor(deps: ApprovalsWatcherDeps) {
    this.notifier = deps.notifier;
    this.tray = deps.tray;
    this.events = deps.events;
    const messages = deps.messages;
    this.messages = typeof messages === 'function' ? messages : () => messages;
    this.onOpen = deps.onOpen;
    this.onError = deps.onError;
    this.onOpenCheckout = deps.onOpenCheckout ?? (() => undefined);
    this.subscribeOptions = deps.subscribeOptions;
  }

  /** Starts watching for `user` (stopping any earlier session). Resolves once the first lists are in. */
  start(backend: PamBackend, user: WatchedUser): Promise<void> {
    this.stop();
    const generation = ++this.generation;
    const approver = user.roles.includes('approver');
    const session: WatchSession = { backend, user, approver, unsubscribe: () => undefined };
    this.session = session;
    session.unsubscribe = backend.subscribe((event) => {
      if (generation === this.generation) this.handle(event);
    }, this.subscribeOptions);
    const loads = [this.track(this.seedOwnCheckouts(generation))];
    if (approver) loads.push(this.track(this.refresh()));
    return Promise.all(loads).then(() => undefined);
  }

  /** Stops watching (sign-out, quit): unsubscribes, withdraws request notifications, zeroes the tray. */
  stop(): void {
    const session = this.session;
    if (!session) return;
    this.generation++;
    this.session = null;
    session.unsubscribe();
    for (const id of this.queue.keys()) this.notifier.close(requestNotificationId(id));
    const hadQueue = session.approver || this.queue.size > 0;
    this.queue.clear();
    this.announced.clear();
    this.ownStatus.clear();
    this.inFlightChanges.clear();
    if (hadQueue) this.publishQueue();
  }

  /** The requests awaiting the user, oldest first. */
  pending(): Checkout[] {
    return [...this.queue.values()].sort((a, b) => a.requestDateTime.localeCompare(b.requestDateTime));
  }

  /** Reloads the queue from the server (e.g. when the approvals screen opens). */
  refresh(): Promise<void> {
    const session = this.session;
    if (!session?.approver) return Promise.resolve();
    const generation = this.generation;
    const seq = ++this.refreshSeq;
    const changes = new Map<string, Checkout | null>();
    this.inFlightChanges.add(changes);
    return session.backend.listToApprove().then(
      (list) => {
        this.inFlightChanges.delete(changes);
        if (generation !== this.generation || seq < this.appliedRefreshSeq) return;
        this.appliedRefreshSeq = seq;
        const next = new Map<string, Checkout>();
        for (const checkout of list)
          if (checkout.status === CheckoutStatus.Pending) next.set(checkout.id, checkout);
        for (const [id, checkout] of changes) {
          if (checkout) next.set(id, checkout);
          else next.delete(id);
        }
        for (const id of this.queue.keys()) if (!next.has(id)) this.notifier.close(requestNotificationId(id));
        // Requests already waiting when we look were not missed: the tray count shows them.
        for (const id of next.keys()) this.announced.add(id);
        this.queue.clear();
        for (const [id, checkout] of next) this.queue.set(id, checkout);
        this.publishQueue();
      },
      () => {
        // Unreachable server: keep the queue we have; the next event or refresh corrects it.
        this.inFlightChanges.delete(changes);
      },
    );
  }

  /** Settles when everything started so far (loads, decisions) has completed; for tests and shutdown. */
  async whenIdle(): Promise<void> {
    while (this.work.size > 0) await Promise.allSettled([...this.work]);
  }

  private track<T>(promise: Promise<T>): Promise<T> {
    const tracked = promise.finally(() => this.work.delete(tracked));
    this.work.add(tracked);
    return tracked;
  }

  private async seedOwnCheckouts(generation: number): Promise<void> {
    const session = this.session;
    if (!session) return;
    try {
      const mine = await session.backend.listMyCheckouts({ activeAndPending: true });
      if (generation !== this.generation) return;
      // Events that arrived meanwhile are newer than this list: they win.
      for (const checkout of mine)
        if (!this.ownStatus.has(checkout.id)) this.ownStatus.set(checkout.id, checkout.status);
    } catch {
      // Without it an approval is still announced when seen pending first; nothing to tell the user.
    }
  }

  private handle(event: PamEvent): void {
    const session = this.session;
    if (!session || event.type === 'credential.rotated') return;
    const checkout = event.data;
    if (session.approver) this.handleAsApprover(event.type, checkout, session.user);
    if (checkout.userID === session.user.id) this.handleAsRequester(event.type, checkout, session.user);
  }

  private handleAsApprover(type: PamEvent['type'], checkout: Checkout, user: WatchedUser): void {
    const forMe = checkout.approverID === user.id;
    if (checkout.status === CheckoutStatus.Pending && forMe) {
      const isNew = !this.queue.has(checkout.id);
      this.setQueued(checkout.id, checkout);
      if (type === 'checkout.created' && isNew && !this.announced.has(checkout.id)) this.announce(checkout);
    } else if (checkout.status !== CheckoutStatus.Pending && (this.queue.has(checkout.id) || forMe)) {
      // Decided (here or by another approver) or canceled by the requester.
      this.setQueued(checkout.id, null);
    }
  }

  private setQueued(id: string, checkout: Checkout | null): void {
    for (const changes of this.inFlightChanges) changes.set(id, checkout);
    if (checkout) {
      const known = this.queue.get(id);
      this.queue.set(id, checkout);
      if (!known || JSON.stringify(known) !== JSON.stringify(checkout)) this.publishQueue();
    } else if (this.queue.delete(id)) {
      this.notifier.close(requestNotificationId(id));
      this.publishQueue();
    }
  }

  private announce(checkout: Checkout): void {
    this.announced.add(checkout.id);
    const messages = this.messages();
    const generation = this.generation;
    this.notifier.show(
      {
        id: requestNotificationId(checkout.id),
        title: messages.requestTitle(checkout.username || messages.someone, checkout.credentialName),
        body: messages.requestBody(checkout.reason, checkout.duration),
        actions: [
          { id: APPROVE_ACTION, label: messages.approveAction },
          { id: DENY_ACTION, label: messages.denyAction },
        ],
        replyPlaceholder: messages.replyPlaceholder,
      },
      (action, reply) => {
        if (generation !== this.generation) return;
        if (action === APPROVE_ACTION || action === DENY_ACTION)
          this.decide(checkout.id, action === APPROVE_ACTION);
        else if (action === REPLY_ACTION && reply?.trim()) this.askWithMessage(checkout, reply.trim());
        else if (action === 'click') this.onOpen(checkout.id);
      },
    );
  }

  /**
   * A reply is the message the decision carries; which decision, the approver says next: the
   * notification comes back with the message and "Approve with message" / "Deny with message".
   */
  private askWithMessage(checkout: Checkout, message: string): void {
    if (!this.queue.has(checkout.id)) return;
    const messages = this.messages();
    const generation = this.generation;
    this.notifier.show(
      {
        id: requestNotificationId(checkout.id),
        title: messages.requestTitle(checkout.username || messages.someone, checkout.credentialName),
        body: messages.messageBody(message),
        actions: [
          { id: APPROVE_ACTION, label: messages.approveWithMessage },
          { id: DENY_ACTION, label: messages.denyWithMessage },
        ],
      },
      (action) => {
        if (generation !== this.generation) return;
        if (action === APPROVE_ACTION || action === DENY_ACTION)
          this.decide(checkout.id, action === APPROVE_ACTION, message);
        else if (action === 'click') this.onOpen(checkout.id);
      },
    );
  }

  private decide(id: string, approve: boolean, message?: string): void {
    const session = this.session;
    if (!session) return;
    const generation = this.generation;
    const decision = approve ? session.backend.approve(id, message) : session.backend.deny(id, message);
    this.track(
      decision.then(
        (decided) => {
          if (generation !== this.generation) return;
          this.handleAsApprover('checkout.updated', decided, session.user);
          return this.track(this.refresh());
        },
        (error: unknown) => {
          this.onError(error);
          // Often "already decided" (409): the refreshed queue shows what happened.
          if (generation === this.generation) return this.track(this.refresh());
        },
      ),
    );
  }

  private handleAsRequester(type: PamEvent['type'], checkout: Checkout, user: WatchedUser): void {
    const previous = this.ownStatus.get(checkout.id);
    this.ownStatus.set(checkout.id, checkout.status);
    if (type === 'checkout.updated' && previous !== checkout.status) {
      const messages = this.messages();
      const approver = checkout.approverName || messages.someone;
      if (APPROVED_STATUSES.includes(checkout.status) && this.wasAwaitingApproval(previous, checkout, user)) {
        this.notifyRequester(
          checkout,
          messages.approvedTitle(checkout.credentialName, approver),
          messages.approvedBody(checkout.approverMessage),
        );
      } else if (checkout.status === CheckoutStatus.Denied) {
        this.notifyRequester(
          checkout,
          messages.deniedTitle(checkout.credentialName, approver),
          messages.deniedBody(checkout.approverMessage),
        );
      }
    }
    this.events.emit({ type: 'checkouts.changed' });
  }

  /**
   * Active/Granted after Pending is an approval; Active after Granted (scheduled start) or an
   * extension is not. When the earlier status is unknown, only a decision by someone else counts.
   */
  private wasAwaitingApproval(
    previous: CheckoutStatus | undefined,
    checkout: Checkout,
    user: WatchedUser,
  ): boolean {
    if (previous === CheckoutStatus.Pending) return true;
    return previous === undefined && checkout.approverID !== null && checkout.approverID !== user.id;
  }

  private notifyRequester(checkout: Checkout, title: string, body: string): void {
    const generation = this.generation;
    this.notifier.show({ id: decisionNotificationId(checkout.id), title, body }, (action) => {
      if (generation === this.generation && action === 'click') this.onOpenCheckout(checkout.id);
    });
  }

  private publishQueue(): void {
    this.tray.setPendingCount(this.queue.size);
    this.events.emit({ type: 'approvals.changed', pending: this.queue.size });
  }
}
