import type { ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ServerContext } from '../../context.ts';
import { hashToken } from '../../crypto/tokens.ts';
import { toApiCheckout } from '../../domain/views.ts';
import type { CheckoutRecord, EventRecord } from '../../store/records.ts';
import { actorOf, tokenOf } from '../authentication.ts';
import { SECURITY_HEADERS } from '../securityHeaders.ts';

const HEARTBEAT_MS = 15_000;
const REPLAY_LIMIT = 10_000;
const SHUTDOWN_RETRY_MS = 500;

/** The wire form of an event: checkouts as API.md shows them, never a secret. */
export function formatSseEvent(event: EventRecord): string {
  const data =
    event.type === 'credential.rotated' ? event.data : toApiCheckout(event.data as CheckoutRecord, event.at);
  return `id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(data)}\n\n`;
}

/**
 * Server-Sent Events for the caller. With Last-Event-ID (header, or `lastEventId` query for
 * clients that cannot set headers), the events missed since then are replayed from the store
 * before live ones; live events that arrive during the replay are queued so none is lost or
 * sent twice.
 */
export function registerEventRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const liveResponses = new Set<ServerResponse>();
  // Graceful shutdown: streams would hold the close forever. Each ends with a short retry hint,
  // so its client reconnects soon (through the load balancer, to another node) and resumes with
  // Last-Event-ID.
  app.addHook('preClose', async () => {
    for (const stream of liveResponses) stream.end(`: server shutting down\nretry: ${SHUTDOWN_RETRY_MS}\n\n`);
    liveResponses.clear();
  });
  typed.get(
    '/api/events',
    {
      schema: {
        tags: ['events'],
        description:
          'Server-Sent Events: checkout.created, checkout.updated, checkout.expiring, credential.rotated.',
        querystring: z.object({ lastEventId: z.coerce.number().int().min(0).optional() }),
        headers: z.object({ 'last-event-id': z.coerce.number().int().min(0).optional() }).passthrough(),
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const token = tokenOf(request)!;
      const tokenHash = hashToken(token);
      // The stream lives no longer than its session: it ends at the token's expiry, on logout or
      // revocation (SessionStreams), and when a check at a heartbeat finds the session gone.
      const expiresAt = (await ctx.store.getToken(tokenHash))?.expiresAt ?? 0;
      const resumeAfter = request.headers['last-event-id'] ?? request.query.lastEventId;
      reply.hijack();
      const response = reply.raw;
      response.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
        'x-request-id': request.id,
        ...SECURITY_HEADERS,
      });
      response.write('retry: 2000\n\n');
      liveResponses.add(response);

      let sentUpTo = resumeAfter ?? (await ctx.store.lastEventId());
      let replaying = true;
      const queued: EventRecord[] = [];
      const send = (event: EventRecord) => {
        if (ctx.clock.now() >= expiresAt) return end();
        if (event.id <= sentUpTo) return;
        sentUpTo = event.id;
        response.write(formatSseEvent(event));
      };
      const unsubscribe = ctx.hub.subscribe(actor.id, (event) =>
        replaying ? queued.push(event) : send(event),
      );
      const heartbeat = setInterval(() => {
        void ctx.auth.authenticate(token).then(
          () => response.write(': keep-alive\n\n'),
          () => end(),
        );
      }, HEARTBEAT_MS);
      heartbeat.unref();
      let ended = false;
      const close = () => {
        if (ended) return;
        ended = true;
        clearInterval(heartbeat);
        unsubscribe();
        liveResponses.delete(response);
        forget();
      };
      const end = () => {
        close();
        response.end();
      };
      const forget = ctx.streams.open({ tokenHash, userId: actor.id, close: end });
      request.raw.on('close', close);
      response.on('error', close);

      if (resumeAfter !== undefined) {
        for (const event of await ctx.store.eventsSince(actor.id, resumeAfter, REPLAY_LIMIT)) send(event);
      }
      replaying = false;
      for (const event of queued.splice(0)) send(event);
      flush(response);
    },
  );
}

function flush(response: ServerResponse): void {
  (response as ServerResponse & { flushHeaders?: () => void }).flushHeaders?.();
}
