import { type KeyboardEvent, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import { durationPresets } from '../../../common/duration.ts';
import {
  AccountAtHost,
  CheckoutCard,
  MetaSeparator,
  useCheckoutAccount,
} from '../components/CheckoutCard.tsx';
import type { Checkout } from '../domain.ts';
import { formatAge, formatClock, formatDuration } from '../format.ts';
import { useLang } from '../hooks.ts';
import { actions as approvals, selectors, useApprovalsStore } from '../stores/approvals.ts';
import { useNow } from '../stores/clock.ts';
import { selectors as credentialSelectors, useCredentialsStore } from '../stores/credentials.ts';
import { selectors as navSelectors, useNavigationStore } from '../stores/navigation.ts';
import { selectors as sessionSelectors, useSessionStore } from '../stores/session.ts';

/**
 * The approver's queue, oldest first. Each request is a focusable row: A approves, D denies (with the
 * message typed in its field, if any), ↑/↓ move between rows. New requests arrive live and are
 * announced; the decided row leaves and the focus goes to the next one.
 */
export function Approvals() {
  const { t } = useTranslation();
  const items = useApprovalsStore(useShallow(selectors.items));
  const loaded = useApprovalsStore(selectors.loaded);
  const selectedId = useNavigationStore(navSelectors.selectedId);
  const seq = useNavigationStore(navSelectors.seq);
  const listRef = useRef<HTMLUListElement>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const announcement = useArrivalAnnouncement(items);

  useEffect(() => {
    void approvals.load();
  }, []);

  // A deep link (notification click) focuses its request, again at each navigation (`seq`).
  // biome-ignore lint/correctness/useExhaustiveDependencies: `seq` is the trigger, not an input.
  useEffect(() => {
    if (!selectedId) return;
    const frame = requestAnimationFrame(() => {
      listRef.current?.querySelector<HTMLElement>(`[data-checkout-id="${CSS.escape(selectedId)}"]`)?.focus();
    });
    return () => cancelAnimationFrame(frame);
  }, [selectedId, seq]);

  const focusRow = (index: number) => {
    const rows = listRef.current?.querySelectorAll<HTMLElement>('[data-testid="approval-row"]');
    if (!rows || rows.length === 0) {
      headingRef.current?.focus();
      return;
    }
    rows[Math.min(Math.max(0, index), rows.length - 1)]?.focus();
  };

  return (
    <div className="page">
      <h1 tabIndex={-1} ref={headingRef}>
        {t('approvals.title')}
      </h1>
      <p className="muted shortcut-hint">
        {t('approvals.shortcutHint')} <kbd>A</kbd> {t('approvals.shortcutApprove')} · <kbd>D</kbd>{' '}
        {t('approvals.shortcutDeny')} · <kbd>↑</kbd>
        <kbd>↓</kbd> {t('approvals.shortcutMove')}
      </p>
      <p className="visually-hidden" role="status" aria-live="polite">
        {announcement}
      </p>
      {loaded && items.length === 0 ? (
        <p className="muted empty-state" data-testid="no-approvals">
          {t('approvals.empty')}
        </p>
      ) : (
        <ul
          className="card-list"
          ref={listRef}
          aria-label={t('approvals.listLabel')}
          data-testid="approval-list"
        >
          {items.map((checkout, index) => (
            <ApprovalRow
              key={checkout.id}
              checkout={checkout}
              onDecided={() => requestAnimationFrame(() => focusRow(index))}
              onMove={(delta) => focusRow(index + delta)}
            />
          ))}
        </ul>
      )}
    </div>
  );
}

/** "New request from kelly for …" when a request arrives while the screen is open. */
function useArrivalAnnouncement(items: Checkout[]): string {
  const { t } = useTranslation();
  const known = useRef<Set<string> | null>(null);
  const [message, setMessage] = useState('');
  useEffect(() => {
    const ids = new Set(items.map((item) => item.id));
    if (known.current) {
      const arrived = items.filter((item) => !known.current?.has(item.id));
      const last = arrived[arrived.length - 1];
      if (last)
        setMessage(t('approvals.arrived', { name: requesterName(last), credential: last.credentialName }));
    }
    known.current = ids;
  }, [items, t]);
  return message;
}

/** The requester's full name where the server gives it, else their username. */
function requesterName(checkout: Checkout): string {
  return checkout.userDisplayName || checkout.username;
}

/** "Requested at 09:12 · waiting for 14 min": how long the requester has been waiting. */
function Waiting({ since }: { since: string }) {
  const { t } = useTranslation();
  const lang = useLang();
  const now = useNow();
  const age = formatAge(since, now, lang);
  return (
    <>
      {t('approvals.requestedAt', { time: formatClock(since) })}
      <MetaSeparator />
      <span className="age" data-testid="approval-waiting">
        {age ? t('approvals.waitingFor', { duration: age }) : t('time.justNow')}
      </span>
    </>
  );
}

/**
 * The minutes an approver may grant: the requested ones, or fewer among the usual presets, not under
 * the credential's minimum where the loaded list knows its policy.
 */
function useGrantChoices(checkout: Checkout): number[] {
  const known = useCredentialsStore(credentialSelectors.byId(checkout.credentialID));
  const canShorten = useSessionStore(sessionSelectors.canGrantShorter);
  if (!canShorten) return [checkout.duration];
  const floor = Math.min(checkout.duration, known?.policy.minDuration ?? 15);
  return durationPresets({
    minDuration: floor,
    maxDuration: checkout.duration,
    defaultDuration: checkout.duration,
  });
}

function ApprovalRow({
  checkout,
  onDecided,
  onMove,
}: {
  checkout: Checkout;
  onDecided: () => void;
  onMove: (delta: number) => void;
}) {
  const { t } = useTranslation();
  const lang = useLang();
  const busy = useApprovalsStore(selectors.busy(checkout.id));
  const fresh = useApprovalsStore(selectors.isFresh(checkout.id));
  const [message, setMessage] = useState('');
  const [granted, setGranted] = useState(checkout.duration);
  const messageId = useId();
  const grantId = useId();
  const { account, host, vault } = useCheckoutAccount(checkout);
  const grantChoices = useGrantChoices(checkout);
  const name = requesterName(checkout);

  const decide = async (decision: 'approve' | 'deny') => {
    if (busy) return;
    const shorter = granted < checkout.duration ? granted : undefined;
    const done =
      decision === 'approve'
        ? await approvals.approve(checkout.id, message, shorter)
        : await approvals.deny(checkout.id, message);
    if (done) onDecided();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    // Letters typed into the message field (or to pick a duration) are not shortcuts.
    const tag = (event.target as HTMLElement).tagName;
    if (tag === 'INPUT' || tag === 'SELECT') return;
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const key = event.key.toLowerCase();
    if (key === 'a' || key === 'd') {
      event.preventDefault();
      void decide(key === 'a' ? 'approve' : 'deny');
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      onMove(event.key === 'ArrowDown' ? 1 : -1);
    }
  };

  return (
    // The row is focusable so its shortcuts work; the buttons inside do the same for the pointer.
    <CheckoutCard
      as="li"
      heading="h2"
      className={`approval-row${fresh ? ' is-fresh' : ''}`}
      tabIndex={0}
      aria-keyshortcuts="A D"
      data-testid="approval-row"
      data-checkout-id={checkout.id}
      onKeyDown={onKeyDown}
      title={t('approvals.rowTitle', { name, credential: checkout.credentialName })}
      meta={<Waiting since={checkout.requestDateTime} />}
    >
      {/* The title names who and what; the facts add what it opens and why, never the title again. */}
      <dl className="approval-facts">
        {account || host ? (
          <>
            <dt>{t('approvals.account')}</dt>
            <dd className="account-name" data-testid="approval-account">
              <AccountAtHost account={account} host={host} />
            </dd>
          </>
        ) : null}
        {vault ? (
          <>
            <dt>{t('approvals.vault')}</dt>
            <dd data-testid="approval-vault">{vault}</dd>
          </>
        ) : null}
        {name !== checkout.username ? (
          <>
            <dt>{t('approvals.requesterAccount')}</dt>
            <dd data-testid="approval-requester">{checkout.username}</dd>
          </>
        ) : null}
        <dt>{t('approvals.duration')}</dt>
        <dd data-testid="approval-duration">{formatDuration(checkout.duration, lang)}</dd>
        {grantChoices.length > 1 ? (
          <>
            <dt>
              <label htmlFor={grantId}>{t('approvals.grant')}</label>
            </dt>
            <dd>
              <select
                id={grantId}
                className="input input-inline"
                value={String(granted)}
                data-testid="approval-grant"
                onChange={(event) => setGranted(Number(event.target.value))}
                onKeyDown={(event) => {
                  if (event.key === 'Escape')
                    (event.currentTarget.closest('li') as HTMLElement | null)?.focus();
                }}
              >
                {grantChoices.map((minutes) => (
                  <option key={minutes} value={String(minutes)}>
                    {minutes === checkout.duration
                      ? t('approvals.grantAsRequested', { duration: formatDuration(minutes, lang) })
                      : formatDuration(minutes, lang)}
                  </option>
                ))}
              </select>
            </dd>
          </>
        ) : null}
        <dt>{t('approvals.reason')}</dt>
        <dd data-testid="approval-reason">
          {checkout.reason || <span className="muted">{t('approvals.noReason')}</span>}
        </dd>
      </dl>
      <div className="approval-decision">
        <div className="field grow">
          <label htmlFor={messageId} className="small">
            {t('approvals.message')}
          </label>
          <input
            id={messageId}
            className="input"
            value={message}
            maxLength={2000}
            autoComplete="off"
            data-testid="approval-message"
            onChange={(event) => setMessage(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === 'Escape') (event.currentTarget.closest('li') as HTMLElement | null)?.focus();
            }}
          />
        </div>
        <button
          type="button"
          className="button primary"
          disabled={busy !== null}
          aria-keyshortcuts="A"
          data-testid="approve"
          onClick={() => void decide('approve')}
        >
          {busy === 'approve' ? t('approvals.approving') : t('approvals.approve')}{' '}
          <span className="key-hint" aria-hidden="true">
            A
          </span>
        </button>
        <button
          type="button"
          className="button danger"
          disabled={busy !== null}
          aria-keyshortcuts="D"
          data-testid="deny"
          onClick={() => void decide('deny')}
        >
          {busy === 'deny' ? t('approvals.denying') : t('approvals.deny')}{' '}
          <span className="key-hint" aria-hidden="true">
            D
          </span>
        </button>
      </div>
    </CheckoutCard>
  );
}
