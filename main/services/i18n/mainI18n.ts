import type { Settings } from '../../../common/ipc.ts';
import type { SettingsService } from '../settingsService.ts';
import type { MainCatalogue } from './catalogue.ts';
import { MAIN_MESSAGES_EN } from './en.ts';
import { MAIN_MESSAGES_FR } from './fr.ts';

export type MainLanguage = 'en' | 'fr';

const CATALOGUES: Record<MainLanguage, MainCatalogue> = { en: MAIN_MESSAGES_EN, fr: MAIN_MESSAGES_FR };

/** The language setting, with 'system' resolved against the OS locale (e.g. 'fr-CA' → 'fr'). */
export function resolveLanguage(setting: Settings['language'], systemLocale: string): MainLanguage {
  if (setting === 'fr' || setting === 'en') return setting;
  return systemLocale.toLowerCase().startsWith('fr') ? 'fr' : 'en';
}

export function catalogueFor(language: MainLanguage): MainCatalogue {
  return CATALOGUES[language];
}

/**
 * The main process's one translation mechanism (notifications, tray), following the app's language
 * setting like the window does — not the OS locale, which only decides 'system'. Read at each use,
 * so a language change applies to the next notification; the tray re-labels on `onChange`.
 */
export class MainI18n {
  private readonly settings: SettingsService;
  private readonly systemLocale: string;

  constructor(deps: { settings: SettingsService; systemLocale: string }) {
    this.settings = deps.settings;
    this.systemLocale = deps.systemLocale;
  }

  language(): MainLanguage {
    return resolveLanguage(this.settings.get().language, this.systemLocale);
  }

  catalogue(): MainCatalogue {
    return catalogueFor(this.language());
  }

  /** e.g. `14:05` / `14 h 05`, in the language's locale and the system's time zone. */
  formatTime(epochMs: number): string {
    return new Date(epochMs).toLocaleTimeString(this.catalogue().timeLocale, {
      hour: '2-digit',
      minute: '2-digit',
    });
  }

  /** Calls `listener` when the language in effect changes. Returns the cleanup. */
  onChange(listener: (language: MainLanguage) => void): () => void {
    let current = this.language();
    return this.settings.onChange((settings) => {
      const next = resolveLanguage(settings.language, this.systemLocale);
      if (next === current) return;
      current = next;
      listener(next);
    });
  }
}
