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
  'token',
  'body.password',
  'req.body',
  'res.body',
];

export interface LoggerOptions {
  /** `service` field of every line: coffre-server, coffre-desktop. */
  service: string;
  level: string;
  /** Standard error when absent. */
  destination?: DestinationStream;
}

/** The structured logger of the server and the desktop main process (pino, with redaction). */
export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      level: options.level,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      base: { service: options.service },
    },
    options.destination ?? pino.destination(2),
  );
}
