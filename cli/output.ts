/** Human output: aligned tables, key/value blocks, status names and local times. */
import type { Checkout, Credential } from '../client/pamBackend.ts';
import { type Lang, localeOf, type Messages } from './messages.ts';

/**
 * Text from the server shown on a terminal: control characters (escape sequences included) are
 * replaced so that a crafted name or reason cannot move the cursor or rewrite the screen.
 */
export function clean(value: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: that is the point
  return value.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');
}

/** Width on a terminal; combining marks take none, wide East Asian characters two. */
export function displayWidth(value: string): number {
  let width = 0;
  for (const char of value.normalize('NFC')) {
    const code = char.codePointAt(0)!;
    if (/\p{Mn}/u.test(char)) continue;
    width +=
      code >= 0x1100 && /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u.test(char)
        ? 2
        : 1;
  }
  return width;
}

function pad(value: string, width: number): string {
  return value + ' '.repeat(Math.max(0, width - displayWidth(value)));
}

/** An aligned table with a header row; the last column is not padded. */
export function table(headers: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const cells = rows.map((row) => row.map((cell) => clean(cell)));
  const widths = headers.map((header, column) =>
    Math.max(displayWidth(header), ...cells.map((row) => displayWidth(row[column] ?? ''))),
  );
  const line = (row: readonly string[]) =>
    row
      .map((cell, column) => (column === row.length - 1 ? cell : pad(cell, widths[column]!)))
      .join('  ')
      .trimEnd();
  const rule = widths.map((width) => '─'.repeat(width)).join('  ');
  return [line(headers), rule, ...cells.map(line)].join('\n');
}

/** Label/value lines with the values aligned; empty values are left out. */
export function details(
  pairs: ReadonlyArray<readonly [string, string | null | undefined]>,
  colon = ':',
): string {
  const shown = pairs.filter((pair): pair is readonly [string, string] => !!pair[1]);
  const width = Math.max(0, ...shown.map(([label]) => displayWidth(label + colon)));
  return shown.map(([label, value]) => `${pad(`${label}${colon}`, width)}  ${clean(value)}`).join('\n');
}

export function formatDate(iso: string | null | undefined, lang: Lang): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(localeOf(lang), { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

export function formatElapsed(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  const minutes = Math.floor(seconds / 60);
  return minutes > 0 ? `${minutes} min ${String(seconds % 60).padStart(2, '0')} s` : `${seconds} s`;
}

export function statusName(status: number, t: Messages): string {
  return t.status[status] ?? String(status);
}

export function shortId(id: string): string {
  return id.slice(0, 8);
}

export function checkoutDetails(checkout: Checkout, t: Messages, lang: Lang): string {
  const l = t.labels;
  return details(
    [
      [l.id, checkout.id],
      [l.credential, `${checkout.credentialName} (${checkout.credentialID})`],
      [l.status, statusName(checkout.status, t)],
      [l.requester, checkout.username],
      [l.approver, checkout.approverName ?? checkout.approverID],
      [l.reason, checkout.reason],
      [l.approverMessage, checkout.approverMessage],
      [l.duration, t.values.minutes(checkout.duration)],
      [l.requested, formatDate(checkout.requestDateTime, lang)],
      [l.scheduled, formatDate(checkout.scheduledStart, lang)],
      [l.started, formatDate(checkout.checkoutDateTime, lang)],
      [l.expires, formatDate(checkout.expiresAt, lang)],
      [l.ended, formatDate(checkout.checkInDateTime, lang)],
    ],
    t.colon,
  );
}

export function checkoutTable(checkouts: readonly Checkout[], t: Messages, lang: Lang): string {
  const l = t.labels;
  return table(
    [l.id, l.credential, l.requester, l.status, l.requested, l.expires, l.reason],
    checkouts.map((checkout) => [
      checkout.id,
      checkout.credentialName,
      checkout.username,
      statusName(checkout.status, t),
      formatDate(checkout.requestDateTime, lang),
      formatDate(checkout.expiresAt, lang),
      checkout.reason,
    ]),
  );
}

export function credentialTable(
  credentials: readonly Credential[],
  vaultNames: ReadonlyMap<string, string>,
  t: Messages,
  lang: Lang,
): string {
  const l = t.labels;
  return table(
    [l.id, l.name, l.username, l.host, l.vault, l.approval, l.state],
    credentials.map((credential) => [
      credential.id,
      credential.name,
      credential.username,
      credential.host,
      vaultNames.get(credential.vaultID) ?? shortId(credential.vaultID),
      credential.policy.approvalMode === 'mandatory' ? t.values.approvalMandatory : t.values.approvalNone,
      credential.checkout
        ? `${statusName(credential.checkout.status, t)} · ${credential.checkout.username}${
            credential.checkout.expiresAt ? ` · ${formatDate(credential.checkout.expiresAt, lang)}` : ''
          }`
        : t.values.free,
    ]),
  );
}

export function toJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
