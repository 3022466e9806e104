/**
 * Electron's side of the IPC contract: one ipcMain.handle per channel of common/ipc.ts, each
 * handing the sender frame's URL and whether it is the top frame, the channel and the raw argument
 * to the router (which checks the sender, validates the argument and returns an envelope); and the
 * EventSink that pushes AppEvents to the window on the one event channel.
 */
import type { IpcMain, WebContents } from 'electron';
import { type AppEvent, IPC_CHANNELS, IPC_EVENT_CHANNEL, type IpcEnvelope } from '../../common/ipc.ts';
import type { EventSink } from '../services/ports.ts';
import { isTrustedSender } from './senderValidation.ts';

export interface IpcRouterLike {
  handle(
    sender: { url: string | undefined; topFrame: boolean },
    channel: string,
    args: unknown,
  ): Promise<IpcEnvelope<unknown>>;
}

/** Registers every channel; returns the function that removes them. */
export function registerIpcHandlers(ipcMain: IpcMain, router: IpcRouterLike): () => void {
  for (const channel of IPC_CHANNELS) {
    // Only the first argument is the call's; anything else a renderer sends is ignored.
    ipcMain.handle(channel, (event, args: unknown) =>
      // A frame without a parent is the top one; a destroyed sender frame (null) counts as a sub-frame.
      router.handle(
        { url: event.senderFrame?.url, topFrame: event.senderFrame?.parent === null },
        channel,
        args,
      ),
    );
  }
  return () => {
    for (const channel of IPC_CHANNELS) ipcMain.removeHandler(channel);
  };
}

/**
 * Sends events to the current window's WebContents, and only while it shows our own origin. Events
 * emitted while there is no window are dropped: the renderer asks for the state when it loads.
 */
export function createWebContentsEventSink(target: () => WebContents | null): EventSink {
  return {
    emit(event: AppEvent) {
      const contents = target();
      if (!contents || contents.isDestroyed()) return;
      if (!isTrustedSender(contents.getURL())) return;
      contents.send(IPC_EVENT_CHANNEL, event);
    },
  };
}
