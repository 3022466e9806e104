import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ServerContext } from '../context.ts';
import type { Actor } from '../domain/actor.ts';
import { PamError } from '../domain/pamError.ts';
import { MIM_PREFIX } from './dialectErrors.ts';
import type { IntegratedAuth } from './integratedAuth.ts';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
  }
  interface FastifyContextConfig {
    /** Routes reachable without a token (login, health, docs). */
    public?: boolean;
  }
}

/** The token travels as `tokenId: <token>` (checkout dialect habit) or `Authorization: Bearer <token>`. */
export function tokenOf(request: FastifyRequest): string | undefined {
  const header = request.headers.tokenid;
  if (typeof header === 'string' && header.length > 0) return header;
  const authorization = request.headers.authorization;
  const match = authorization?.match(/^Bearer\s+(\S+)$/i);
  return match?.[1];
}

export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new Error('route is public but reads the actor');
  return request.actor;
}

/** How callers of the MIM dialect may sign in besides Coffre's token, as IIS offers it. */
export interface MimSignIn {
  /** The NetBIOS domain a Basic user name may start with (`COFFRE\\bob`). */
  domain: string;
  /** Negotiate (Kerberos), when an adapter is configured. */
  integratedAuth?: IntegratedAuth | undefined;
}

const unauthorized = (message: string) => new PamError('unauthorized', message);

/** `DOMAIN\\user` to `user` when DOMAIN is this server's; anything else is left as typed. */
function withoutDomain(username: string, domain: string): string {
  const slash = username.indexOf('\\');
  if (slash < 0) return username;
  return username.slice(0, slash).toLowerCase() === domain.toLowerCase()
    ? username.slice(slash + 1)
    : username;
}

/**
 * Who sends the request: Coffre's token (`tokenId` or `Authorization: Bearer`) everywhere; on the
 * MIM dialect also `Authorization: Basic` and, with an adapter, `Authorization: Negotiate`. A
 * refused MIM request says which schemes it takes (`WWW-Authenticate`), as IIS does.
 */
export async function authenticateRequest(
  ctx: ServerContext,
  request: FastifyRequest,
  reply: FastifyReply,
  mim: MimSignIn,
): Promise<Actor> {
  const token = tokenOf(request);
  if (token !== undefined || !request.url.startsWith(MIM_PREFIX)) return ctx.auth.authenticate(token);
  try {
    return await mimCaller(ctx, request, reply, mim);
  } catch (error) {
    if (error instanceof PamError && error.code === 'unauthorized') {
      const schemes = mim.integratedAuth ? ['Negotiate'] : [];
      reply.header('www-authenticate', [...schemes, `Basic realm="${mim.domain}", charset="UTF-8"`]);
    }
    throw error;
  }
}

async function mimCaller(
  ctx: ServerContext,
  request: FastifyRequest,
  reply: FastifyReply,
  mim: MimSignIn,
): Promise<Actor> {
  const match = /^(\S+)\s+(\S+)\s*$/.exec(request.headers.authorization ?? '');
  const scheme = match?.[1]?.toLowerCase();
  if (scheme === 'basic') {
    const decoded = Buffer.from(match![2]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) throw unauthorized('The Basic credentials are not user:password.');
    const username = withoutDomain(decoded.slice(0, colon), mim.domain);
    return ctx.auth.authenticateBasic(username, decoded.slice(colon + 1), request.ip);
  }
  if (scheme === 'negotiate' && mim.integratedAuth) {
    let accepted: Awaited<ReturnType<IntegratedAuth['accept']>>;
    try {
      accepted = await mim.integratedAuth.accept(match![2]!);
    } catch {
      throw unauthorized('The Windows sign-in (Negotiate) was not accepted.');
    }
    const actor = await ctx.auth.authenticatePrincipal(accepted.username);
    if (accepted.responseToken) reply.header('www-authenticate', `Negotiate ${accepted.responseToken}`);
    return actor;
  }
  return ctx.auth.authenticate(undefined);
}
