/** Human output: aligned tables, key/value blocks, status names and local times. */
import { styleText } from 'node:util';
import YAML from 'yaml';
import type { Checkout, Credential } from '../client/pamBackend.ts';
import { formatMinutes, minutesLeft } from '../common/duration.ts';
import { type Lang, localeOf, type Messages } from './messages.ts';
import { Status } from './status.ts';

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

export interface TableOptions {
  /** Columns the table may take; the widest cells are cut (with "…") until it fits. */
  maxWidth?: number;
  /** Colours a cell once padded (so that escape codes do not upset the alignment). */
  paint?: (text: string, row: number, column: number) => string;
}

/** Cuts `value` to `width` columns, ending with "…" when it was longer. */
export function truncate(value: string, width: number): string {
  if (displayWidth(value) <= width) return value;
  let out = '';
  for (const char of value) {
    if (displayWidth(`${out}${char}…`) > width) break;
    out += char;
  }
  return `${out}…`;
}

/** Narrows the widest columns, one column at a time, until the table fits `maxWidth`. */
function fitWidths(natural: number[], minimum: number[], maxWidth: number): number[] {
  const widths = [...natural];
  const total = () => widths.reduce((sum, width) => sum + width, 0) + 2 * (widths.length - 1);
  while (total() > maxWidth) {
    let widest = -1;
    for (let column = 0; column < widths.length; column++) {
      if (widths[column]! > minimum[column]! && (widest < 0 || widths[column]! > widths[widest]!))
        widest = column;
    }
    if (widest < 0) break;
    widths[widest] = Math.max(minimum[widest]!, widths[widest]! - Math.max(1, total() - maxWidth));
  }
  return widths;
}

/** An aligned table with a header row; the last column is not padded. */
export function table(
  headers: readonly string[],
  rows: ReadonlyArray<readonly string[]>,
  options: TableOptions = {},
): string {
  const cells = rows.map((row) => row.map((cell) => clean(cell)));
  const natural = headers.map((header, column) =>
    Math.max(displayWidth(header), ...cells.map((row) => displayWidth(row[column] ?? ''))),
  );
  // A column is never narrower than its header, nor than 8 columns when its content is wider.
  const minimum = natural.map((width, column) =>
    Math.min(width, Math.max(displayWidth(headers[column]!), 8)),
  );
  const widths = fitWidths(natural, minimum, options.maxWidth ?? Number.POSITIVE_INFINITY);
  const line = (row: readonly string[], index: number) =>
    row
      .map((cell, column) => {
        const cut = truncate(cell, widths[column]!);
        const text = column === row.length - 1 ? cut : pad(cut, widths[column]!);
        return index >= 0 && options.paint ? options.paint(text, index, column) : text;
      })
      .join('  ')
      .trimEnd();
  const rule = widths.map((width) => '─'.repeat(width)).join('  ');
  return [line(headers, -1), rule, ...cells.map(line)].join('\n');
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

/** How a table is shown: its width, whether it may colour, and whether every column is wanted. */
export interface View {
  t: Messages;
  lang: Lang;
  now: number;
  width: number;
  color: boolean;
  wide: boolean;
}

type Tone = 'good' | 'mine' | 'waiting' | 'bad' | 'done';

const TONE_STYLE: Record<Tone, Parameters<typeof styleText>[0]> = {
  good: 'green',
  mine: 'cyan',
  waiting: 'yellow',
  bad: 'red',
  done: 'gray',
};

function statusTone(status: number): Tone {
  switch (status) {
    case Status.Active:
    case Status.Granted:
      return 'good';
    case Status.Pending:
      return 'waiting';
    case Status.Denied:
    case Status.Expired:
    case Status.Aborted:
      return 'bad';
    default:
      return 'done';
  }
}

function paint(text: string, tone: Tone, color: boolean): string {
  return color ? styleText(TONE_STYLE[tone], text, { validateStream: false }) : text;
}

/** "SYS@ora01": the account a credential logs in as, where. */
export function accountOf(credential: Pick<Credential, 'username' | 'host'>): string {
  if (!credential.host) return credential.username;
  if (!credential.username) return credential.host;
  return `${credential.username}@${credential.host}`;
}

/** "until 14:30 (1 h 05 left)". */
function untilText(expiresAt: string, view: View): string {
  return view.t.values.until(
    formatDate(expiresAt, view.lang),
    formatMinutes(minutesLeft(expiresAt, view.now)),
  );
}

/** The lines of one checkout that matter for its status: no "Expires" once checked in, no "Checked in" on a denial. */
export function checkoutDetails(checkout: Checkout, t: Messages, lang: Lang, now = Date.now()): string {
  const l = t.labels;
  const view: View = { t, lang, now, width: Number.POSITIVE_INFINITY, color: false, wide: true };
  const s = checkout.status;
  const open = s === Status.Pending || s === Status.Granted;
  const used = s === Status.Active || s === Status.Ended || s === Status.Expired || s === Status.Aborted;
  return details(
    [
      [l.credential, checkout.credentialName],
      [l.status, statusName(s, t)],
      [l.id, checkout.id],
      [l.credentialId, checkout.credentialID],
      [l.requester, checkout.username],
      [l.approver, checkout.approverName ?? checkout.approverID],
      [l.reason, checkout.reason],
      [l.approverMessage, checkout.approverMessage],
      [
        l.duration,
        s === Status.Denied || s === Status.RequestCanceled ? null : formatMinutes(checkout.duration),
      ],
      [l.requested, formatDate(checkout.requestDateTime, lang)],
      [l.scheduled, open ? formatDate(checkout.scheduledStart, lang) : null],
      [l.started, used ? formatDate(checkout.checkoutDateTime, lang) : null],
      [
        l.expires,
        (s === Status.Active || s === Status.Granted) && checkout.expiresAt
          ? untilText(checkout.expiresAt, view)
          : null,
      ],
      [endLabel(s, t), formatDate(checkout.checkInDateTime, lang)],
    ],
    t.colon,
  );
}

/** What the end of a checkout is called, by how it ended. */
function endLabel(status: number, t: Messages): string {
  const l = t.labels;
  if (status === Status.Denied) return l.denied;
  if (status === Status.Expired) return l.expired;
  if (status === Status.RequestCanceled) return l.canceled;
  return l.ended;
}

/** One short phrase for the time of a checkout: what is left, or when it ended. */
function checkoutWhen(checkout: Checkout, view: View): string {
  const { t, lang } = view;
  switch (checkout.status) {
    case Status.Active:
    case Status.Granted:
      return checkout.expiresAt
        ? t.values.left(formatMinutes(minutesLeft(checkout.expiresAt, view.now)))
        : '';
    case Status.Pending:
      return t.values.waitingFor(
        formatMinutes(Math.floor((view.now - Date.parse(checkout.requestDateTime)) / 60_000)),
      );
    default:
      return formatDate(checkout.checkInDateTime ?? checkout.requestDateTime, lang);
  }
}

export function checkoutTable(checkouts: readonly Checkout[], view: View): string {
  const { t } = view;
  const l = t.labels;
  const headers = [l.credential, l.status, l.when, l.duration, l.reason];
  if (view.wide) headers.push(l.requested, l.id);
  const rows = checkouts.map((checkout) => {
    const row = [
      checkout.credentialName,
      statusName(checkout.status, t),
      checkoutWhen(checkout, view),
      checkout.status === Status.Denied || checkout.status === Status.RequestCanceled
        ? ''
        : formatMinutes(checkout.duration),
      checkout.reason,
    ];
    if (view.wide) row.push(formatDate(checkout.requestDateTime, view.lang), checkout.id);
    return row;
  });
  return table(headers, rows, {
    maxWidth: view.width,
    paint: (text, row, column) =>
      column === 1 ? paint(text, statusTone(checkouts[row]!.status), view.color) : text,
  });
}

/** Requests waiting for the approver: who asks, for what, for how long, since when. */
export function pendingTable(checkouts: readonly Checkout[], view: View): string {
  const { t } = view;
  const l = t.labels;
  const headers = [l.credential, l.requester, l.duration, l.waiting, l.reason];
  if (view.wide) headers.push(l.requested, l.id);
  const rows = checkouts.map((checkout) => {
    const row = [
      checkout.credentialName,
      checkout.username,
      formatMinutes(checkout.duration),
      formatMinutes(Math.max(0, Math.floor((view.now - Date.parse(checkout.requestDateTime)) / 60_000))),
      checkout.reason,
    ];
    if (view.wide) row.push(formatDate(checkout.requestDateTime, view.lang), checkout.id);
    return row;
  });
  return table(headers, rows, { maxWidth: view.width });
}

/** "available", "yours · 1 h 05 left", "bob · 20 min left", "pending (bob)". */
function credentialState(credential: Credential, me: string | undefined, view: View): [string, Tone] {
  const { t } = view;
  const held = credential.checkout;
  if (!held || ![Status.Active, Status.Granted, Status.Pending].includes(held.status as 1 | 2 | 4)) {
    return [t.values.available, 'good'];
  }
  const who = held.username === me ? t.values.you : held.username;
  if (held.status === Status.Pending) return [t.values.pendingBy(who), 'waiting'];
  const left = held.expiresAt
    ? ` · ${t.values.left(formatMinutes(minutesLeft(held.expiresAt, view.now)))}`
    : '';
  return [`${t.values.heldBy(who)}${left}`, held.username === me ? 'mine' : 'bad'];
}

export function credentialTable(
  credentials: readonly Credential[],
  vaultNames: ReadonlyMap<string, string>,
  me: string | undefined,
  view: View,
): string {
  const { t } = view;
  const l = t.labels;
  const headers = [l.name, l.account, l.state, l.vault, l.approval];
  if (view.wide) headers.push(l.id);
  const states = credentials.map((credential) => credentialState(credential, me, view));
  const rows = credentials.map((credential, index) => {
    const row = [
      credential.name,
      accountOf(credential),
      states[index]![0],
      vaultNames.get(credential.vaultID) ?? shortId(credential.vaultID),
      credential.policy.approvalMode === 'mandatory' ? t.values.approvalMandatory : t.values.approvalNone,
    ];
    if (view.wide) row.push(credential.id);
    return row;
  });
  return table(headers, rows, {
    maxWidth: view.width,
    paint: (text, row, column) => (column === 2 ? paint(text, states[row]![1], view.color) : text),
  });
}

export function toJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** The IDs in a result: of a list's items, of a page's data, or of the one object (or its checkout). */
function idsOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(idsOf);
  if (!value || typeof value !== 'object') return [];
  const record = value as Record<string, unknown>;
  if (Array.isArray(record.data)) return idsOf(record.data);
  if (typeof record.id === 'string') return [record.id];
  if (record.checkout) return idsOf(record.checkout);
  return [];
}

/** A result for programs: JSON, YAML, or its IDs one per line. */
export function formatData(value: unknown, format: 'table' | 'json' | 'yaml' | 'ids'): string {
  if (format === 'yaml') return YAML.stringify(value);
  if (format === 'ids')
    return idsOf(value)
      .map((id) => `${id}\n`)
      .join('');
  return toJson(value);
}
