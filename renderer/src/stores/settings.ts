/** The app's settings (main process owned, persisted there); the language and theme derive from them. */
import { create } from 'zustand';
import { api } from '../api.ts';
import { MAX_FAVOURITES, type ServerProfile, type Settings, type SettingsPatch } from '../domain.ts';
import { type Lang, resolveLanguage } from '../format.ts';
import { actions as toasts } from './toasts.ts';

export interface SettingsStoreState {
  settings: Settings | null;
  saving: boolean;
}

export const initialState: SettingsStoreState = { settings: null, saving: false };

export const useSettingsStore = create<SettingsStoreState>()(() => ({ ...initialState }));
const set = useSettingsStore.setState;

function systemLocale(): string {
  return typeof navigator === 'undefined' ? 'en' : navigator.language;
}

export const actions = {
  async load(): Promise<void> {
    try {
      set({ settings: await api.settings.get() });
    } catch (error) {
      toasts.error(error);
    }
  },

  /** Reads them again after the main process changed them (recently used credentials); quiet on failure. */
  async refresh(): Promise<void> {
    try {
      set({ settings: await api.settings.get() });
    } catch {
      // The next load or change brings them.
    }
  },

  /** Saves a change; on failure the previous values stay and a toast says why. */
  async update(patch: SettingsPatch): Promise<boolean> {
    const previous = useSettingsStore.getState().settings;
    // Shown at once (a theme or language switch must not wait for the round trip).
    if (previous) set({ settings: { ...previous, ...patch } });
    set({ saving: true });
    try {
      set({ settings: await api.settings.update(patch), saving: false });
      return true;
    } catch (error) {
      set({ settings: previous, saving: false });
      toasts.error(error);
      return false;
    }
  },

  /** Stars or un-stars a credential (listed first while starred). */
  toggleFavourite(credentialId: string): Promise<boolean> {
    const ids = useSettingsStore.getState().settings?.favouriteCredentialIds ?? [];
    const next = ids.includes(credentialId)
      ? ids.filter((id) => id !== credentialId)
      : [...ids, credentialId].slice(-MAX_FAVOURITES);
    return actions.update({ favouriteCredentialIds: next });
  },

  async removeProfile(id: string): Promise<boolean> {
    const settings = useSettingsStore.getState().settings;
    if (!settings) return false;
    return actions.update({
      profiles: settings.profiles.filter((profile) => profile.id !== id),
      ...(settings.lastProfileId === id ? { lastProfileId: null } : {}),
    });
  },

  reset(): void {
    set({ ...initialState });
  },
};

/**
 * One empty list for "not loaded yet": a selector must return the same value for the same state,
 * or React re-renders forever (a fresh `[]` each call is a new value).
 */
const NO_PROFILES: ServerProfile[] = [];
const NO_IDS: string[] = [];

export const selectors = {
  settings: (state: SettingsStoreState) => state.settings,
  loaded: (state: SettingsStoreState) => state.settings !== null,
  /** The language in use: the setting, or the OS's when it says 'system'. */
  language: (state: SettingsStoreState): Lang => resolveLanguage(state.settings?.language, systemLocale()),
  languageSetting: (state: SettingsStoreState) => state.settings?.language ?? 'system',
  theme: (state: SettingsStoreState) => state.settings?.theme ?? 'system',
  profiles: (state: SettingsStoreState) => state.settings?.profiles ?? NO_PROFILES,
  lastProfileId: (state: SettingsStoreState) => state.settings?.lastProfileId ?? null,
  clipboardClearSeconds: (state: SettingsStoreState) => state.settings?.clipboardClearSeconds ?? 30,
  revealSeconds: (state: SettingsStoreState) => state.settings?.revealSeconds ?? 20,
  saving: (state: SettingsStoreState) => state.saving,
  favourites: (state: SettingsStoreState) => state.settings?.favouriteCredentialIds ?? NO_IDS,
  recent: (state: SettingsStoreState) => state.settings?.recentCredentialIds ?? NO_IDS,
};
