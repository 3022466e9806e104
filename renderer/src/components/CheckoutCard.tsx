import { type HTMLAttributes, type ReactNode, useId } from 'react';
import { useTranslation } from 'react-i18next';
import { formatAge } from '../format.ts';
import { useLang } from '../hooks.ts';
import { useNow } from '../stores/clock.ts';

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
