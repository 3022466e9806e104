import { type HTMLAttributes, type ReactNode, useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { Checkout } from '../domain.ts';
import { formatAge } from '../format.ts';
import { useLang } from '../hooks.ts';
import { useNow } from '../stores/clock.ts';
import { selectors as credentialSelectors, useCredentialsStore } from '../stores/credentials.ts';

export interface CheckoutCardProps extends Omit<HTMLAttributes<HTMLElement>, 'title'> {
  /** `li` when the card is itself the list item (the approval queue's focusable rows). */
  as?: 'article' | 'li';
  /** The card's heading level in its screen. */
  heading?: 'h2' | 'h3';
  title: ReactNode;
  /** The muted line beside the title: times, countdown. */
  meta: ReactNode;
  children: ReactNode;
}

/**
 * One checkout as a card (an active or pending checkout of the user's, a request to approve): a
 * header with the title and its meta line, then the card's own lines and actions. The card is
 * labelled by its title.
 */
export function CheckoutCard({
  as: Element = 'article',
  heading: Heading = 'h3',
  title,
  meta,
  className,
  children,
  ...attributes
}: CheckoutCardProps) {
  const titleId = useId();
  return (
    <Element className={`card ${className ?? ''}`.trim()} aria-labelledby={titleId} {...attributes}>
      <header className="card-header">
        <Heading id={titleId} className="card-title">
          {title}
        </Heading>
        <p className="card-meta">{meta}</p>
      </header>
      {children}
    </Element>
  );
}

/** The dot between two parts of a meta line. */
export function MetaSeparator() {
  return (
    <span className="separator" aria-hidden="true">
      ·
    </span>
  );
}

/** "Requested at 09:12 · 4 min ago" (`requestedAt` is the first part, already worded). */
export function RequestedAge({ requestedAt, since }: { requestedAt: string; since: string }) {
  const { t } = useTranslation();
  const lang = useLang();
  const now = useNow();
  const age = formatAge(since, now, lang);
  return (
    <>
      {requestedAt}
      <MetaSeparator />
      <span className="age">{age ? t('time.ago', { duration: age }) : t('time.justNow')}</span>
    </>
  );
}

/**
 * What a checkout opens, as the server names it (Coffre's servers) or, failing that, as the loaded
 * credential list has it: the account, its host and the vault.
 */
export function useCheckoutAccount(checkout: Checkout): { account: string; host: string; vault: string } {
  const known = useCredentialsStore(credentialSelectors.byId(checkout.credentialID));
  const knownVault = useCredentialsStore((state) =>
    known ? credentialSelectors.vaultName(known.vaultID)(state) : undefined,
  );
  return {
    account: checkout.credentialUsername ?? known?.username ?? '',
    host: checkout.credentialHost ?? known?.host ?? '',
    vault: checkout.vaultName ?? knownVault ?? '',
  };
}

/** "SYS@ora01.corp.example": a line may break before the host, never inside a name. */
export function AccountAtHost({ account, host }: { account: string; host: string }) {
  if (!account || !host) return <>{account || host}</>;
  return (
    <>
      {account}
      <wbr />@{host}
    </>
  );
}

/** The card's account line: "SYS@ora01.corp.example · Databases". Nothing when nothing is known. */
export function CheckoutAccount({ checkout }: { checkout: Checkout }) {
  const { account, host, vault } = useCheckoutAccount(checkout);
  if (!account && !host) return null;
  return (
    <p className="card-account" data-testid="checkout-account">
      <span className="account-name">
        <AccountAtHost account={account} host={host} />
      </span>
      {vault ? (
        <>
          <MetaSeparator />
          <span className="muted">{vault}</span>
        </>
      ) : null}
    </p>
  );
}
