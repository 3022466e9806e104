/**
 * Looks for secrets where they must never be: files (logs, databases and their WAL, caches),
 * strings (renderer storage dumps, IPC error payloads). A secret counts as found in any of the
 * forms a careless write would leave: UTF-8, UTF-16LE (Chromium's storage, Windows APIs), base64,
 * base64url and hex of its UTF-8 bytes. (A secret base64-encoded inside a larger blob at another
 * alignment is not caught; nothing in Coffre encodes secrets that way.)
 */
import fs from 'node:fs';
import path from 'node:path';

export interface Secret {
  /** What it is, for the report: "password of web01", "bob's token". Never the value. */
  label: string;
  value: string;
}

export interface Leak {
  secret: string;
  where: string;
  form: string;
}

export interface ScanSummary {
  leaks: Leak[];
  files: number;
  bytes: number;
  texts: number;
}

/** Shorter values would match by chance in binary files; every real secret here is longer. */
export const MIN_SECRET_LENGTH = 8;

function forms(value: string): Array<[form: string, bytes: Buffer]> {
  const utf8 = Buffer.from(value, 'utf8');
  return [
    ['utf-8', utf8],
    ['utf-16le', Buffer.from(value, 'utf16le')],
    ['base64', Buffer.from(utf8.toString('base64').replace(/=+$/, ''), 'latin1')],
    ['base64url', Buffer.from(utf8.toString('base64url'), 'latin1')],
    ['hex', Buffer.from(utf8.toString('hex'), 'latin1')],
  ];
}

function usable(secrets: Secret[]): Secret[] {
  const seen = new Set<string>();
  return secrets.filter((secret) => {
    if (secret.value.length < MIN_SECRET_LENGTH || seen.has(secret.value)) return false;
    seen.add(secret.value);
    return true;
  });
}

export function scanBuffer(content: Buffer, where: string, secrets: Secret[]): Leak[] {
  const leaks: Leak[] = [];
  const lower = content.toString('latin1').toLowerCase();
  for (const secret of usable(secrets)) {
    for (const [form, bytes] of forms(secret.value)) {
      // hex is case-insensitive in practice (a logged Buffer is lowercase, some tools uppercase)
      const found =
        form === 'hex' ? lower.includes(bytes.toString('latin1').toLowerCase()) : content.includes(bytes);
      if (found) leaks.push({ secret: secret.label, where, form });
    }
  }
  return leaks;
}

export function scanText(text: string, where: string, secrets: Secret[]): Leak[] {
  return scanBuffer(Buffer.from(text, 'utf8'), where, secrets);
}

/** Every regular file under `dir` (databases, their -wal and -shm, logs, key files…). */
export function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name));
}

export function scanFiles(
  files: string[],
  secrets: Secret[],
  options: { allow?: (file: string, secret: Secret) => boolean } = {},
): ScanSummary {
  const summary: ScanSummary = { leaks: [], files: 0, bytes: 0, texts: 0 };
  for (const file of files) {
    let content: Buffer;
    try {
      content = fs.readFileSync(file);
    } catch {
      continue; // removed meanwhile (a -shm file at checkpoint)
    }
    summary.files++;
    summary.bytes += content.length;
    const relevant = options.allow ? secrets.filter((secret) => !options.allow!(file, secret)) : secrets;
    summary.leaks.push(...scanBuffer(content, file, relevant));
  }
  return summary;
}
