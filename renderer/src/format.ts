/**
 * Formatting of times, countdowns, durations and numbers for both languages. Pure functions: the
 * caller passes the language and the current time, so tests need no clock.
 */
export type Lang = 'en' | 'fr';

/** A no-break space: a number never wraps away from its unit. */
const NBSP = '\u00a0';

const LOCALES: Record<Lang, string> = { en: 'en-US', fr: 'fr-FR' };

function toDate(value: Date | string | number): Date {
  return value instanceof Date ? value : new Date(value);
}

const pad = (value: number) => String(value).padStart(2, '0');

/** "14:05", local time, 24-hour in both languages. */
export function formatClock(value: Date | string | number): string {
  const date = toDate(value);
  if (Number.isNaN(date.getTime())) return '--:--';
  return `${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** Whole seconds left until `until`, never negative; rounds up so "1 s" shows until the very end. */
export function secondsLeft(until: Date | string | number, now: number): number {
  const end = toDate(until).getTime();
  if (Number.isNaN(end)) return 0;
  return Math.max(0, Math.ceil((end - now) / 1000));
}

/**
 * Time left as a duration, not a clock: "1 h 05", "10 min", and "45 s" in the last minute (the
 * minutes rounded up, so "1 min" shows until the last minute starts). Beside an end time such as
 * "until 09:43", a countdown written "10:00" would read as a second clock.
 */
export function formatTimeLeft(seconds: number): string {
  const total = Math.max(0, Math.ceil(seconds));
  if (total < 60) return `${total}${NBSP}s`;
  const minutes = Math.ceil(total / 60);
  const hours = Math.floor(minutes / 60);
  const mins = minutes % 60;
  if (hours === 0) return `${mins}${NBSP}min`;
  return mins === 0 ? `${hours}${NBSP}h` : `${hours}${NBSP}h${NBSP}${pad(mins)}`;
}

const DAY_UNIT: Record<Lang, string> = { en: 'd', fr: 'j' };

/** A duration in minutes: "45 min", "2 h", "2 h 30 min", "1 d 4 h" ("1 j 4 h" in French). */
export function formatDuration(minutes: number, lang: Lang): string {
  const total = Math.max(0, Math.round(minutes));
  const days = Math.floor(total / 1440);
  const hours = Math.floor((total % 1440) / 60);
  const mins = total % 60;
  const parts: string[] = [];
  if (days > 0) parts.push(`${days}${NBSP}${DAY_UNIT[lang]}`);
  if (hours > 0) parts.push(`${hours}${NBSP}h`);
  if (mins > 0 || parts.length === 0) parts.push(`${mins}${NBSP}min`);
  return parts.join(' ');
}

/** Seconds as "27 s" (the same unit in both languages). */
export function formatSeconds(seconds: number): string {
  return `${Math.max(0, Math.ceil(seconds))}${NBSP}s`;
}

/** How long ago, rounded down to the minute: null under a minute ("just now"). */
export function formatAge(since: Date | string | number, now: number, lang: Lang): string | null {
  const minutes = Math.floor((now - toDate(since).getTime()) / 60_000);
  if (!Number.isFinite(minutes) || minutes < 1) return null;
  return formatDuration(minutes, lang);
}

const dateTimeFormats = new Map<Lang, Intl.DateTimeFormat>();

/** A date and a 24-hour time, as each language writes it. */
export function formatDateTime(value: Date | string | number, lang: Lang): string {
  const date = toDate(value);
  if (Number.isNaN(date.getTime())) return '';
  let format = dateTimeFormats.get(lang);
  if (!format) {
    format = new Intl.DateTimeFormat(LOCALES[lang], {
      year: 'numeric',
      month: 'short',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    dateTimeFormats.set(lang, format);
  }
  return format.format(date);
}

const numberFormats = new Map<Lang, Intl.NumberFormat>();

/** "100,000" / "100 000". */
export function formatNumber(value: number, lang: Lang): string {
  let format = numberFormats.get(lang);
  if (!format) {
    format = new Intl.NumberFormat(LOCALES[lang]);
    numberFormats.set(lang, format);
  }
  return format.format(value);
}

/** 'system' follows the OS (navigator.language); anything not French is English. */
export function resolveLanguage(
  setting: 'system' | 'en' | 'fr' | undefined,
  systemLocale: string | undefined,
): Lang {
  if (setting === 'en' || setting === 'fr') return setting;
  return (systemLocale ?? '').toLowerCase().startsWith('fr') ? 'fr' : 'en';
}

/** A `datetime-local` input's value ("2026-03-05T14:30") as an ISO instant, or undefined when empty. */
export function localInputToIso(value: string): string | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** "Dec 4, 2026" / "4 déc. 2026": a date without its time. */
export function formatDay(value: Date | string | number, lang: Lang): string {
  const date = toDate(value);
  if (Number.isNaN(date.getTime())) return '';
  return new Intl.DateTimeFormat(LOCALES[lang], { year: 'numeric', month: 'short', day: 'numeric' }).format(
    date,
  );
}
