/**
 * The e2e stand-in for preload/index.ts, bundled into a page init script (see harness.ts). It builds
 * `window.coffre` with the same `buildCoffreApi` as the real preload; the transport is a Playwright
 * binding (`coffreInvoke`, answered in Node by the real main-process router) instead of
 * ipcRenderer.invoke, and the events come back through `__coffreE2eDeliver`, which the harness calls
 * with `page.evaluate` where Electron would `webContents.send`.
 *
 * Written against `globalThis` (the project's tsconfig has no DOM lib). Runs in every frame of the
 * page before any of its scripts; a frame on another origin gets the bridge too, and the router
 * refuses it: the sender check is what is under test there, not the preload.
 */
import { type AppEvent, buildCoffreApi, type IpcChannel } from '../../../common/ipc.ts';

type Listener = (event: AppEvent) => void;
interface TraceEntry {
  channel: string;
  sentAt: number;
  answeredAt: number;
}

const scope = globalThis as any;
const listeners = new Set<Listener>();

/** Optional timing trace for the benchmark: on when the page sets `__coffreE2eTrace = []`. */
function trace(channel: string, sentAt: number): void {
  const sink = scope.__coffreE2eTrace as TraceEntry[] | undefined;
  if (Array.isArray(sink)) sink.push({ channel, sentAt, answeredAt: scope.performance.now() });
}

function invoke(channel: IpcChannel, args: unknown): Promise<unknown> {
  const binding = scope.coffreInvoke as ((channel: string, args: unknown) => Promise<string>) | undefined;
  if (typeof binding !== 'function') return Promise.reject(new Error('The e2e bridge binding is missing.'));
  const sentAt = scope.performance.now();
  // The envelope comes back as JSON text (see harness.ts): parsed here, as the preload's
  // ipcRenderer.invoke hands back a structured clone.
  return binding(channel, args).then((json) => {
    const envelope = JSON.parse(json) as unknown;
    trace(channel, sentAt);
    return envelope;
  });
}

function subscribe(listener: Listener): () => void {
  if (typeof listener !== 'function') throw new TypeError('onEvent expects a function.');
  // Like the preload: each subscription is its own wrapper, removed by its own unsubscribe.
  const forward: Listener = (event) => listener(event);
  listeners.add(forward);
  return () => {
    listeners.delete(forward);
  };
}

Object.defineProperty(scope, '__coffreE2eDeliver', {
  value(events: AppEvent[]) {
    for (const event of events) {
      for (const listener of [...listeners]) {
        try {
          listener(event);
        } catch (error) {
          // A throwing listener must not starve the others (ipcRenderer behaves the same way).
          scope.console.error(error);
        }
      }
    }
    return listeners.size;
  },
  enumerable: false,
});

// contextBridge hands the page a frozen copy; freezing the areas keeps the renderer from patching them.
const coffre = buildCoffreApi(invoke, subscribe) as unknown as Record<string, unknown>;
for (const area of Object.values(coffre)) if (typeof area === 'object' && area) Object.freeze(area);
Object.defineProperty(scope, 'coffre', { value: Object.freeze(coffre), enumerable: true });
