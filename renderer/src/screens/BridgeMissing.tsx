import { useTranslation } from 'react-i18next';

/** Shown when the page has no `window.coffre`: opened in a plain browser, or the preload failed. */
export function BridgeMissing() {
  const { t } = useTranslation();
  return (
    <main className="centered-page" data-testid="bridge-missing">
      <div className="card narrow">
        <h1>{t('bridge.title')}</h1>
        <p>{t('bridge.body')}</p>
      </div>
    </main>
  );
}
