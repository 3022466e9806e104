import { type ReactNode, type RefObject, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import { extensionPresets } from '../../../common/duration.ts';
import { CheckoutAccount, CheckoutCard, MetaSeparator, RequestedAge } from '../components/CheckoutCard.tsx';
import { PasswordText } from '../components/PasswordText.tsx';
import { type Checkout, CheckoutStatus, EXTEND_BOUNDS } from '../domain.ts';
import { formatClock, formatDuration, formatSeconds, formatTimeLeft, secondsLeft } from '../format.ts';
import { useLang } from '../hooks.ts';
import { actions as checkouts, selectors, useCheckoutsStore } from '../stores/checkouts.ts';
import { useNow } from '../stores/clock.ts';
import { selectors as credentialSelectors, useCredentialsStore } from '../stores/credentials.ts';
import {
  actions as navigation,
  selectors as navSelectors,
  useNavigationStore,
} from '../stores/navigation.ts';
import { selectors as secretSelectors, actions as secrets, useSecretsStore } from '../stores/secrets.ts';
import { selectors as sessionSelectors, useSessionStore } from '../stores/session.ts';

export function MyCheckouts() {
  const { t } = useTranslation();
  const active = useCheckoutsStore(useShallow(selectors.active));
  const pending = useCheckoutsStore(useShallow(selectors.pending));
  const loaded = useCheckoutsStore(selectors.mineLoaded);
  const selectedId = useNavigationStore(navSelectors.selectedId);
  const seq = useNavigationStore(navSelectors.seq);

  return (
    <div className="page">
      <h1 tabIndex={-1}>{t('checkouts.title')}</h1>
      <CheckoutSection
        titleId="active-title"
        title={t('checkouts.active')}
        checkouts={active}
        empty={
          loaded ? (
            <div className="empty-state" data-testid="no-active-checkouts">
              <p className="muted">{t('checkouts.noneActive')}</p>
              <button type="button" className="button" onClick={() => navigation.navigate('credentials')}>
                {t('checkouts.findCredential')}
              </button>
            </div>
          ) : null
        }
        card={(checkout) => (
          <ActiveCheckout checkout={checkout} selected={checkout.id === selectedId} focusKey={seq} />
        )}
      />
      <CheckoutSection
        titleId="pending-title"
        title={t('checkouts.pending')}
        checkouts={pending}
        empty={
          loaded ? (
            <p className="muted empty-state" data-testid="no-pending-checkouts">
              {t('checkouts.nonePending')}
            </p>
          ) : null
        }
        card={(checkout) => (
          <PendingCheckout checkout={checkout} selected={checkout.id === selectedId} focusKey={seq} />
        )}
      />
    </div>
  );
}

/** A titled list of cards; `empty` stands in for the list when there is none (once loaded). */
function CheckoutSection({
  titleId,
  title,
  checkouts,
  empty,
  card,
}: {
  titleId: string;
  title: string;
  checkouts: Checkout[];
  /** Null until the checkouts are loaded: an empty list is shown meanwhile. */
  empty: ReactNode;
  card: (checkout: Checkout) => ReactNode;
}) {
  return (
    <section className="section" aria-labelledby={titleId}>
      <h2 id={titleId}>{title}</h2>
      {empty !== null && checkouts.length === 0 ? (
        empty
      ) : (
        <ul className="card-list" aria-labelledby={titleId}>
          {checkouts.map((checkout) => (
            <li key={checkout.id}>{card(checkout)}</li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** One of the user's own checkouts; `selected` and `focusKey` bring a deep-linked card into focus. */
interface OwnCheckoutProps {
  checkout: Checkout;
  selected: boolean;
  focusKey: number;
}

/** What both kinds of the user's own cards carry: tests and deep links find them by these. */
function ownCard(checkout: Checkout, selected: boolean, testId: 'active-checkout' | 'pending-checkout') {
  return {
    className: `checkout-card${selected ? ' is-selected' : ''}`,
    'data-testid': testId,
    'data-checkout-id': checkout.id,
    'data-credential-id': checkout.credentialID,
    title: checkout.credentialName,
  };
}

/** A deep-linked card (notification, new checkout) takes the focus on its first button. */
function useSelectedFocus(selected: boolean, focusKey: number) {
  const ref = useRef<HTMLButtonElement>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `focusKey` (each navigation) is the trigger.
  useEffect(() => {
    if (!selected) return;
    const frame = requestAnimationFrame(() => {
      ref.current?.focus();
      ref.current?.closest('article')?.scrollIntoView({ block: 'nearest' });
    });
    return () => cancelAnimationFrame(frame);
  }, [selected, focusKey]);
  return ref;
}

function ActiveCheckout({ checkout, selected, focusKey }: OwnCheckoutProps) {
  const { t } = useTranslation();
  const busy = useCheckoutsStore(selectors.busy(checkout.id));
  const canExtend = useSessionStore(sessionSelectors.canExtend);
  const canRead = useSessionStore(sessionSelectors.canReadPassword);
  const copyRef = useSelectedFocus(selected, focusKey);
  const lang = useLang();
  const scheduled = checkout.status === CheckoutStatus.Granted;
  const extendId = useId();
  const extendChoices = useExtensionChoices(checkout);
  const [extendBy, setExtendBy] = useState<number | null>(null);
  // 30 min where the policy allows it, else the shortest offered.
  const extendMinutes =
    extendBy ?? (extendChoices.includes(30) ? 30 : (extendChoices[0] ?? EXTEND_BOUNDS.min));

  const extend = async () => {
    await checkouts.extend(checkout.id, extendMinutes);
  };

  return (
    <CheckoutCard
      {...ownCard(checkout, selected, 'active-checkout')}
      meta={
        scheduled && checkout.scheduledStart ? (
          t('checkouts.startsAt', { time: formatClock(checkout.scheduledStart) })
        ) : checkout.expiresAt ? (
          <>
            <span>{t('checkouts.until', { time: formatClock(checkout.expiresAt) })}</span>
            <MetaSeparator />
            <TimeLeft expiresAt={checkout.expiresAt} />
          </>
        ) : null
      }
    >
      <CheckoutAccount checkout={checkout} />
      {checkout.approverName && checkout.approverID !== checkout.userID ? (
        <p className="card-line">
          {t('checkouts.approvedBy', { name: checkout.approverName })}
          {checkout.approverMessage ? <q className="quote">{checkout.approverMessage}</q> : null}
        </p>
      ) : null}
      {checkout.reason ? (
        <p className="card-line muted">{t('checkouts.reasonLine', { reason: checkout.reason })}</p>
      ) : null}

      {canRead && !scheduled ? (
        <PasswordTools credentialId={checkout.credentialID} copyRef={copyRef} />
      ) : null}

      <div className="card-actions">
        {canExtend && !scheduled && extendChoices.length > 0 ? (
          <div className="inline-form">
            <label htmlFor={extendId} className="small">
              {t('checkouts.extendBy')}
            </label>
            {/* Durations people pick (15 min, 30 min, 1 h…) within the policy, not a bare minutes box. */}
            <select
              id={extendId}
              className="input input-narrow"
              value={String(extendMinutes)}
              data-testid="extend-minutes"
              onChange={(event) => setExtendBy(Number(event.target.value))}
              onKeyDown={(event) => {
                if (event.key === 'Enter') {
                  event.preventDefault();
                  void extend();
                }
              }}
            >
              {extendChoices.map((minutes) => (
                <option key={minutes} value={String(minutes)}>
                  {formatDuration(minutes, lang)}
                </option>
              ))}
            </select>
            <button
              type="button"
              className="button"
              disabled={busy !== null}
              data-testid="extend-checkout"
              onClick={() => void extend()}
            >
              {busy === 'extend' ? t('checkouts.extending') : t('checkouts.extend')}
            </button>
          </div>
        ) : null}
        <button
          type="button"
          className="button"
          disabled={busy !== null}
          data-testid="check-in"
          onClick={() => void checkouts.checkIn(checkout.id)}
          ref={canRead && !scheduled ? undefined : copyRef}
        >
          {busy === 'checkIn' ? t('checkouts.checkingIn') : t('checkouts.checkIn')}
        </button>
      </div>
    </CheckoutCard>
  );
}

/** The extensions offered: within the credential's `maxExtension` where the loaded list knows it. */
function useExtensionChoices(checkout: Checkout): number[] {
  const known = useCredentialsStore(credentialSelectors.byId(checkout.credentialID));
  return extensionPresets(Math.min(known?.policy.maxExtension ?? EXTEND_BOUNDS.max, EXTEND_BOUNDS.max));
}

/** "10 min left", "1 h 05 left", "45 s left" in the last minute; silent for screen readers as it ticks. */
function TimeLeft({ expiresAt }: { expiresAt: string }) {
  const { t } = useTranslation();
  const now = useNow();
  const seconds = secondsLeft(expiresAt, now);
  if (seconds === 0) {
    return (
      <span className="countdown expired" data-testid="expiry-countdown">
        {t('checkouts.expired')}
      </span>
    );
  }
  return (
    <span className="countdown" role="timer" aria-live="off" data-testid="expiry-countdown">
      {t('checkouts.timeLeft', { time: formatTimeLeft(seconds) })}
    </span>
  );
}

/**
 * Copy and Reveal. The revealed password lives in this component's state only, and is dropped when
 * the store's reveal entry goes (timer, `password.hidden`, check-in, lock) or the card unmounts.
 */
function PasswordTools({
  credentialId,
  copyRef,
}: {
  credentialId: string;
  copyRef: RefObject<HTMLButtonElement | null>;
}) {
  const { t } = useTranslation();
  const now = useNow();
  const clearsAt = useSecretsStore(secretSelectors.clipboardFor(credentialId));
  const hideAt = useSecretsStore(secretSelectors.revealedUntil(credentialId));
  const copying = useSecretsStore(secretSelectors.copying(credentialId));
  const revealing = useSecretsStore(secretSelectors.revealing(credentialId));
  const [password, setPassword] = useState<string | null>(null);

  useEffect(() => {
    if (hideAt === null) setPassword(null);
  }, [hideAt]);
  useEffect(() => () => setPassword(null), []);

  const clipboardLeft = clearsAt ? secondsLeft(clearsAt, now) : 0;
  const revealLeft = hideAt ? secondsLeft(hideAt, now) : 0;
  useEffect(() => {
    if (clearsAt && clipboardLeft === 0) secrets.clipboardExpired(clearsAt);
  }, [clearsAt, clipboardLeft]);
  useEffect(() => {
    if (hideAt && revealLeft === 0) void secrets.hide(credentialId);
  }, [hideAt, revealLeft, credentialId]);

  const shown = password !== null && hideAt !== null && revealLeft > 0;

  return (
    <div className="password-tools">
      <div className="password-row">
        <button
          type="button"
          className="button primary"
          ref={copyRef}
          disabled={copying}
          data-testid="copy-password"
          onClick={() => void secrets.copy(credentialId)}
        >
          {t('checkouts.copy')}
        </button>
        <button
          type="button"
          className="button"
          data-testid="copy-username"
          onClick={() => void secrets.copyUsername(credentialId)}
        >
          {t('checkouts.copyUsername')}
        </button>
        {shown ? (
          <button
            type="button"
            className="button"
            data-testid="hide-password"
            onClick={() => void secrets.hide(credentialId)}
          >
            {t('checkouts.hide')}
          </button>
        ) : (
          <button
            type="button"
            className="button"
            disabled={revealing}
            data-testid="reveal-password"
            onClick={async () => {
              const value = await secrets.reveal(credentialId);
              if (value !== null) setPassword(value);
            }}
          >
            {t('checkouts.reveal')}
          </button>
        )}
        <span className="status-line small" role="status" data-testid="clipboard-status">
          {clearsAt && clipboardLeft > 0 ? (
            <span data-testid="clipboard-countdown">
              {t('checkouts.clipboardClears', { time: formatSeconds(clipboardLeft) })}
            </span>
          ) : null}
        </span>
      </div>
      <div className="reveal-slot">
        {shown ? (
          <p className="revealed">
            <PasswordText password={password} testId="revealed-password" />
            <span className="small muted" data-testid="reveal-countdown">
              {t('checkouts.hidesIn', { time: formatSeconds(revealLeft) })}
            </span>
          </p>
        ) : null}
      </div>
    </div>
  );
}

function PendingCheckout({ checkout, selected, focusKey }: OwnCheckoutProps) {
  const { t } = useTranslation();
  const lang = useLang();
  const busy = useCheckoutsStore(selectors.busy(checkout.id));
  const cancelRef = useSelectedFocus(selected, focusKey);
  return (
    <CheckoutCard
      {...ownCard(checkout, selected, 'pending-checkout')}
      meta={
        <RequestedAge
          requestedAt={t('checkouts.requestedAt', { time: formatClock(checkout.requestDateTime) })}
          since={checkout.requestDateTime}
        />
      }
    >
      <CheckoutAccount checkout={checkout} />
      <p className="card-line">
        {checkout.approverName
          ? t('checkouts.waitingFor', { name: checkout.approverName })
          : t('checkouts.waitingForAny')}
      </p>
      <p className="card-line muted">
        {t('checkouts.durationLine', { duration: formatDuration(checkout.duration, lang) })}
        {checkout.reason ? ` · ${t('checkouts.reasonLine', { reason: checkout.reason })}` : ''}
      </p>
      <div className="card-actions">
        <button
          type="button"
          className="button"
          ref={cancelRef}
          disabled={busy !== null}
          data-testid="cancel-request"
          onClick={() => void checkouts.cancel(checkout.id)}
        >
          {busy === 'cancel' ? t('checkouts.canceling') : t('checkouts.cancelRequest')}
        </button>
      </div>
    </CheckoutCard>
  );
}
