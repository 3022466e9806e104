/**
 * The composition root of the main process: opens the cache, builds the services on the ports the
 * shell provides, and exposes the IPC router. Plain Node: the tests run it without Electron.
 */
import path from 'node:path';
import { createPamBackend } from '../../client/createPamBackend.ts';
import { isPamClientError } from '../../client/errors.ts';
import type { CreatePamBackendOptions, FetchLike, PamBackend } from '../../client/pamBackend.ts';
import { type Clock, type LogPort, type SecretBoxPort, silentLog, type Timers } from '../../client/ports.ts';
import { probeServer } from '../../client/serverProbe.ts';
import type { Checkout } from '../../common/checkout.ts';
import type { ServerProbeResult } from '../../common/ipc.ts';
import { openCache } from '../cache/credentialCache.ts';
import { createIpcRouter, type IpcRouter } from '../ipc/router.ts';
import { AppError } from '../services/appError.ts';
import { ApprovalsWatcher } from '../services/approvalsWatcher.ts';
import { AuditTrail } from '../services/auditTrail.ts';
import { CheckoutActions } from '../services/checkoutActions.ts';
import { ClipboardGuard } from '../services/clipboardGuard.ts';
import { ExpiryScheduler } from '../services/expiryScheduler.ts';
import { ExposedSecrets } from '../services/exposedSecrets.ts';
import { MainI18n } from '../services/i18n/mainI18n.ts';
import { PasswordAccess } from '../services/passwordAccess.ts';
import type { ClipboardPort, EventSink, NotifierPort, TrayPort } from '../services/ports.ts';
import { createServerCaller } from '../services/serverCalls.ts';
import { type LockReason, SessionService } from '../services/sessionService.ts';
import { SettingsService } from '../services/settingsService.ts';
import { SyncService } from '../services/syncService.ts';
import { type TrayCommand, trayCheckouts } from '../services/trayMenu.ts';
import { createHandlers } from './handlers.ts';

export interface DesktopPorts {
  clipboard: ClipboardPort;
  notifier: NotifierPort;
  secretBox: SecretBoxPort;
  tray: TrayPort;
  events: EventSink;
  clock: Clock;
  timers: Timers;
}

export interface DesktopAppDeps {
  dataDir: string;
  ports: DesktopPorts;
  embeddedServerUrl: string | null;
  /** The OS locale (e.g. 'fr-CA'), used when the language setting is 'system'. */
  locale: string;
  /** Who may call the router; the shell passes its app:// check, tests their own. */
  isTrustedSender?: (url: string | undefined) => boolean;
  /** Replaces the sign-in screen's server probe (tests). */
  probeServer?: (url: string) => Promise<ServerProbeResult>;
  /** Replaces the HTTP backend (tests). */
  createBackend?: (options: CreatePamBackendOptions) => PamBackend;
  /** The shell's fetch doing the OS's Windows sign-in (Negotiate) for a server; absent: not offered. */
  integratedFetch?: (serverUrl: string) => FetchLike;
  /** Called for unexpected failures (bugs); never with a secret. */
  onInternalError?: (where: string, error: unknown) => void;
  /** The main process's structured log (IPC calls, app events, session changes); silent if absent. */
  log?: LogPort;
}

export interface DesktopApp {
  router: IpcRouter;
  /** Screen lock, suspend, idle: lock the session and clear what must not outlive it. */
  lock(reason: LockReason): Promise<void>;
  /** After resume from sleep or a clock jump: re-check every deadline against the clock. */
  resumed(): void;
  quit(): Promise<void>;
  openDeepLink(target: { route: 'checkouts' | 'approvals'; id: string }): void;
  /**
   * The tray's checkout actions (Copy password, Check in), as the window's buttons do them: only
   * unlocked; a failure is shown as a notification (never with a secret).
   */
  trayCommand(command: Extract<TrayCommand, { kind: 'copyPassword' | 'checkIn' }>): Promise<void>;
  pendingCount(): number;
  /** Minutes of inactivity before the shell locks the app; 0 = never. */
  autoLockMinutes(): number;
  warning: string | null;
  /** The main process's texts in the language setting's language (the tray follows it). */
  i18n: MainI18n;
}

export async function createDesktopApp(deps: DesktopAppDeps): Promise<DesktopApp> {
  const log = deps.log ?? silentLog;
  /** For background work whose failure shows elsewhere (offline banner): a warn line, kind only. */
  const logFailure = (what: string) => (error: unknown) =>
    log.warn({ what, error: errorKind(error) }, 'background work failed');
  // Every app event is logged as it leaves: events carry ids, counts and states, never a secret.
  const ports: DesktopPorts = {
    ...deps.ports,
    events: {
      emit(event) {
        log.debug({ event }, 'app event');
        deps.ports.events.emit(event);
      },
    },
  };
  const opened = openCache({
    file: path.join(deps.dataDir, 'cache.db'),
    secretBox: ports.secretBox,
    clock: ports.clock,
  });
  const cache = opened.cache;
  const settings = new SettingsService({ cache });
  const i18n = new MainI18n({ settings, systemLocale: deps.locale });

  const session = new SessionService({
    cache,
    settings,
    events: ports.events,
    clock: ports.clock,
    secretBox: ports.secretBox,
    createBackend: deps.createBackend ?? createPamBackend,
    embeddedServerUrl: deps.embeddedServerUrl,
    storageWarning: opened.warningCode,
    integratedFetch: deps.integratedFetch,
  });
  const callServer = createServerCaller(session);
  const sync = new SyncService({
    cache,
    events: ports.events,
    clock: ports.clock,
    timers: ports.timers,
    session,
    callServer,
    preferences: () => {
      const { favouriteCredentialIds, recentCredentialIds } = settings.get();
      return { favourites: favouriteCredentialIds, recent: recentCredentialIds };
    },
  });
  const clipboard = new ClipboardGuard({
    clipboard: ports.clipboard,
    clock: ports.clock,
    timers: ports.timers,
    events: ports.events,
  });
  const passwords = new PasswordAccess({
    callServer,
    accountOf: (credentialId) => cache.getCredential(credentialId)?.username,
    clipboard,
    settings,
    events: ports.events,
    clock: ports.clock,
    timers: ports.timers,
  });
  const exposed = new ExposedSecrets({ clipboard, passwords });
  const checkouts = new CheckoutActions({
    callServer,
    cache,
    events: ports.events,
    onRequested: (credentialId) => settings.noteRecentCredential(credentialId),
  });
  const expiry = new ExpiryScheduler({
    notifier: ports.notifier,
    clock: ports.clock,
    timers: ports.timers,
    events: ports.events,
    messages: () => i18n.catalogue().expiry,
    formatTime: (epochMs) => i18n.formatTime(epochMs),
    onExtendRequested: (checkoutId: string) =>
      ports.events.emit({ type: 'navigate', route: 'checkouts', id: checkoutId }),
    onExpired: (checkout: Checkout) => {
      void exposed.withdraw(checkout.credentialID, 'expiry');
      void checkouts.mine().catch(logFailure('checkouts'));
    },
  });
  let pending = 0;
  const approvals = new ApprovalsWatcher({
    notifier: ports.notifier,
    tray: {
      setPendingCount(count: number) {
        pending = count;
        ports.tray.setPendingCount(count);
      },
    },
    events: {
      emit(event) {
        ports.events.emit(event);
        // A change to one of the user's own checkouts (approved, aborted by an admin…) refreshes
        // them here too, so the expiry scheduler and the clipboard follow.
        if (event.type === 'checkouts.changed') void checkouts.mine().catch(logFailure('checkouts'));
      },
    },
    messages: () => i18n.catalogue().approvals,
    onOpenCheckout: (checkoutId: string) =>
      ports.events.emit({ type: 'navigate', route: 'checkouts', id: checkoutId }),
    onOpen: (checkoutId: string) =>
      ports.events.emit({ type: 'navigate', route: 'approvals', id: checkoutId }),
    onError: (error: unknown) => deps.onInternalError?.('approvals', error),
  });

  const subscriptions = [
    checkouts.onReleased((checkout) => exposed.withdraw(checkout.credentialID, 'checkin')),
    checkouts.onChanged((open) => {
      expiry.track(open);
      void exposed.keepActiveOnly(open);
      // Signed in and unlocked only: a locked app lists nothing in the tray.
      if (session.state().status === 'signedIn')
        ports.tray.setCheckouts(trayCheckouts(open, session.state().capabilities?.passwordRead ?? false));
    }),
    session.onSignedIn(async (backend, user) => {
      log.info({ userId: user.id, dialect: backend.dialect }, 'signed in');
      sync.start(logFailure('periodic sync'));
      await approvals.start(backend, user).catch((error) => deps.onInternalError?.('approvals', error));
      // Fill the cache and the expiry scheduler in the background; failures show as offline. In
      // full: whoever signed in last, the cache holds what this user sees of this server now.
      void sync.sync({ full: true }).catch(logFailure('sync'));
      void checkouts.mine().catch(logFailure('checkouts'));
    }),
    session.onSignedOut(async (reason) => {
      log.info({ reason }, 'signed out');
      ports.tray.setCheckouts([]);
      const forGood = reason === 'signOut' || reason === 'expired';
      await exposed.withdrawAll(forGood ? 'signOut' : 'lock');
      if (forGood) {
        sync.stop();
        approvals.stop();
        expiry.track([]);
      }
    }),
  ];

  const router = createIpcRouter(
    createHandlers({
      session,
      settings,
      sync,
      checkouts,
      passwords,
      audit: new AuditTrail({ callServer }),
      probeServer: deps.probeServer ?? ((url) => probeServer({ url })),
    }),
    {
      isTrustedSender: deps.isTrustedSender ?? (() => false),
      requireSession: (requirement) => session.require(requirement),
      onInternalError: (channel, error) => deps.onInternalError?.(channel, error),
      log,
    },
  );

  await session.restore();

  return {
    router,
    warning: opened.warning,
    i18n,
    async lock(reason) {
      log.info({ reason }, 'lock');
      await session.lock(reason);
    },
    resumed() {
      log.debug({}, 'resumed: rechecking deadlines');
      void clipboard.recheck();
      expiry.recheck();
    },
    async quit() {
      log.info({}, 'quit');
      for (const unsubscribe of subscriptions) unsubscribe();
      sync.stop();
      await exposed.withdrawAll('quit');
      approvals.stop();
      expiry.track([]);
      cache.close();
    },
    openDeepLink(target) {
      ports.events.emit({ type: 'navigate', route: target.route, id: target.id });
    },
    async trayCommand(command) {
      try {
        session.require('unlocked');
        if (command.kind === 'copyPassword') await passwords.copy(command.credentialId);
        else await checkouts.checkIn(command.checkoutId);
      } catch (error) {
        ports.notifier.show(
          {
            id: 'tray:failed',
            title: i18n.catalogue().tray.actionFailed,
            body: error instanceof AppError || isPamClientError(error) ? error.message : '',
          },
          () => undefined,
        );
      }
    },
    pendingCount: () => pending,
    autoLockMinutes: () => settings.get().autoLockMinutes,
  };
}

/** What failed, without the message (it may quote a server's answer). */
function errorKind(error: unknown): string {
  if (error instanceof AppError || isPamClientError(error)) return `${error.kind}/${error.code}`;
  return error instanceof Error ? error.name : typeof error;
}
