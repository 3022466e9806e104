/**
 * Web permissions: a table of what the renderer may use, everything else refused. The only entry is
 * writing sanitized text to the clipboard (navigator.clipboard.writeText for a username or a URL);
 * passwords never go that way, they are copied by the main process. Reading the clipboard,
 * notifications (the main process shows them), media, geolocation, devices, openExternal, … are refused.
 */
import type { Session } from 'electron';
import { isAppUrl } from './senderValidation.ts';

export type PermissionName = Parameters<Parameters<Session['setPermissionCheckHandler']>[0] & object>[1];

export const ALLOWED_PERMISSIONS: ReadonlySet<PermissionName> = new Set<PermissionName>([
  'clipboard-sanitized-write',
]);

/** Granted only for an allowed permission asked by our own origin. */
export function isPermissionAllowed(permission: string, requestingUrl: string | undefined | null): boolean {
  return ALLOWED_PERMISSIONS.has(permission as PermissionName) && isAppUrl(requestingUrl);
}

function originUrl(origin: string): string | null {
  // Check handlers get an origin ('app://coffre'), which is itself a valid app URL.
  return origin === '' || origin === 'null' ? null : origin;
}

export function installPermissionHandlers(session: Session): void {
  session.setPermissionRequestHandler((webContents, permission, callback, details) => {
    const url = details.requestingUrl ?? webContents.getURL();
    callback(isPermissionAllowed(permission, url));
  });
  session.setPermissionCheckHandler((_webContents, permission, requestingOrigin) =>
    isPermissionAllowed(permission, originUrl(requestingOrigin)),
  );
  // HID, serial, USB, Bluetooth: no device is ever granted, and no chooser picks one by default.
  session.setDevicePermissionHandler(() => false);
  session.on('select-hid-device', (event, _details, callback) => {
    event.preventDefault();
    callback();
  });
  session.on('select-serial-port', (event, _portList, _webContents, callback) => {
    event.preventDefault();
    callback('');
  });
  session.on('select-usb-device', (event, _details, callback) => {
    event.preventDefault();
    callback();
  });
  // No setDisplayMediaRequestHandler: without one, getDisplayMedia is refused.
}
