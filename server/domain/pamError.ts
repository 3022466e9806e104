import { ERROR_STATUS, type ErrorCode, type ErrorDetails } from '../../common/errors.ts';

/** A refusal the client can act on; its message is safe to show and never carries a secret. */
export class PamError extends Error {
  readonly code: ErrorCode;
  readonly statusCode: number;
  readonly retryAfterSeconds: number | undefined;
  readonly details: ErrorDetails | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options: { retryAfterSeconds?: number; details?: ErrorDetails } = {},
  ) {
    super(message);
    this.name = 'PamError';
    this.code = code;
    this.statusCode = ERROR_STATUS[code];
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.details = options.details;
  }
}

/** Someone holds the credential; `holderId` only when the caller may see that checkout. */
export const alreadyCheckedOut = (holderId?: string) =>
  holderId
    ? new PamError('already_checked_out', `The credential is already checked out (checkout ${holderId}).`, {
        details: { checkoutId: holderId },
      })
    : new PamError('already_checked_out', 'The credential is already checked out.');

/** The caller's own open checkout or request on the credential (`id` unknown if it just ended). */
export const openCheckoutExists = (id?: string) =>
  id
    ? new PamError(
        'conflict',
        `You already have an open checkout or request (id ${id}) on this credential.`,
        { details: { checkoutId: id } },
      )
    : new PamError('conflict', 'You already have an open checkout or request on this credential.');
export const notFound = (what: string) => new PamError('not_found', `${what} was not found.`);
export const forbidden = (message: string) => new PamError('forbidden', message);
