import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Toasts } from './components/Toasts.tsx';
import { applyLanguage } from './i18n/index.ts';
import { AppFrame } from './screens/AppFrame.tsx';
import { SignIn } from './screens/SignIn.tsx';
import { Unlock } from './screens/Unlock.tsx';
import { startStores } from './stores/lifecycle.ts';
import { actions as session, selectors as sessionSelectors, useSessionStore } from './stores/session.ts';
import { selectors as settingsSelectors, useSettingsStore } from './stores/settings.ts';

export function App() {
  useEffect(() => startStores(), []);
  useAppearance();
  const phase = useSessionStore(sessionSelectors.phase);
  return (
    <>
      {phase === 'loading' ? <Starting /> : null}
      {phase === 'unavailable' ? <Unavailable /> : null}
      {phase === 'signedOut' ? <SignIn /> : null}
      {phase === 'locked' ? <Unlock /> : null}
      {phase === 'signedIn' ? <AppFrame /> : null}
      <Toasts />
    </>
  );
}

/** Language on <html lang> and in i18next; theme on <html data-theme> ('system' leaves it to the OS). */
function useAppearance(): void {
  const lang = useSettingsStore(settingsSelectors.language);
  const theme = useSettingsStore(settingsSelectors.theme);
  useEffect(() => applyLanguage(lang), [lang]);
  useEffect(() => {
    const root = document.documentElement;
    if (theme === 'system') delete root.dataset.theme;
    else root.dataset.theme = theme;
  }, [theme]);
}

function Starting() {
  const { t } = useTranslation();
  return (
    <main className="centered-page" aria-busy="true" data-testid="starting">
      <p className="muted">{t('app.starting')}</p>
    </main>
  );
}

function Unavailable() {
  const { t } = useTranslation();
  const error = useSessionStore((state) => state.loadError);
  return (
    <main className="centered-page" data-testid="unavailable">
      <div className="card narrow">
        <h1>{t('app.unavailableTitle')}</h1>
        <p>{t('app.unavailableBody')}</p>
        {error ? <p className="muted small">{error.message}</p> : null}
        <button type="button" className="button primary" onClick={() => void session.load()}>
          {t('app.retry')}
        </button>
      </div>
    </main>
  );
}
