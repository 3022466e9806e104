import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { loginRequestSchema, loginResponseSchema, userSchema } from '../../../common/roles.ts';
import type { ServerContext } from '../../context.ts';
import { actorOf, tokenOf } from '../authentication.ts';

export function registerAuthRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  typed.post(
    '/api/auth/login',
    {
      config: { public: true },
      schema: { tags: ['auth'], body: loginRequestSchema, response: { 200: loginResponseSchema } },
    },
    async (request) => ctx.auth.login(request.body.username, request.body.password, request.ip),
  );
  typed.post(
    '/api/auth/logout',
    { schema: { tags: ['auth'], response: { 204: z.null() } } },
    async (request, reply) => {
      await ctx.auth.logout(tokenOf(request)!, actorOf(request));
      return reply.code(204).send(null);
    },
  );
  typed.get('/api/auth/me', { schema: { tags: ['auth'], response: { 200: userSchema } } }, async (request) =>
    actorOf(request),
  );
}
