import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CheckoutDialog } from '../components/CheckoutDialog.tsx';
import { CredentialList } from '../components/CredentialList.tsx';
import { CredentialStateLabel } from '../components/CredentialParts.tsx';
import {
  accountLine,
  CREDENTIAL_STATES,
  type Credential,
  type CredentialSort,
  type CredentialStateKind,
  credentialState,
  type VaultRole,
  vaultRoleAllows,
} from '../domain.ts';
import { formatDuration, formatNumber } from '../format.ts';
import { useLang, useMineByCredential } from '../hooks.ts';
import type { TranslationKey } from '../i18n/index.ts';
import { COPY_PASSWORD_ARIA, copyPasswordKeys, useCopyPasswordShortcut } from '../shortcuts.ts';
import { actions as credentials, selectors, useCredentialsStore } from '../stores/credentials.ts';
import { actions as navigation } from '../stores/navigation.ts';
import { actions as secrets } from '../stores/secrets.ts';
import { selectors as sessionSelectors, useSessionStore } from '../stores/session.ts';
import { actions as settings, selectors as settingsSelectors, useSettingsStore } from '../stores/settings.ts';

export function Credentials() {
  const { t } = useTranslation();
  const lang = useLang();
  const searchText = useCredentialsStore(selectors.searchText);
  const total = useCredentialsStore(selectors.total);
  const querying = useCredentialsStore(selectors.querying);
  const active = useCredentialsStore(selectors.active);
  const userId = useSessionStore(sessionSelectors.userId);
  const mine = useMineByCredential();
  const [dialogFor, setDialogFor] = useState<Credential | null>(null);
  // Narrow windows show the details as an overlay, opened by a click on a row or the Details button.
  const [detailsOpen, setDetailsOpen] = useState(false);
  const searchRef = useRef<HTMLInputElement>(null);
  useCopyPasswordShortcut(active);

  // "/" or Ctrl+F jumps to the search box, as in most list apps.
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      const typing = target?.closest('input, textarea, select, [contenteditable="true"]');
      const isFind = (event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'f';
      if ((event.key === '/' && !typing && !event.ctrlKey && !event.metaKey) || isFind) {
        if (document.querySelector('[role="dialog"]')) return;
        event.preventDefault();
        searchRef.current?.focus();
        searchRef.current?.select();
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);

  // Escape closes the details overlay (narrow windows), wherever the focus is on this screen.
  useEffect(() => {
    if (!detailsOpen) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== 'Escape' || document.querySelector('[role="dialog"]')) return;
      const overlay = document.getElementById('credential-details');
      if (!overlay || getComputedStyle(overlay).position !== 'absolute') return;
      setDetailsOpen(false);
      document.getElementById('credential-list')?.focus();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [detailsOpen]);

  const vaults = useCredentialsStore(selectors.vaults);
  /** Enter / double-click on a row: check it out, or go to the checkout it already has. */
  const activate = (credential: Credential) => {
    const state = credentialState(credential, mine, userId);
    // View only in its vault: the details pane says why there is nothing to open.
    const role = vaults.find((vault) => vault.id === credential.vaultID)?.role;
    if (state.kind === 'available' && !mayRequest(role)) setDetailsOpen(true);
    else if (state.kind === 'available') setDialogFor(credential);
    else if (state.kind === 'mine' || state.kind === 'pending')
      navigation.navigate('checkouts', state.checkoutId);
  };

  return (
    <div className={`credentials-screen${detailsOpen ? ' details-open' : ''}`}>
      <VaultSidebar />
      {/* biome-ignore lint/a11y/useKeyWithClickEvents: the click only opens the details overlay; keyboard users have the Details button */}
      <section
        className="list-pane"
        aria-labelledby="credentials-title"
        onClick={(event) => {
          if ((event.target as HTMLElement).closest('[data-testid="credential-row"]')) setDetailsOpen(true);
        }}
      >
        <div className="list-toolbar">
          <h1 id="credentials-title" tabIndex={-1}>
            {t('credentials.title')}
          </h1>
          <VaultPicker />
          <div className="search-field">
            <label htmlFor="credential-search" className="visually-hidden">
              {t('credentials.searchLabel')}
            </label>
            <input
              id="credential-search"
              ref={searchRef}
              type="search"
              className="input"
              placeholder={t('credentials.searchPlaceholder')}
              value={searchText}
              autoComplete="off"
              spellCheck={false}
              aria-keyshortcuts="/ Control+F"
              data-testid="credential-search"
              onChange={(event) => credentials.setSearch(event.target.value)}
              onKeyDown={(event) => {
                if (event.key === 'Enter') {
                  event.preventDefault();
                  void credentials.flushSearch();
                } else if (event.key === 'ArrowDown') {
                  event.preventDefault();
                  document.getElementById('credential-list')?.focus();
                } else if (event.key === 'Escape' && searchText) {
                  event.preventDefault();
                  credentials.setSearch('');
                }
              }}
            />
          </div>
          <ListFilters />
          <p
            className="result-count muted"
            aria-live="polite"
            data-testid="credential-count"
            aria-busy={querying}
          >
            {total === null
              ? ''
              : t('credentials.count', { count: total, formatted: formatNumber(total, lang) })}
          </p>
          <button
            type="button"
            className="button details-toggle"
            aria-expanded={detailsOpen}
            aria-controls="credential-details"
            disabled={!active}
            data-testid="details-toggle"
            onClick={() => setDetailsOpen((open) => !open)}
          >
            {t('credentials.detailsButton')}
          </button>
        </div>
        <CredentialList onActivate={activate} onToggleFavourite={toggleFavourite} />
      </section>
      <CredentialDetails
        credential={active}
        onCheckout={setDialogFor}
        onClose={() => {
          setDetailsOpen(false);
          document.getElementById('credential-list')?.focus();
        }}
      />
      {dialogFor ? (
        <CheckoutDialog
          credential={dialogFor}
          onClose={() => {
            setDialogFor(null);
          }}
        />
      ) : null}
    </div>
  );
}

const STATUS_KEYS: Record<CredentialStateKind, TranslationKey> = {
  available: 'credentials.statusAvailable',
  mine: 'credentials.statusMine',
  pending: 'credentials.statusPending',
  taken: 'credentials.statusTaken',
};

/** Which credentials (by their state for the user) and in which order (issue 15, item 7). */
function ListFilters() {
  const { t } = useTranslation();
  const status = useCredentialsStore(selectors.status);
  const sort = useCredentialsStore(selectors.sort);
  return (
    <div className="list-filters">
      <label className="inline-field">
        <span>{t('credentials.statusLabel')}</span>
        <select
          className="input"
          value={status ?? ''}
          data-testid="status-filter"
          onChange={(event) =>
            void credentials.setStatus((event.target.value || null) as CredentialStateKind | null)
          }
        >
          <option value="">{t('credentials.statusAll')}</option>
          {CREDENTIAL_STATES.map((kind) => (
            <option key={kind} value={kind}>
              {t(STATUS_KEYS[kind])}
            </option>
          ))}
        </select>
      </label>
      <label className="inline-field">
        <span>{t('credentials.sortLabel')}</span>
        <select
          className="input"
          value={sort}
          data-testid="sort-order"
          onChange={(event) => void credentials.setSort(event.target.value as CredentialSort)}
        >
          <option value="name">{t('credentials.sortName')}</option>
          <option value="vault">{t('credentials.sortVault')}</option>
        </select>
      </label>
    </div>
  );
}

/** Stars or un-stars a credential, keeping it selected where the list moves it. */
export async function toggleFavourite(credentialId: string): Promise<void> {
  if (await settings.toggleFavourite(credentialId)) await credentials.refreshKeeping(credentialId);
}

/** The vaults as a drop-down, where the window is too narrow for the vault column. */
function VaultPicker() {
  const { t } = useTranslation();
  const vaults = useCredentialsStore(selectors.vaults);
  const vaultId = useCredentialsStore(selectors.vaultId);
  return (
    <div className="vault-picker">
      <label htmlFor="vault-picker" className="visually-hidden">
        {t('credentials.vaults')}
      </label>
      <select
        id="vault-picker"
        className="input"
        value={vaultId ?? ''}
        data-testid="vault-picker"
        onChange={(event) => void credentials.setVault(event.target.value || null)}
      >
        <option value="">{t('credentials.allVaults')}</option>
        {vaults.map((vault) => (
          <option key={vault.id} value={vault.id}>
            {vault.name}
          </option>
        ))}
      </select>
    </div>
  );
}

function VaultSidebar() {
  const { t } = useTranslation();
  const vaults = useCredentialsStore(selectors.vaults);
  const vaultId = useCredentialsStore(selectors.vaultId);
  return (
    <nav className="vault-sidebar" aria-label={t('credentials.vaults')}>
      <p className="sidebar-title" aria-hidden="true">
        {t('credentials.vaults')}
      </p>
      <ul>
        <li>
          <button
            type="button"
            className="vault-item"
            aria-pressed={vaultId === null}
            data-testid="vault-all"
            onClick={() => void credentials.setVault(null)}
          >
            {t('credentials.allVaults')}
          </button>
        </li>
        {vaults.map((vault) => (
          <li key={vault.id}>
            <button
              type="button"
              className="vault-item"
              aria-pressed={vaultId === vault.id}
              title={vault.description || undefined}
              data-testid="vault-item"
              data-vault-id={vault.id}
              onClick={() => void credentials.setVault(vault.id)}
            >
              {vault.name}
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}

function CredentialDetails({
  credential,
  onCheckout,
  onClose,
}: {
  credential: Credential | undefined;
  onCheckout: (credential: Credential) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const lang = useLang();
  const userId = useSessionStore(sessionSelectors.userId);
  const mine = useMineByCredential();
  const vaultName = useCredentialsStore((state) =>
    credential ? selectors.vaultName(credential.vaultID)(state) : undefined,
  );
  const vaultRole = useCredentialsStore((state) =>
    credential ? selectors.vaultRole(credential.vaultID)(state) : undefined,
  );
  const favourites = useSettingsStore(settingsSelectors.favourites);
  const favourite = credential ? favourites.includes(credential.id) : false;
  const canRead = useSessionStore(sessionSelectors.canReadPassword);
  if (!credential) {
    return (
      <aside id="credential-details" className="details-pane" aria-label={t('credentials.details')}>
        <p className="muted empty-note">{t('credentials.selectHint')}</p>
      </aside>
    );
  }
  const state = credentialState(credential, mine, userId);
  const { policy } = credential;
  return (
    <aside
      id="credential-details"
      className="details-pane"
      aria-label={t('credentials.details')}
      data-testid="credential-details"
    >
      <div className="details-head">
        <h2 className="details-title">{credential.name}</h2>
        <button
          type="button"
          className={`button ghost favourite-toggle${favourite ? ' is-on' : ''}`}
          aria-pressed={favourite}
          aria-keyshortcuts="Control+D"
          title={t('credentials.favouriteHint')}
          data-testid="favourite-toggle"
          onClick={() => void toggleFavourite(credential.id)}
        >
          <span aria-hidden="true">{favourite ? '★' : '☆'}</span> {t('credentials.favourite')}
        </button>
        <button
          type="button"
          className="button ghost details-close"
          aria-label={t('credentials.closeDetails')}
          data-testid="details-close"
          onClick={onClose}
        >
          ×
        </button>
      </div>
      {credential.username && credential.host ? (
        <p className="details-account">
          {/* A line may break before the host, never inside a name. */}
          {credential.username}
          <wbr />@{credential.host}
        </p>
      ) : accountLine(credential) ? (
        <p className="details-account">{accountLine(credential)}</p>
      ) : null}
      {vaultName ? <p className="muted small">{t('credentials.inVault', { vault: vaultName })}</p> : null}
      {credential.description ? <p className="details-description">{credential.description}</p> : null}
      <div className="details-state">
        <CredentialStateLabel state={state} />
      </div>
      <div className="details-actions">
        {state.kind === 'available' ? (
          <button
            type="button"
            className="button primary"
            data-testid="checkout-open"
            disabled={!mayRequest(vaultRole)}
            aria-describedby={mayRequest(vaultRole) ? undefined : 'view-only-reason'}
            onClick={() => onCheckout(credential)}
          >
            {policy.approvalMode === 'mandatory'
              ? t('credentials.requestAction')
              : t('credentials.checkoutAction')}
          </button>
        ) : null}
        {state.kind === 'mine' || state.kind === 'pending' ? (
          <button
            type="button"
            className="button"
            data-testid="goto-checkout"
            onClick={() => navigation.navigate('checkouts', state.checkoutId)}
          >
            {t('credentials.openInCheckouts')}
          </button>
        ) : null}
        {state.kind === 'taken' ? (
          <p className="muted small">{t('credentials.takenExplain', { name: state.username })}</p>
        ) : null}
      </div>
      {state.kind === 'available' && !mayRequest(vaultRole) ? (
        <p id="view-only-reason" className="muted small" data-testid="view-only-reason">
          {t('credentials.viewOnlyExplain', { vault: vaultName ?? '' })}
        </p>
      ) : null}
      <div className="details-actions">
        {state.kind === 'mine' && canRead ? (
          <button
            type="button"
            className="button"
            aria-keyshortcuts={COPY_PASSWORD_ARIA}
            data-testid="details-copy-password"
            onClick={() => void secrets.copy(credential.id)}
          >
            {t('checkouts.copy')}
          </button>
        ) : null}
        <button
          type="button"
          className="button"
          data-testid="details-copy-username"
          onClick={() => void secrets.copyUsername(credential.id)}
        >
          {t('checkouts.copyUsername')}
        </button>
      </div>
      {canRead ? (
        <p className="muted small shortcut-hint" data-testid="copy-shortcut-hint">
          {t('credentials.copyShortcutHint', { keys: copyPasswordKeys() })}
        </p>
      ) : null}
      <h3 className="details-subtitle">{t('credentials.policy')}</h3>
      <dl className="policy-list">
        <dt>{t('policy.approval')}</dt>
        <dd>
          {policy.approvalMode === 'mandatory' ? t('policy.approvalRequired') : t('policy.approvalNone')}
        </dd>
        <dt>{t('policy.reason')}</dt>
        <dd>
          {policy.reasonMode === 'mandatory'
            ? t('policy.reasonMandatory')
            : policy.reasonMode === 'optional'
              ? t('policy.reasonOptional')
              : t('policy.reasonNone')}
        </dd>
        <dt>{t('policy.duration')}</dt>
        <dd>
          {t('policy.durationValue', {
            duration: formatDuration(policy.defaultDuration, lang),
            min: formatDuration(policy.minDuration, lang),
            max: formatDuration(policy.maxDuration, lang),
          })}
        </dd>
        <dt>{t('policy.sharing')}</dt>
        <dd>{policy.exclusive ? t('policy.exclusive') : t('policy.shared')}</dd>
        {policy.rotateOnCheckin ? (
          <>
            <dt>{t('policy.rotation')}</dt>
            <dd>{t('policy.rotateOnCheckin')}</dd>
          </>
        ) : null}
      </dl>
    </aside>
  );
}

/**
 * Whether the user's role in the vault lets them request its credentials. A server without vault
 * permissions sends no role: everyone could request there.
 */
function mayRequest(role: VaultRole | undefined): boolean {
  return role === undefined || vaultRoleAllows(role, 'request');
}
