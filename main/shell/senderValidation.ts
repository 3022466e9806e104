/**
 * Who may talk to the IPC router: a frame showing our own app:// origin, nothing else. A frame
 * that navigated elsewhere (it should not be able to: see navigationGuard), an iframe from another
 * origin, devtools, a file:// page or a frame already gone (url undefined) is refused.
 */
import { APP_HOST, APP_SCHEME } from './appProtocol.ts';

export function isAppUrl(url: string | undefined | null): boolean {
  if (typeof url !== 'string' || url === '') return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return (
    parsed.protocol === `${APP_SCHEME}:` &&
    parsed.hostname === APP_HOST &&
    parsed.port === '' &&
    parsed.username === '' &&
    parsed.password === ''
  );
}

/** The router's `isTrustedSender`: the sender frame's URL must be on app://coffre. */
export function isTrustedSender(url: string | undefined): boolean {
  return isAppUrl(url);
}
