/**
 * The MIM service's own clock face. MIM runs on a Windows server in that server's time zone: it
 * writes the creation time of a request it has just made as .NET's `DateTime.Now`, with the
 * server's UTC offset (`2015-07-11T23:38:09.036164-07:00`, Microsoft's "Create PAM request"
 * example), and reads a `RequestedTime` that carries no zone (`2015/07/11 23:40`) as the server's
 * local time (the same example answers `2015-07-12T06:40:00Z`).
 *
 * The zone is an IANA name (`America/Los_Angeles`); by default the process's own.
 */

export const processTimeZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone;

const offsetFormats = new Map<string, Intl.DateTimeFormat>();

/** Throws a RangeError for a zone name Intl does not know: checked once, at start-up. */
export function assertTimeZone(timeZone: string): void {
  offsetFormat(timeZone);
}

function offsetFormat(timeZone: string): Intl.DateTimeFormat {
  let format = offsetFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' });
    offsetFormats.set(timeZone, format);
  }
  return format;
}

/** The zone's offset from UTC at that instant, in minutes (`-420` for `-07:00`). */
export function offsetMinutes(epochMs: number, timeZone: string): number {
  const name = offsetFormat(timeZone)
    .formatToParts(epochMs)
    .find((part) => part.type === 'timeZoneName')?.value;
  const match = /^GMT([+-])(\d{2}):?(\d{2})?$/.exec(name ?? '');
  if (!match) return 0; // "GMT": UTC itself
  return (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3] ?? 0));
}

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/**
 * An instant as the zone's wall-clock time with its offset, the fraction trimmed of trailing zeros
 * as .NET writes it: `2015-07-11T23:38:09.036-07:00`.
 */
export function formatWithOffset(epochMs: number, timeZone: string): string {
  const offset = offsetMinutes(epochMs, timeZone);
  const wall = new Date(epochMs + offset * 60_000)
    .toISOString()
    .slice(0, 23)
    .replace(/\.?0+$/, '');
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${wall}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/**
 * The instant at which the zone's clocks show this wall-clock time (given as if it were UTC, e.g.
 * `Date.UTC(2015, 6, 11, 23, 40)`). In the hour a clock skips or repeats, the offset in force just
 * before the change is taken, as .NET does.
 */
export function wallClockToEpoch(wallAsUtcMs: number, timeZone: string): number {
  const first = wallAsUtcMs - offsetMinutes(wallAsUtcMs, timeZone) * 60_000;
  return wallAsUtcMs - offsetMinutes(first, timeZone) * 60_000;
}
