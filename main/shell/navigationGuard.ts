/**
 * Navigation and new windows: deny by default. A frame may only navigate within app://coffre; no
 * window is ever opened by web content. A link to an https:// host on the allow-list is handed to
 * the OS browser (shell.openExternal) after validation; anything else is dropped.
 *
 * The decisions are pure; `guardWebContents` wires them onto a WebContents passed in.
 */
import type { WebContents } from 'electron';
import { isAppUrl } from './senderValidation.ts';

/**
 * Hosts the UI may link to (opened in the OS browser). Empty until the UI has a link to show:
 * adding a host here is a deliberate, reviewed change. The PAM server itself is not reached this way.
 */
export const EXTERNAL_LINK_HOSTS: readonly string[] = [];

export interface LinkPolicy {
  /** Exact host names (lowercase); no wildcard, no subdomain matching. */
  allowedHosts: readonly string[];
}

/** The URL to open in the OS browser, normalised, or null when it is not allowed. */
export function externalLinkTarget(url: string, policy: LinkPolicy): string | null {
  if (url.length > 2048) return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'https:') return null;
  if (parsed.username !== '' || parsed.password !== '') return null;
  if (parsed.port !== '') return null;
  if (!policy.allowedHosts.includes(parsed.hostname.toLowerCase())) return null;
  return parsed.href;
}

export type NavigationDecision = { action: 'allow' } | { action: 'deny'; openExternal: string | null };

/** will-navigate / will-redirect / will-frame-navigate: stay on app://coffre. */
export function decideNavigation(url: string, policy: LinkPolicy): NavigationDecision {
  if (isAppUrl(url)) return { action: 'allow' };
  return { action: 'deny', openExternal: externalLinkTarget(url, policy) };
}

/** setWindowOpenHandler: never a new Electron window, even for our own origin. */
export function decideWindowOpen(
  url: string,
  policy: LinkPolicy,
): { action: 'deny'; openExternal: string | null } {
  return { action: 'deny', openExternal: isAppUrl(url) ? null : externalLinkTarget(url, policy) };
}

export interface GuardDeps {
  policy: LinkPolicy;
  openExternal(url: string): Promise<void>;
  /** Refusals are logged without the full URL's query (it could carry a token). */
  onRefused?(what: string, origin: string): void;
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'invalid-url';
  }
}

/** Applies the policy to one WebContents (called from `web-contents-created` for every one). */
export function guardWebContents(contents: WebContents, deps: GuardDeps): void {
  const openAllowed = (target: string | null) => {
    if (target !== null) void deps.openExternal(target).catch(() => undefined);
  };
  const onNavigate = (what: string) => (event: { url: string; preventDefault(): void }) => {
    const decision = decideNavigation(event.url, deps.policy);
    if (decision.action === 'allow') return;
    event.preventDefault();
    deps.onRefused?.(what, originOf(event.url));
    openAllowed(decision.openExternal);
  };
  contents.on('will-navigate', onNavigate('navigation'));
  contents.on('will-frame-navigate', onNavigate('frame navigation'));
  contents.on('will-redirect', onNavigate('redirect'));
  contents.setWindowOpenHandler(({ url }) => {
    const decision = decideWindowOpen(url, deps.policy);
    deps.onRefused?.('new window', originOf(url));
    openAllowed(decision.openExternal);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    deps.onRefused?.('webview', 'n/a');
  });
  // Without a handler Chromium would pick the first Bluetooth device; cancel instead.
  contents.on('select-bluetooth-device', (event, _devices, callback) => {
    event.preventDefault();
    callback('');
  });
}
