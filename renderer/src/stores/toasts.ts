/** Short messages at the bottom of the window: errors (translated by kind, with the server's words) and confirmations. */
import { create } from 'zustand';
import { NOT_OFFERED } from '../../../common/notOffered.ts';
import { localizeServerError } from '../../../common/serverErrorText.ts';
import { type CoffreError, type ErrorKind, toCoffreError } from '../api.ts';
import { i18n, type TranslationKey } from '../i18n/index.ts';

export type ToastTone = 'error' | 'success' | 'info';

export interface Toast {
  id: number;
  tone: ToastTone;
  /** Translation key of the headline. */
  key: TranslationKey;
  values?: Record<string, string | number>;
  /** Untranslated detail, such as the server's own message. */
  detail?: string;
  errorCode?: string;
}

export interface ToastsState {
  toasts: Toast[];
}

export const initialState: ToastsState = { toasts: [] };

export const useToastsStore = create<ToastsState>()(() => ({ ...initialState }));

/** How long a toast stays, by tone; errors stay longer so they can be read. */
export const TOAST_MS: Record<ToastTone, number> = { error: 10_000, success: 5_000, info: 5_000 };
const MAX_TOASTS = 4;

/** The headline of each error kind; literal keys so the i18n usage scan sees them. */
export const ERROR_KEYS: Record<ErrorKind, TranslationKey> = {
  unauthorized: 'error.unauthorized',
  forbidden: 'error.forbidden',
  not_found: 'error.notFound',
  conflict: 'error.conflict',
  policy: 'error.policy',
  invalid: 'error.invalid',
  throttled: 'error.throttled',
  network: 'error.network',
  timeout: 'error.timeout',
  tls: 'error.tls',
  server: 'error.server',
  unsupported: 'error.unsupported',
  protocol: 'error.protocol',
  locked: 'error.locked',
  internal: 'error.internal',
};

/** A Devolutions Server without one of Coffre's additions says so; other errors by their kind. */
function headlineOf(failure: CoffreError): TranslationKey {
  if (failure.code === NOT_OFFERED) return 'error.notOffered';
  return ERROR_KEYS[failure.kind] ?? 'error.internal';
}

/** The server's own words; for a missing Coffre addition, which one, in the interface's language. */
function detailOf(failure: CoffreError): string {
  if (failure.code !== NOT_OFFERED) return failure.message;
  return localizeServerError(failure.code, failure.message, i18n.language === 'fr' ? 'fr' : 'en');
}

let nextId = 1;
const timers = new Map<number, ReturnType<typeof setTimeout>>();

export const actions = {
  push(toast: Omit<Toast, 'id'>): number {
    const id = nextId++;
    useToastsStore.setState((state) => {
      const kept = state.toasts.slice(-(MAX_TOASTS - 1));
      for (const dropped of state.toasts.slice(0, state.toasts.length - kept.length))
        actions.forget(dropped.id);
      return { toasts: [...kept, { ...toast, id }] };
    });
    timers.set(
      id,
      setTimeout(() => actions.dismiss(id), TOAST_MS[toast.tone]),
    );
    return id;
  },

  success(key: TranslationKey, values?: Record<string, string | number>): number {
    return actions.push({ tone: 'success', key, ...(values ? { values } : {}) });
  },

  /**
   * Any thrown value as an error toast: the kind picks the headline, the message is the detail.
   * A call refused because Coffre locked meanwhile (a load in flight at the lock) shows nothing
   * (0): the lock screen says so, and unlocking loads again; a toast would greet the user after.
   */
  error(error: unknown): number {
    const failure = toCoffreError(error);
    if (failure.kind === 'locked') return 0;
    return actions.push({
      tone: 'error',
      key: headlineOf(failure),
      detail: detailOf(failure),
      errorCode: failure.code,
    });
  },

  dismiss(id: number): void {
    actions.forget(id);
    useToastsStore.setState((state) => ({ toasts: state.toasts.filter((toast) => toast.id !== id) }));
  },

  /** Keeps a toast on screen while the pointer or focus is on it. */
  hold(id: number): void {
    actions.forget(id);
  },

  release(id: number): void {
    const toast = useToastsStore.getState().toasts.find((candidate) => candidate.id === id);
    if (!toast || timers.has(id)) return;
    timers.set(
      id,
      setTimeout(() => actions.dismiss(id), TOAST_MS[toast.tone]),
    );
  },

  forget(id: number): void {
    const timer = timers.get(id);
    if (timer !== undefined) clearTimeout(timer);
    timers.delete(id);
  },

  reset(): void {
    for (const id of [...timers.keys()]) actions.forget(id);
    useToastsStore.setState({ ...initialState });
  },
};

export const selectors = {
  toasts: (state: ToastsState) => state.toasts,
};
