/**
 * Helpers for the HTTP fuzz tests: a raw HTTP sender (no URL normalisation, any bytes as body),
 * the dialect error-shape check, state fingerprints, and the arbitraries the properties share.
 */
import http from 'node:http';
import fc from 'fast-check';
import type { TestServer } from '../support/testServer.ts';

// ---------------------------------------------------------------------------------------------
// Sending

export interface RawRequest {
  method: string;
  /** Sent exactly as given (already percent-encoded where wanted); may contain `..`, `%zz`, … */
  path: string;
  headers?: Record<string, string>;
  body?: Buffer | string;
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  /** The parsed body, or undefined when it is not JSON. */
  json: unknown;
  /** Milliseconds until the whole answer arrived (for an event stream: until its headers). */
  ms: number;
  /** An event stream (closed by us as soon as its headers arrived). */
  stream: boolean;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });

/** Node's http client refuses these in a header value; the server never sees them. */
export const INVALID_HEADER_CHAR = /[^\t\x20-\x7e\x80-\xff]/;

/**
 * One request over node:http, which (unlike fetch) leaves the path alone and lets any bytes through
 * as the body. Rejects after `timeoutMs` so a hang fails the property instead of the test timeout.
 */
export function send(baseUrl: string, request: RawRequest, timeoutMs = 30_000): Promise<RawResponse> {
  const url = new URL(baseUrl);
  const body =
    request.body === undefined
      ? undefined
      : Buffer.isBuffer(request.body)
        ? request.body
        : Buffer.from(request.body, 'utf8');
  const headers: Record<string, string> = { ...request.headers };
  if (body !== undefined) headers['content-length'] = String(body.length);
  const started = performance.now();
  return new Promise<RawResponse>((resolve, reject) => {
    const req = http.request(
      { host: url.hostname, port: url.port, method: request.method, path: request.path, headers, agent },
      (res) => {
        const status = res.statusCode ?? 0;
        if (String(res.headers['content-type'] ?? '').startsWith('text/event-stream')) {
          const ms = performance.now() - started;
          res.destroy();
          req.destroy();
          resolve({ status, headers: res.headers, text: '', json: undefined, ms, stream: true });
          return;
        }
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = text ? JSON.parse(text) : undefined;
          } catch {
            json = undefined;
          }
          resolve({
            status,
            headers: res.headers,
            text,
            json,
            ms: performance.now() - started,
            stream: false,
          });
        });
      },
    );
    req.setTimeout(timeoutMs, () =>
      req.destroy(new Error(`no answer within ${timeoutMs} ms to ${request.method} ${request.path}`)),
    );
    req.on('error', reject);
    // The server may answer (413, 401) and close before it read a large body: that is an answer.
    req.on('close', () => undefined);
    req.end(body);
  });
}

// ---------------------------------------------------------------------------------------------
// Checks

export const MIM_PREFIX = '/api/pamresources';

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const sameKeys = (value: Record<string, unknown>, keys: string[]) =>
  Object.keys(value).sort().join(',') === [...keys].sort().join(',');

/**
 * Why `json` is not an error body in the dialect of `path`, or null when it is. Checkout dialect
 * (and auth, admin, events): `{error: {code, message, details?: {checkoutId?}}}`; MIM: `{"odata.error": {code, message: {lang, value}}}`.
 */
export function errorShapeProblem(path: string, json: unknown): string | null {
  if (path.startsWith(MIM_PREFIX)) {
    if (!isObject(json) || !sameKeys(json, ['odata.error'])) return 'not {"odata.error": …}';
    const inner = json['odata.error'];
    if (!isObject(inner) || !sameKeys(inner, ['code', 'message']))
      return 'odata.error is not {code, message}';
    if (typeof inner.code !== 'string' || inner.code === '') return 'odata.error.code is not a string';
    const message = inner.message;
    if (!isObject(message) || !sameKeys(message, ['lang', 'value'])) return 'message is not {lang, value}';
    if (message.lang !== 'en-US' || typeof message.value !== 'string' || message.value === '')
      return 'message.lang/value';
    return null;
  }
  // The checkout dialect: DVLS's top-level message beside Coffre's {code, message}.
  if (!isObject(json) || !sameKeys(json, ['message', 'error'])) return 'not {message, error: …}';
  if (typeof json.message !== 'string' || json.message === '') return 'message is not a string';
  const inner = json.error;
  if (
    !isObject(inner) ||
    !sameKeys(inner, 'details' in inner ? ['code', 'message', 'details'] : ['code', 'message'])
  )
    return 'error is not {code, message, details?}';
  if (typeof inner.code !== 'string' || inner.code === '') return 'error.code is not a string';
  if (typeof inner.message !== 'string' || inner.message === '') return 'error.message is not a string';
  if ('details' in inner) {
    const details = inner.details;
    if (!isObject(details) || !sameKeys(details, ['checkoutId']) || typeof details.checkoutId !== 'string')
      return 'error.details is not {checkoutId}';
  }
  return null;
}

/**
 * Every answer: below 500, an error in the dialect's shape, and no hang (a guard far above normal
 * times, so a busy machine never trips it; speed is the benchmarks' business). Returns the problems.
 */
export function answerProblems(request: RawRequest, response: RawResponse, maxMs = 20_000): string[] {
  const problems: string[] = [];
  if (response.status >= 500 || response.status < 100) problems.push(`status ${response.status}`);
  if (response.ms > maxMs) problems.push(`took ${Math.round(response.ms)} ms`);
  if (response.status >= 400 && request.method !== 'HEAD') {
    const shape = errorShapeProblem(request.path, response.json);
    if (shape) problems.push(`error body ${shape}: ${response.text.slice(0, 200)}`);
  }
  return problems;
}

/** A short, printable description of a request for failure messages. */
export function describeRequest(request: RawRequest): string {
  const body =
    request.body === undefined
      ? ''
      : ` body(${Buffer.byteLength(request.body)}B)=${JSON.stringify(String(request.body).slice(0, 160))}`;
  const headers = Object.entries(request.headers ?? {})
    .map(([k, v]) => `${k}: ${JSON.stringify(v.length > 60 ? `${v.slice(0, 60)}…` : v)}`)
    .join(', ');
  const path = request.path.length > 200 ? `${request.path.slice(0, 200)}…` : request.path;
  return `${request.method} ${path} [${headers}]${body}`;
}

// ---------------------------------------------------------------------------------------------
// State

const LOGIN_ACTIONS = new Set(['login', 'login.failed', 'logout']);

/**
 * Everything a call could change, read straight from the store (cheap enough to take around every
 * rejected call): users (with password hash), vaults, credentials (with the sealed password),
 * checkouts, the events outbox and the audit trail minus sign-in rows. A failed sign-in writes a
 * `login.failed` row on purpose (API.md: the trail records who tried); that is the one exception.
 */
export async function storeFingerprint(server: TestServer): Promise<string> {
  const { store } = server.ctx;
  const audit = (await store.listAudit({ offset: 0, limit: 10_000_000 })).filter(
    (row) => !LOGIN_ACTIONS.has(row.action),
  );
  return JSON.stringify({
    users: await store.listUsers(),
    vaults: await store.listVaults(),
    vaultMembers: await Promise.all(
      (await store.listVaults()).map(async (vault) => [vault.id, await store.listVaultMembers(vault.id)]),
    ),
    groups: await Promise.all(
      (await store.listGroups()).map(async (group) => [group, await store.listGroupMembers(group.id)]),
    ),
    credentials: await store.listCredentials({ offset: 0, limit: 1_000_000 }),
    checkouts: (await store.listAllCheckouts(null)).sort((a, b) => a.id.localeCompare(b.id)),
    lastEventId: await store.lastEventId(),
    audit: { count: audit.length, last: audit.at(-1) ?? null },
  });
}

// ---------------------------------------------------------------------------------------------
// Arbitraries

/** Text as a remote client could send it: any code point, lone surrogates included. */
export const anyText = (maxLength = 40) =>
  fc.oneof(
    fc.string({ maxLength }),
    fc.string({ unit: 'binary', maxLength }),
    fc.string({ unit: 'grapheme', maxLength }),
  );

/** Percent-encodes like a browser would, tolerating lone surrogates (they become U+FFFD). */
export const encode = (value: string) => encodeURIComponent(value.toWellFormed());

export const guid = fc.uuid();

/** Strings that are almost GUIDs, and some that are GUIDs in unusual spellings. */
export const guidish = fc.oneof(
  guid,
  guid.map((g) => g.toUpperCase()),
  guid.map((g) => g.slice(0, -1)),
  guid.map((g) => `${g}0`),
  guid.map((g) => g.replaceAll('-', '')),
  guid.map((g) => `{${g}}`),
  guid.map((g) => ` ${g}`),
  guid.map((g) => `${g}\n`),
  guid.map((g) => g.replace(/[0-9a-f]/, 'g')),
  guid.map((g) => `guid'${g}'`),
  fc.constant('00000000-0000-0000-0000-000000000000'),
);

export const traversal = fc.constantFrom(
  '..',
  '../..',
  '..%2f..%2fetc%2fpasswd',
  '%2e%2e',
  '%2e%2e%2f',
  '....//',
  '..\\..\\',
  '%00',
  '%',
  '%zz',
  '%E0%A4%A',
  '%c0%ae%c0%ae',
  '%ff%fe',
  '~',
  '.',
  '%2F',
  ';',
  "'",
  '%27',
  'null',
  'undefined',
  '__proto__',
  'constructor',
);

/** Numbers as strings, the shapes a coercing schema might trip on. */
export const numberish = fc.oneof(
  fc.integer({ min: -10, max: 2_000 }).map(String),
  fc.constantFrom(
    '1e300',
    '-1',
    '-0',
    '0x10',
    'NaN',
    'Infinity',
    '-Infinity',
    '9007199254740993',
    '1.5',
    ' 1',
    '1 ',
    '',
    '0',
    '00',
    '1e3',
    '١',
  ),
);

export const dateish = fc.oneof(
  fc
    .date({
      min: new Date('0001-01-01T00:00:00Z'),
      max: new Date('9999-12-31T23:59:59Z'),
      noInvalidDate: true,
    })
    .map((d) => d.toISOString()),
  fc.constantFrom(
    '2015-07-11T22:25:00Z',
    '2015-07-11T22:25:00',
    '2015/07/11 23:40',
    '2020-02-30T00:00:00Z',
    '2020-13-01T00:00:00Z',
    '2020-01-01T24:00:00Z',
    '2020-01-01T00:00:00+14:00',
    '2020-01-01T00:00:00+99:99',
    '0000-01-01T00:00:00Z',
    '+275760-09-13T00:00:00.000Z',
    'yesterday',
    '',
  ),
);

/** A query-string value: random text, numbers, dates, GUIDs, booleans in odd spellings. */
export const queryValue = fc.oneof(
  anyText(20),
  numberish,
  dateish,
  guidish,
  fc.constantFrom('true', 'false', 'TRUE', '1', '0', 'yes', ''),
  traversal,
);

/** A query string built from `keys` (and some random ones), sometimes repeated, sometimes raw. */
export function queryString(keys: string[]): fc.Arbitrary<string> {
  const key =
    keys.length > 0 ? fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...keys) }, anyText(8)) : anyText(8);
  return fc
    .tuple(
      fc.array(fc.tuple(key, queryValue, fc.boolean()), { maxLength: 5 }),
      fc.constantFrom('', '', '', '&', '&&', '=', '?', '&=x'),
    )
    .map(([pairs, tail]) => {
      if (pairs.length === 0 && tail === '') return '';
      const parts = pairs.map(([k, v, raw]) =>
        raw && /^[\x21-\x7e]*$/.test(k + v) && !/[#\s]/.test(k + v)
          ? `${k}=${v}`
          : `${encode(k)}=${encode(v)}`,
      );
      return `?${parts.join('&')}${tail}`;
    });
}

/** A path parameter as sent: percent-encoded, or raw when it is printable ASCII. */
export function pathParam(values: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc
    .tuple(values, fc.nat({ max: 3 }))
    .map(([value, mode]) =>
      mode === 0 && /^[\x21-\x7e]+$/.test(value) && !/[?#]/.test(value) ? value : encode(value),
    );
}

export const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=UTF-8',
  'application/json; charset=latin1',
  'application/json; charset=utf-16',
  'APPLICATION/JSON',
  'application/json;',
  'application/json, text/plain',
  'application/problem+json',
  'application/vnd.api+json',
  'text/json',
  'text/plain',
  'text/plain; charset=utf-8',
  'text/html',
  'application/xml',
  'multipart/form-data; boundary=----x',
  'multipart/form-data',
  'application/x-www-form-urlencoded',
  'application/octet-stream',
  'image/png',
  '*/*',
  ';',
  'json',
] as const;

/** Content-Type: absent, a JSON one, or a lie. */
export const contentType = fc.oneof(
  { weight: 6, arbitrary: fc.constant<string | undefined>('application/json') },
  { weight: 1, arbitrary: fc.constant<string | undefined>(undefined) },
  { weight: 4, arbitrary: fc.constantFrom<string | undefined>(...CONTENT_TYPES) },
  {
    weight: 1,
    arbitrary: fc.string({ maxLength: 30 }).filter((v) => !INVALID_HEADER_CHAR.test(v)) as fc.Arbitrary<
      string | undefined
    >,
  },
);

/** `JSON.stringify` that never returns undefined (a top-level `undefined` becomes `null`). */
export const toJson = (value: unknown): string => JSON.stringify(value) ?? 'null';

/** Deeply nested JSON: arrays, objects, or a mix, up to 20 000 levels (within the body limit). */
export const deepJson = fc
  .tuple(fc.integer({ min: 100, max: 20_000 }), fc.constantFrom('array', 'object', 'mixed'))
  .map(([depth, kind]) => {
    if (kind === 'array') return `${'['.repeat(depth)}${']'.repeat(depth)}`;
    const d = Math.min(depth, 6_000);
    if (kind === 'object') return `${'{"a":'.repeat(d)}1${'}'.repeat(d)}`;
    return `{"reason":${'[{"x":'.repeat(d / 2)}0${'}]'.repeat(d / 2)}}`;
  });

/** JSON text with bytes that are not UTF-8 in it (inside a string, as a key, or bare). */
export const invalidUtf8Body = fc
  .tuple(
    fc.uint8Array({ minLength: 1, maxLength: 12 }).map((bytes) => Buffer.from(bytes.map((b) => 0x80 | b))),
    fc.constantFrom('value', 'key', 'bare', 'overlong', 'surrogate'),
    fc.constantFrom('credentialID', 'reason', 'username', 'password', 'name', 'RoleId', 'Justification'),
  )
  .map(([bad, where, key]) => {
    const ascii = (text: string) => Buffer.from(text, 'latin1');
    switch (where) {
      case 'value':
        return Buffer.concat([ascii(`{"${key}":"`), bad, ascii('"}')]);
      case 'key':
        return Buffer.concat([ascii('{"'), bad, ascii('":1}')]);
      case 'bare':
        return Buffer.concat([ascii(`{"${key}":`), bad, ascii('}')]);
      case 'overlong':
        return Buffer.concat([
          ascii(`{"${key}":"`),
          Buffer.from([0xc0, 0xaf, 0xe0, 0x80, 0xaf]),
          ascii('"}'),
        ]);
      default:
        return Buffer.concat([ascii(`{"${key}":"`), Buffer.from([0xed, 0xa0, 0x80]), ascii('"}')]);
    }
  });

/** A body above the server's 64 KiB limit. */
export const oversizeBody = fc
  .tuple(fc.integer({ min: 64 * 1024 + 1, max: 200 * 1024 }), fc.constantFrom('json', 'bytes'))
  .map(([size, kind]) =>
    kind === 'json' ? Buffer.from(`{"reason":"${'x'.repeat(size)}"}`) : Buffer.alloc(size, 0x7b),
  );

/** Random text that is not JSON. */
export const notJson = fc.oneof(
  fc.constantFrom('{', '}', '[', 'nul', 'undefined', "{'a':1}", '{"a":1,}', '{"a":1}{"a":2}', '\u0000', ' '),
  fc.string({ maxLength: 40 }).filter((text) => {
    try {
      JSON.parse(text);
      return false;
    } catch {
      return true;
    }
  }),
);

/** A huge string that still fits the body limit once quoted (2 001 to ~50 000 bytes). */
export const hugeString = fc
  .tuple(
    fc.integer({ min: 2_001, max: 50_000 }),
    fc.constantFrom(['a', 1], ['é', 2], ['😀', 4], ['\\', 2], ['"', 2], ["'", 1], ['\u0000', 6]),
  )
  .map(([bytes, [ch, size]]) => (ch as string).repeat(Math.max(1, Math.floor(bytes / (size as number)))));

/** An object with exactly `keys`, each holding anything at all. */
export const rightKeysWrongTypes = (keys: string[]) =>
  fc.record(
    Object.fromEntries(
      keys.map((key) => [
        key,
        fc.oneof(
          fc.anything(),
          fc.jsonValue(),
          hugeString,
          fc.constantFrom(null, true, -1, 1e308, '', [], {}),
        ),
      ]),
    ),
    { requiredKeys: [] },
  );
