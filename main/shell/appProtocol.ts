/**
 * The `app://coffre/` origin: the renderer build served from disk (or the asar) by a protocol
 * handler, never over http. The path resolution is pure and refuses anything that could leave the
 * renderer directory; every response, errors included, carries the CSP header.
 *
 * Only `import type` from electron here: the caller passes Electron's objects in, so the pure parts
 * load under plain Node in tests.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { CustomScheme, Protocol } from 'electron';
import { CONTENT_SECURITY_POLICY } from './contentSecurityPolicy.ts';

export const APP_SCHEME = 'app';
export const APP_HOST = 'coffre';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;
const ENTRY_FILE = 'index.html';

/**
 * `standard` gives the scheme real origins (so 'self' in the CSP, relative URLs and storage work),
 * `secure` makes it a secure context like https. No `bypassCSP`, no service workers, no CORS.
 * Must be registered before the app is ready.
 */
export const APP_SCHEME_PRIVILEGES: CustomScheme = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
};

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
};

export function contentTypeFor(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Joins a relative path under `rootDir`, or returns null when the result would not be strictly
 * inside it: `..` segments, absolute paths (`/etc/passwd`, `C:\…`, `\\server\share`), NUL bytes.
 */
export function resolveInsideRoot(rootDir: string, relativePath: string): string | null {
  if (relativePath.includes('\0')) return null;
  if (
    path.isAbsolute(relativePath) ||
    path.win32.isAbsolute(relativePath) ||
    /^[a-zA-Z]:/.test(relativePath)
  ) {
    return null;
  }
  const segments = relativePath.split(/[\\/]/);
  if (segments.some((segment) => segment === '..')) return null;
  const root = path.resolve(rootDir);
  const file = path.resolve(root, ...segments);
  const relative = path.relative(root, file);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return null;
  return file;
}

export type AppRequestResolution =
  | { ok: true; file: string; contentType: string }
  | { ok: false; status: 400 | 403 | 404; reason: string };

/**
 * Maps an app:// request URL to a file under `rootDir`. Chromium already canonicalises standard
 * URLs before they reach the handler; this checks again, after percent-decoding, so an encoded
 * `..%2f` or `%5c` cannot climb out. A path without an extension is an in-app route: index.html.
 */
export function resolveAppRequest(requestUrl: string, rootDir: string): AppRequestResolution {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return { ok: false, status: 400, reason: 'malformed URL' };
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.hostname !== APP_HOST) {
    return { ok: false, status: 403, reason: 'not the app origin' };
  }
  if (url.username || url.password || url.port)
    return { ok: false, status: 400, reason: 'unexpected authority' };

  const rawSegments = url.pathname.split('/').slice(1);
  const segments: string[] = [];
  for (const [index, raw] of rawSegments.entries()) {
    const last = index === rawSegments.length - 1;
    if (raw === '' && last) break;
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return { ok: false, status: 400, reason: 'malformed escape' };
    }
    if (segment === '' || segment === '.' || segment === '..' || /[\\/:\0]/.test(segment)) {
      return { ok: false, status: 400, reason: 'refused path segment' };
    }
    segments.push(segment);
  }
  const lastSegment = segments.at(-1);
  const relative =
    lastSegment === undefined || path.extname(lastSegment) === '' ? ENTRY_FILE : segments.join('/');
  const file = resolveInsideRoot(rootDir, relative);
  if (file === null) return { ok: false, status: 400, reason: 'outside the renderer directory' };
  return { ok: true, file, contentType: contentTypeFor(file) };
}

/** Headers on every app:// response, errors included. */
export function appResponseHeaders(contentType: string): Record<string, string> {
  return {
    'Content-Type': contentType,
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Cache-Control': 'no-cache',
  };
}

function errorResponse(status: number, message: string): Response {
  return new Response(message, { status, headers: appResponseHeaders('text/plain; charset=utf-8') });
}

/** Serves `rootDir` (the renderer build) on app:// through `protocol` (a session's protocol). */
export function registerAppProtocol(protocol: Protocol, rootDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD')
      return errorResponse(405, 'Method not allowed');
    const resolution = resolveAppRequest(request.url, rootDir);
    if (!resolution.ok) return errorResponse(resolution.status, 'Not found');
    let body: Buffer;
    try {
      body = await readFile(resolution.file);
    } catch {
      return errorResponse(404, 'Not found');
    }
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
      status: 200,
      headers: appResponseHeaders(resolution.contentType),
    });
  });
}
