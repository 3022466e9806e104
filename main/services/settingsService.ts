import {
  DEFAULT_SETTINGS,
  type ServerProfile,
  type Settings,
  type SettingsPatch,
  settingsSchema,
} from '../../common/ipc.ts';
import { MAX_RECENT } from '../../common/settings.ts';
import type { CredentialCache } from '../cache/credentialCache.ts';

const SETTINGS_KEY = 'settings';

/** The user's preferences, kept (encrypted) in the cache; always a complete, valid Settings. */
export class SettingsService {
  private readonly cache: CredentialCache;
  private current: Settings;
  private readonly listeners = new Set<(settings: Settings) => void>();

  constructor(deps: { cache: CredentialCache }) {
    this.cache = deps.cache;
    const stored = settingsSchema.safeParse({
      ...DEFAULT_SETTINGS,
      ...(this.cache.getMeta<object>(SETTINGS_KEY) ?? {}),
    });
    this.current = stored.success ? stored.data : { ...DEFAULT_SETTINGS };
  }

  get(): Settings {
    return structuredClone(this.current);
  }

  update(patch: SettingsPatch): Settings {
    this.current = settingsSchema.parse({ ...this.current, ...patch });
    this.cache.setMeta(SETTINGS_KEY, this.current);
    for (const listener of this.listeners) listener(this.get());
    return this.get();
  }

  /** The credential was just used: first of the recently used ones. */
  noteRecentCredential(credentialId: string): Settings {
    const recent = this.current.recentCredentialIds.filter((id) => id !== credentialId);
    return this.update({ recentCredentialIds: [credentialId, ...recent].slice(0, MAX_RECENT) });
  }

  /** Adds or replaces a server profile and makes it the last used one. */
  rememberProfile(profile: ServerProfile): Settings {
    const profiles = this.current.profiles.filter((p) => p.id !== profile.id);
    return this.update({ profiles: [...profiles, profile], lastProfileId: profile.id });
  }

  onChange(listener: (settings: Settings) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
