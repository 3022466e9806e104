/**
 * The checkout dialog (Radix Dialog: focus trapped and restored, Esc closes, the rest of the page
 * inert). Fields follow the credential's policy: reason hidden/optional/required, approver picker
 * when approval is mandatory ("Myself" where self-approval is allowed), duration within bounds.
 * Enter submits; errors show under their field and the first one takes the focus.
 *
 * No Dialog.Overlay on purpose: Radix's overlay injects a <style> element (react-remove-scroll)
 * that the CSP refuses; a plain backdrop does the same job here, where the page never scrolls.
 */
import { Dialog } from 'radix-ui';
import { type FormEvent, useEffect, useId, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { durationPresets } from '../../../common/duration.ts';
import type { CoffreError } from '../api.ts';
import { approvalPlan, CheckoutStatus, type Credential, canSelfApprove } from '../domain.ts';
import { formatClock, formatDuration } from '../format.ts';
import { useLang } from '../hooks.ts';
import type { TranslationKey } from '../i18n/index.ts';
import {
  selectors as checkoutSelectors,
  actions as checkouts,
  useCheckoutsStore,
} from '../stores/checkouts.ts';
import {
  selectors as credentialSelectors,
  actions as credentials,
  useCredentialsStore,
} from '../stores/credentials.ts';
import { actions as navigation } from '../stores/navigation.ts';
import { selectors as sessionSelectors, useSessionStore } from '../stores/session.ts';
import { ERROR_KEYS, actions as toasts } from '../stores/toasts.ts';
import { AccountAtHost } from './CheckoutCard.tsx';

type Field = 'reason' | 'approver' | 'duration';
type FieldErrors = Partial<Record<Field, { key: TranslationKey; values?: Record<string, string | number> }>>;

const FIELD_OF_CODE: Record<string, Field> = {
  reason_required: 'reason',
  approver_required: 'approver',
  approver_not_eligible: 'approver',
  self_approval_not_allowed: 'approver',
  duration_out_of_bounds: 'duration',
};

export function CheckoutDialog({ credential, onClose }: { credential: Credential; onClose: () => void }) {
  const { t } = useTranslation();
  const lang = useLang();
  const { policy } = credential;
  const user = useSessionStore(sessionSelectors.user);
  const userId = user?.id ?? null;
  const approvers = useCredentialsStore(credentialSelectors.approvers(credential.id));
  const approversLoading = useCredentialsStore(credentialSelectors.approversLoading(credential.id));
  const approversError = useCredentialsStore(credentialSelectors.approversError(credential.id));
  const requesting = useCheckoutsStore(checkoutSelectors.requesting);
  const needsApproval = policy.approvalMode === 'mandatory';
  const approverChoice = useSessionStore(sessionSelectors.canChooseApprover);
  /** Whether the user picks the approver (not on MIM, where every approver of the role gets it). */
  const needsApprover = needsApproval && approverChoice;
  const canReadPassword = useSessionStore(sessionSelectors.canReadPassword);
  const vaultName = useCredentialsStore(credentialSelectors.vaultName(credential.vaultID));
  const asksReason = policy.reasonMode !== 'none';

  const [reason, setReason] = useState('');
  const [approverId, setApproverId] = useState('');
  const [duration, setDuration] = useState(String(policy.defaultDuration));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [serverError, setServerError] = useState<CoffreError | null>(null);
  const reasonRef = useRef<HTMLInputElement>(null);
  const approverRef = useRef<HTMLSelectElement>(null);
  const durationRef = useRef<HTMLSelectElement>(null);
  const ids = useId();
  // Opened without a Radix Trigger (from the list's Enter key): on close, focus goes back to what had it.
  const [returnFocus] = useState(() =>
    typeof document === 'undefined' ? null : (document.activeElement as HTMLElement | null),
  );

  useEffect(() => {
    if (needsApprover) void credentials.loadApprovers(credential.id);
  }, [needsApprover, credential.id]);

  const selfAllowed = canSelfApprove(
    policy,
    userId,
    (approvers ?? []).map((approver) => approver.id),
  );
  const others = useMemo(
    () => (approvers ?? []).filter((approver) => approver.id !== userId),
    [approvers, userId],
  );
  const noApprover = needsApprover && approvers !== undefined && others.length === 0 && !selfAllowed;

  // With a single possible approver, it is chosen already.
  useEffect(() => {
    if (!needsApprover || approverId || approvers === undefined) return;
    const choices = [...(selfAllowed && userId ? [userId] : []), ...others.map((approver) => approver.id)];
    if (choices.length === 1 && choices[0]) setApproverId(choices[0]);
  }, [needsApprover, approverId, approvers, selfAllowed, userId, others]);

  const chosen =
    approverId === userId && userId
      ? { id: userId, name: user?.displayName ?? user?.username ?? '' }
      : (() => {
          const approver = others.find((candidate) => candidate.id === approverId);
          return approver ? { id: approver.id, name: approver.displayName || approver.username } : null;
        })();
  const plan = approvalPlan(policy, chosen, userId, approverChoice);
  // One verb per action, as the policy decides it: a request that waits for someone else is a
  // request (title and button alike); approving it oneself, like no approval, is a checkout.
  const isRequest = needsApproval && plan.kind !== 'self';
  const minutes = Number(duration);
  const durationValid =
    Number.isInteger(minutes) && minutes >= policy.minDuration && minutes <= policy.maxDuration;

  const refs: Record<Field, { current: HTMLElement | null }> = {
    reason: reasonRef,
    approver: approverRef,
    duration: durationRef,
  };

  const validate = (): FieldErrors => {
    const found: FieldErrors = {};
    if (policy.reasonMode === 'mandatory' && !reason.trim())
      found.reason = { key: 'checkout.errorReasonRequired' };
    if (needsApprover && !approverId) found.approver = { key: 'checkout.errorApproverRequired' };
    if (!durationValid) {
      found.duration = {
        key: 'checkout.errorDuration',
        values: {
          min: formatDuration(policy.minDuration, lang),
          max: formatDuration(policy.maxDuration, lang),
        },
      };
    }
    return found;
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (requesting) return;
    const found = validate();
    setErrors(found);
    setServerError(null);
    const firstInvalid = (['reason', 'approver', 'duration'] as const).find((field) => found[field]);
    if (firstInvalid) {
      refs[firstInvalid].current?.focus();
      return;
    }
    try {
      const trimmed = reason.trim();
      const result = await checkouts.request({
        credentialId: credential.id,
        ...(asksReason && trimmed ? { reason: trimmed } : {}),
        ...(needsApprover && approverId ? { approverId } : {}),
        duration: minutes,
      });
      const { checkout } = result;
      if (checkout.status === CheckoutStatus.Pending && !checkout.approverName && !chosen) {
        toasts.success('checkout.requestedToastAny', { credential: checkout.credentialName });
      } else if (checkout.status === CheckoutStatus.Pending) {
        toasts.success('checkout.requestedToast', {
          credential: checkout.credentialName,
          name: checkout.approverName ?? chosen?.name ?? '',
        });
      } else {
        toasts.success('checkout.grantedToast', {
          credential: checkout.credentialName,
          time: checkout.expiresAt ? formatClock(checkout.expiresAt) : '',
        });
      }
      onClose();
      navigation.navigate('checkouts', checkout.id);
    } catch (error) {
      const failure = error as CoffreError;
      const field = FIELD_OF_CODE[failure.code];
      setServerError(failure);
      if (field) refs[field].current?.focus();
    }
  };

  const describedBy = (field: Field, hint?: string) =>
    [hint, errors[field] ? `${ids}-${field}-error` : undefined].filter(Boolean).join(' ') || undefined;
  const fieldError = (field: Field) => {
    const error = errors[field];
    return (
      <p id={`${ids}-${field}-error`} className="field-error" data-testid={`checkout-${field}-error`}>
        {error ? t(error.key, error.values ?? {}) : null}
      </p>
    );
  };

  return (
    <Dialog.Root open onOpenChange={(open) => (open ? undefined : onClose())}>
      <Dialog.Portal>
        <div className="dialog-backdrop" aria-hidden="true" />
        <Dialog.Content
          className="dialog"
          data-testid="checkout-dialog"
          onCloseAutoFocus={(event) => {
            event.preventDefault();
            if (returnFocus?.isConnected) returnFocus.focus();
          }}
        >
          <form onSubmit={(event) => void submit(event)} noValidate>
            <Dialog.Title className="dialog-title">
              {isRequest
                ? t('checkout.titleRequest', { name: credential.name })
                : t('checkout.title', { name: credential.name })}
            </Dialog.Title>
            <Dialog.Description className="dialog-description muted" data-testid="checkout-account">
              <AccountAtHost account={credential.username} host={credential.host} />
              {vaultName ? ` · ${vaultName}` : ''}
            </Dialog.Description>

            {asksReason ? (
              <div className="field">
                <label htmlFor={`${ids}-reason`}>
                  {t('checkout.reason')}{' '}
                  <span className="muted">
                    {policy.reasonMode === 'mandatory' ? t('checkout.required') : t('checkout.optional')}
                  </span>
                </label>
                <input
                  id={`${ids}-reason`}
                  ref={reasonRef}
                  className="input"
                  value={reason}
                  maxLength={2000}
                  autoComplete="off"
                  required={policy.reasonMode === 'mandatory'}
                  aria-invalid={errors.reason ? true : undefined}
                  aria-describedby={describedBy('reason')}
                  data-testid="checkout-reason"
                  onChange={(event) => setReason(event.target.value)}
                />
                {fieldError('reason')}
              </div>
            ) : null}

            {needsApprover ? (
              <div className="field">
                <label htmlFor={`${ids}-approver`}>{t('checkout.approver')}</label>
                <select
                  id={`${ids}-approver`}
                  ref={approverRef}
                  className="input"
                  value={approverId}
                  required
                  aria-invalid={errors.approver ? true : undefined}
                  aria-describedby={describedBy('approver')}
                  aria-busy={approversLoading}
                  data-testid="checkout-approver"
                  onChange={(event) => setApproverId(event.target.value)}
                >
                  <option value="">
                    {approvers === undefined ? t('checkout.approversLoading') : t('checkout.chooseApprover')}
                  </option>
                  {selfAllowed && userId ? (
                    <option value={userId}>{t('checkout.myself', { name: user?.displayName ?? '' })}</option>
                  ) : null}
                  {others.map((approver) => (
                    <option key={approver.id} value={approver.id}>
                      {approver.displayName || approver.username}
                    </option>
                  ))}
                </select>
                {fieldError('approver')}
                {noApprover ? <p className="field-hint">{t('checkout.noApprover')}</p> : null}
                {approversError ? <p className="field-hint">{approversError.message}</p> : null}
              </div>
            ) : null}

            <div className="field">
              <label htmlFor={`${ids}-duration`}>{t('checkout.duration')}</label>
              {/* Durations people pick (30 min, 1 h, 2 h…) within the policy, not a bare minutes box. */}
              <select
                id={`${ids}-duration`}
                ref={durationRef}
                className="input"
                value={duration}
                required
                aria-invalid={errors.duration ? true : undefined}
                aria-describedby={describedBy('duration', `${ids}-duration-hint`)}
                data-testid="checkout-duration"
                onChange={(event) => setDuration(event.target.value)}
              >
                {durationPresets(policy).map((preset) => (
                  <option key={preset} value={String(preset)}>
                    {formatDuration(preset, lang)}
                    {preset === policy.defaultDuration ? ` ${t('checkout.defaultMark')}` : ''}
                  </option>
                ))}
              </select>
              <p id={`${ids}-duration-hint`} className="field-hint">
                {t('checkout.durationBounds', {
                  min: formatDuration(policy.minDuration, lang),
                  max: formatDuration(policy.maxDuration, lang),
                })}
              </p>
              {fieldError('duration')}
            </div>

            <p className="outcome" aria-live="polite" data-testid="checkout-outcome" data-plan={plan.kind}>
              {plan.kind === 'immediate'
                ? t(canReadPassword ? 'checkout.outcomeImmediate' : 'checkout.outcomeImmediateNoPassword')
                : plan.kind === 'anyApprover'
                  ? t('checkout.outcomeAnyApprover')
                  : plan.kind === 'self'
                    ? t('checkout.outcomeSelf')
                    : plan.kind === 'approver'
                      ? t('checkout.outcomeApprover', { name: plan.name })
                      : t('checkout.outcomeChoose')}
              {policy.rotateOnCheckin ? ` ${t('checkout.rotates')}` : ''}
            </p>

            <div className="form-error" role="alert" data-testid="checkout-error">
              {serverError ? (
                <>
                  <strong>{t(ERROR_KEYS[serverError.kind] ?? 'error.internal')}</strong> {serverError.message}
                </>
              ) : null}
            </div>

            <div className="dialog-actions">
              <Dialog.Close asChild>
                <button type="button" className="button" data-testid="checkout-cancel">
                  {t('common.cancel')}
                </button>
              </Dialog.Close>
              <button
                type="submit"
                className="button primary"
                disabled={requesting || noApprover}
                aria-disabled={requesting || noApprover}
                data-testid="checkout-submit"
              >
                {requesting
                  ? t('checkout.sending')
                  : isRequest
                    ? t('checkout.submitRequest')
                    : t('checkout.submit')}
              </button>
            </div>
          </form>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
