/// <reference types="electron-vite/node" />
/**
 * The Electron entry: the only file (with main/shell/, which receives Electron's objects from here)
 * that touches Electron. Order matters: the single-instance lock, the app:// scheme, deep links and
 * the web-contents hardening are set up before `ready`; the session's protocol, permission handlers,
 * ports, services, IPC and the window after it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  app,
  BrowserWindow,
  ClipboardItem,
  clipboard,
  type Event,
  ipcMain,
  Menu,
  Notification,
  nativeImage,
  nativeTheme,
  powerMonitor,
  protocol,
  type Session,
  safeStorage,
  session,
  shell,
  Tray,
} from 'electron';
import pino from 'pino';
import appIconPath from '../build/icon.png?asset';
import trayIconPath from '../build/tray/tray.png?asset';
import trayTemplatePath from '../build/tray/trayTemplate@2x.png?asset';
import { realTimers, systemClock } from '../client/ports.ts';
import { createLogger } from '../common/logger.ts';
import { type RunningServer, startServer } from '../server/startServer.ts';
import { createDesktopApp, type DesktopApp } from './app/desktopApp.ts';
import { catalogueFor, resolveLanguage } from './services/i18n/mainI18n.ts';
import type { LockReason } from './services/sessionService.ts';
import { appMenuTemplate } from './shell/appMenu.ts';
import { APP_ENTRY_URL, APP_SCHEME_PRIVILEGES, registerAppProtocol } from './shell/appProtocol.ts';
import { createClipboardPort } from './shell/clipboard.ts';
import { type DeepLinkTarget, registerDeepLinks } from './shell/deepLinks.ts';
import { integratedFetchFor } from './shell/integratedAuth.ts';
import { createWebContentsEventSink, registerIpcHandlers } from './shell/ipcBridge.ts';
import { EXTERNAL_LINK_HOSTS, guardWebContents } from './shell/navigationGuard.ts';
import { createNotifier } from './shell/notifier.ts';
import { installPermissionHandlers } from './shell/permissions.ts';
import { watchPowerEvents } from './shell/powerEvents.ts';
import { createSecretBox } from './shell/secretBox.ts';
import { isTrustedSender } from './shell/senderValidation.ts';
import { type AppTray, createTray } from './shell/tray.ts';
import { mainWindowOptions } from './shell/windowOptions.ts';

const APP_USER_MODEL_ID = 'com.coffre.desktop';
const production = app.isPackaged;
const platform = process.platform;
const outDir = path.resolve(import.meta.dirname, '..');
const rendererDir = path.join(outDir, 'renderer');
const preloadPath = path.join(outDir, 'preload', 'index.cjs');

// Development and the launch tests run with a throw-away profile; a packaged app never moves it.
const userDataOverride = process.env.COFFRE_USER_DATA_DIR;
if (!production && userDataOverride) app.setPath('userData', path.resolve(userDataOverride));

// <userData>/logs/coffre.log (standard error too in development); COFFRE_LOG_LEVEL=debug for support.
const logFile = pino.destination({
  dest: path.join(app.getPath('userData'), 'logs', 'coffre.log'),
  mkdir: true,
});
const log = createLogger({
  service: 'coffre-desktop',
  level: process.env.COFFRE_LOG_LEVEL ?? (production ? 'info' : 'debug'),
  // Each stream takes every level; the logger's own level decides what is written.
  destination: production
    ? logFile
    : pino.multistream([
        { level: 'trace', stream: logFile },
        { level: 'trace', stream: pino.destination(2) },
      ]),
});

// Before `ready`: the privileged scheme must exist when the first session is created.
protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);

let desktopApp: DesktopApp | null = null;
let mainWindow: BrowserWindow | null = null;
let tray: AppTray | null = null;
let embeddedServer: RunningServer | null = null;
let stopPowerEvents: (() => void) | null = null;
/** Where the window should go once the services and the page are both there. */
let pendingNavigation: { deepLink: DeepLinkTarget } | { route: 'approvals' } | null = null;
let quitting = false;
let cleanUpStarted = false;
let cleanedUp = false;

function showWindow(): void {
  // Until onReady has built the services, it creates the window itself (and delivers what is pending).
  if (!desktopApp) return;
  if (!mainWindow || mainWindow.isDestroyed()) mainWindow = createWindow();
  if (mainWindow.isMinimized()) mainWindow.restore();
  if (mainWindow.isVisible()) mainWindow.focus();
  else if (!mainWindow.webContents.isLoading()) mainWindow.show();
}

const events = createWebContentsEventSink(() => mainWindow?.webContents ?? null);

/** Sends the pending navigation once both the services and the page are there. */
function deliverNavigation(): void {
  const navigation = pendingNavigation;
  if (!navigation || !desktopApp || !mainWindow || mainWindow.isDestroyed()) return;
  if (mainWindow.webContents.isLoading()) return; // did-finish-load calls again
  pendingNavigation = null;
  if ('deepLink' in navigation) desktopApp.openDeepLink(navigation.deepLink);
  else events.emit({ type: 'navigate', route: navigation.route });
}

function navigate(navigation: NonNullable<typeof pendingNavigation>): void {
  pendingNavigation = navigation;
  showWindow();
  deliverNavigation();
}

function lockFor(reason: LockReason): void {
  void desktopApp
    ?.lock(reason)
    .catch((error: unknown) => log.error({ err: errorName(error), reason }, 'lock failed'));
}

function errorName(error: unknown): string {
  // Only the class and code: an error message could quote a server response.
  if (error instanceof Error) return `${error.name}${'code' in error ? `(${String(error.code)})` : ''}`;
  return typeof error;
}

function createWindow(): BrowserWindow {
  const window = new BrowserWindow(
    mainWindowOptions({
      preloadPath,
      production,
      dark: nativeTheme.shouldUseDarkColors,
      ...(platform === 'darwin' ? {} : { iconPath: appIconPath }),
    }),
  );
  window.once('ready-to-show', () => window.show());
  window.webContents.on('did-finish-load', () => deliverNavigation());
  // The tray keeps the app (and the approvals watcher) running: closing the window hides it.
  window.on('close', (event) => {
    if (quitting) return;
    event.preventDefault();
    window.hide();
  });
  window.on('closed', () => {
    if (mainWindow === window) mainWindow = null;
  });
  void window
    .loadURL(APP_ENTRY_URL)
    .catch((error: unknown) => log.error({ err: errorName(error) }, 'load failed'));
  return window;
}

function createTrayImage(): Electron.NativeImage {
  if (platform === 'darwin') {
    // A template image (black + alpha) that macOS tints for light and dark menu bars; 32 px at 2x = 16 pt.
    const image = nativeImage.createFromBuffer(readFileSync(trayTemplatePath), { scaleFactor: 2 });
    image.setTemplateImage(true);
    return image;
  }
  return nativeImage.createFromPath(trayIconPath);
}

const hardenedSessions = new WeakSet<Session>();
/** Permission and device handlers on every session (the default one and any created later), once. */
function hardenSession(target: Session): void {
  if (hardenedSessions.has(target)) return;
  hardenedSessions.add(target);
  installPermissionHandlers(target);
}

async function startEmbeddedServer(): Promise<RunningServer | null> {
  try {
    return await startServer({
      demo: true,
      host: '127.0.0.1',
      port: 0,
      dataDir: path.join(app.getPath('userData'), 'embedded-server'),
    });
  } catch (error) {
    log.warn({ err: errorName(error) }, 'the embedded demo server did not start; sign in to another server');
    return null;
  }
}

async function onReady(): Promise<void> {
  hardenSession(session.defaultSession);
  registerAppProtocol(session.defaultSession.protocol, rendererDir);
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(appMenuTemplate({ platform, production, appName: app.name })),
  );

  const locale = app.getPreferredSystemLanguages()[0] ?? app.getLocale();
  tray = createTray({
    Tray,
    Menu,
    image: createTrayImage(),
    // Until the settings are read (the desktop app below), the OS language; then the setting's.
    labels: () => desktopApp?.i18n.catalogue().tray ?? catalogueFor(resolveLanguage('system', locale)).tray,
    platform,
    run: (command) => {
      switch (command.kind) {
        case 'open':
          return showWindow();
        case 'openPending':
          return navigate({ route: 'approvals' });
        case 'openCheckout':
          return navigate({ deepLink: { route: 'checkouts', id: command.checkoutId } });
        case 'lock':
          return lockFor('user');
        case 'quit':
          return app.quit();
        default:
          void desktopApp?.trayCommand(command);
      }
    },
  });
  embeddedServer = await startEmbeddedServer();
  desktopApp = await createDesktopApp({
    dataDir: app.getPath('userData'),
    ports: {
      clipboard: createClipboardPort({ clipboard, ClipboardItem, platform }),
      notifier: createNotifier({ Notification, platform, icon: appIconPath }),
      secretBox: createSecretBox({ safeStorage, platform }),
      tray,
      events,
      clock: systemClock,
      timers: realTimers,
    },
    embeddedServerUrl: embeddedServer?.url ?? null,
    integratedFetch: integratedFetchFor,
    locale,
    isTrustedSender,
    onInternalError: (where, error) => log.error({ where, err: errorName(error) }, 'internal error'),
    log,
  });
  if (desktopApp.warning) log.warn({ warning: desktopApp.warning }, 'cache');
  tray?.relabel();
  desktopApp.i18n.onChange(() => tray?.relabel());
  registerIpcHandlers(ipcMain, desktopApp.router);

  const appForPower = desktopApp;
  stopPowerEvents = watchPowerEvents({
    powerMonitor,
    autoLockMinutes: () => appForPower.autoLockMinutes(),
    lock: lockFor,
    resumed: () => appForPower.resumed(),
  });

  if (!mainWindow) mainWindow = createWindow();
}

/** Clears the clipboard (if it still holds our password), stops the services and the server. */
async function cleanUp(): Promise<void> {
  stopPowerEvents?.();
  try {
    await desktopApp?.quit();
  } catch (error) {
    log.error({ err: errorName(error) }, 'quit failed');
  }
  try {
    await embeddedServer?.close();
  } catch (error) {
    log.error({ err: errorName(error) }, 'embedded server close failed');
  }
  tray?.destroy();
}

if (!app.requestSingleInstanceLock()) {
  // Another Coffre runs: it receives our argv (and any coffre:// link) through 'second-instance'.
  app.quit();
} else {
  if (platform === 'win32') app.setAppUserModelId(APP_USER_MODEL_ID);

  const launchLink = registerDeepLinks({
    app,
    defaultApp: process.defaultApp === true,
    argv: process.argv,
    open: (deepLink) => navigate({ deepLink }),
    focus: showWindow,
  });
  if (launchLink) pendingNavigation = { deepLink: launchLink };

  // Every WebContents, present and future: navigation, new windows, <webview> and devices denied.
  app.on('web-contents-created', (_event, contents) => {
    guardWebContents(contents, {
      policy: { allowedHosts: EXTERNAL_LINK_HOSTS },
      openExternal: (url) => shell.openExternal(url),
      onRefused: (what, origin) => log.warn({ what, origin }, 'refused'),
    });
  });
  app.on('session-created', (created) => hardenSession(created));

  app.on('activate', () => showWindow());
  // The tray keeps Coffre running with no window; Quit (tray, menu, Cmd+Q) ends it.
  app.on('window-all-closed', () => undefined);

  app.on('before-quit', (event: Event) => {
    quitting = true;
    if (cleanedUp) return;
    event.preventDefault();
    if (cleanUpStarted) return;
    cleanUpStarted = true;
    void cleanUp().finally(() => {
      cleanedUp = true;
      app.quit();
    });
  });

  app
    .whenReady()
    .then(onReady)
    .catch((error: unknown) => {
      log.fatal({ err: errorName(error) }, 'startup failed');
      app.exit(1);
    });
}
