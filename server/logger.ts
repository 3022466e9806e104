import type { DestinationStream, Logger } from 'pino';
import { createLogger as createServiceLogger } from '../common/logger.ts';

export { REDACTED_PATHS } from '../common/logger.ts';

export function createLogger(options: { level: string; destination?: DestinationStream }): Logger {
  return createServiceLogger({ service: 'coffre-server', ...options });
}
