import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditQuerySchema } from '../../../common/admin.ts';
import { auditEntrySchema } from '../../../common/audit.ts';
import {
  approverSchema,
  checkoutSchema,
  createCheckoutRequestSchema,
  createCheckoutResponseSchema,
  credentialListingSchema,
  credentialSchema,
  extendCheckoutRequestSchema,
  passwordResponseSchema,
  updateCheckoutRequestSchema,
  vaultSchema,
} from '../../../common/checkout.ts';
import { guidSchema } from '../../../common/ids.ts';
import type { ServerContext } from '../../context.ts';
import { PamError } from '../../domain/pamError.ts';
import { toApiVault } from '../../domain/views.ts';
import { actorOf } from '../authentication.ts';

const idParams = z.object({ id: guidSchema });
const booleanFlag = z
  .enum(['true', 'false', '1', '0'])
  .transform((value) => value === 'true' || value === '1');

/** The checkout dialect (API.md), as the *-DSPamCheckout cmdlets drive it. */
export function registerPamRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['checkout dialect'];

  typed.get('/api/pam/vaults', { schema: { tags, response: { 200: z.array(vaultSchema) } } }, async () =>
    (await ctx.store.listVaults()).map(toApiVault),
  );

  typed.get(
    '/api/pam/credentials',
    {
      schema: {
        tags,
        querystring: z.object({
          vaultID: guidSchema.optional(),
          search: z.string().max(200).optional(),
          offset: z.coerce.number().int().min(0).default(0),
          limit: z.coerce.number().int().min(1).max(5000).default(100),
          changedSince: z.coerce
            .number()
            .int()
            .min(0)
            .max(Number.MAX_SAFE_INTEGER)
            .optional()
            .describe(
              'A syncToken from an earlier answer: list only what changed since, in change order (page on with the syncToken of each answer; not with vaultID, search or offset).',
            ),
        }),
        response: { 200: credentialListingSchema },
      },
    },
    async (request) => {
      const { changedSince, vaultID, search, offset, limit } = request.query;
      if (changedSince === undefined) {
        return ctx.checkouts.listCredentials(actorOf(request), {
          vaultId: vaultID,
          search: search?.trim() || undefined,
          offset,
          limit,
        });
      }
      // A filter would hide a credential that changed out of it (moved to another vault,
      // renamed); changes page by syncToken, not by offset.
      if (vaultID !== undefined || search !== undefined || offset !== 0) {
        throw new PamError(
          'invalid_request',
          'changedSince cannot be combined with vaultID, search or offset; page on with the syncToken.',
        );
      }
      return ctx.checkouts.listCredentialChanges(actorOf(request), changedSince, limit);
    },
  );

  typed.get(
    '/api/pam/credentials/:id',
    { schema: { tags, params: idParams, response: { 200: credentialSchema } } },
    async (request) => ctx.checkouts.getCredential(actorOf(request), request.params.id),
  );

  typed.get(
    '/api/pam/credentials/:id/approvers',
    { schema: { tags, params: idParams, response: { 200: z.array(approverSchema) } } },
    async (request) =>
      (await ctx.checkouts.listApprovers(request.params.id)).map((user) => ({
        id: user.id,
        username: user.username,
        displayName: user.displayName,
      })),
  );

  typed.post(
    '/api/pam/checkouts',
    { schema: { tags, body: createCheckoutRequestSchema, response: { 201: createCheckoutResponseSchema } } },
    async (request, reply) =>
      reply.code(201).send(await ctx.checkouts.createCheckout(actorOf(request), request.body)),
  );

  typed.get(
    '/api/pam/checkouts',
    {
      schema: {
        tags,
        querystring: z.object({
          activeAndPending: booleanFlag.optional(),
          toApprove: booleanFlag.optional(),
        }),
        response: { 200: z.array(checkoutSchema) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      if (request.query.toApprove) return ctx.checkouts.listToApprove(actor);
      return ctx.checkouts.listMine(actor, request.query.activeAndPending ?? false);
    },
  );

  typed.get(
    '/api/pam/checkouts/:id',
    { schema: { tags, params: idParams, response: { 200: checkoutSchema } } },
    async (request) => ctx.checkouts.getCheckout(actorOf(request), request.params.id),
  );

  typed.put(
    '/api/pam/checkouts/:id',
    {
      schema: {
        tags,
        params: idParams,
        body: updateCheckoutRequestSchema,
        response: { 200: checkoutSchema },
      },
    },
    async (request) => ctx.checkouts.changeStatus(actorOf(request), request.params.id, request.body),
  );

  typed.post(
    '/api/pam/checkouts/:id/extend',
    {
      schema: {
        tags,
        params: idParams,
        body: extendCheckoutRequestSchema,
        response: { 200: checkoutSchema },
      },
    },
    async (request) => ctx.checkouts.extend(actorOf(request), request.params.id, request.body.minutes),
  );

  typed.get(
    '/api/pam/passwords/:id',
    { schema: { tags, params: idParams, response: { 200: passwordResponseSchema } } },
    async (request) => ({ data: await ctx.checkouts.readPassword(actorOf(request), request.params.id) }),
  );

  typed.get(
    '/api/pam/audit',
    { schema: { tags, querystring: auditQuerySchema, response: { 200: z.array(auditEntrySchema) } } },
    async (request) =>
      ctx.admin.listAudit(actorOf(request), {
        from: request.query.from ? Date.parse(request.query.from) : undefined,
        to: request.query.to ? Date.parse(request.query.to) : undefined,
        credentialId: request.query.credentialID,
        userId: request.query.userID,
        offset: request.query.offset,
        limit: request.query.limit,
      }),
  );
}
