/**
 * Clipboard and reveal state: which credential's password is on the clipboard until when, and which
 * are revealed until when. Never the password itself: `reveal` hands it to the calling component,
 * which keeps it in its own state while shown and drops it when the entry here goes away.
 */
import { create } from 'zustand';
import { api } from '../api.ts';
import type { AppEvent } from '../domain.ts';
import { actions as toasts } from './toasts.ts';

export interface SecretsState {
  clipboard: { credentialId: string | null; clearsAt: string } | null;
  reveals: Record<string, { hideAt: string }>;
  copying: Record<string, true>;
  revealing: Record<string, true>;
}

export const initialState: SecretsState = { clipboard: null, reveals: {}, copying: {}, revealing: {} };

export const useSecretsStore = create<SecretsState>()(() => ({ ...initialState }));
const set = useSecretsStore.setState;
const get = useSecretsStore.getState;

function without<T>(record: Record<string, T>, key: string): Record<string, T> {
  const { [key]: _removed, ...rest } = record;
  return rest;
}

export const actions = {
  async copy(credentialId: string): Promise<boolean> {
    set((state) => ({ copying: { ...state.copying, [credentialId]: true } }));
    try {
      const { clearsAt } = await api.password.copy({ credentialId });
      set((state) => ({
        clipboard: { credentialId, clearsAt },
        copying: without(state.copying, credentialId),
      }));
      return true;
    } catch (error) {
      set((state) => ({ copying: without(state.copying, credentialId) }));
      toasts.error(error);
      return false;
    }
  },

  /** The credential's account name on the clipboard (no secret: not cleared); a toast confirms. */
  async copyUsername(credentialId: string): Promise<boolean> {
    try {
      await api.username.copy({ credentialId });
      toasts.success('checkouts.usernameCopied');
      return true;
    } catch (error) {
      toasts.error(error);
      return false;
    }
  },

  /** The password for the caller to show until `hideAt`; null on failure (a toast says why). */
  async reveal(credentialId: string): Promise<string | null> {
    set((state) => ({ revealing: { ...state.revealing, [credentialId]: true } }));
    try {
      const { password, hideAt } = await api.password.reveal({ credentialId });
      set((state) => ({
        reveals: { ...state.reveals, [credentialId]: { hideAt } },
        revealing: without(state.revealing, credentialId),
      }));
      return password;
    } catch (error) {
      set((state) => ({ revealing: without(state.revealing, credentialId) }));
      toasts.error(error);
      return null;
    }
  },

  /** Hides now (the user's button, or the countdown reaching zero before the event arrived). */
  async hide(credentialId: string): Promise<void> {
    if (!(credentialId in get().reveals)) return;
    set((state) => ({ reveals: without(state.reveals, credentialId) }));
    try {
      await api.password.hide({ credentialId });
    } catch {
      // The main process hides on its own timer anyway.
    }
  },

  /** The countdown ran out: stop showing it even if the event is late. */
  clipboardExpired(clearsAt: string): void {
    if (get().clipboard?.clearsAt === clearsAt) set({ clipboard: null });
  },

  handleEvent(event: AppEvent): void {
    if (event.type === 'clipboard.changed') {
      if (event.state === 'copied' && event.clearsAt) {
        set({ clipboard: { credentialId: event.credentialId, clearsAt: event.clearsAt } });
      } else if (event.state === 'cleared') {
        const current = get().clipboard;
        if (!current || event.credentialId === null || current.credentialId === event.credentialId) {
          set({ clipboard: null });
        }
      }
    } else if (event.type === 'password.hidden') {
      set((state) => ({ reveals: without(state.reveals, event.credentialId) }));
    }
  },

  reset(): void {
    set({ ...initialState });
  },
};

export const selectors = {
  clipboard: (state: SecretsState) => state.clipboard,
  /** When the clipboard clears, if it holds this credential's password. */
  clipboardFor: (credentialId: string) => (state: SecretsState) =>
    state.clipboard && state.clipboard.credentialId === credentialId ? state.clipboard.clearsAt : null,
  revealedUntil: (credentialId: string) => (state: SecretsState) =>
    state.reveals[credentialId]?.hideAt ?? null,
  copying: (credentialId: string) => (state: SecretsState) => credentialId in state.copying,
  revealing: (credentialId: string) => (state: SecretsState) => credentialId in state.revealing,
};
