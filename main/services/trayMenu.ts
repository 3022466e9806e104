/**
 * What the tray menu holds (issue 15, item 8), as plain data the shell turns into Electron's menu:
 * open the window; the user's active checkouts, each with its time left and Copy password / Check
 * in; the approvals waiting; lock; quit. Pure, so the texts and their order are tested without
 * Electron; every label comes from the main process's catalogue in the app's language.
 */
import type { Checkout } from '../../common/checkout.ts';
import { isActive } from '../../common/credentialState.ts';
import type { TrayCheckout, TrayLabels } from './ports.ts';

export type { TrayCheckout };

/** The user's open checkouts as the tray lists them: the active ones, soonest to end first. */
export function trayCheckouts(open: readonly Checkout[], canCopyPassword: boolean): TrayCheckout[] {
  return open
    .filter((checkout) => isActive(checkout))
    .sort((a, b) => (a.expiresAt ?? '\uffff').localeCompare(b.expiresAt ?? '\uffff'))
    .map((checkout) => ({
      checkoutId: checkout.id,
      credentialId: checkout.credentialID,
      credentialName: checkout.credentialName,
      expiresAt: checkout.expiresAt,
      canCopyPassword,
    }));
}

export type TrayCommand =
  | { kind: 'open' }
  | { kind: 'openPending' }
  | { kind: 'openCheckout'; checkoutId: string }
  | { kind: 'copyPassword'; credentialId: string }
  | { kind: 'checkIn'; checkoutId: string }
  | { kind: 'lock' }
  | { kind: 'quit' };

export type TrayEntry =
  | { type: 'item'; id: string; label: string; enabled: boolean; command?: TrayCommand }
  | { type: 'submenu'; id: string; label: string; entries: TrayEntry[] }
  | { type: 'separator' };

export interface TrayState {
  pendingCount: number;
  checkouts: readonly TrayCheckout[];
  /** Wall-clock ms, for the time left. */
  now: number;
}

/** A count that makes sense to show: a whole number, 0 for anything else. */
export function normalisedCount(count: number): number {
  return Number.isFinite(count) && count > 0 ? Math.floor(count) : 0;
}

/** "25 min left", "1 h 05 left" (rounded up to the minute), "expired", or "" with no end. */
export function timeLeftText(expiresAt: string | null, now: number, labels: TrayLabels): string {
  if (!expiresAt) return '';
  const ms = Date.parse(expiresAt) - now;
  if (!Number.isFinite(ms)) return '';
  if (ms <= 0) return labels.expired;
  const minutes = Math.ceil(ms / 60_000);
  return labels.timeLeft(Math.floor(minutes / 60), minutes % 60);
}

export function trayMenuModel(state: TrayState, labels: TrayLabels): TrayEntry[] {
  const count = normalisedCount(state.pendingCount);
  return [
    { type: 'item', id: 'open', label: labels.open, enabled: true, command: { kind: 'open' } },
    { type: 'separator' },
    ...checkoutEntries(state, labels),
    { type: 'separator' },
    {
      type: 'item',
      id: 'pending',
      label: count > 0 ? labels.pending.replace('{count}', String(count)) : labels.noPending,
      enabled: count > 0,
      command: { kind: 'openPending' },
    },
    { type: 'separator' },
    { type: 'item', id: 'lock', label: labels.lock, enabled: true, command: { kind: 'lock' } },
    { type: 'separator' },
    { type: 'item', id: 'quit', label: labels.quit, enabled: true, command: { kind: 'quit' } },
  ];
}

/** A heading, then one submenu per checkout ("Oracle SYS — 25 min left") with its actions. */
function checkoutEntries(state: TrayState, labels: TrayLabels): TrayEntry[] {
  if (state.checkouts.length === 0) {
    return [{ type: 'item', id: 'checkouts', label: labels.noCheckouts, enabled: false }];
  }
  const heading: TrayEntry = {
    type: 'item',
    id: 'checkouts',
    label: labels.checkouts.replace('{count}', String(state.checkouts.length)),
    enabled: false,
  };
  return [
    heading,
    ...state.checkouts.map((checkout): TrayEntry => {
      const left = timeLeftText(checkout.expiresAt, state.now, labels);
      const actions: TrayEntry[] = [];
      if (checkout.canCopyPassword) {
        actions.push({
          type: 'item',
          id: `copy:${checkout.checkoutId}`,
          label: labels.copyPassword,
          enabled: true,
          command: { kind: 'copyPassword', credentialId: checkout.credentialId },
        });
      }
      actions.push(
        {
          type: 'item',
          id: `checkin:${checkout.checkoutId}`,
          label: labels.checkIn,
          enabled: true,
          command: { kind: 'checkIn', checkoutId: checkout.checkoutId },
        },
        { type: 'separator' },
        {
          type: 'item',
          id: `show:${checkout.checkoutId}`,
          label: labels.showCheckout,
          enabled: true,
          command: { kind: 'openCheckout', checkoutId: checkout.checkoutId },
        },
      );
      return {
        type: 'submenu',
        id: `checkout:${checkout.checkoutId}`,
        label: left ? `${checkout.credentialName} — ${left}` : checkout.credentialName,
        entries: actions,
      };
    }),
  ];
}

export function trayTooltip(pendingCount: number, labels: TrayLabels): string {
  const count = normalisedCount(pendingCount);
  return count > 0
    ? `${labels.tooltip} — ${labels.pending.replace('{count}', String(count))}`
    : labels.tooltip;
}

/** macOS shows text next to the menu-bar icon: the count, or nothing. */
export function trayTitle(pendingCount: number): string {
  const count = normalisedCount(pendingCount);
  return count > 0 ? String(count) : '';
}
