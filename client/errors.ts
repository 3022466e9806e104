/** The one error type the client core throws. Messages are for people; they never hold a token or password. */
import type { ClientErrorKind, ErrorDetails } from '../common/errors.ts';

export type PamErrorKind = ClientErrorKind;

export interface PamClientErrorOptions {
  /** The server's code (e.g. 'already_checked_out'), or one of ours for client-side failures. */
  code?: string;
  status?: number;
  /** e.g. `GET /api/pam/vaults` */
  endpoint?: string;
  /** Seconds, from a 429/503's Retry-After. */
  retryAfter?: number;
  /** The server's structured facts (e.g. the checkout holding the credential of a 409). */
  details?: ErrorDetails;
  cause?: unknown;
}

/** What an error answer's body said, in either dialect. */
export interface ErrorBodyFields {
  code?: string;
  message?: string;
  details?: ErrorDetails;
}

export class PamClientError extends Error {
  override readonly name = 'PamClientError';
  readonly kind: PamErrorKind;
  readonly code: string;
  readonly status?: number;
  readonly endpoint?: string;
  readonly retryAfter?: number;
  readonly details?: ErrorDetails;

  constructor(kind: PamErrorKind, message: string, options: PamClientErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.kind = kind;
    this.code = options.code ?? kind;
    if (options.status !== undefined) this.status = options.status;
    if (options.endpoint !== undefined) this.endpoint = options.endpoint;
    if (options.retryAfter !== undefined) this.retryAfter = options.retryAfter;
    if (options.details !== undefined) this.details = options.details;
  }

  /** Worth retrying later without changing anything. */
  get transient(): boolean {
    return (
      this.kind === 'network' ||
      this.kind === 'timeout' ||
      this.kind === 'throttled' ||
      (this.kind === 'server' && (this.status === 502 || this.status === 503 || this.status === 504))
    );
  }

  toJSON(): Record<string, unknown> {
    return { name: this.name, kind: this.kind, code: this.code, status: this.status, message: this.message };
  }
}

export function isPamClientError(value: unknown): value is PamClientError {
  return value instanceof PamClientError;
}

/** The error kind an HTTP status maps to. */
export function kindForStatus(status: number): PamErrorKind {
  switch (status) {
    case 400:
      return 'invalid';
    case 401:
      return 'unauthorized';
    case 403:
      return 'forbidden';
    case 404:
      return 'not_found';
    case 409:
      return 'conflict';
    case 422:
      return 'policy';
    case 429:
      return 'throttled';
    default:
      if (status >= 500) return 'server';
      if (status === 413 || status === 415) return 'invalid';
      return 'protocol';
  }
}

/** What an error says when the server's answer carried no message of its own. */
export const DEFAULT_MESSAGES: Record<PamErrorKind, string> = {
  unauthorized: 'You are not logged in, or your session has expired. Log in again.',
  forbidden: 'You are not allowed to do that.',
  not_found: 'Not found.',
  conflict: 'That conflicts with the current state; refresh and try again.',
  policy: "That is not allowed by the credential's policy.",
  invalid: 'The server rejected the request as malformed.',
  throttled: 'Too many requests; wait a moment and try again.',
  network: 'The server could not be reached.',
  timeout: 'The server did not answer in time.',
  tls: 'The secure connection to the server failed.',
  server: 'The server failed to handle the request.',
  unsupported: 'This server does not support that.',
  protocol: 'The server answered something unexpected.',
};

/** An error from a non-2xx HTTP answer, with the server's code and message when it sent them. */
export function httpError(
  status: number,
  endpoint: string,
  body: ErrorBodyFields | null,
  retryAfter?: number,
): PamClientError {
  const kind = kindForStatus(status);
  const serverMessage = body?.message?.trim();
  let message = serverMessage || DEFAULT_MESSAGES[kind];
  if (kind === 'server' && !serverMessage)
    message = `${DEFAULT_MESSAGES.server} (HTTP ${status} for ${endpoint})`;
  if (kind === 'protocol')
    message = `The server answered HTTP ${status} for ${endpoint}${serverMessage ? `: ${serverMessage}` : '.'}`;
  return new PamClientError(kind, message, {
    code: body?.code || kind,
    status,
    endpoint,
    ...(retryAfter !== undefined ? { retryAfter } : {}),
    ...(body?.details ? { details: body.details } : {}),
  });
}

const TLS_CODES =
  /^(CERT_|SELF_SIGNED|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT|DEPTH_ZERO_SELF_SIGNED_CERT|ERR_TLS_CERT|ERR_SSL_|HOSTNAME_MISMATCH)/;
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'ETIMEDOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
]);

function causeChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  let current: unknown = error;
  while (current && chain.length < 8 && !chain.includes(current)) {
    chain.push(current);
    if (current instanceof AggregateError) chain.push(...current.errors);
    current = (current as { cause?: unknown }).cause;
  }
  return chain;
}

function codeOf(value: unknown): string | undefined {
  const code = (value as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function nameOf(value: unknown): string | undefined {
  const name = (value as { name?: unknown } | null)?.name;
  return typeof name === 'string' ? name : undefined;
}

/** Turns whatever `fetch` threw into a PamClientError (network, timeout, tls). */
export function transportError(error: unknown, endpoint: string, serverUrl: string): PamClientError {
  if (error instanceof PamClientError) return error;
  const chain = causeChain(error);
  if (chain.some((entry) => nameOf(entry) === 'TimeoutError')) {
    return new PamClientError('timeout', `The server at ${serverUrl} did not answer ${endpoint} in time.`, {
      code: 'timeout',
      endpoint,
      cause: error,
    });
  }
  if (chain.some((entry) => nameOf(entry) === 'AbortError')) {
    return new PamClientError('network', `The request ${endpoint} to ${serverUrl} was canceled.`, {
      code: 'aborted',
      endpoint,
      cause: error,
    });
  }
  const tlsCode = chain.map(codeOf).find((code) => code !== undefined && TLS_CODES.test(code));
  if (tlsCode) {
    return new PamClientError(
      'tls',
      `The certificate of ${serverUrl} could not be verified (${tlsCode}). If the server uses a private or self-signed certificate, pass its CA file (PEM) with the CA option.`,
      { code: tlsCode, endpoint, cause: error },
    );
  }
  const netCode = chain.map(codeOf).find((code) => code !== undefined && NETWORK_CODES.has(code));
  const detail =
    netCode === 'ECONNREFUSED'
      ? 'the connection was refused; is the server running?'
      : netCode === 'ENOTFOUND' || netCode === 'EAI_AGAIN'
        ? 'the host name could not be resolved'
        : netCode
          ? `the connection failed (${netCode})`
          : 'the connection failed';
  // "…is the server running?" already ends its sentence: no "?." (issue 15).
  const end = /[.?!]$/.test(detail) ? '' : '.';
  return new PamClientError('network', `Could not reach the server at ${serverUrl}: ${detail}${end}`, {
    code: netCode ?? 'network',
    endpoint,
    cause: error,
  });
}
