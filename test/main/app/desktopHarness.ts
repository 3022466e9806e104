import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SecretBoxPort, Timers } from '../../../client/ports.ts';
import type { AppEvent, IpcArgs, IpcChannel, IpcEnvelope, IpcResult } from '../../../common/ipc.ts';
import { createDesktopApp, type DesktopApp, type DesktopAppDeps } from '../../../main/app/desktopApp.ts';
import type {
  ClipboardPort,
  NotificationRequest,
  NotifierPort,
  TrayPort,
} from '../../../main/services/ports.ts';

/** The desktop main process under plain Node: real services, real cache, real HTTP; fake OS ports. */
export interface DesktopHarness {
  app: DesktopApp;
  dataDir: string;
  events: AppEvent[];
  clipboard: { value: string; writes: Array<{ text: string; concealed: boolean }>; clears: number };
  notifications: Array<NotificationRequest & { onAction: (action: string) => void }>;
  trayCounts: number[];
  call<C extends IpcChannel>(channel: C, args?: IpcArgs<C>): Promise<IpcResult<C>>;
  /** `url` null: a sender frame without a URL. */
  raw(channel: string, args: unknown, url?: string | null): Promise<IpcEnvelope<unknown>>;
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
  } = {},
): Promise<DesktopHarness> {
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'coffre-desktop-'));
  const events: AppEvent[] = [];
  const waiters: Array<{ predicate: (event: AppEvent) => boolean; resolve: (event: AppEvent) => void }> = [];
  const clipboardState = { value: '', writes: [] as Array<{ text: string; concealed: boolean }>, clears: 0 };
  const clipboard: ClipboardPort = {
    async writeText(text, { concealed }) {
      clipboardState.value = text;
      clipboardState.writes.push({ text, concealed });
    },
    readText: async () => clipboardState.value,
    async clear() {
      clipboardState.value = '';
      clipboardState.clears++;
    },
  };
  const notifications: DesktopHarness['notifications'] = [];
  const notifier: NotifierPort = {
    show(request, onAction) {
      notifications.push({ ...request, onAction });
    },
    close: () => undefined,
  };
  // A reversible transform stands in for the OS keychain: what matters here is that the cache calls it.
  const secretBox: SecretBoxPort = {
    state: () => options.secretState ?? 'os',
    encrypt: (plain) => Buffer.from(plain.map((byte) => byte ^ 0x5a)),
    decrypt: (sealed) => Buffer.from(sealed.map((byte) => byte ^ 0x5a)),
  };
  const trayCounts: number[] = [];
  const tray: TrayPort = { setPendingCount: (count) => trayCounts.push(count) };
  const app = await createDesktopApp({
    dataDir,
    embeddedServerUrl: null,
    locale: 'en-US',
    isTrustedSender: (url) => url === APP_URL,
    ...(options.createBackend ? { createBackend: options.createBackend } : {}),
    // An internal error is a bug: make it loud in the test output.
    onInternalError: (where, error) => console.error(`internal error in ${where}:`, error),
    ports: {
      clipboard,
      notifier,
      secretBox,
      tray,
      events: {
        emit(event) {
          events.push(event);
          for (const waiter of waiters.splice(0)) {
            if (waiter.predicate(event)) waiter.resolve(event);
            else waiters.push(waiter);
          }
        },
      },
      clock: options.clock ?? { now: () => Date.now() },
      timers: options.timers ?? {
        setTimeout: (callback, ms) => setTimeout(callback, ms),
        clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
      },
    },
  });
  return {
    app,
    dataDir,
    events,
    clipboard: clipboardState,
    notifications,
    trayCounts,
    async call(channel, args) {
      const envelope = await app.router.handle({ url: APP_URL }, channel, args);
      if (!envelope.ok) throw Object.assign(new Error(envelope.error.message), envelope.error);
      return envelope.value as never;
    },
    raw: (channel, args, url = APP_URL) => app.router.handle({ url: url ?? undefined }, channel, args),
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
