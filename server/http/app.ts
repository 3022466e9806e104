import { randomUUID } from 'node:crypto';
import fastifyCors, { type FastifyCorsOptionsDelegatePromise } from '@fastify/cors';
import fastifyFormbody from '@fastify/formbody';
import fastifySwagger from '@fastify/swagger';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyServerOptions,
  LogController,
} from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import type { ServerContext } from '../context.ts';
import { DvlsSessions } from '../dvls/dvlsSessions.ts';
import { authenticateRequest } from './authentication.ts';
import { errorBody, sendError } from './dialectErrors.ts';
import type { IntegratedAuth } from './integratedAuth.ts';
import { registerAdminRoutes } from './routes/adminRoutes.ts';
import { registerAuthRoutes } from './routes/authRoutes.ts';
import { registerDvlsAccountRoutes } from './routes/dvlsAccountRoutes.ts';
import { registerDvlsPamRoutes } from './routes/dvlsPamRoutes.ts';
import { registerDvlsSessionRoutes } from './routes/dvlsSessionRoutes.ts';
import { registerEventRoutes } from './routes/eventRoutes.ts';
import { type MimDialectOptions, mimDialectOptions, registerMimRoutes } from './routes/mimRoutes.ts';
import { registerPamRoutes } from './routes/pamRoutes.ts';
import { SECURITY_HEADERS } from './securityHeaders.ts';

export type App = FastifyInstance;

export interface AppOptions {
  logger: Logger;
  /** Largest accepted request body, in bytes. */
  bodyLimit?: number;
  version?: string;
  /** Browser origins allowed to call the API cross-origin, with credentials (`--cors-origin`); none by default. */
  corsOrigins?: readonly string[];
  /** How the MIM dialect presents itself (domain, time zone). */
  mim?: Partial<MimDialectOptions>;
  /** Negotiate (Kerberos) sign-in on the MIM dialect; absent: Basic and Coffre's token only. */
  integratedAuth?: IntegratedAuth;
  /**
   * Which proxies to believe about the client's address (X-Forwarded-For), as Fastify's
   * `trustProxy`: true (any), or addresses/CIDRs (comma-separated). Unset: none, so a client cannot
   * pick the address the sign-in throttle counts against.
   */
  trustProxy?: boolean | string | undefined;
  /** `--public-url`: the base of the absolute links the server writes (MIM); unset: relative links
   * (startServer then sets the address it listens on). */
  publicUrl?: string | undefined;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The configured public base URL without a trailing slash, or '' (links stay relative). */
    publicUrl: string;
  }
}

export async function buildApp(ctx: ServerContext, options: AppOptions): Promise<FastifyInstance> {
  const trustProxy: FastifyServerOptions['trustProxy'] = options.trustProxy ?? false;
  const app = Fastify({
    loggerInstance: options.logger as FastifyBaseLogger,
    bodyLimit: options.bodyLimit ?? 64 * 1024,
    trustProxy,
    genReqId: () => randomUUID(),
    logController: new LogController({ requestIdLogLabel: 'requestId' }),
    return503OnClosing: true,
    forceCloseConnections: true,
    // Microsoft's own examples write some MIM URLs with a trailing slash (`sessioninfo/`, `pamroles/`).
    routerOptions: { maxParamLength: 200, ignoreTrailingSlash: true },
    // Malformed URLs (bad %-escapes) and over-long path parameters are refused by the router before
    // any hook runs; without this they would answer in Fastify's own body shape, not the dialect's.
    frameworkErrors: (error, request, reply) => sendError(request, reply, error),
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorateRequest('actor', null);
  app.decorate('publicUrl', (options.publicUrl ?? '').replace(/\/+$/, ''));

  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'Coffre reference PAM server',
        description:
          'Checkout dialect (/api/pam and the /api sign-in of Devolutions Server, as its PowerShell module and go-dvls send them; docs/wire/dvls.md) and MIM dialect (/api/pamresources, modelled on the Microsoft Identity Manager PAM REST API).',
        version: options.version ?? '0.1.0',
      },
      components: {
        securitySchemes: {
          tokenId: { type: 'apiKey', in: 'header', name: 'tokenId' },
          bearer: { type: 'http', scheme: 'bearer' },
        },
      },
      security: [{ tokenId: [] }, { bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });

  await registerCors(app, options.corsOrigins ?? []);
  const mim = mimDialectOptions(options.mim);
  const signIn = { domain: mim.domain, integratedAuth: options.integratedAuth };

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
    reply.header('cache-control', 'no-store');
    reply.headers(SECURITY_HEADERS);
    if (request.routeOptions.config?.public || request.routeOptions.url === undefined) return;
    request.actor = await authenticateRequest(ctx, request, reply, signIn);
  });

  app.setErrorHandler((error, request, reply) => sendError(request, reply, error));
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send(
      errorBody(request.url, {
        statusCode: 404,
        code: 'not_found',
        message: `No such endpoint: ${request.method} ${request.url.split('?')[0]}`,
      }),
    ),
  );

  const dvls = new DvlsSessions({ store: ctx.store, secretBox: ctx.secretBox, clock: ctx.clock });
  registerAuthRoutes(app, ctx);
  registerDvlsSessionRoutes(app, ctx, dvls);
  registerPamRoutes(app, ctx, dvls);
  registerDvlsPamRoutes(app, ctx);
  registerDvlsAccountRoutes(app, ctx);
  registerAdminRoutes(app, ctx);
  registerEventRoutes(app, ctx);
  // Microsoft's sample portal posts jQuery's default form encoding: the MIM dialect reads it too.
  await app.register(async (scope) => {
    await scope.register(fastifyFormbody);
    registerMimRoutes(scope, ctx, mim);
  });

  const typed = app.withTypeProvider<ZodTypeProvider>();

  typed.get('/api/health', { config: { public: true }, schema: { hide: true } }, async () => ({
    status: 'ok',
    time: new Date(ctx.clock.now()).toISOString(),
  }));
  // For a load balancer: ready when the database answers with this server's schema version.
  typed.get('/api/ready', { config: { public: true }, schema: { hide: true } }, async (_request, reply) => {
    try {
      await ctx.store.checkReady();
      return { status: 'ready' };
    } catch {
      return reply.code(503).header('retry-after', '1').send({ status: 'unavailable' });
    }
  });
  typed.get('/api/docs/openapi.json', { config: { public: true }, schema: { hide: true } }, async () =>
    app.swagger(),
  );

  return app;
}

/**
 * CORS for the listed origins only (Microsoft's sample portal is served from another origin and
 * calls the API with credentials): a listed origin is echoed with `Access-Control-Allow-Credentials`,
 * any other gets no CORS header at all, so the browser keeps its answers from the page.
 */
async function registerCors(app: FastifyInstance, origins: readonly string[]): Promise<void> {
  if (origins.length === 0) return;
  const allowed = new Set(origins.map((origin) => origin.replace(/\/+$/, '').toLowerCase()));
  const delegate: FastifyCorsOptionsDelegatePromise = async (request) => {
    const origin = request.headers.origin;
    if (origin === undefined || !allowed.has(origin.toLowerCase())) return { origin: false };
    return {
      origin,
      credentials: true,
      methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
      allowedHeaders: ['content-type', 'authorization', 'tokenid', 'last-event-id'],
      exposedHeaders: ['location', 'x-request-id', 'retry-after'],
      maxAge: 600,
    };
  };
  await app.register(fastifyCors, () => delegate);
}
