/**
 * Live events behind `PamBackend.subscribe()`: a Server-Sent Events client for `GET /api/events`
 * (reconnect with exponential backoff and jitter, `Last-Event-ID` resume, idle watchdog), and a
 * polling fallback that diffs the caller's checkouts into synthetic events for servers without SSE.
 */
import { createParser } from 'eventsource-parser';
import type { Checkout } from '../common/checkout.ts';
import { type PamEvent, pamEventSchema } from '../common/events.ts';
import { PamClientError, transportError } from './errors.ts';
import type { HttpClient } from './httpClient.ts';
import { notOfferedError } from './notOffered.ts';
import type { ListMyCheckoutsOptions, SubscribeOptions, SubscriptionStatus } from './pamBackend.ts';
import { realTimers, type TimerHandle, type Timers } from './ports.ts';

export const DEFAULT_POLL_INTERVAL_MS = 10_000;
export const DEFAULT_INITIAL_BACKOFF_MS = 500;
export const DEFAULT_MAX_BACKOFF_MS = 30_000;
/** The server sends a comment every 15 s; silence for longer than this means a dead connection. */
export const DEFAULT_IDLE_TIMEOUT_MS = 45_000;
/** A stream that lived this long counts as healthy: the next reconnect starts from the first delay. */
export const HEALTHY_STREAM_MS = 10_000;
/** How long before `expiresAt` polling synthesises `checkout.expiring` (the server's T-5 min). */
export const EXPIRING_NOTICE_MS = 5 * 60_000;

export interface StreamEnvironment {
  timers?: Timers;
  random?: () => number;
  now?: () => number;
  idleTimeoutMs?: number;
}

type Listener = (event: PamEvent) => void;

const ENDPOINT_PATH = '/api/events';
const ENDPOINT = `GET ${ENDPOINT_PATH}`;

/** Backoff for try number `attempt` (0-based): base·2^attempt capped, then jittered into [½, 1]. */
export function backoffDelay(
  attempt: number,
  initialMs: number,
  maxMs: number,
  random: () => number,
): number {
  const ceiling = Math.min(maxMs, initialMs * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

function isFatal(error: unknown): boolean {
  return error instanceof PamClientError && (error.kind === 'unauthorized' || error.kind === 'forbidden');
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

interface Reporter {
  status(status: SubscriptionStatus, detail?: { delayMs?: number; error?: Error }): void;
  error(error: Error): void;
  deliver(listener: Listener, event: PamEvent): void;
}

function reporter(options: SubscribeOptions): Reporter {
  const report: Reporter = {
    status(status, detail) {
      try {
        options.onStatus?.(status, detail);
      } catch {
        // A broken status callback must not stop the stream.
      }
    },
    error(error) {
      try {
        options.onError?.(error);
      } catch {
        // Same.
      }
    },
    deliver(listener, event) {
      try {
        listener(event);
      } catch (error) {
        report.error(asError(error));
      }
    },
  };
  return report;
}

/**
 * SSE subscription. Returns the cleanup. A 404 on `/api/events` calls `onUnavailable` (when
 * given: the caller switches to polling) instead of retrying forever.
 */
export function subscribeSse(
  http: HttpClient,
  listener: Listener,
  options: SubscribeOptions = {},
  environment: StreamEnvironment = {},
  onUnavailable?: () => void,
): () => void {
  const timers = options.timers ?? environment.timers ?? realTimers;
  const random = environment.random ?? Math.random;
  const now = environment.now ?? Date.now;
  const idleTimeoutMs = environment.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  const maxBackoffMs = options.maxBackoffMs ?? DEFAULT_MAX_BACKOFF_MS;
  const report = reporter(options);

  let lastEventId: number | undefined = options.lastEventId;
  let serverRetryMs: number | undefined;
  let attempt = 0;
  let closed = false;
  let controller: AbortController | null = null;
  let reconnectTimer: TimerHandle | null = null;
  let idleTimer: TimerHandle | null = null;

  const clearIdle = () => {
    if (idleTimer !== null) timers.clearTimeout(idleTimer);
    idleTimer = null;
  };
  const armIdle = (connection: AbortController) => {
    clearIdle();
    idleTimer = timers.setTimeout(
      () =>
        connection.abort(
          new PamClientError('timeout', `The event stream of ${http.baseUrl} went silent; reconnecting.`, {
            code: 'stream_idle',
            endpoint: ENDPOINT,
          }),
        ),
      idleTimeoutMs,
    );
  };

  const scheduleReconnect = (error?: Error) => {
    if (closed) return;
    const initial = options.initialBackoffMs ?? serverRetryMs ?? DEFAULT_INITIAL_BACKOFF_MS;
    const delayMs = backoffDelay(attempt, initial, maxBackoffMs, random);
    attempt += 1;
    report.status('reconnecting', { delayMs, ...(error ? { error } : {}) });
    reconnectTimer = timers.setTimeout(() => {
      reconnectTimer = null;
      void connect();
    }, delayMs);
  };

  const handleMessage = (message: { id?: string | undefined; event?: string | undefined; data: string }) => {
    const id = Number(message.id);
    let data: unknown;
    try {
      data = JSON.parse(message.data);
    } catch {
      report.error(
        new PamClientError('protocol', `The server sent an event that is not JSON on ${ENDPOINT}.`, {
          code: 'invalid_event',
          endpoint: ENDPOINT,
        }),
      );
      return;
    }
    const parsed = pamEventSchema.safeParse({ id, type: message.event, data });
    if (!parsed.success) {
      // An event type this client does not know yet: skip it, but keep its id for resuming.
      if (Number.isInteger(id) && (lastEventId === undefined || id > lastEventId)) lastEventId = id;
      return;
    }
    const event = parsed.data;
    if (lastEventId !== undefined && event.id <= lastEventId) return; // replayed twice: drop
    lastEventId = event.id;
    attempt = 0; // the stream works: the next loss starts over from the first delay
    report.deliver(listener, event);
  };

  async function connect(): Promise<void> {
    if (closed) return;
    const connection = new AbortController();
    controller = connection;
    report.status('connecting');
    try {
      const headers: Record<string, string> = { accept: 'text/event-stream', 'cache-control': 'no-store' };
      if (lastEventId !== undefined) headers['last-event-id'] = String(lastEventId);
      const response = await http.raw(ENDPOINT_PATH, { headers, signal: connection.signal });
      const type = response.headers.get('content-type') ?? '';
      if (!type.startsWith('text/event-stream') || !response.body) {
        await response.body?.cancel().catch(() => undefined);
        throw new PamClientError(
          'protocol',
          `The server answered something unexpected for ${ENDPOINT}: content-type "${type || 'none'}" instead of text/event-stream.`,
          { code: 'invalid_response', status: response.status, endpoint: ENDPOINT },
        );
      }
      if (closed) {
        await response.body.cancel().catch(() => undefined);
        return;
      }
      const openedAt = now();
      report.status('open');
      const parser = createParser({
        onEvent: handleMessage,
        onRetry: (ms) => {
          serverRetryMs = ms;
        },
      });
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      armIdle(connection);
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          armIdle(connection);
          parser.feed(value);
        }
      } finally {
        clearIdle();
        reader.releaseLock();
        // A server that accepts and drops at once must not make us hammer it at the first delay.
        if (now() - openedAt >= HEALTHY_STREAM_MS) attempt = 0;
      }
      if (!closed) {
        connection.abort();
        scheduleReconnect();
      }
    } catch (caught) {
      clearIdle();
      if (closed) return;
      connection.abort();
      const error = transportError(caught, ENDPOINT, http.baseUrl);
      if (isFatal(error)) {
        closed = true;
        report.error(error);
        report.status('closed', { error });
        return;
      }
      if (error.kind === 'not_found') {
        closed = true;
        // No event stream here (a real DVLS): poll instead when allowed, else say so once.
        if (onUnavailable) return onUnavailable();
        const refusal = notOfferedError('liveEvents', ENDPOINT, error);
        report.error(refusal);
        report.status('closed', { error: refusal });
        return;
      }
      report.error(error);
      scheduleReconnect(error);
    }
  }

  void connect();

  return () => {
    if (closed) return;
    closed = true;
    if (reconnectTimer !== null) timers.clearTimeout(reconnectTimer);
    clearIdle();
    controller?.abort();
    report.status('closed');
  };
}

/** What polling reads. */
export interface PollSource {
  listMyCheckouts(options?: ListMyCheckoutsOptions): Promise<Checkout[]>;
  listToApprove(): Promise<Checkout[]>;
  getCheckout(id: string): Promise<Checkout>;
}

/**
 * Polling fallback: every `pollIntervalMs`, the caller's checkouts and the requests awaiting
 * them are diffed against the previous poll into `checkout.created` / `checkout.updated` (and
 * `checkout.expiring` once, five minutes before `expiresAt`). The first poll is the baseline and
 * emits nothing. Synthetic events carry local, increasing ids (not the server's).
 */
export function subscribePolling(
  source: PollSource,
  listener: Listener,
  options: SubscribeOptions = {},
  environment: StreamEnvironment = {},
): () => void {
  const timers = options.timers ?? environment.timers ?? realTimers;
  const now = environment.now ?? Date.now;
  const intervalMs = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  const report = reporter(options);

  let closed = false;
  let timer: TimerHandle | null = null;
  let baseline = true;
  let nextId = 1;
  const known = new Map<string, { checkout: Checkout; key: string }>();
  const expiringSent = new Set<string>();

  const emit = (type: 'checkout.created' | 'checkout.updated' | 'checkout.expiring', checkout: Checkout) => {
    if (closed) return;
    report.deliver(listener, { id: nextId++, type, data: checkout });
  };

  const observe = (checkout: Checkout) => {
    const key = JSON.stringify(checkout);
    const previous = known.get(checkout.id);
    known.set(checkout.id, { checkout, key });
    if (!baseline) {
      if (!previous) emit('checkout.created', checkout);
      else if (previous.key !== key) emit('checkout.updated', checkout);
    }
    if (checkout.status === 4 && checkout.expiresAt && !expiringSent.has(checkout.id)) {
      const left = Date.parse(checkout.expiresAt) - now();
      if (left > 0 && left <= EXPIRING_NOTICE_MS) {
        expiringSent.add(checkout.id);
        if (!baseline) emit('checkout.expiring', checkout);
      }
    }
  };

  async function poll(): Promise<void> {
    timer = null;
    if (closed) return;
    try {
      const [mine, toApprove] = await Promise.all([source.listMyCheckouts({}), source.listToApprove()]);
      if (closed) return;
      const seen = new Set<string>();
      for (const checkout of [...mine, ...toApprove]) {
        if (seen.has(checkout.id)) continue;
        seen.add(checkout.id);
        observe(checkout);
      }
      // Gone from both lists (approved by someone else, purged...): look once more, then forget.
      for (const id of [...known.keys()]) {
        if (seen.has(id)) continue;
        const previous = known.get(id);
        known.delete(id);
        try {
          const checkout = await source.getCheckout(id);
          if (closed) return;
          if (JSON.stringify(checkout) !== previous?.key) emit('checkout.updated', checkout);
        } catch {
          // Not visible to us any more: nothing to tell.
        }
      }
      baseline = false;
    } catch (error) {
      if (closed) return;
      if (isFatal(error)) {
        closed = true;
        report.error(asError(error));
        report.status('closed', { error: asError(error) });
        return;
      }
      report.error(asError(error));
    }
    if (!closed) timer = timers.setTimeout(() => void poll(), intervalMs);
  }

  report.status('polling');
  void poll();

  return () => {
    if (closed) return;
    closed = true;
    if (timer !== null) timers.clearTimeout(timer);
    report.status('closed');
  };
}

/** Picks SSE or polling per `options.mode`; in 'auto', SSE falls back to polling on a 404. */
export function subscribeEvents(
  sources: { http: HttpClient | null; poll: PollSource; serverEvents: boolean },
  listener: Listener,
  options: SubscribeOptions = {},
  environment: StreamEnvironment = {},
): () => void {
  const mode = options.mode ?? 'auto';
  if (mode === 'poll' || !sources.http || (mode === 'auto' && !sources.serverEvents)) {
    if (mode === 'sse') {
      throw new PamClientError(
        'unsupported',
        'This server does not push events; subscribe with polling instead.',
        {
          code: 'unsupported',
        },
      );
    }
    return subscribePolling(sources.poll, listener, options, environment);
  }
  let cleanup: () => void = () => undefined;
  let closed = false;
  cleanup = subscribeSse(
    sources.http,
    listener,
    options,
    environment,
    mode === 'auto'
      ? () => {
          if (!closed) cleanup = subscribePolling(sources.poll, listener, options, environment);
        }
      : undefined,
  );
  return () => {
    closed = true;
    cleanup();
  };
}
