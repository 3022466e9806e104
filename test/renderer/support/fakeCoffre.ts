/**
 * A fake `window.coffre` for the renderer's unit tests, built with the real `buildCoffreApi` so its
 * shape is the preload's. Each channel answers from a handler the test gives; a missing handler
 * answers an 'internal' error envelope, as an unknown call would.
 */
import { vi } from 'vitest';
import {
  type AppEvent,
  buildCoffreApi,
  type CoffreApi,
  type IpcChannel,
  type IpcError,
} from '../../../common/ipc.ts';

export class FakeFailure extends Error {
  readonly error: IpcError;
  constructor(kind: IpcError['kind'], code: string, message = `${kind}: ${code}`) {
    super(message);
    this.error = { kind, code, message };
  }
}

export type Handlers = Partial<Record<IpcChannel, (args: any) => unknown>>;

export interface FakeCoffre {
  coffre: CoffreApi;
  handlers: Handlers;
  calls: Array<{ channel: IpcChannel; args: unknown }>;
  callsTo(channel: IpcChannel): unknown[];
  emit(event: AppEvent): void;
  listenerCount(): number;
}

export function installFakeCoffre(handlers: Handlers = {}): FakeCoffre {
  const listeners = new Set<(event: AppEvent) => void>();
  const calls: FakeCoffre['calls'] = [];
  const coffre = buildCoffreApi(
    async (channel, args) => {
      calls.push({ channel, args });
      const handler = handlers[channel];
      if (!handler) return { ok: false, error: { kind: 'internal', code: 'not_faked', message: channel } };
      try {
        return { ok: true, value: await handler(args) };
      } catch (error) {
        if (error instanceof FakeFailure) return { ok: false, error: error.error };
        throw error;
      }
    },
    (listener) => {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  );
  if (typeof window === 'object' && window !== null && 'document' in window) {
    (window as { coffre?: CoffreApi }).coffre = coffre;
  } else {
    vi.stubGlobal('window', { coffre });
  }
  return {
    coffre,
    handlers,
    calls,
    callsTo: (channel) => calls.filter((call) => call.channel === channel).map((call) => call.args),
    emit: (event) => {
      for (const listener of [...listeners]) listener(event);
    },
    listenerCount: () => listeners.size,
  };
}

export function removeFakeCoffre(): void {
  if (typeof window === 'object' && window !== null && 'document' in window) {
    delete (window as { coffre?: CoffreApi }).coffre;
  }
  vi.unstubAllGlobals();
}

/** Lets pending promise callbacks (fake IPC answers) run; microtasks only, so fake timers do not matter. */
export async function flush(times = 30): Promise<void> {
  for (let i = 0; i < times; i++) await Promise.resolve();
}
