import { CheckoutStatus } from '../../common/checkout.ts';
import type { PamStore, PasswordChange } from '../store/pamStore.ts';
import type { CheckoutRecord } from '../store/records.ts';
import type { CheckoutService } from './checkoutService.ts';
import type { Clock } from './clock.ts';
import { EXPIRY_WARNING_MS } from './lifecycle.ts';
import type { PasswordRotator } from './passwordRotator.ts';

/**
 * Writes down what the clock has already decided: scheduled checkouts that started, active ones
 * that expired (then rotates their password if the policy says so), and the T-5 min warning.
 * Readers never wait for it: they compute the effective state themselves.
 */
export class Sweeper {
  private readonly store: PamStore;
  private readonly clock: Clock;
  private readonly checkouts: CheckoutService;
  private readonly rotator: PasswordRotator;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;

  constructor(deps: { store: PamStore; clock: Clock; checkouts: CheckoutService; rotator: PasswordRotator }) {
    this.store = deps.store;
    this.clock = deps.clock;
    this.checkouts = deps.checkouts;
    this.rotator = deps.rotator;
  }

  start(intervalMs: number): void {
    this.stop();
    this.timer = setInterval(() => void this.sweep().catch(() => undefined), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One pass; returns how many changes it wrote. Concurrent calls share one pass. */
  sweep(): Promise<number> {
    this.running ??= this.sweepOnce().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async sweepOnce(): Promise<number> {
    // One node of several sweeps at a time (the others would only lose compare-and-sets).
    if (!(await this.store.holdSweeperLease())) return 0;
    const now = this.clock.now();
    let changes = 0;
    for (let record of await this.store.listDueCheckouts(now, EXPIRY_WARNING_MS)) {
      if (
        record.status === CheckoutStatus.Granted &&
        record.scheduledStart !== null &&
        record.scheduledStart <= now
      ) {
        // Re-checks exclusivity at the start; a conflicting scheduled checkout is aborted, not started.
        const started = await this.checkouts.activateScheduled(record, now).catch(() => undefined);
        if (!started) continue;
        record = started;
        changes++;
      }
      if (record.status !== CheckoutStatus.Active || record.expiresAt === null) continue;
      if (record.expiresAt <= now) {
        const { policy } = await this.checkouts
          .credentialWithPolicy(record.credentialId)
          .catch(() => ({ policy: null }));
        const expired = await this.apply(
          record,
          { status: CheckoutStatus.Expired, checkinAt: record.expiresAt },
          'checkout.expired',
          'checkout.updated',
          now,
          // Rotated in the same commit as the expiry: a crash cannot separate them.
          policy?.rotateOnCheckin
            ? this.rotator.prepare(record.credentialId, policy, null, [record.userId])
            : undefined,
        );
        if (!expired) continue;
        changes++;
      } else if (!record.expiringNotified && record.expiresAt - EXPIRY_WARNING_MS <= now) {
        if (await this.apply(record, { expiringNotified: true }, null, 'checkout.expiring', now)) changes++;
      }
    }
    return changes;
  }

  private async apply(
    record: CheckoutRecord,
    patch: Partial<CheckoutRecord>,
    action: 'checkout.activated' | 'checkout.expired' | null,
    event: 'checkout.updated' | 'checkout.expiring',
    now: number,
    setPassword?: PasswordChange,
  ): Promise<CheckoutRecord | undefined> {
    const audience = [record.userId, ...(record.approverId ? [record.approverId] : [])];
    const result = await this.store.transitionCheckout(
      record.id,
      record.status,
      patch,
      // What was read is what it decides on: an extension since then makes this pass skip it.
      { unchanged: { expiresAt: record.expiresAt }, setPassword },
      {
        audit: action
          ? [
              {
                at: now,
                actorId: null,
                actorName: 'system',
                action,
                credentialId: record.credentialId,
                checkoutId: record.id,
              },
            ]
          : [],
        events: [
          {
            type: event,
            at: now,
            audience: event === 'checkout.expiring' ? [record.userId] : audience,
            data: undefined,
          },
        ],
      },
    );
    if (!result.ok) return undefined;
    this.checkouts.publish(result.events);
    return result.checkout;
  }
}
