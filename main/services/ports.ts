/**
 * What the services need from the operating system, as interfaces. Electron implements them in
 * main/shell/; tests pass fakes. No service imports electron.
 */
import type { AppEvent } from '../../common/ipc.ts';

export interface Clock {
  /** Wall-clock milliseconds; may jump (sleep, NTP, the user changing the time). */
  now(): number;
}

export type TimerHandle = unknown;
export interface Timers {
  setTimeout(callback: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** Asynchronous because Electron's clipboard is (since Electron 45). */
export interface ClipboardPort {
  /** `concealed`: mark the write as a password where the platform allows (clipboard managers skip it). */
  writeText(text: string, options: { concealed: boolean }): Promise<void>;
  readText(): Promise<string>;
  clear(): Promise<void>;
}

export interface NotificationAction {
  id: string;
  label: string;
}
export interface NotificationRequest {
  /** Stable id: showing the same id again replaces the earlier notification. */
  id: string;
  title: string;
  body: string;
  actions?: NotificationAction[];
}
export interface NotifierPort {
  /** `onAction('click')` when the body is clicked, `onAction(actionId)` for a button. */
  show(request: NotificationRequest, onAction: (action: string) => void): void;
  close(id: string): void;
}

/** Electron's safeStorage, as the cache needs it. */
export interface SecretBoxPort {
  /** 'os': a real OS keychain; 'basic_text': Linux fallback with a hard-coded key (not a secret); 'unavailable'. */
  state(): 'os' | 'basic_text' | 'unavailable';
  encrypt(plain: Buffer): Buffer;
  decrypt(sealed: Buffer): Buffer;
}

export interface TrayPort {
  setPendingCount(count: number): void;
}

/** The renderer (and anything else) listening to app events. */
export interface EventSink {
  emit(event: AppEvent): void;
}

export const realTimers: Timers = {
  setTimeout: (callback, ms) => {
    const handle = setTimeout(callback, ms);
    handle.unref?.();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export const systemClock: Clock = { now: () => Date.now() };

/**
 * Structured logging (pino's call shape, so a pino logger is one). Fields carry ids, channels,
 * kinds, counts and states, never an argument or a value that could hold a secret.
 */
export interface LogPort {
  debug(fields: object, message: string): void;
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

const ignore = () => undefined;
export const silentLog: LogPort = { debug: ignore, info: ignore, warn: ignore, error: ignore };
