import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../../context.ts';

/** The MIM dialect (/api/pamresources): filled in by server/mim. */
export function registerMimRoutes(_app: FastifyInstance, _ctx: ServerContext): void {}
