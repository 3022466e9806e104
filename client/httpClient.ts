/**
 * JSON over HTTP for both dialects: base URL, token header, a timeout on every call, retries for
 * idempotent GETs, a custom CA, and every answer checked against a zod schema.
 */
import tls from 'node:tls';
import { Agent, fetch as undiciFetch } from 'undici';
import type { z } from 'zod';
import { errorDetailsSchema } from '../common/errors.ts';
import { type ErrorBodyFields, httpError, PamClientError, transportError } from './errors.ts';
import type { FetchLike } from './pamBackend.ts';

export const DEFAULT_TIMEOUT_MS = 15_000;
export const DEFAULT_MAX_TRIES = 3;

export interface HttpClientOptions {
  baseUrl: string;
  /** Per-request timeout (default 15 s). */
  timeoutMs?: number;
  /** PEM of an extra CA to trust. */
  ca?: string;
  /** Replaces the transport (then `ca` is ignored). */
  fetch?: FetchLike;
  /** The current token (sent as header `tokenId`), or null. */
  token?: () => string | null;
  /** An `Authorization` header value to send instead (HTTP Basic), or null. */
  authorization?: () => string | null;
  /** Tries for idempotent GETs (default 3). */
  maxTries?: number;
  /** First backoff delay (default 200 ms); doubles each try, full jitter. */
  backoffMs?: number;
  /** Waiting between tries (tests inject a fast one). */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export type QueryValue = string | number | boolean | undefined | null;

export interface RequestOptions<T> {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path from the base URL, e.g. `/api/pam/vaults` (may include a query string). */
  path: string;
  query?: Record<string, QueryValue>;
  body?: unknown;
  /** Validates the answer; null when no body is expected (204). */
  schema: z.ZodType<T> | null;
  /** Send the token (default true). */
  auth?: boolean;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Overrides the default (GET only). */
  retry?: boolean;
}

export interface RawRequestOptions {
  method?: string;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export interface HttpClient {
  readonly baseUrl: string;
  request<T>(options: RequestOptions<T>): Promise<T>;
  /**
   * A streaming request (SSE): no timeout beyond `signal`, the token header added, non-2xx
   * answers turned into PamClientError. The caller reads and cancels the body.
   */
  raw(path: string, options?: RawRequestOptions): Promise<Response>;
  /** Releases the connection pool (custom CA only). */
  close(): Promise<void>;
}

/** The body of an error answer in either dialect. */
export function readErrorBody(body: unknown): ErrorBodyFields | null {
  if (!body || typeof body !== 'object') return null;
  const checkout = (body as { error?: unknown }).error;
  if (checkout && typeof checkout === 'object') {
    const { code, message, details } = checkout as { code?: unknown; message?: unknown; details?: unknown };
    const parsedDetails = errorDetailsSchema.safeParse(details);
    return {
      ...(typeof code === 'string' ? { code } : {}),
      ...(typeof message === 'string' ? { message } : {}),
      ...(details !== undefined && parsedDetails.success ? { details: parsedDetails.data } : {}),
    };
  }
  const odata = (body as Record<string, unknown>)['odata.error'];
  if (odata && typeof odata === 'object') {
    const { code, message } = odata as { code?: unknown; message?: unknown };
    const value =
      typeof message === 'string'
        ? message
        : message && typeof message === 'object' && typeof (message as { value?: unknown }).value === 'string'
          ? (message as { value: string }).value
          : undefined;
    return {
      ...(typeof code === 'string' ? { code } : {}),
      ...(value !== undefined ? { message: value } : {}),
    };
  }
  // Devolutions Server: only a top-level message (Invoke-DS reads it).
  const { message } = body as { message?: unknown };
  return typeof message === 'string' ? { message } : null;
}

/** Explains a zod failure in one line, without echoing values (they could be secrets). */
export function describeSchemaFailure(error: z.ZodError): string {
  const issues = error.issues.slice(0, 3).map((issue) => {
    const where = issue.path.length > 0 ? issue.path.join('.') : '(the whole answer)';
    return `${where}: ${issue.message}`;
  });
  const more = error.issues.length > 3 ? ` (and ${error.issues.length - 3} more)` : '';
  return issues.join('; ') + more;
}

function retryAfterSeconds(response: Response): number | undefined {
  const header = response.headers.get('retry-after');
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.round((date - Date.now()) / 1000));
}

function buildQuery(query: Record<string, QueryValue> | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

const RETRY_STATUSES = new Set([502, 503, 504]);

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createHttpClient(options: HttpClientOptions): HttpClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxTries = Math.max(1, options.maxTries ?? DEFAULT_MAX_TRIES);
  const backoffMs = options.backoffMs ?? 200;
  const sleep = options.sleep ?? defaultSleep;
  const random = options.random ?? Math.random;
  const token = options.token ?? (() => null);
  const authorization = options.authorization ?? (() => null);

  let agent: Agent | undefined;
  let transport: FetchLike;
  if (options.fetch) {
    transport = options.fetch;
  } else if (options.ca) {
    agent = new Agent({ connect: { ca: [...tls.rootCertificates, options.ca] } });
    const dispatcher = agent;
    transport = (input, init) =>
      undiciFetch(input, { ...(init as object), dispatcher } as Parameters<
        typeof undiciFetch
      >[1]) as unknown as Promise<Response>;
  } else {
    transport = (input, init) => globalThis.fetch(input, init);
  }

  function headersFor(auth: boolean, extra: Record<string, string> = {}): Record<string, string> {
    const headers: Record<string, string> = { accept: 'application/json', ...extra };
    const basic = auth ? authorization() : null;
    const current = auth && !basic ? token() : null;
    if (basic) headers.authorization = basic;
    if (current) headers.tokenId = current;
    return headers;
  }

  async function once<T>(request: RequestOptions<T>, endpoint: string, url: string): Promise<T> {
    const timeout = AbortSignal.timeout(request.timeoutMs ?? timeoutMs);
    const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
    const init: RequestInit = { method: request.method, headers: headersFor(request.auth ?? true), signal };
    if (request.body instanceof URLSearchParams) {
      // Form-encoded: DVLS's application sign-in (go-dvls).
      init.body = request.body.toString();
      (init.headers as Record<string, string>)['content-type'] = 'application/x-www-form-urlencoded';
    } else if (request.body !== undefined) {
      init.body = JSON.stringify(request.body);
      (init.headers as Record<string, string>)['content-type'] = 'application/json';
    }
    let response: Response;
    let text: string;
    try {
      response = await transport(url, init);
      text = await response.text();
    } catch (error) {
      throw transportError(error, endpoint, baseUrl);
    }
    let body: unknown;
    let bodyIsJson = false;
    if (text.length > 0) {
      try {
        body = JSON.parse(text);
        bodyIsJson = true;
      } catch {
        body = undefined;
      }
    }
    if (!response.ok) {
      throw httpError(response.status, endpoint, readErrorBody(body), retryAfterSeconds(response));
    }
    if (request.schema === null) return undefined as T;
    if (!bodyIsJson) {
      throw new PamClientError(
        'protocol',
        `The server answered something unexpected for ${endpoint}: ${text.length === 0 ? 'an empty body' : 'not JSON'} (HTTP ${response.status}). Is ${baseUrl} a Coffre/PAM server?`,
        { code: 'invalid_response', status: response.status, endpoint },
      );
    }
    const parsed = request.schema.safeParse(body);
    if (!parsed.success) {
      throw new PamClientError(
        'protocol',
        `The server answered something unexpected for ${endpoint}: ${describeSchemaFailure(parsed.error)}`,
        { code: 'invalid_response', status: response.status, endpoint, cause: parsed.error },
      );
    }
    return parsed.data;
  }

  return {
    baseUrl,
    async request<T>(request: RequestOptions<T>): Promise<T> {
      const pathOnly = request.path.split('?')[0] ?? request.path;
      const endpoint = `${request.method} ${pathOnly}`;
      const query = buildQuery(request.query);
      const url =
        baseUrl + request.path + (query && request.path.includes('?') ? `&${query.slice(1)}` : query);
      const retry = request.method === 'GET' && (request.retry ?? true);
      const tries = retry ? maxTries : 1;
      for (let attempt = 1; ; attempt++) {
        try {
          return await once(request, endpoint, url);
        } catch (error) {
          const pamError = error instanceof PamClientError ? error : transportError(error, endpoint, baseUrl);
          const retryable =
            (pamError.kind === 'network' && pamError.code !== 'aborted') ||
            (pamError.kind === 'server' &&
              pamError.status !== undefined &&
              RETRY_STATUSES.has(pamError.status));
          if (!retryable || attempt >= tries || request.signal?.aborted) throw pamError;
          // Full jitter: anywhere between 0 and base * 2^(attempt-1).
          await sleep(Math.round(random() * backoffMs * 2 ** (attempt - 1)));
        }
      }
    },
    async raw(path: string, raw: RawRequestOptions = {}): Promise<Response> {
      const method = raw.method ?? 'GET';
      const endpoint = `${method} ${path.split('?')[0] ?? path}`;
      let response: Response;
      try {
        response = await transport(baseUrl + path, {
          method,
          headers: headersFor(true, raw.headers),
          ...(raw.signal ? { signal: raw.signal } : {}),
        });
      } catch (error) {
        throw transportError(error, endpoint, baseUrl);
      }
      if (!response.ok) {
        let body: unknown;
        try {
          body = JSON.parse(await response.text());
        } catch {
          body = undefined;
        }
        throw httpError(response.status, endpoint, readErrorBody(body), retryAfterSeconds(response));
      }
      return response;
    },
    async close() {
      await agent?.close();
    },
  };
}
