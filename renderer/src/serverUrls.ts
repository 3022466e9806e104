/**
 * The sign-in screen's "other addresses" field (issue 16): the other nodes of one server, for the
 * client's failover, written one per line or separated by commas.
 */

/** At most this many other addresses (the profile schema's bound). */
export const MAX_FAILOVER_URLS = 8;

export function isServerUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

/** Without a trailing slash, so `https://a/` and `https://a` are one address. */
function normalised(url: string): string {
  return url.replace(/\/+$/, '');
}

export type FailoverParse =
  | { ok: true; urls: string[] }
  | { ok: false; problem: 'invalid'; value: string }
  | { ok: false; problem: 'tooMany' };

/**
 * The addresses in `text` other than `primary`, in the order written, each once. An entry that is
 * not an http(s) URL is named back, so the user sees which one to fix.
 */
export function parseFailoverUrls(text: string, primary: string): FailoverParse {
  const seen = new Set([normalised(primary.trim())]);
  const urls: string[] = [];
  for (const entry of text.split(/[,\n]/)) {
    const value = entry.trim();
    if (value === '') continue;
    if (!isServerUrl(value)) return { ok: false, problem: 'invalid', value };
    const url = normalised(value);
    if (seen.has(url)) continue;
    seen.add(url);
    urls.push(url);
  }
  return urls.length > MAX_FAILOVER_URLS ? { ok: false, problem: 'tooMany' } : { ok: true, urls };
}
