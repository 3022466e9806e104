import type { ApprovalsMessages } from '../approvalsWatcher.ts';
import type { ExpiryMessages } from '../expiryScheduler.ts';
import type { TrayLabels } from '../ports.ts';

/** Every text the main process shows, in one language. */
export interface MainCatalogue {
  /** The locale times are formatted in (`14:05` / `14 h 05`). */
  timeLocale: string;
  approvals: ApprovalsMessages;
  expiry: ExpiryMessages;
  tray: TrayLabels;
}

/** `45 min`, `2 h`, `1 h 30 min`, with non-breaking spaces. */
export function durationText(minutes: number, hour: string, minute: string): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h === 0) return `${m}\u00a0${minute}`;
  return m === 0 ? `${h}\u00a0${hour}` : `${h}\u00a0${hour} ${m}\u00a0${minute}`;
}
