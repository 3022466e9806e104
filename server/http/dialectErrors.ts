import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import type { ErrorCode, ErrorDetails } from '../../common/errors.ts';
import { PamError } from '../domain/pamError.ts';
import { SECURITY_HEADERS } from './securityHeaders.ts';

export const MIM_PREFIX = '/api/pamresources';

export interface ErrorShape {
  statusCode: number;
  code: string;
  message: string;
  details?: ErrorDetails | undefined;
}

/** Both dialects share error semantics; only the body differs (API.md, "Errors"). */
export function errorBody(url: string, error: ErrorShape): unknown {
  if (url.startsWith(MIM_PREFIX)) {
    return { 'odata.error': { code: error.code, message: { lang: 'en-US', value: error.message } } };
  }
  // The top-level `message` is where the Devolutions.Server module reads errors (Invoke-DS:
  // `($_.ErrorDetails.Message | ConvertFrom-Json).message`); `error.code` is Coffre's, for its clients.
  return {
    message: error.message,
    error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) },
  };
}

const FASTIFY_CODES: Record<string, { code: ErrorCode; message: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'payload_too_large', message: 'The request body is too large.' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    code: 'unsupported_media_type',
    message: 'Send the request body as application/json.',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'invalid_request', message: 'The request body is empty.' },
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'invalid_request', message: 'The request body is not valid JSON.' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    code: 'invalid_request',
    message: 'The Content-Length header is wrong.',
  },
};

/**
 * The MIM dialect also reads form bodies (jQuery's default, as Microsoft's sample portal sends
 * them; app.ts registers @fastify/formbody there), so its 415 names both media types.
 */
const MIM_MEDIA_TYPES: { code: ErrorCode; message: string } = {
  code: 'unsupported_media_type',
  message: 'Send the request body as application/json or application/x-www-form-urlencoded.',
};

/** Turns anything thrown while handling a request into a 4xx the client can act on, or a logged 500. */
export function toErrorShape(error: unknown, url = ''): ErrorShape {
  if (error instanceof PamError)
    return { statusCode: error.statusCode, code: error.code, message: error.message, details: error.details };
  if (hasZodFastifySchemaValidationErrors(error)) {
    const issues = error.validation
      .slice(0, 3)
      .map((issue) => {
        const where = `${error.validationContext ?? 'request'}${issue.instancePath.replaceAll('/', '.')}`;
        return `${where}: ${issue.message}`;
      })
      .join('; ');
    return { statusCode: 400, code: 'invalid_request', message: `The request is not valid (${issues}).` };
  }
  const fastifyError = error as FastifyError;
  const known =
    fastifyError?.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' && url.startsWith(MIM_PREFIX)
      ? MIM_MEDIA_TYPES
      : fastifyError?.code
        ? FASTIFY_CODES[fastifyError.code]
        : undefined;
  if (known) return { statusCode: fastifyError.statusCode ?? 400, code: known.code, message: known.message };
  if (
    typeof fastifyError?.statusCode === 'number' &&
    fastifyError.statusCode >= 400 &&
    fastifyError.statusCode < 500
  ) {
    return {
      statusCode: fastifyError.statusCode,
      code: 'invalid_request',
      message: 'The request is not valid.',
    };
  }
  return { statusCode: 500, code: 'internal_error', message: 'The server failed to handle the request.' };
}

export function sendError(request: FastifyRequest, reply: FastifyReply, error: unknown): FastifyReply {
  const shape = toErrorShape(error, request.url);
  if (shape.statusCode >= 500) request.log.error({ err: error }, 'request failed');
  if (error instanceof PamError && error.retryAfterSeconds)
    reply.header('retry-after', error.retryAfterSeconds);
  // Router refusals (malformed URLs) come here before any hook has set them.
  reply.headers(SECURITY_HEADERS);
  return reply.code(shape.statusCode).send(errorBody(request.url, shape));
}
