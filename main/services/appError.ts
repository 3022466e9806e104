/**
 * The error a service throws on purpose, with a kind the renderer can act on. Lives with the
 * services that throw it, below the IPC router that turns it into an envelope, so no service
 * imports the router.
 */
import type { IpcError } from '../../common/ipc.ts';

export class AppError extends Error {
  readonly kind: IpcError['kind'];
  readonly code: string;
  constructor(kind: IpcError['kind'], code: string, message: string) {
    super(message);
    this.name = 'AppError';
    this.kind = kind;
    this.code = code;
  }
}
