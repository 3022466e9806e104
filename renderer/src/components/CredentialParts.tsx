import { useTranslation } from 'react-i18next';
import type { CredentialState, Policy } from '../domain.ts';
import { formatClock } from '../format.ts';

/** Approval and reason badges; the slot keeps its width whether or not a badge shows. */
export function PolicyBadges({ policy }: { policy: Policy }) {
  const { t } = useTranslation();
  return (
    <span className="badges">
      {policy.approvalMode === 'mandatory' ? (
        <span className="badge badge-approval" data-testid="badge-approval">
          {t('badge.approval')}
        </span>
      ) : null}
      {policy.reasonMode === 'mandatory' ? (
        <span className="badge badge-reason" data-testid="badge-reason">
          {t('badge.reasonRequired')}
        </span>
      ) : policy.reasonMode === 'optional' ? (
        <span className="badge badge-subtle" data-testid="badge-reason">
          {t('badge.reasonOptional')}
        </span>
      ) : null}
    </span>
  );
}

export function CredentialStateLabel({ state }: { state: CredentialState }) {
  const { t } = useTranslation();
  switch (state.kind) {
    case 'available':
      return (
        <span className="state state-available" data-state="available">
          <span className="dot dot-success" aria-hidden="true" />
          {t('state.available')}
        </span>
      );
    case 'mine':
      return (
        <span className="state state-mine" data-state="mine">
          <span className="dot dot-accent" aria-hidden="true" />
          {state.expiresAt ? t('state.mineUntil', { time: formatClock(state.expiresAt) }) : t('state.mine')}
        </span>
      );
    case 'pending':
      return (
        <span className="state state-pending" data-state="pending">
          <span className="dot dot-warning" aria-hidden="true" />
          {t('state.pending')}
        </span>
      );
    case 'taken':
      return (
        <span className="state state-taken" data-state="taken">
          <span className="dot dot-muted" aria-hidden="true" />
          {t('state.takenBy', { name: state.username })}
        </span>
      );
  }
}
