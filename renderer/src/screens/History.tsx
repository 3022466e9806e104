import { Tabs } from 'radix-ui';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AuditEntry, Checkout, CheckoutStatus } from '../domain.ts';
import { formatDateTime, formatDuration, localInputToIso } from '../format.ts';
import { useLang } from '../hooks.ts';
import type { TranslationKey } from '../i18n/index.ts';
import {
  AUDIT_DISPLAY_LIMIT,
  actions as audit,
  selectors as auditSelectors,
  useAuditStore,
} from '../stores/audit.ts';
import { actions as checkouts, selectors, useCheckoutsStore } from '../stores/checkouts.ts';
import { selectors as sessionSelectors, useSessionStore } from '../stores/session.ts';
import { ERROR_KEYS } from '../stores/toasts.ts';

export const STATUS_KEYS: Record<CheckoutStatus, TranslationKey> = {
  0: 'status.invalid',
  1: 'status.pending',
  2: 'status.granted',
  3: 'status.denied',
  4: 'status.active',
  5: 'status.ended',
  6: 'status.expired',
  7: 'status.aborted',
  8: 'status.canceled',
  9: 'status.initial',
};

const STATUS_TONE: Partial<Record<CheckoutStatus, string>> = { 3: 'danger', 6: 'warning', 7: 'warning' };

export function History() {
  const { t } = useTranslation();
  const isAdmin = useSessionStore(sessionSelectors.isAdmin);
  if (!isAdmin) {
    return (
      <div className="page">
        <h1 tabIndex={-1}>{t('history.title')}</h1>
        <MyHistory />
      </div>
    );
  }
  return (
    <div className="page">
      <h1 tabIndex={-1}>{t('history.title')}</h1>
      <Tabs.Root defaultValue="mine" className="tabs">
        <Tabs.List className="tab-list" aria-label={t('history.tabsLabel')}>
          <Tabs.Trigger value="mine" className="tab" data-testid="tab-my-history">
            {t('history.mine')}
          </Tabs.Trigger>
          <Tabs.Trigger value="audit" className="tab" data-testid="tab-audit">
            {t('history.audit')}
          </Tabs.Trigger>
        </Tabs.List>
        <Tabs.Content value="mine" className="tab-panel">
          <MyHistory />
        </Tabs.Content>
        <Tabs.Content value="audit" className="tab-panel">
          <AuditTrail />
        </Tabs.Content>
      </Tabs.Root>
    </div>
  );
}

function MyHistory() {
  const { t } = useTranslation();
  const lang = useLang();
  const history = useCheckoutsStore(selectors.history);
  const loaded = useCheckoutsStore(selectors.historyLoaded);

  useEffect(() => {
    void checkouts.loadHistory();
  }, []);

  if (loaded && history.length === 0) {
    return (
      <p className="muted empty-state" data-testid="no-history">
        {t('history.empty')}
      </p>
    );
  }
  return (
    <div className="table-wrap">
      <table className="table" data-testid="history-table">
        <caption className="visually-hidden">{t('history.mine')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('history.credential')}</th>
            <th scope="col">{t('history.status')}</th>
            <th scope="col">{t('history.requested')}</th>
            <th scope="col">{t('history.ended')}</th>
            <th scope="col">{t('history.duration')}</th>
            <th scope="col">{t('history.approver')}</th>
            <th scope="col">{t('history.reason')}</th>
          </tr>
        </thead>
        <tbody>
          {history.map((checkout) => (
            <HistoryRow key={checkout.id} checkout={checkout} lang={lang} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function HistoryRow({ checkout, lang }: { checkout: Checkout; lang: 'en' | 'fr' }) {
  const { t } = useTranslation();
  const ended = checkout.checkInDateTime ?? checkout.expiresAt;
  return (
    <tr data-testid="history-row" data-checkout-id={checkout.id} data-status={checkout.status}>
      <th scope="row">{checkout.credentialName}</th>
      <td>
        <span className={`badge badge-status ${STATUS_TONE[checkout.status] ?? ''}`}>
          {t(STATUS_KEYS[checkout.status] ?? 'status.invalid')}
        </span>
      </td>
      <td>{formatDateTime(checkout.requestDateTime, lang)}</td>
      <td>{ended ? formatDateTime(ended, lang) : '—'}</td>
      <td>{formatDuration(checkout.duration, lang)}</td>
      <td>
        {checkout.approverName ?? '—'}
        {checkout.approverMessage ? (
          <q className="quote block" data-testid="approver-message">
            {checkout.approverMessage}
          </q>
        ) : null}
      </td>
      <td>{checkout.reason || '—'}</td>
    </tr>
  );
}

export const AUDIT_ACTION_KEYS: Record<AuditEntry['action'], TranslationKey> = {
  login: 'auditAction.login',
  'login.failed': 'auditAction.loginFailed',
  'login.locked': 'auditAction.loginLocked',
  logout: 'auditAction.logout',
  'checkout.requested': 'auditAction.checkoutRequested',
  'checkout.approved': 'auditAction.checkoutApproved',
  'checkout.denied': 'auditAction.checkoutDenied',
  'checkout.activated': 'auditAction.checkoutActivated',
  'checkout.checkedin': 'auditAction.checkoutCheckedIn',
  'checkout.canceled': 'auditAction.checkoutCanceled',
  'checkout.aborted': 'auditAction.checkoutAborted',
  'checkout.expired': 'auditAction.checkoutExpired',
  'checkout.extended': 'auditAction.checkoutExtended',
  'password.read': 'auditAction.passwordRead',
  'password.rotated': 'auditAction.passwordRotated',
  'password.set': 'auditAction.passwordSet',
  'user.created': 'auditAction.userCreated',
  'user.updated': 'auditAction.userUpdated',
  'vault.created': 'auditAction.vaultCreated',
  'vault.updated': 'auditAction.vaultUpdated',
  'credential.created': 'auditAction.credentialCreated',
  'credential.updated': 'auditAction.credentialUpdated',
  'credential.deleted': 'auditAction.credentialDeleted',
};

function AuditTrail() {
  const { t } = useTranslation();
  const lang = useLang();
  const entries = useAuditStore(auditSelectors.entries);
  const loaded = useAuditStore(auditSelectors.loaded);
  const loading = useAuditStore(auditSelectors.loading);
  const error = useAuditStore(auditSelectors.error);
  const actors = useAuditStore(auditSelectors.actors);
  const matches = useAuditStore(auditSelectors.credentialMatches);
  const ids = useId();
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [userId, setUserId] = useState('');
  const [credentialSearch, setCredentialSearch] = useState('');
  const [credentialId, setCredentialId] = useState('');

  useEffect(() => {
    void audit.load({});
  }, []);
  useEffect(() => {
    const timer = setTimeout(() => void audit.findCredentials(credentialSearch), 150);
    return () => clearTimeout(timer);
  }, [credentialSearch]);

  const apply = (event: FormEvent) => {
    event.preventDefault();
    const fromIso = localInputToIso(from);
    const toIso = localInputToIso(to);
    void audit.load({
      ...(fromIso ? { from: fromIso } : {}),
      ...(toIso ? { to: toIso } : {}),
      ...(credentialId ? { credentialId } : {}),
      ...(userId ? { userId } : {}),
    });
  };
  const clear = () => {
    setFrom('');
    setTo('');
    setUserId('');
    setCredentialSearch('');
    setCredentialId('');
    void audit.load({});
  };
  const shown = entries.slice(0, AUDIT_DISPLAY_LIMIT);

  return (
    <div className="audit">
      <form className="filters" onSubmit={apply} aria-label={t('audit.filters')} data-testid="audit-filters">
        <div className="field">
          <label htmlFor={`${ids}-from`}>{t('audit.from')}</label>
          <input
            id={`${ids}-from`}
            className="input"
            type="datetime-local"
            value={from}
            data-testid="audit-from"
            onChange={(event) => setFrom(event.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={`${ids}-to`}>{t('audit.to')}</label>
          <input
            id={`${ids}-to`}
            className="input"
            type="datetime-local"
            value={to}
            data-testid="audit-to"
            onChange={(event) => setTo(event.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={`${ids}-credential-search`}>{t('audit.credentialSearch')}</label>
          <input
            id={`${ids}-credential-search`}
            className="input"
            type="search"
            value={credentialSearch}
            autoComplete="off"
            data-testid="audit-credential-search"
            onChange={(event) => setCredentialSearch(event.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={`${ids}-credential`}>{t('audit.credential')}</label>
          <select
            id={`${ids}-credential`}
            className="input"
            value={credentialId}
            data-testid="audit-credential"
            onChange={(event) => setCredentialId(event.target.value)}
          >
            <option value="">{t('audit.anyCredential')}</option>
            {matches.map((credential) => (
              <option key={credential.id} value={credential.id}>
                {credential.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${ids}-user`}>{t('audit.user')}</label>
          <select
            id={`${ids}-user`}
            className="input"
            value={userId}
            data-testid="audit-user"
            onChange={(event) => setUserId(event.target.value)}
          >
            <option value="">{t('audit.anyUser')}</option>
            {Object.entries(actors)
              .sort(([, a], [, b]) => a.localeCompare(b))
              .map(([id, name]) => (
                <option key={id} value={id}>
                  {name}
                </option>
              ))}
          </select>
        </div>
        <div className="filter-actions">
          <button type="submit" className="button primary" data-testid="audit-apply">
            {t('audit.apply')}
          </button>
          <button type="button" className="button" onClick={clear}>
            {t('audit.clear')}
          </button>
        </div>
      </form>
      <p className="muted small status-line" role="status" aria-busy={loading}>
        {loading
          ? t('audit.loading')
          : loaded && !error
            ? entries.length > AUDIT_DISPLAY_LIMIT
              ? t('audit.truncated', { shown: AUDIT_DISPLAY_LIMIT, total: entries.length })
              : t('audit.count', { count: entries.length })
            : ''}
      </p>
      {error ? (
        <p className="form-error" role="alert" data-testid="audit-error">
          <strong>{t(ERROR_KEYS[error.kind] ?? 'error.internal')}</strong> {error.message}
        </p>
      ) : null}
      {loaded && !error && entries.length === 0 ? (
        <p className="muted empty-state">{t('audit.empty')}</p>
      ) : null}
      {shown.length > 0 ? (
        <div className="table-wrap">
          <table className="table" data-testid="audit-table">
            <caption className="visually-hidden">{t('history.audit')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('audit.time')}</th>
                <th scope="col">{t('audit.user')}</th>
                <th scope="col">{t('audit.action')}</th>
                <th scope="col">{t('audit.details')}</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((entry) => (
                <tr key={entry.id} data-testid="audit-row" data-action={entry.action}>
                  <td className="nowrap">{formatDateTime(entry.at, lang)}</td>
                  <td>{entry.actorName ?? '—'}</td>
                  <td>{t(AUDIT_ACTION_KEYS[entry.action] ?? 'auditAction.unknown')}</td>
                  <td className="details-cell">{entry.details}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  );
}
