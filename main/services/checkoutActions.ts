import { type Approver, type Checkout, CheckoutStatus, FINAL_STATUSES } from '../../common/checkout.ts';
import type { RequestCheckoutInput, RequestCheckoutResult } from '../../common/ipc.ts';
import type { CredentialCache } from '../cache/credentialCache.ts';
import type { EventSink } from './ports.ts';
import type { ServerCaller } from './serverCalls.ts';
import { Subscribers } from './subscribers.ts';

/** What the user does with checkouts and, as an approver, with requests. */
export class CheckoutActions {
  private readonly onRequested: (credentialId: string) => void;
  private readonly callServer: ServerCaller;
  private readonly cache: CredentialCache;
  private readonly events: EventSink;
  private readonly released = new Subscribers<[checkout: Checkout]>();
  private readonly changed = new Subscribers<[open: Checkout[]]>();
  /** What the last refresh saw: `checkouts.changed` is announced only when this differs. */
  private lastSeen = '';

  constructor(deps: {
    callServer: ServerCaller;
    cache: CredentialCache;
    events: EventSink;
    /** A request went through (the credential becomes recently used). */
    onRequested?: (credentialId: string) => void;
  }) {
    this.onRequested = deps.onRequested ?? (() => undefined);
    this.callServer = deps.callServer;
    this.cache = deps.cache;
    this.events = deps.events;
  }

  /** A checkout stopped being usable (checked in, canceled here). Returns the cleanup. */
  onReleased(listener: (checkout: Checkout) => Promise<void> | void): () => void {
    return this.released.add(listener);
  }

  /** The user's open checkouts, after each refresh (they may have changed). Returns the cleanup. */
  onChanged(listener: (open: Checkout[]) => Promise<void> | void): () => void {
    return this.changed.add(listener);
  }

  async request(input: RequestCheckoutInput): Promise<RequestCheckoutResult> {
    const { checkout, password } = await this.callServer((backend) =>
      backend.requestCheckout({
        credentialId: input.credentialId,
        ...(input.reason !== undefined ? { reason: input.reason } : {}),
        ...(input.approverId !== undefined ? { approverId: input.approverId } : {}),
        ...(input.duration !== undefined ? { duration: input.duration } : {}),
      }),
    );
    this.onRequested(input.credentialId);
    // The password is not kept: copy and reveal read it again, each read audited by the server.
    await this.refresh();
    return {
      checkout,
      passwordReady: password !== undefined || checkout.status === CheckoutStatus.Active,
    };
  }

  /** Active and pending checkouts; remembered in the cache for offline display. */
  async mine(): Promise<Checkout[]> {
    return this.refresh();
  }

  private async refresh(): Promise<Checkout[]> {
    const all = await this.callServer((backend) => backend.listMyCheckouts());
    this.cache.putCheckouts(all);
    const open = all.filter((checkout) => !FINAL_STATUSES.includes(checkout.status));
    await this.changed.notify(open);
    // A plain read that finds nothing new stays silent: the window reloads on this event, and
    // announcing every read would make its own reload announce itself again, forever.
    const seen = JSON.stringify(all.map((c) => [c.id, c.status, c.expiresAt, c.approverMessage]));
    if (seen !== this.lastSeen) {
      this.lastSeen = seen;
      this.events.emit({ type: 'checkouts.changed' });
    }
    return open;
  }

  /** Past checkouts (ended, expired, denied, canceled, aborted), newest first; from the cache offline. */
  async history(): Promise<Checkout[]> {
    let all: Checkout[];
    try {
      all = await this.callServer((backend) => backend.listMyCheckouts());
      this.cache.putCheckouts(all);
    } catch {
      all = this.cache.listCheckouts();
    }
    return all
      .filter((checkout) => FINAL_STATUSES.includes(checkout.status))
      .sort((a, b) =>
        (b.checkInDateTime ?? b.requestDateTime).localeCompare(a.checkInDateTime ?? a.requestDateTime),
      );
  }

  async extend(id: string, minutes: number): Promise<Checkout> {
    const checkout = await this.callServer((backend) => backend.extend(id, minutes));
    await this.refresh();
    return checkout;
  }

  async checkIn(id: string): Promise<Checkout> {
    const checkout = await this.callServer((backend) => backend.checkIn(id));
    await this.released.notify(checkout);
    await this.refresh();
    return checkout;
  }

  async cancel(id: string): Promise<Checkout> {
    const checkout = await this.callServer((backend) => backend.cancel(id));
    await this.released.notify(checkout);
    await this.refresh();
    return checkout;
  }

  /** Who may approve a checkout of this credential. */
  async approvers(credentialId: string): Promise<Approver[]> {
    return this.callServer((backend) => backend.listApprovers(credentialId));
  }

  async toApprove(): Promise<Checkout[]> {
    return this.callServer((backend) => backend.listToApprove());
  }

  /** `duration` (approving only): the minutes granted, when fewer than requested. */
  async decide(
    id: string,
    approve: boolean,
    message: string | undefined,
    duration?: number,
  ): Promise<Checkout> {
    const checkout = await this.callServer((backend) =>
      approve ? backend.approve(id, message, duration) : backend.deny(id, message),
    );
    const pending = await this.toApprove();
    this.events.emit({ type: 'approvals.changed', pending: pending.length });
    return checkout;
  }
}
