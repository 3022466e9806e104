import { ERROR_STATUS, type ErrorCode } from '../../common/errors.ts';

/** A refusal the client can act on; its message is safe to show and never carries a secret. */
export class PamError extends Error {
  readonly code: ErrorCode;
  readonly statusCode: number;
  readonly retryAfterSeconds: number | undefined;

  constructor(code: ErrorCode, message: string, options: { retryAfterSeconds?: number } = {}) {
    super(message);
    this.name = 'PamError';
    this.code = code;
    this.statusCode = ERROR_STATUS[code];
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

export const alreadyCheckedOut = () =>
  new PamError('already_checked_out', 'The credential is already checked out.');
export const notFound = (what: string) => new PamError('not_found', `${what} was not found.`);
export const forbidden = (message: string) => new PamError('forbidden', message);
