import { useTranslation } from 'react-i18next';
import type { SessionState } from '../domain.ts';
import type { TranslationKey } from '../i18n/index.ts';
import { selectors as sessionSelectors, useSessionStore } from '../stores/session.ts';

const STORAGE_KEYS: Record<NonNullable<SessionState['storageWarning']>, TranslationKey> = {
  keyring_unavailable: 'storage.keyringUnavailable',
  keyring_plaintext: 'storage.keyringPlaintext',
  cache_reset: 'storage.cacheReset',
};

/** What the main process says about the local cache's protection, in the user's language. */
export function StorageNotice({ showTokenNotice = false }: { showTokenNotice?: boolean }) {
  const { t } = useTranslation();
  const warning = useSessionStore(sessionSelectors.storageWarning);
  const tokenNotKept = useSessionStore(sessionSelectors.tokenNotKept);
  if (warning) {
    return (
      <p className="notice" data-testid="storage-warning" data-code={warning}>
        {t(STORAGE_KEYS[warning])}
      </p>
    );
  }
  if (showTokenNotice && tokenNotKept) {
    return (
      <p className="notice" data-testid="token-not-kept">
        {t('settings.tokenNotKept')}
      </p>
    );
  }
  return null;
}
