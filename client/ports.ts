/**
 * What the client core, the cache and the desktop services need from the host, as interfaces: time,
 * timers, the OS keychain, a log. The lowest module of ours after the contract (common/), so every
 * layer above can take them without pointing up. Electron implements the keychain in main/shell/;
 * tests pass fakes (test/support/).
 */

export interface Clock {
  /** Wall-clock milliseconds; may jump (sleep, NTP, the user changing the time). */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export type TimerHandle = unknown;
export interface Timers {
  setTimeout(callback: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

export const realTimers: Timers = {
  setTimeout: (callback, ms) => {
    const handle = setTimeout(callback, ms);
    // Never keep a process (the CLI, a test) alive just for a reconnect, a poll or a clear.
    handle.unref?.();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** Electron's safeStorage, as the cache needs it. */
export interface SecretBoxPort {
  /** 'os': a real OS keychain; 'basic_text': Linux fallback with a hard-coded key (not a secret); 'unavailable'. */
  state(): 'os' | 'basic_text' | 'unavailable';
  encrypt(plain: Buffer): Buffer;
  decrypt(sealed: Buffer): Buffer;
}

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
