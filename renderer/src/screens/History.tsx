import { Tabs } from 'radix-ui';
import { type FormEvent, useEffect, useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, toCoffreError } from '../api.ts';
import { CheckoutDialog } from '../components/CheckoutDialog.tsx';
import type { AuditEntry, Checkout, CheckoutStatus, Credential } from '../domain.ts';
import { formatClock, formatDateTime, formatDay, formatDuration } from '../format.ts';
import { useLang } from '../hooks.ts';
import type { TranslationKey } from '../i18n/index.ts';
import {
  AUDIT_DISPLAY_LIMIT,
  actions as audit,
  selectors as auditSelectors,
  useAuditStore,
} from '../stores/audit.ts';
import { actions as checkouts, selectors, useCheckoutsStore } from '../stores/checkouts.ts';
import { selectors as credentialSelectors, useCredentialsStore } from '../stores/credentials.ts';
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
  const [dialogFor, setDialogFor] = useState<Credential | null>(null);
  const [askError, setAskError] = useState<string | null>(null);
  const requestAgain = async (credentialId: string) => {
    try {
      setAskError(null);
      setDialogFor(await api.credentials.get({ id: credentialId }));
    } catch (error) {
      setAskError(toCoffreError(error).message);
    }
  };

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
      {askError ? (
        <p className="form-error" role="alert">
          {askError}
        </p>
      ) : null}
      <table className="table" data-testid="history-table">
        <caption className="visually-hidden">{t('history.mine')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('history.credential')}</th>
            <th scope="col">{t('history.status')}</th>
            <th scope="col">{t('history.when')}</th>
            <th scope="col">{t('history.held')}</th>
            <th scope="col">{t('history.approver')}</th>
          </tr>
        </thead>
        <tbody>
          {history.map((checkout) => (
            <HistoryRow key={checkout.id} checkout={checkout} lang={lang} onRequestAgain={requestAgain} />
          ))}
        </tbody>
      </table>
      {dialogFor ? <CheckoutDialog credential={dialogFor} onClose={() => setDialogFor(null)} /> : null}
    </div>
  );
}

/** Statuses after which the same credential is worth asking for again, from the row. */
const ASK_AGAIN: readonly CheckoutStatus[] = [3, 6, 7, 8];

/**
 * The date once, then the times: "Dec 4, 2026" / "12:21 → 12:46" for a checkout that was used,
 * "Dec 4, 2026" / "12:21" (when it was asked) for one that never started.
 */
function whenText(checkout: Checkout, lang: 'en' | 'fr'): [string, string] {
  const used = checkout.checkoutDateTime !== null && [5, 6, 7].includes(checkout.status);
  const start = used ? checkout.checkoutDateTime! : checkout.requestDateTime;
  const end = used ? (checkout.checkInDateTime ?? checkout.expiresAt) : null;
  if (!end) return [formatDay(start, lang), formatClock(start)];
  const sameDay = new Date(start).toDateString() === new Date(end).toDateString();
  return [
    formatDay(start, lang),
    `${formatClock(start)} → ${sameDay ? formatClock(end) : formatDateTime(end, lang)}`,
  ];
}

/** How long it was really held: only for checkouts that started. */
function heldMinutes(checkout: Checkout): number | null {
  if (!checkout.checkoutDateTime || ![5, 6, 7].includes(checkout.status)) return null;
  const end = checkout.checkInDateTime ?? checkout.expiresAt;
  if (!end) return null;
  return Math.max(1, Math.round((Date.parse(end) - Date.parse(checkout.checkoutDateTime)) / 60_000));
}

function HistoryRow({
  checkout,
  lang,
  onRequestAgain,
}: {
  checkout: Checkout;
  lang: 'en' | 'fr';
  onRequestAgain: (credentialId: string) => void;
}) {
  const { t } = useTranslation();
  const held = heldMinutes(checkout);
  const [day, times] = whenText(checkout, lang);
  return (
    <tr data-testid="history-row" data-checkout-id={checkout.id} data-status={checkout.status}>
      <th scope="row">
        {checkout.credentialName}
        {checkout.reason ? <span className="cell-line muted small">{checkout.reason}</span> : null}
      </th>
      <td>
        <span
          className={`badge badge-status ${STATUS_TONE[checkout.status] ?? ''}`}
          data-testid="history-status"
        >
          {t(STATUS_KEYS[checkout.status] ?? 'status.invalid')}
        </span>
        {ASK_AGAIN.includes(checkout.status) ? (
          <button
            type="button"
            className="button request-again"
            data-testid="request-again"
            onClick={() => onRequestAgain(checkout.credentialID)}
          >
            {t('history.requestAgain')}
            <span className="visually-hidden"> {checkout.credentialName}</span>
          </button>
        ) : null}
      </td>
      <td>
        <span className="cell-line nowrap">{day}</span>
        <span className="cell-line nowrap muted">{times}</span>
      </td>
      <td>{held === null ? '' : formatDuration(held, lang)}</td>
      <td>
        {checkout.approverName ?? '—'}
        {checkout.approverMessage ? (
          <q className="quote block" data-testid="approver-message">
            {checkout.approverMessage}
          </q>
        ) : null}
      </td>
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
  'vault.members.changed': 'auditAction.vaultMembersChanged',
  'group.changed': 'auditAction.groupChanged',
  'vault.deleted': 'auditAction.vaultDeleted',
  'checkoutPolicy.created': 'auditAction.checkoutPolicyCreated',
  'checkoutPolicy.updated': 'auditAction.checkoutPolicyUpdated',
  'checkoutPolicy.deleted': 'auditAction.checkoutPolicyDeleted',
  'credential.created': 'auditAction.credentialCreated',
  'credential.updated': 'auditAction.credentialUpdated',
  'credential.deleted': 'auditAction.credentialDeleted',
};

/** The time ranges of the audit filter (no native date picker: its format follows the OS, not the app). */
const RANGES = { any: 0, hour: 60, day: 1440, week: 7 * 1440, month: 30 * 1440 } as const;
type Range = keyof typeof RANGES;
const RANGE_KEYS: Record<Range, TranslationKey> = {
  any: 'audit.rangeAny',
  hour: 'audit.rangeHour',
  day: 'audit.rangeDay',
  week: 'audit.rangeWeek',
  month: 'audit.rangeMonth',
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
  const names = useAuditStore(auditSelectors.credentialNames);
  const vaults = useCredentialsStore(credentialSelectors.vaults);
  const vaultNames = useMemo(() => new Map(vaults.map((vault) => [vault.id, vault.name])), [vaults]);
  const ids = useId();
  const [range, setRange] = useState<Range>('any');
  const [userId, setUserId] = useState('');
  const [credentialSearch, setCredentialSearch] = useState('');
  const [credentialId, setCredentialId] = useState('');
  const [action, setAction] = useState('');

  useEffect(() => {
    void audit.load({});
  }, []);
  useEffect(() => {
    const timer = setTimeout(() => void audit.findCredentials(credentialSearch), 150);
    return () => clearTimeout(timer);
  }, [credentialSearch]);

  const apply = (event: FormEvent) => {
    event.preventDefault();
    const minutes = RANGES[range];
    void audit.load({
      ...(minutes ? { from: new Date(Date.now() - minutes * 60_000).toISOString() } : {}),
      ...(credentialId ? { credentialId } : {}),
      ...(userId ? { userId } : {}),
    });
  };
  const clear = () => {
    setRange('any');
    setUserId('');
    setCredentialSearch('');
    setCredentialId('');
    setAction('');
    void audit.load({});
  };
  const credentialOf = (entry: AuditEntry) => {
    if (!entry.credentialID) return null;
    const known = names[entry.credentialID];
    return {
      name: known?.name ?? entry.credentialID.slice(0, 8),
      vault: known ? vaultNames.get(known.vaultID) : undefined,
    };
  };
  // The action filter narrows what was loaded (the server filters by time, user and credential).
  const filtered = action ? entries.filter((entry) => entry.action === action) : entries;
  const shown = filtered.slice(0, AUDIT_DISPLAY_LIMIT);
  const actionsSeen = [...new Set(entries.map((entry) => entry.action))].sort();

  const exportCsv = () => {
    const header = ['time', 'user', 'action', 'credential', 'vault', 'checkout', 'details'];
    const rows = filtered.map((entry) => {
      const credential = credentialOf(entry);
      return [
        entry.at,
        entry.actorName ?? '',
        entry.action,
        credential?.name ?? '',
        credential?.vault ?? '',
        entry.checkoutID ?? '',
        entry.details,
      ];
    });
    const blob = new Blob([toCsv([header, ...rows])], { type: 'text/csv;charset=utf-8' });
    const link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = `coffre-audit-${new Date().toISOString().slice(0, 10)}.csv`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
  };

  return (
    <div className="audit">
      <form className="filters" onSubmit={apply} aria-label={t('audit.filters')} data-testid="audit-filters">
        <div className="field">
          <label htmlFor={`${ids}-range`}>{t('audit.range')}</label>
          <select
            id={`${ids}-range`}
            className="input"
            value={range}
            data-testid="audit-range"
            onChange={(event) => setRange(event.target.value as Range)}
          >
            {(Object.keys(RANGES) as Range[]).map((key) => (
              <option key={key} value={key}>
                {t(RANGE_KEYS[key])}
              </option>
            ))}
          </select>
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
        <div className="field">
          <label htmlFor={`${ids}-action`}>{t('audit.action')}</label>
          <select
            id={`${ids}-action`}
            className="input"
            value={action}
            data-testid="audit-action"
            onChange={(event) => setAction(event.target.value)}
          >
            <option value="">{t('audit.anyAction')}</option>
            {actionsSeen.map((name) => (
              <option key={name} value={name}>
                {t(AUDIT_ACTION_KEYS[name] ?? 'auditAction.unknown')}
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
          <button
            type="button"
            className="button"
            disabled={filtered.length === 0}
            data-testid="audit-export"
            onClick={exportCsv}
          >
            {t('audit.exportCsv')}
          </button>
        </div>
      </form>
      <p className="muted small status-line" role="status" aria-busy={loading}>
        {loading
          ? t('audit.loading')
          : loaded && !error
            ? filtered.length > AUDIT_DISPLAY_LIMIT
              ? t('audit.truncated', { shown: AUDIT_DISPLAY_LIMIT, total: filtered.length })
              : t('audit.count', { count: filtered.length })
            : ''}
      </p>
      {error ? (
        <p className="form-error" role="alert" data-testid="audit-error">
          <strong>{t(ERROR_KEYS[error.kind] ?? 'error.internal')}</strong> {error.message}
        </p>
      ) : null}
      {loaded && !error && filtered.length === 0 ? (
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
                <th scope="col">{t('audit.credential')}</th>
                <th scope="col">{t('audit.details')}</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((entry) => {
                const credential = credentialOf(entry);
                return (
                  <tr key={entry.id} data-testid="audit-row" data-action={entry.action}>
                    <td className="nowrap">{formatDateTime(entry.at, lang)}</td>
                    <td>{entry.actorName ?? '—'}</td>
                    <td>{t(AUDIT_ACTION_KEYS[entry.action] ?? 'auditAction.unknown')}</td>
                    <td data-testid="audit-credential-cell">
                      {credential ? (
                        <>
                          {credential.name}
                          {credential.vault ? (
                            <span className="cell-line muted small">{credential.vault}</span>
                          ) : null}
                        </>
                      ) : (
                        '—'
                      )}
                    </td>
                    <td className="details-cell">
                      {/* The whole record on demand: who, what, which checkout, the chain hash. */}
                      <details data-testid="audit-entry-details">
                        <summary>{entry.details || t('audit.showEntry')}</summary>
                        <dl className="entry-fields">
                          <dt>{t('audit.time')}</dt>
                          <dd>{entry.at}</dd>
                          <dt>{t('audit.user')}</dt>
                          <dd>{entry.actorName ?? '—'}</dd>
                          <dt>{t('audit.checkout')}</dt>
                          <dd className="mono">{entry.checkoutID ?? '—'}</dd>
                          <dt>{t('audit.credential')}</dt>
                          <dd className="mono">{entry.credentialID ?? '—'}</dd>
                          <dt>{t('audit.hash')}</dt>
                          <dd className="mono">{entry.hash.slice(0, 16)}…</dd>
                        </dl>
                      </details>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  );
}

/** RFC 4180 CSV; a cell that a spreadsheet would run as a formula (=, +, -, @) is quoted as text. */
export function toCsv(rows: ReadonlyArray<readonly string[]>): string {
  const cell = (value: string) => {
    const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
    return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  return `${rows.map((row) => row.map(cell).join(',')).join('\r\n')}\r\n`;
}
