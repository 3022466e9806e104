/**
 * The renderer's only door to the main process. Every call of `window.coffre` answers an envelope;
 * here it becomes the value, or a thrown `CoffreError` carrying the main process's kind and code.
 * Only the stores import this module.
 */
import type { AppEvent, CoffreApi, IpcEnvelope, IpcError } from '../../common/ipc.ts';

export type ErrorKind = IpcError['kind'];

export class CoffreError extends Error {
  readonly kind: ErrorKind;
  readonly code: string;

  constructor(error: IpcError) {
    super(error.message);
    this.name = 'CoffreError';
    this.kind = error.kind;
    this.code = error.code;
  }
}

export function isCoffreError(error: unknown): error is CoffreError {
  return error instanceof CoffreError;
}

/** Any failure as a CoffreError: a transport failure (the bridge itself threw) becomes 'internal'. */
export function toCoffreError(error: unknown): CoffreError {
  if (error instanceof CoffreError) return error;
  if (isIpcError(error)) return new CoffreError(error);
  const message = error instanceof Error ? error.message : String(error);
  return new CoffreError({ kind: 'internal', code: 'bridge_failed', message });
}

function isIpcError(value: unknown): value is IpcError {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<IpcError>;
  return (
    typeof candidate.kind === 'string' &&
    typeof candidate.code === 'string' &&
    typeof candidate.message === 'string'
  );
}

export function hasBridge(): boolean {
  return typeof window !== 'undefined' && typeof window.coffre === 'object' && window.coffre !== null;
}

function bridge(): CoffreApi {
  if (!hasBridge()) {
    throw new CoffreError({
      kind: 'internal',
      code: 'bridge_missing',
      message: 'window.coffre is not available: the page was not opened by Coffre.',
    });
  }
  return window.coffre as CoffreApi;
}

export async function unwrap<T>(pending: Promise<IpcEnvelope<T>>): Promise<T> {
  let envelope: IpcEnvelope<T>;
  try {
    envelope = await pending;
  } catch (error) {
    throw toCoffreError(error);
  }
  if (envelope?.ok === true) return envelope.value;
  if (envelope?.ok === false) throw new CoffreError(envelope.error);
  throw new CoffreError({
    kind: 'protocol',
    code: 'bad_envelope',
    message: 'The main process sent no envelope.',
  });
}

type Area = Exclude<keyof CoffreApi, 'onEvent'>;
type Unwrapped<F> = F extends (...args: infer A) => Promise<IpcEnvelope<infer R>>
  ? (...args: A) => Promise<R>
  : never;
/** `window.coffre` with every call answering its value (or throwing a CoffreError). */
export type CoffreClient = { [A in Area]: { [M in keyof CoffreApi[A]]: Unwrapped<CoffreApi[A][M]> } } & {
  onEvent(listener: (event: AppEvent) => void): () => void;
};

const areas = new Map<string, Record<string, unknown>>();

function area(name: string): Record<string, unknown> {
  let methods = areas.get(name);
  if (!methods) {
    // Looked up at call time, so tests (and a late bridge) can swap window.coffre.
    methods = new Proxy<Record<string, unknown>>(
      {},
      {
        get: (_target, method) => {
          if (typeof method !== 'string') return undefined;
          return (args?: unknown) => {
            let pending: Promise<IpcEnvelope<unknown>>;
            try {
              const target = (bridge() as unknown as Record<string, Record<string, unknown>>)[name];
              const call = target?.[method];
              if (typeof call !== 'function') {
                throw new CoffreError({
                  kind: 'internal',
                  code: 'no_such_call',
                  message: `${name}:${method}`,
                });
              }
              pending = (call as (args?: unknown) => Promise<IpcEnvelope<unknown>>)(args);
            } catch (error) {
              return Promise.reject(toCoffreError(error));
            }
            return unwrap(pending);
          };
        },
      },
    );
    areas.set(name, methods);
  }
  return methods;
}

export const api: CoffreClient = new Proxy({} as CoffreClient, {
  get: (_target, name) => {
    if (name === 'onEvent') return (listener: (event: AppEvent) => void) => bridge().onEvent(listener);
    return typeof name === 'string' ? area(name) : undefined;
  },
});
