/**
 * What the desktop services need from the operating system beyond the host ports of
 * client/ports.ts (clock, timers, keychain, log): the clipboard, notifications, the tray, the
 * renderer. Electron implements them in main/shell/; tests pass fakes. No service imports electron.
 */
import type { AppEvent } from '../../common/ipc.ts';

/** Asynchronous because Electron's clipboard is (since Electron 45). */
export interface ClipboardPort {
  /** `concealed`: mark the write as a password where the platform allows (clipboard managers skip it). */
  writeText(text: string, options: { concealed: boolean }): Promise<void>;
  readText(): Promise<string>;
  clear(): Promise<void>;
}

export interface NotificationAction {
  id: string;
  label: string;
}
export interface NotificationRequest {
  /** Stable id: showing the same id again replaces the earlier notification. */
  id: string;
  title: string;
  body: string;
  actions?: NotificationAction[];
  /**
   * An inline reply field with this placeholder, where the platform offers one (macOS, Windows):
   * its text comes back as `onAction(REPLY_ACTION, text)`.
   */
  replyPlaceholder?: string;
}
/** The action id of a notification's inline reply. */
export const REPLY_ACTION = 'reply';
export interface NotifierPort {
  /**
   * `onAction('click')` when the body is clicked, `onAction(actionId)` for a button,
   * `onAction(REPLY_ACTION, text)` for a reply.
   */
  show(request: NotificationRequest, onAction: (action: string, reply?: string) => void): void;
  close(id: string): void;
}

/** The tray's texts, in the user's language (main/services/i18n/). */
export interface TrayLabels {
  tooltip: string;
  open: string;
  /** `{count}` is replaced by the number of pending requests. */
  pending: string;
  noPending: string;
  /** `{count}`: the user's active checkouts. */
  checkouts: string;
  noCheckouts: string;
  /** Time left on a checkout, rounded up to the minute. */
  timeLeft(hours: number, minutes: number): string;
  expired: string;
  copyPassword: string;
  checkIn: string;
  showCheckout: string;
  /** The title of the notification that says a tray action failed. */
  actionFailed: string;
  lock: string;
  quit: string;
}

/** A checkout the tray lists: the user's own, active (not pending). */
export interface TrayCheckout {
  checkoutId: string;
  credentialId: string;
  credentialName: string;
  /** ISO time, or null for no end. */
  expiresAt: string | null;
  /** Copy password is offered (the server lets this client read passwords). */
  canCopyPassword: boolean;
}

export interface TrayPort {
  setPendingCount(count: number): void;
  /** The user's active checkouts (none while signed out or locked). */
  setCheckouts(checkouts: readonly TrayCheckout[]): void;
}

/** The renderer (and anything else) listening to app events. */
export interface EventSink {
  emit(event: AppEvent): void;
}
