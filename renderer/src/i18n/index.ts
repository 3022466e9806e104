/**
 * i18next with the English and French resources bundled (no loading at run time). Keys are written
 * out literally at each use (`t('nav.credentials')`): the completeness test scans the source for
 * them, and the compiler checks each against en.json.
 */
import i18next, { type ParseKeys } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { frenchDe } from '../../../common/elision.ts';
import type { Lang } from '../format.ts';
import en from './en.json';
import fr from './fr.json';

export const resources = {
  en: { translation: en },
  fr: { translation: fr },
} as const;

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof en };
  }
}

export type TranslationKey = ParseKeys;

export const i18n = i18next.createInstance();

export function initI18n(lang: Lang): typeof i18n {
  if (!i18n.isInitialized) {
    void i18n.use(initReactI18next).init({
      resources,
      lng: lang,
      fallbackLng: 'en',
      supportedLngs: ['en', 'fr'],
      interpolation: { escapeValue: false },
      returnNull: false,
      initAsync: false,
    });
    // "{{name, de}}": French élision ("l’approbation d’Alice", "de Maurice"); English has no use for it.
    i18n.services.formatter?.add('de', (value, lng) =>
      lng === 'fr' ? frenchDe(String(value)) : String(value),
    );
  }
  return i18n;
}

/** Switches the language and says so on <html lang>, for screen readers and hyphenation. */
export function applyLanguage(lang: Lang): void {
  if (i18n.language !== lang) void i18n.changeLanguage(lang);
  if (typeof document !== 'undefined') document.documentElement.lang = lang;
}
