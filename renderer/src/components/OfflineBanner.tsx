import { useTranslation } from 'react-i18next';
import { formatClock, formatNumber } from '../format.ts';
import { useLang } from '../hooks.ts';
import { selectors as credentialSelectors, useCredentialsStore } from '../stores/credentials.ts';
import { selectors as sessionSelectors, useSessionStore } from '../stores/session.ts';

/** Lives in the top bar's fixed-height slot, so going offline or online moves nothing else. */
export function OfflineBanner() {
  const { t } = useTranslation();
  const sessionOffline = useSessionStore(sessionSelectors.offlineSince);
  const listOffline = useCredentialsStore(credentialSelectors.offlineSince);
  const since = sessionOffline ?? listOffline;
  return (
    <div className="status-slot" role="status">
      {since ? (
        <p className="offline-banner" data-testid="offline-banner">
          <span className="dot dot-warning" aria-hidden="true" />
          {t('offline.banner', { time: formatClock(since) })}
        </p>
      ) : (
        <SyncStatus />
      )}
    </div>
  );
}

function SyncStatus() {
  const { t } = useTranslation();
  const lang = useLang();
  const sync = useCredentialsStore(credentialSelectors.sync);
  if (!sync) return null;
  return (
    <p className="sync-status" data-testid="sync-status">
      {t('sync.progress', { done: formatNumber(sync.done, lang), total: formatNumber(sync.total, lang) })}
    </p>
  );
}
