import type { FastifyRequest } from 'fastify';
import type { Actor } from '../domain/actor.ts';

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
