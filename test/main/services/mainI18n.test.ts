import { describe, expect, it } from 'vitest';
import type { Settings } from '../../../common/ipc.ts';
import { MAIN_MESSAGES_EN, TRAY_LABELS_EN } from '../../../main/services/i18n/en.ts';
import { MAIN_MESSAGES_FR, TRAY_LABELS_FR } from '../../../main/services/i18n/fr.ts';
import { MainI18n, resolveLanguage } from '../../../main/services/i18n/mainI18n.ts';
import type { SettingsService } from '../../../main/services/settingsService.ts';

/** A SettingsService holding only a language, with its change listeners. */
function settingsWith(language: Settings['language']) {
  const listeners = new Set<(settings: Settings) => void>();
  let current = { language } as Settings;
  const service = {
    get: () => current,
    onChange: (listener: (settings: Settings) => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  } as unknown as SettingsService;
  const set = (next: Settings['language']) => {
    current = { language: next } as Settings;
    for (const listener of listeners) listener(current);
  };
  return { service, set };
}

describe('MainI18n: one translation mechanism for the main process', () => {
  it('follows the app’s language setting, not the OS locale', () => {
    const { service, set } = settingsWith('en');
    const i18n = new MainI18n({ settings: service, systemLocale: 'fr-CA' });
    expect(i18n.catalogue()).toBe(MAIN_MESSAGES_EN);
    expect(i18n.catalogue().tray).toBe(TRAY_LABELS_EN);
    set('fr');
    expect(i18n.catalogue().tray).toBe(TRAY_LABELS_FR);
  });

  it('uses the OS locale only for the “system” setting', () => {
    expect(resolveLanguage('system', 'fr-CA')).toBe('fr');
    expect(resolveLanguage('system', 'FR')).toBe('fr');
    expect(resolveLanguage('system', 'de-DE')).toBe('en');
    expect(resolveLanguage('en', 'fr-FR')).toBe('en');
    expect(
      new MainI18n({ settings: settingsWith('system').service, systemLocale: 'fr-FR' }).catalogue(),
    ).toBe(MAIN_MESSAGES_FR);
  });

  it('formats times in the language’s locale', () => {
    const { service, set } = settingsWith('en');
    const i18n = new MainI18n({ settings: service, systemLocale: 'en-US' });
    const at = new Date(2026, 0, 1, 14, 5).getTime();
    expect(i18n.formatTime(at)).toBe(
      new Date(at).toLocaleTimeString('en-US', { hour: '2-digit', minute: '2-digit' }),
    );
    set('fr');
    expect(i18n.formatTime(at)).toBe(
      new Date(at).toLocaleTimeString('fr-CA', { hour: '2-digit', minute: '2-digit' }),
    );
  });

  it('tells its listeners when the language in effect changes, and only then', () => {
    const { service, set } = settingsWith('system');
    const i18n = new MainI18n({ settings: service, systemLocale: 'fr-CA' });
    const heard: string[] = [];
    const leave = i18n.onChange((language) => heard.push(language));
    set('fr'); // 'system' was French already
    set('en');
    set('en');
    leave();
    set('fr');
    expect(heard).toEqual(['en']);
  });

  it('has every text in both languages, and they differ', () => {
    for (const key of Object.keys(TRAY_LABELS_EN) as Array<keyof typeof TRAY_LABELS_EN>) {
      expect(TRAY_LABELS_FR[key], key).toBeTruthy();
    }
    expect(MAIN_MESSAGES_FR.expiry.extendAction).not.toBe(MAIN_MESSAGES_EN.expiry.extendAction);
    expect(MAIN_MESSAGES_FR.approvals.approveAction).not.toBe(MAIN_MESSAGES_EN.approvals.approveAction);
  });
});
