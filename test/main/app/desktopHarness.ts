import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Timers } from '../../../client/ports.ts';
import type { AppEvent, IpcArgs, IpcChannel, IpcEnvelope, IpcResult } from '../../../common/ipc.ts';
import { createDesktopApp, type DesktopApp, type DesktopAppDeps } from '../../../main/app/desktopApp.ts';
import type { TrayCheckout } from '../../../main/services/trayMenu.ts';
import { type FakeClipboard, fakeDesktopPorts, type ShownNotification } from '../../support/fakes.ts';

/** The desktop main process under plain Node: real services, real cache, real HTTP; fake OS ports. */
export interface DesktopHarness {
  app: DesktopApp;
  dataDir: string;
  events: AppEvent[];
  clipboard: FakeClipboard;
  notifications: ShownNotification[];
  trayCounts: number[];
  /** Each list of checkouts the tray was given. */
  trayCheckouts: TrayCheckout[][];
  call<C extends IpcChannel>(channel: C, args?: IpcArgs<C>): Promise<IpcResult<C>>;
  /** A call as any frame could make it: `url` null for a frame without one, `topFrame` false for a sub-frame. */
  raw(channel: string, args: unknown, url?: string | null, topFrame?: boolean): Promise<IpcEnvelope<unknown>>;
  /** Resolves with the first event at index ≥ `from` matching `predicate`. */
  waitForEvent(predicate: (event: AppEvent) => boolean, from?: number): Promise<AppEvent>;
  /** Quits the app and removes its data directory, unless it is kept for a restart on it. */
  close(options?: { keepDataDir?: boolean }): Promise<void>;
}

export const APP_URL = 'app://coffre/index.html';

export async function startDesktop(
  options: {
    dataDir?: string;
    secretState?: 'os' | 'basic_text' | 'unavailable';
    timers?: Timers;
    clock?: { now(): number };
    /** Wraps or replaces the real HTTP backend (to count or alter the calls). */
    createBackend?: DesktopAppDeps['createBackend'];
    /** Stands in for the shell's Windows sign-in fetch (Electron's net.fetch). */
    integratedFetch?: DesktopAppDeps['integratedFetch'];
  } = {},
): Promise<DesktopHarness> {
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'coffre-desktop-'));
  const events: AppEvent[] = [];
  const waiters: Array<{ predicate: (event: AppEvent) => boolean; resolve: (event: AppEvent) => void }> = [];
  const { clipboard, notifier, tray, ports } = fakeDesktopPorts({
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.timers ? { timers: options.timers } : {}),
    ...(options.secretState ? { secretState: options.secretState } : {}),
    emit(event) {
      events.push(event);
      for (const waiter of waiters.splice(0)) {
        if (waiter.predicate(event)) waiter.resolve(event);
        else waiters.push(waiter);
      }
    },
  });
  const app = await createDesktopApp({
    dataDir,
    embeddedServerUrl: null,
    locale: 'en-US',
    isTrustedSender: (url) => url === APP_URL,
    ...(options.createBackend ? { createBackend: options.createBackend } : {}),
    ...(options.integratedFetch ? { integratedFetch: options.integratedFetch } : {}),
    // An internal error is a bug: make it loud in the test output.
    onInternalError: (where, error) => console.error(`internal error in ${where}:`, error),
    ports,
  });
  return {
    app,
    dataDir,
    events,
    clipboard,
    notifications: notifier.shown,
    trayCounts: tray.counts,
    trayCheckouts: tray.checkoutLists,
    async call(channel, args) {
      const envelope = await app.router.handle({ url: APP_URL, topFrame: true }, channel, args);
      if (!envelope.ok) throw Object.assign(new Error(envelope.error.message), envelope.error);
      return envelope.value as never;
    },
    raw: (channel, args, url = APP_URL, topFrame = true) =>
      app.router.handle({ url: url ?? undefined, topFrame }, channel, args),
    waitForEvent(predicate, from = 0) {
      const seen = events.slice(from).find(predicate);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve) => waiters.push({ predicate, resolve }));
    },
    async close({ keepDataDir = false } = {}) {
      await app.quit();
      if (!keepDataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
