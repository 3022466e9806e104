/**
 * The notifier port over Electron's Notification.
 *
 * Click works everywhere (it opens the item in the window). Buttons (Approve / Deny, Extend) and
 * the inline reply (an approver's message; Electron's `hasReply`, macOS and Windows):
 *   - macOS: shown when the app is signed and its notification style is "Alerts"
 *     (NSUserNotificationAlertStyle = alert in Info.plist, set in electron-builder.yml); the first
 *     button is primary, the others appear on hover;
 *   - Windows: shown as toast buttons (Electron builds the toast; needs the AppUserModelId that
 *     main/index.ts sets);
 *   - Linux: not offered (Electron's libnotify notifications have no actions): click only, and the
 *     approver acts from the window.
 */
import type { Notification, NotificationConstructorOptions } from 'electron';
import { type NotificationRequest, type NotifierPort, REPLY_ACTION } from '../services/ports.ts';

/** Windows toast tags are limited to 64 characters; a longer id is simply not passed as the tag. */
const MAX_TAG_LENGTH = 64;

export function platformSupportsNotificationActions(platform: NodeJS.Platform): boolean {
  return platform === 'darwin' || platform === 'win32';
}

export function notificationOptions(
  request: NotificationRequest,
  platform: NodeJS.Platform,
  icon?: string,
): NotificationConstructorOptions {
  const actions =
    platformSupportsNotificationActions(platform) && request.actions?.length
      ? request.actions.map((action) => ({ type: 'button' as const, text: action.label }))
      : undefined;
  const reply =
    platformSupportsNotificationActions(platform) && request.replyPlaceholder
      ? { hasReply: true, replyPlaceholder: request.replyPlaceholder }
      : {};
  return {
    title: request.title,
    body: request.body,
    ...(request.id.length <= MAX_TAG_LENGTH && platform !== 'linux' ? { id: request.id } : {}),
    ...(actions ? { actions } : {}),
    ...reply,
    ...(icon && platform !== 'darwin' ? { icon } : {}),
  };
}

/** The action id for Electron's `action` event (by index), or null for an index we did not offer. */
export function actionIdAt(request: NotificationRequest, index: number): string | null {
  return request.actions?.[index]?.id ?? null;
}

export interface ElectronNotifierDeps {
  Notification: typeof Notification;
  platform: NodeJS.Platform;
  icon?: string;
}

export function createNotifier(deps: ElectronNotifierDeps): NotifierPort {
  // Held until closed: a Notification that is garbage-collected no longer delivers its clicks.
  const shown = new Map<string, Notification>();
  const forget = (id: string, notification: Notification) => {
    if (shown.get(id) === notification) shown.delete(id);
  };
  return {
    show(request, onAction) {
      if (!deps.Notification.isSupported()) return;
      shown.get(request.id)?.close();
      const notification = new deps.Notification(notificationOptions(request, deps.platform, deps.icon));
      notification.on('click', () => onAction('click'));
      notification.on('action', (details) => {
        const id = actionIdAt(request, details.actionIndex);
        if (id !== null) onAction(id);
      });
      notification.on('reply', (details) => onAction(REPLY_ACTION, details.reply));
      notification.on('close', () => forget(request.id, notification));
      notification.on('failed', () => forget(request.id, notification));
      shown.set(request.id, notification);
      notification.show();
    },
    close(id) {
      const notification = shown.get(id);
      if (!notification) return;
      shown.delete(id);
      notification.close();
    },
  };
}
