import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { StorageNotice } from '../components/StorageNotice.tsx';
import { LANGUAGES, SETTINGS_BOUNDS, type Settings as SettingsValues, THEMES } from '../domain.ts';
import { resolveLanguage } from '../format.ts';
import type { TranslationKey } from '../i18n/index.ts';
import { actions as session, selectors as sessionSelectors, useSessionStore } from '../stores/session.ts';
import { selectors, actions as settings, useSettingsStore } from '../stores/settings.ts';

const LANGUAGE_KEYS: Record<(typeof LANGUAGES)[number], TranslationKey> = {
  system: 'settings.languageSystem',
  en: 'settings.languageEnglish',
  fr: 'settings.languageFrench',
};
const THEME_KEYS: Record<(typeof THEMES)[number], TranslationKey> = {
  system: 'settings.themeSystem',
  light: 'settings.themeLight',
  dark: 'settings.themeDark',
};

export function Settings() {
  const { t } = useTranslation();
  const values = useSettingsStore(selectors.settings);
  const ids = useId();
  if (!values) {
    return (
      <div className="page">
        <h1 tabIndex={-1}>{t('settings.title')}</h1>
        <p className="muted">{t('settings.loading')}</p>
      </div>
    );
  }
  const systemLanguage = resolveLanguage('system', navigator.language) === 'fr' ? 'Français' : 'English';
  return (
    <div className="page settings">
      <h1 tabIndex={-1}>{t('settings.title')}</h1>

      <section className="section card" aria-labelledby={`${ids}-security`}>
        <h2 id={`${ids}-security`}>{t('settings.security')}</h2>
        <NumberSetting
          name="clipboardClearSeconds"
          value={values.clipboardClearSeconds}
          label="settings.clipboardDelay"
          unit="settings.secondsUnit"
          hint="settings.clipboardDelayHint"
        />
        <NumberSetting
          name="autoLockMinutes"
          value={values.autoLockMinutes}
          label="settings.autoLock"
          unit="settings.minutesUnit"
          hint="settings.autoLockHint"
        />
        <NumberSetting
          name="revealSeconds"
          value={values.revealSeconds}
          label="settings.revealDuration"
          unit="settings.secondsUnit"
          hint="settings.revealDurationHint"
        />
      </section>

      <section className="section card" aria-labelledby={`${ids}-appearance`}>
        <h2 id={`${ids}-appearance`}>{t('settings.appearance')}</h2>
        <div className="field row-field">
          <label htmlFor={`${ids}-language`}>{t('settings.language')}</label>
          <select
            id={`${ids}-language`}
            className="input"
            value={values.language}
            data-testid="settings-language"
            onChange={(event) =>
              void settings.update({ language: event.target.value as SettingsValues['language'] })
            }
          >
            {LANGUAGES.map((language) => (
              <option
                key={language}
                value={language}
                lang={language === 'fr' ? 'fr' : language === 'en' ? 'en' : undefined}
              >
                {t(LANGUAGE_KEYS[language], { language: systemLanguage })}
              </option>
            ))}
          </select>
        </div>
        <div className="field row-field">
          <label htmlFor={`${ids}-theme`}>{t('settings.theme')}</label>
          <select
            id={`${ids}-theme`}
            className="input"
            value={values.theme}
            data-testid="settings-theme"
            onChange={(event) =>
              void settings.update({ theme: event.target.value as SettingsValues['theme'] })
            }
          >
            {THEMES.map((theme) => (
              <option key={theme} value={theme}>
                {t(THEME_KEYS[theme])}
              </option>
            ))}
          </select>
        </div>
      </section>

      <Profiles />
      <Account />
    </div>
  );
}

type NumberSettingName = keyof typeof SETTINGS_BOUNDS;

/** Saved when the field loses focus or on Enter, once valid; the status line never moves the layout. */
function NumberSetting({
  name,
  value,
  label,
  unit,
  hint,
}: {
  name: NumberSettingName;
  value: number;
  label: TranslationKey;
  unit: TranslationKey;
  hint: TranslationKey;
}) {
  const { t } = useTranslation();
  const id = useId();
  const { min, max } = SETTINGS_BOUNDS[name];
  const [draft, setDraft] = useState(String(value));
  const [invalid, setInvalid] = useState(false);
  const [saved, setSaved] = useState(false);

  useEffect(() => setDraft(String(value)), [value]);

  const commit = async () => {
    const parsed = Number(draft);
    if (!Number.isInteger(parsed) || parsed < min || parsed > max) {
      setInvalid(true);
      return;
    }
    setInvalid(false);
    if (parsed === value) return;
    setSaved(await settings.update({ [name]: parsed }));
  };

  return (
    <div className="field row-field">
      <label htmlFor={id}>{t(label)}</label>
      <div className="input-with-unit">
        <input
          id={id}
          className="input input-narrow"
          type="number"
          min={min}
          max={max}
          step={1}
          value={draft}
          aria-invalid={invalid ? true : undefined}
          aria-describedby={`${id}-hint ${id}-status`}
          data-testid={`settings-${name}`}
          onChange={(event) => {
            setDraft(event.target.value);
            setSaved(false);
          }}
          onBlur={() => void commit()}
          onKeyDown={(event) => {
            if (event.key === 'Enter') {
              event.preventDefault();
              void commit();
            }
          }}
        />
        <span className="unit" aria-hidden="true">
          {t(unit)}
        </span>
      </div>
      <p id={`${id}-hint`} className="field-hint">
        {t(hint, { min, max })}
      </p>
      <p id={`${id}-status`} className={invalid ? 'field-error' : 'field-saved'} role="status">
        {invalid ? t('settings.outOfRange', { min, max }) : saved ? t('settings.saved') : ''}
      </p>
    </div>
  );
}

function Profiles() {
  const { t } = useTranslation();
  const profiles = useSettingsStore(selectors.profiles);
  const current = useSessionStore(sessionSelectors.profile);
  const ids = useId();
  return (
    <section className="section card" aria-labelledby={`${ids}-profiles`}>
      <h2 id={`${ids}-profiles`}>{t('settings.profiles')}</h2>
      {profiles.length === 0 ? (
        <p className="muted">{t('settings.noProfiles')}</p>
      ) : (
        <ul className="profile-list" data-testid="profile-list">
          {profiles.map((profile) => {
            const inUse = profile.id === current?.id;
            return (
              <li
                key={profile.id}
                className="profile-item"
                data-testid="profile-item"
                data-profile-id={profile.id}
              >
                <div className="profile-text">
                  <span className="profile-name">{profile.name}</span>
                  <span className="muted small">
                    {profile.url} ·{' '}
                    {profile.dialect === 'mim' ? t('signIn.dialectMim') : t('signIn.dialectCheckout')}
                    {profile.username ? ` · ${profile.username}` : ''}
                  </span>
                </div>
                {inUse ? <span className="badge badge-subtle">{t('settings.inUse')}</span> : null}
                <button
                  type="button"
                  className="button ghost"
                  disabled={inUse}
                  aria-label={t('settings.removeProfile', { name: profile.name })}
                  data-testid="remove-profile"
                  onClick={() => void settings.removeProfile(profile.id)}
                >
                  {t('settings.remove')}
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

function Account() {
  const { t } = useTranslation();
  const user = useSessionStore(sessionSelectors.user);
  const profile = useSessionStore(sessionSelectors.profile);
  const ids = useId();
  return (
    <section className="section card" aria-labelledby={`${ids}-account`}>
      <h2 id={`${ids}-account`}>{t('settings.account')}</h2>
      {user ? (
        <p>
          {t('settings.signedInAs', { name: user.displayName || user.username, server: profile?.name ?? '' })}
        </p>
      ) : null}
      <StorageNotice showTokenNotice />
      <button
        type="button"
        className="button danger"
        data-testid="sign-out"
        onClick={() => void session.signOut()}
      >
        {t('settings.signOut')}
      </button>
    </section>
  );
}
