import type { CoffreApi } from '../../common/ipc.ts';

declare global {
  interface Window {
    /** Exposed by the preload (Electron) or the e2e bridge; absent in a plain browser tab. */
    coffre?: CoffreApi;
  }
}
