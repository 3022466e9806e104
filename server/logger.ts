import pino, { type DestinationStream, type Logger } from 'pino';

/**
 * Paths that could ever carry a secret are censored, even though no code logs them on purpose:
 * a header dump or a body logged while debugging must not leak a token or a password.
 */
export const REDACTED_PATHS = [
  'req.headers.tokenid',
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.tokenid',
  'headers.authorization',
  '*.password',
  '*.tokenId',
  '*.token',
  'password',
  'tokenId',
  'body.password',
  'req.body',
  'res.body',
];

export function createLogger(options: { level: string; destination?: DestinationStream }): Logger {
  return pino(
    {
      level: options.level,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      base: { service: 'coffre-server' },
    },
    options.destination ?? pino.destination(2),
  );
}
