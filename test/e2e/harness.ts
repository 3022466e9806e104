/**
 * The e2e harness of ARCHITECTURE.md ("Testing"): the real renderer build in Debian's Chromium
 * (driven by playwright-core), `window.coffre` forwarded through `exposeBinding` to the real
 * main-process router and services (`createDesktopApp`), which talk to a real reference server
 * with the demo data. Only BrowserWindow/ipcMain are replaced:
 *
 * - the renderer is served from `out/renderer` by `context.route` on a fake secure origin
 *   (https://app.coffre.test), with the app protocol's own path resolution and headers (CSP
 *   included); every other request the page makes is refused and recorded;
 * - `ipcMain.handle` becomes a binding: the sender frame's URL goes to the router, whose
 *   `isTrustedSender` accepts exactly that origin;
 * - `webContents.send` becomes `page.evaluate` into the listener registry of the init script
 *   (test/e2e/bridge/preload.ts, bundled with rolldown from the same `buildCoffreApi` the preload uses).
 *
 * OS ports are fakes: an in-memory recording clipboard (chosen over xclip under Xvfb for
 * determinism: the assertions read what was written and whether it was cleared, with no X server
 * or other process involved), a recording notifier, a reversible secret box, a tray recorder.
 * One clock, real time plus an offset, is shared by the server and every desktop app, so a test
 * can jump over an expiry as a laptop waking from sleep would.
 *
 * Each simulated user is a browser context with its own `createDesktopApp` (own data directory).
 * Framework-free (no vitest import): bench/renderer uses it too.
 */
import fs from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import type { Browser, BrowserContext, Page, Route } from 'playwright-core';
import { chromium } from 'playwright-core';
import { INTEGRATED_SIGN_IN } from '../../client/authSession.ts';
import { createPamBackend } from '../../client/createPamBackend.ts';
import type { CreatePamBackendOptions, FetchLike, PamBackend } from '../../client/pamBackend.ts';
import type { AppEvent, IpcError } from '../../common/ipc.ts';
import { createLogger as createDesktopLogger } from '../../common/logger.ts';
import { createDesktopApp, type DesktopApp } from '../../main/app/desktopApp.ts';
import { appResponseHeaders, resolveAppRequest } from '../../main/shell/appProtocol.ts';
import { createLogger } from '../../server/logger.ts';
import { type RunningServer, startServer } from '../../server/startServer.ts';
import { type FakeClipboard, fakeDesktopPorts, type ShownNotification } from '../support/fakes.ts';
import { type ApiResponse, apiRequest } from '../support/testServer.ts';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** out/renderer, as Electron loads it; COFFRE_E2E_RENDERER_DIR points elsewhere (a build under study). */
export const RENDERER_DIR = process.env.COFFRE_E2E_RENDERER_DIR ?? path.join(ROOT, 'out', 'renderer');
/** The origin the renderer is served from: https, so the page is a secure context like app://. */
export const APP_ORIGIN = 'https://app.coffre.test';
export const APP_URL = `${APP_ORIGIN}/index.html`;
export const DEMO_PASSWORD = 'coffre-demo';
/**
 * The server and every simulated desktop log at this level into files of their data directories
 * (debug unless COFFRE_E2E_LOG_LEVEL says otherwise), so the secret-hygiene checks read what a
 * support bundle would hold.
 */
export const E2E_LOG_LEVEL = process.env.COFFRE_E2E_LOG_LEVEL ?? 'debug';

/** A log file written synchronously: a check right after a call reads every line of it. */
const logFile = (file: string) => pino.destination({ dest: file, mkdir: true, sync: true });

export const CHROMIUM_PATH = process.env.COFFRE_E2E_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The router's sender check in the harness: this origin, nothing else (no other host, port, scheme). */
export function isTrustedE2eSender(url: string | undefined): boolean {
  if (typeof url !== 'string' || url === '') return false;
  try {
    const parsed = new URL(url);
    return parsed.origin === APP_ORIGIN && parsed.username === '' && parsed.password === '';
  } catch {
    return false;
  }
}

// ── Renderer build and bridge bundle ────────────────────────────────────────────────────────────

/** Builds the renderer into out/renderer with its own Vite config (what Electron loads). */
export async function buildRenderer(): Promise<void> {
  const { build } = await import('vite');
  await build({
    configFile: path.join(ROOT, 'renderer', 'vite.config.ts'),
    logLevel: 'warn',
    build: { reportCompressedSize: false },
  });
  if (!fs.existsSync(path.join(RENDERER_DIR, 'index.html'))) {
    throw new Error(`The renderer build left no ${RENDERER_DIR}/index.html.`);
  }
}

let bridgeBundle: Promise<string> | null = null;

/** test/e2e/bridge/preload.ts as one IIFE, the page init script. */
export function bridgeScript(): Promise<string> {
  bridgeBundle ??= (async () => {
    const { rolldown } = await import('rolldown');
    const bundle = await rolldown({
      input: fileURLToPath(new URL('./bridge/preload.ts', import.meta.url)),
      platform: 'browser',
      cwd: ROOT,
      logLevel: 'warn',
    });
    try {
      const { output } = await bundle.generate({ format: 'iife', minify: true });
      const chunk = output[0];
      if (chunk?.type !== 'chunk') throw new Error('rolldown produced no chunk for the bridge');
      return chunk.code;
    } finally {
      await bundle.close();
    }
  })();
  return bridgeBundle;
}

// ── Browser ─────────────────────────────────────────────────────────────────────────────────────

export function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `No Chromium at ${CHROMIUM_PATH}: install Debian's chromium (apt-get install chromium) or set COFFRE_E2E_CHROMIUM.`,
    );
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}

// ── Clock, server ───────────────────────────────────────────────────────────────────────────────

/** Real time plus an offset a test can move forward (a sleep and wake-up, seen by every party). */
export class SharedClock {
  offsetMs = 0;
  now = (): number => Date.now() + this.offsetMs;
  advance(ms: number): void {
    this.offsetMs += ms;
  }
}

export interface ApiSession {
  token: string;
  userId: string;
  request(method: string, url: string, body?: unknown): Promise<ApiResponse>;
}

export interface E2eServer extends RunningServer {
  dataDir: string;
  /** The server's log (pino, JSON lines) at E2E_LOG_LEVEL. */
  logFile: string;
  /** Every token handed out through `as()`: secrets the hygiene checks look for. */
  tokens: string[];
  /** Logs in over the HTTP API as a demo user: for test setup and cross-checks, never for the UI. */
  as(username: string): Promise<ApiSession>;
  stop(): Promise<void>;
}

export async function startE2eServer(clock: SharedClock): Promise<E2eServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'coffre-e2e-server-'));
  const serverLog = path.join(dataDir, 'logs', 'server.log');
  const tokens: string[] = [];
  const server = await startServer({
    dataDir,
    host: '127.0.0.1',
    port: 0,
    demo: true,
    clock,
    // The tests sweep by hand after moving the clock: no timer races the assertions.
    sweepIntervalMs: 0,
    logger: createLogger({ level: E2E_LOG_LEVEL, destination: logFile(serverLog) }),
    masterKeyEnv: undefined,
  });
  return {
    ...server,
    dataDir,
    logFile: serverLog,
    tokens,
    async as(username) {
      const login = await apiRequest(server.url, 'POST', '/api/auth/login', {
        username,
        password: DEMO_PASSWORD,
      });
      if (login.status !== 200) throw new Error(`login ${username}: ${login.status} ${login.text}`);
      const token = login.body.tokenId as string;
      tokens.push(token);
      return {
        token,
        userId: login.body.user.id as string,
        request: (method, url, body) => apiRequest(server.url, method, url, body, { tokenId: token }),
      };
    },
    async stop() {
      await server.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

// ── Simulated users ─────────────────────────────────────────────────────────────────────────────

export interface UserOptions {
  /** For messages: 'alice', 'bob light fr'… */
  label: string;
  /** navigator.language in the page and the OS locale of the main process. */
  locale?: string;
  colorScheme?: 'light' | 'dark';
  viewport?: { width: number; height: number };
  timezoneId?: string;
  /** Replaces the HTTP backend (the benchmark pads the credential list). */
  createBackend?: (options: CreatePamBackendOptions) => PamBackend;
  /** Pass no demo server URL to the app (the sign-in form then starts empty). */
  noDemoServer?: boolean;
  /** The shell's Windows sign-in for a server (absent: not offered, as on a machine without one). */
  integratedFetch?: (serverUrl: string) => FetchLike;
}

export interface E2eUser {
  label: string;
  context: BrowserContext;
  page: Page;
  app: DesktopApp;
  dataDir: string;
  /** Every AppEvent the main process emitted, in order. */
  events: AppEvent[];
  clipboard: FakeClipboard;
  notifications: ShownNotification[];
  trayCounts: number[];
  /** Requests the page made to anything but the app origin (refused). */
  strayRequests: string[];
  /** Uncaught exceptions and console errors in the page. */
  pageErrors: string[];
  /** Router calls refused or failed as 'internal' (a bug) in the main process. */
  internalErrors: string[];
  /** Every error envelope the router returned to the page, as the page received it. */
  ipcErrors: Array<{ channel: string; error: IpcError }>;
  /** Every password the main process handed to the page (`password:reveal`). */
  revealed: string[];
  /** Every token this user's backends received (sign-in, unlock). */
  tokens: string[];
  /** This desktop's log (pino, JSON lines) at E2E_LOG_LEVEL, under `dataDir`. */
  logFile: string;
  /** Loads the app (index.html) and waits until it has left its "starting" state. */
  open(): Promise<Page>;
  close(): Promise<void>;
}

export interface WorldOptions {
  /** Skip the server (the bench may pass its own). */
  server?: E2eServer;
}

export interface E2eWorld {
  browser: Browser;
  server: E2eServer;
  clock: SharedClock;
  users: E2eUser[];
  user(options: UserOptions): Promise<E2eUser>;
  /** Sweeps the server (expiries) and tells every app the clock jumped (`resumed`). */
  wakeAll(): Promise<void>;
  close(): Promise<void>;
}

export async function startWorld(options: WorldOptions & { browser?: Browser } = {}): Promise<E2eWorld> {
  const clock = new SharedClock();
  const [browser, server, script] = await Promise.all([
    options.browser ?? launchBrowser(),
    options.server ?? startE2eServer(clock),
    bridgeScript(),
  ]);
  const ownBrowser = !options.browser;
  const users: E2eUser[] = [];
  const world: E2eWorld = {
    browser,
    server,
    clock,
    users,
    async user(userOptions) {
      const user = await openUser(browser, server, clock, script, userOptions);
      users.push(user);
      return user;
    },
    async wakeAll() {
      await server.ctx.sweeper.sweep();
      for (const user of users) user.app.resumed();
    },
    async close() {
      for (const user of users.splice(0)) await user.close().catch(() => undefined);
      if (ownBrowser) await browser.close().catch(() => undefined);
      if (!options.server) await server.stop();
    },
  };
  return world;
}

async function serveRenderer(route: Route, strays: string[]): Promise<void> {
  const url = route.request().url();
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    strays.push(url);
    return route.abort('blockedbyclient');
  }
  if (parsed.origin !== APP_ORIGIN) {
    // data: and blob: URLs never reach route handlers; anything here would leave the machine.
    strays.push(url);
    return route.abort('blockedbyclient');
  }
  // The app protocol's own resolution: same refusals (.., encoded separators), same headers.
  const resolved = resolveAppRequest(`app://coffre${parsed.pathname}`, RENDERER_DIR);
  if (!resolved.ok) {
    return route.fulfill({
      status: resolved.status,
      headers: appResponseHeaders('text/plain; charset=utf-8'),
      body: resolved.reason,
    });
  }
  try {
    const body = await readFile(resolved.file);
    return route.fulfill({ status: 200, headers: appResponseHeaders(resolved.contentType), body });
  } catch {
    return route.fulfill({
      status: 404,
      headers: appResponseHeaders('text/plain; charset=utf-8'),
      body: 'not found',
    });
  }
}

async function openUser(
  browser: Browser,
  server: E2eServer,
  clock: SharedClock,
  script: string,
  options: UserOptions,
): Promise<E2eUser> {
  const locale = options.locale ?? 'en-US';
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'coffre-e2e-desktop-'));
  const events: AppEvent[] = [];
  const strayRequests: string[] = [];
  const pageErrors: string[] = [];
  const internalErrors: string[] = [];
  const ipcErrors: E2eUser['ipcErrors'] = [];
  const revealed: string[] = [];
  const tokens: string[] = [];
  const desktopLog = path.join(dataDir, 'logs', 'coffre.log');

  // The real backend, with each token it receives noted for the hygiene checks.
  const createBackend = (backendOptions: CreatePamBackendOptions): PamBackend => {
    const backend = (options.createBackend ?? createPamBackend)(backendOptions);
    const login = backend.login.bind(backend);
    backend.login = async (username, password) => {
      const result = await login(username, password);
      const token = backend.session().token;
      // A Windows sign-in holds a marker, not a secret: the OS's credentials never reach the app.
      if (token && token !== INTEGRATED_SIGN_IN) tokens.push(token);
      return result;
    };
    return backend;
  };

  // webContents.send: queued per page and delivered in order, one evaluate per batch.
  let context: BrowserContext | null = null;
  const outbox = new Map<Page, { queue: AppEvent[]; flushing: boolean }>();
  const flush = async (page: Page) => {
    const box = outbox.get(page);
    if (!box || box.flushing) return;
    box.flushing = true;
    try {
      while (box.queue.length > 0) {
        const batch = box.queue.splice(0);
        await page
          .evaluate((events) => (globalThis as any).__coffreE2eDeliver?.(events), batch)
          .catch(() => undefined); // the page is navigating or closed: Electron drops it too
      }
    } finally {
      box.flushing = false;
    }
  };
  const deliver = (event: AppEvent) => {
    if (!context) return;
    for (const page of context.pages()) {
      if (page.isClosed()) continue;
      let box = outbox.get(page);
      if (!box) {
        box = { queue: [], flushing: false };
        outbox.set(page, box);
      }
      box.queue.push(event);
      void flush(page);
    }
  };

  const { clipboard, notifier, tray, ports } = fakeDesktopPorts({
    clock,
    emit(event) {
      events.push(event);
      deliver(event);
    },
  });
  const app = await createDesktopApp({
    dataDir,
    embeddedServerUrl: options.noDemoServer ? null : server.url,
    locale,
    isTrustedSender: isTrustedE2eSender,
    createBackend,
    ...(options.integratedFetch ? { integratedFetch: options.integratedFetch } : {}),
    log: createDesktopLogger({
      service: 'coffre-desktop',
      level: E2E_LOG_LEVEL,
      destination: logFile(desktopLog),
    }),
    onInternalError: (where, error) => {
      internalErrors.push(`${where}: ${error instanceof Error ? error.message : String(error)}`);
    },
    ports,
  });

  context = await browser.newContext({
    locale,
    colorScheme: options.colorScheme ?? 'light',
    viewport: options.viewport ?? { width: 1280, height: 800 },
    timezoneId: options.timezoneId ?? 'America/Toronto',
    deviceScaleFactor: 1,
    serviceWorkers: 'block',
    reducedMotion: 'reduce',
  });
  context.setDefaultTimeout(20_000);
  await context.route('**/*', (route) => serveRenderer(route, strayRequests));
  // The answer crosses as JSON text: Playwright's own value serializer takes ~50 ms for a page of
  // 200 credentials, where Electron's structured clone takes about one; a string is as quick.
  await context.exposeBinding('coffreInvoke', async (source, channel: string, args: unknown) => {
    const envelope = await app.router.handle(
      { url: source.frame.url(), topFrame: source.frame.parentFrame() === null },
      channel,
      args,
    );
    if (!envelope.ok) ipcErrors.push({ channel, error: envelope.error });
    if (!envelope.ok && envelope.error.kind === 'internal') {
      internalErrors.push(`${channel}: ${envelope.error.code} ${envelope.error.message}`);
    }
    if (envelope.ok && channel === 'password:reveal') {
      revealed.push((envelope.value as { password: string }).password);
    }
    return JSON.stringify(envelope);
  });
  await context.addInitScript({ content: script });
  const page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(`console: ${message.text()}`);
  });

  let closed = false;
  return {
    label: options.label,
    context,
    page,
    app,
    dataDir,
    events,
    clipboard,
    notifications: notifier.shown,
    trayCounts: tray.counts,
    strayRequests,
    pageErrors,
    internalErrors,
    ipcErrors,
    revealed,
    tokens,
    logFile: desktopLog,
    async open() {
      await page.goto(APP_URL);
      try {
        await page.waitForFunction(() => {
          const doc = (globalThis as any).document;
          return doc.querySelector('#root > *') && !doc.querySelector('[data-testid="starting"]');
        });
      } catch (error) {
        // Usually the renderer crashed on start: say why rather than "timeout".
        const why = pageErrors.length > 0 ? pageErrors.join('\n  ') : String(error);
        throw new Error(`${options.label}: the app did not start in the page:\n  ${why}`);
      }
      return page;
    },
    async close() {
      if (closed) return;
      closed = true;
      await context?.close().catch(() => undefined);
      await app.quit().catch(() => undefined);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

// ── Waiting ─────────────────────────────────────────────────────────────────────────────────────

/**
 * Polls `probe` until it returns something truthy, at most `timeoutMs`: for state outside the page
 * (the clipboard port, the notifier), where there is no event to await. Never a blind sleep.
 */
export async function waitUntil<T>(
  probe: () => T | Promise<T>,
  what: string,
  { timeoutMs = 20_000, intervalMs = 50 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
