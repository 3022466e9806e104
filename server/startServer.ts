import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { createServerContext, type ServerContext, type ServerContextOptions } from './context.ts';
import { seedDemo } from './demo.ts';
import { type AppOptions, buildApp } from './http/app.ts';
import { createLogger } from './logger.ts';

export interface StartOptions extends ServerContextOptions {
  host: string;
  port: number;
  demo?: boolean;
  logger?: Logger;
  /** How often the sweeper writes down expiries; 0 turns it off (tests sweep by hand). */
  sweepIntervalMs?: number;
  /** Cross-origin callers, MIM dialect presentation and Negotiate sign-in (see AppOptions). */
  corsOrigins?: AppOptions['corsOrigins'];
  mim?: AppOptions['mim'];
  integratedAuth?: AppOptions['integratedAuth'];
  /** See AppOptions.trustProxy. */
  trustProxy?: boolean | string | undefined;
  /** See AppOptions.publicUrl. */
  publicUrl?: string | undefined;
}

export interface RunningServer {
  app: FastifyInstance;
  ctx: ServerContext;
  url: string;
  seeded: boolean;
  close(): Promise<void>;
}

export const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1']);
const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '']);

export async function startServer(options: StartOptions): Promise<RunningServer> {
  if (options.demo && !LOOPBACK_HOSTS.has(options.host)) {
    throw new Error(
      `--demo serves well-known passwords, so it listens on loopback only (not ${options.host}).`,
    );
  }
  const logger = options.logger ?? createLogger({ level: 'warn' });
  const ctx = createServerContext(options, logger);
  try {
    const seeded = options.demo ? await seedDemo(ctx) : false;
    await ctx.sweeper.sweep();
    if ((options.sweepIntervalMs ?? 1000) > 0) ctx.sweeper.start(options.sweepIntervalMs ?? 1000);
    const app = await buildApp(ctx, {
      logger,
      corsOrigins: options.corsOrigins,
      mim: options.mim,
      integratedAuth: options.integratedAuth,
      trustProxy: options.trustProxy,
      publicUrl: options.publicUrl,
    });
    await app.listen({ host: options.host, port: options.port });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : options.port;
    const host = options.host.includes(':') ? `[${options.host}]` : options.host;
    const url = `http://${host === 'localhost' ? '127.0.0.1' : host}:${port}`;
    // Absolute links need a base no client can forge: --public-url, else the address listened on
    // (unless it is a wildcard, which no client can reach by: then links stay relative).
    app.publicUrl = options.publicUrl ?? (WILDCARD_HOSTS.has(options.host) ? '' : url);
    return {
      app,
      ctx,
      url,
      seeded,
      async close() {
        await app.close();
        ctx.close();
      },
    };
  } catch (error) {
    ctx.close();
    throw error;
  }
}
