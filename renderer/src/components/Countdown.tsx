import { formatCountdown, secondsLeft } from '../format.ts';
import { useNow } from '../stores/clock.ts';

/** A ticking h:mm:ss in tabular figures (its width never changes); silent for screen readers. */
export function Countdown({
  until,
  className,
  testId,
}: {
  until: string;
  className?: string;
  testId?: string;
}) {
  const now = useNow();
  return (
    <span className={`countdown ${className ?? ''}`} role="timer" aria-live="off" data-testid={testId}>
      {formatCountdown(secondsLeft(until, now))}
    </span>
  );
}
