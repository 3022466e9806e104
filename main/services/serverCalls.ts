import { isPamClientError } from '../../client/errors.ts';
import type { PamBackend } from '../../client/pamBackend.ts';
import type { SessionService } from './sessionService.ts';

/**
 * Runs a call against the signed-in backend and keeps the session honest about it: a network
 * failure marks the app offline, a success online again, a 401 ends the session.
 */
export function createServerCaller(session: SessionService) {
  return async function callServer<T>(work: (backend: PamBackend) => Promise<T>): Promise<T> {
    const backend = session.requireBackend();
    try {
      const result = await work(backend);
      session.setOnline(true);
      return result;
    } catch (error) {
      if (isPamClientError(error)) {
        if (error.kind === 'network' || error.kind === 'timeout') session.setOnline(false);
        if (error.kind === 'unauthorized') await session.expired();
      }
      throw error;
    }
  };
}

export type ServerCaller = ReturnType<typeof createServerCaller>;
