/**
 * Durations as people write and read them: "2h", "90m", "1h30m" in, "1 h 30" and "45 min" out,
 * and the presets a duration picker offers within a policy's bounds. Shared by the CLI and the
 * renderer, so that both write a duration the same way.
 */

const NBSP = '\u00a0';

/**
 * Minutes from "90", "90m", "2h", "1h30", "1h30m", "1 h 30 min" (spaces and case ignored);
 * null when the text is not a duration or is zero.
 */
export function parseDuration(text: string): number | null {
  const compact = text
    .trim()
    .toLowerCase()
    .replace(/\s+/g, '')
    .replace(/mn$|min$/, 'm');
  const match = /^(?:(\d{1,5})h)?(?:(\d{1,6})m?)?$/.exec(compact);
  if (!match || (match[1] === undefined && match[2] === undefined)) return null;
  // "1h30" means 1 h 30 min; a bare "30" means 30 min.
  const minutes = Number(match[1] ?? 0) * 60 + Number(match[2] ?? 0);
  return Number.isSafeInteger(minutes) && minutes > 0 ? minutes : null;
}

/** "45 min", "2 h", "1 h 05" (no-break spaces, the same in English and French). */
export function formatMinutes(minutes: number): string {
  const total = Math.max(0, Math.round(minutes));
  const hours = Math.floor(total / 60);
  const mins = total % 60;
  if (hours === 0) return `${mins}${NBSP}min`;
  return mins === 0 ? `${hours}${NBSP}h` : `${hours}${NBSP}h${NBSP}${String(mins).padStart(2, '0')}`;
}

/** Whole minutes left until `until` (rounded up, so "1 min" shows until the end); 0 once past. */
export function minutesLeft(until: string | number | Date, now: number): number {
  const end = new Date(until).getTime();
  if (Number.isNaN(end)) return 0;
  return Math.max(0, Math.ceil((end - now) / 60_000));
}

const PRESETS = [15, 30, 60, 120, 240, 480, 720, 1440];

/**
 * The extensions a picker offers: the usual durations up to `max` minutes (the policy's
 * `maxExtension`, or the app's own bound when the policy is not known); none when `max` is 0.
 */
export function extensionPresets(max: number): number[] {
  if (max < 1) return [];
  return durationPresets({ minDuration: Math.min(15, max), maxDuration: max });
}

/**
 * The durations a picker offers: the usual ones (15 min … 24 h) that the policy allows, plus the
 * policy's default, minimum and maximum, in order and without duplicates.
 */
export function durationPresets(policy: {
  minDuration: number;
  maxDuration: number;
  defaultDuration?: number;
}): number[] {
  const { minDuration, maxDuration } = policy;
  const inside = PRESETS.filter((minutes) => minutes >= minDuration && minutes <= maxDuration);
  const extra = [minDuration, maxDuration, policy.defaultDuration].filter(
    (minutes): minutes is number => minutes !== undefined && minutes >= minDuration && minutes <= maxDuration,
  );
  return [...new Set([...inside, ...extra])].sort((a, b) => a - b);
}
