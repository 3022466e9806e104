/**
 * `coffre://checkout/<guid>` opens that checkout, `coffre://approvals/<guid>` that pending request.
 * A deep link can come from any web page or document, so it only ever navigates: it never approves,
 * denies, checks out or copies anything, and anything but these two exact shapes is ignored.
 *
 * The parser is pure; `registerDeepLinks` wires the OS side: the default protocol client, the
 * second instance's argv (Windows, Linux) and `open-url` (macOS).
 */
import path from 'node:path';
import type { App } from 'electron';

export const DEEP_LINK_SCHEME = 'coffre';

export interface DeepLinkTarget {
  route: 'checkouts' | 'approvals';
  id: string;
}

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const ROUTES: Readonly<Record<string, DeepLinkTarget['route']>> = {
  checkout: 'checkouts',
  approvals: 'approvals',
};
const MAX_LENGTH = 200;

export function parseDeepLink(raw: unknown): DeepLinkTarget | null {
  if (typeof raw !== 'string' || raw.length > MAX_LENGTH) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== `${DEEP_LINK_SCHEME}:`) return null;
  if (url.username || url.password || url.port || url.search || url.hash) return null;
  // coffre://checkout/<id>: "checkout" parses as the host, "/<id>" as the path.
  const route = Object.hasOwn(ROUTES, url.hostname) ? ROUTES[url.hostname] : undefined;
  if (!route) return null;
  const segments = url.pathname.split('/');
  // Exactly ['', '<id>'], or ['', '<id>', ''] for a trailing slash some launchers add.
  if (
    segments.length < 2 ||
    segments.length > 3 ||
    segments[0] !== '' ||
    (segments.length === 3 && segments[2] !== '')
  ) {
    return null;
  }
  const id = segments[1] ?? '';
  if (!GUID.test(id)) return null;
  return { route, id: id.toLowerCase() };
}

/** The first coffre:// argument of a command line (Windows and Linux pass the link as an argument). */
export function deepLinkFromArgv(argv: readonly string[]): DeepLinkTarget | null {
  for (const arg of argv) {
    if (typeof arg === 'string' && arg.toLowerCase().startsWith(`${DEEP_LINK_SCHEME}:`)) {
      const target = parseDeepLink(arg);
      if (target) return target;
    }
  }
  return null;
}

export interface DeepLinkDeps {
  app: App;
  /** process.defaultApp: running as `electron .` (development), where the OS must launch electron with our path. */
  defaultApp: boolean;
  argv: readonly string[];
  /** Called with a valid target, at once or once the app is ready to take it. */
  open(target: DeepLinkTarget): void;
  /** Another launch happened (with or without a link): bring the window forward. */
  focus(): void;
}

/**
 * Call before `ready` (open-url can fire during launch on macOS). Returns the link the app was
 * started with, if any (Windows/Linux pass it in argv on first launch).
 */
export function registerDeepLinks(deps: DeepLinkDeps): DeepLinkTarget | null {
  const { app } = deps;
  if (deps.defaultApp) {
    const entry = deps.argv[1];
    if (entry) app.setAsDefaultProtocolClient(DEEP_LINK_SCHEME, process.execPath, [path.resolve(entry)]);
  } else {
    app.setAsDefaultProtocolClient(DEEP_LINK_SCHEME);
  }
  app.on('open-url', (event, url) => {
    event.preventDefault();
    const target = parseDeepLink(url);
    deps.focus();
    if (target) deps.open(target);
  });
  app.on('second-instance', (_event, argv) => {
    deps.focus();
    const target = deepLinkFromArgv(argv);
    if (target) deps.open(target);
  });
  return deepLinkFromArgv(deps.argv);
}
