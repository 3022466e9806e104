/**
 * Picks the implementation of `PamBackend` for a dialect. Kept apart from pamBackend.ts (types
 * only) so the dialect modules can import the interface without an import cycle.
 */
import { createCheckoutBackend } from './checkoutDialect.ts';
import { createMimBackend } from './mimDialect.ts';
import type { CreatePamBackendOptions, PamBackend } from './pamBackend.ts';

export function createPamBackend(options: CreatePamBackendOptions): PamBackend {
  switch (options.dialect) {
    case 'checkout':
      return createCheckoutBackend(options);
    case 'mim':
      return createMimBackend(options);
    default:
      throw new TypeError(`Unknown PAM dialect: ${String(options.dialect)}`);
  }
}
