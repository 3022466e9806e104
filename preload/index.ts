/**
 * The preload: exposes `window.coffre`, exactly the typed API of common/ipc.ts, and nothing else
 * (no ipcRenderer, no Node, no Electron object crosses the bridge). Bundled into one CommonJS file
 * because a sandboxed preload can only `require('electron')` and cannot load modules from disk.
 */
import { contextBridge, type IpcRendererEvent, ipcRenderer } from 'electron';
import { type AppEvent, buildCoffreApi, IPC_EVENT_CHANNEL } from '../common/ipc.ts';

const coffre = buildCoffreApi(
  (channel, args) => ipcRenderer.invoke(channel, args),
  (listener) => {
    if (typeof listener !== 'function') throw new TypeError('onEvent expects a function.');
    // The renderer gets the event's data only, never Electron's IpcRendererEvent (it holds `sender`).
    const forward = (_event: IpcRendererEvent, appEvent: AppEvent) => listener(appEvent);
    ipcRenderer.on(IPC_EVENT_CHANNEL, forward);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT_CHANNEL, forward);
    };
  },
);

contextBridge.exposeInMainWorld('coffre', coffre);
