import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditQuerySchema } from '../../../common/admin.ts';
import { auditEntrySchema } from '../../../common/audit.ts';
import {
  approverSchema,
  checkoutSchema,
  createCheckoutRequestSchema,
  credentialListingSchema,
  extendCheckoutRequestSchema,
  passwordResponseSchema,
  vaultSchema,
} from '../../../common/checkout.ts';
import { dvlsCredentialSchema, SaveResult, wireCheckoutStatusSchema } from '../../../common/dvls.ts';
import { encryptToHex } from '../../../common/dvlsCipher.ts';
import { guidSchema } from '../../../common/ids.ts';
import type { ServerContext } from '../../context.ts';
import { hashToken } from '../../crypto/tokens.ts';
import { PamError } from '../../domain/pamError.ts';
import { type DvlsSessions, readsBarePassword } from '../../dvls/dvlsSessions.ts';
import { toDvlsCredential } from '../../dvls/dvlsViews.ts';
import { actorOf, tokenOf } from '../authentication.ts';
import { caseInsensitiveBody, EMPTY_GUID, folderFromGetBody } from '../dvlsWire.ts';

const idParams = z.object({ id: guidSchema });
/**
 * What Invoke-DSPamCheckout posts (a hashtable through ConvertTo-Json: keys in any order, an unset
 * `[guid]$ApproverID` as the empty GUID, an unset `[string]$Reason` as "").
 */
const dvlsCreateCheckoutSchema = createCheckoutRequestSchema;

/**
 * What Invoke-DSPamCheckin and Invoke-DSPamCheckoutPending put: the whole `[PamCheckout]` (ID, UserID,
 * dates…, ignored here), `Status` as a number, a numeric string or a name, `ApproverMessage` possibly null.
 * `Duration` (`[Nullable[int]]` in Private/Types/PamCheckout.psm1) is read when approving: the
 * module sends back the requested one (no change); Coffre's clients send a shorter one to grant less.
 */
const dvlsUpdateCheckoutSchema = z.object({
  status: wireCheckoutStatusSchema,
  approverMessage: z.string().max(2000).nullable().optional(),
  duration: z
    .number()
    .int()
    .positive()
    .max(525_600)
    .nullable()
    .optional()
    .describe('Approving (status 4): the minutes granted, at most the requested duration.'),
});

const booleanFlag = z
  .enum(['true', 'false', '1', '0'])
  .transform((value) => value === 'true' || value === '1');

/** The checkout dialect (API.md), as the *-DSPamCheckout cmdlets drive it (docs/wire/dvls.md). */
export function registerPamRoutes(app: FastifyInstance, ctx: ServerContext, dvls: DvlsSessions): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['checkout dialect'];

  typed.get(
    '/api/pam/vaults',
    {
      schema: {
        tags,
        description: 'The vaults the caller may see, each with the caller’s role there.',
        response: { 200: z.array(vaultSchema) },
      },
    },
    async (request) => ctx.checkouts.listVaults(actorOf(request)),
  );

  typed.get(
    '/api/pam/credentials',
    {
      preValidation: folderFromGetBody,
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
    { schema: { tags, params: idParams, response: { 200: dvlsCredentialSchema } } },
    async (request) =>
      toDvlsCredential(await ctx.checkouts.getCredential(actorOf(request), request.params.id)),
  );

  typed.get(
    '/api/pam/credentials/:id/approvers',
    { schema: { tags, params: idParams, response: { 200: z.array(approverSchema) } } },
    async (request) =>
      (await ctx.checkouts.listApproversFor(actorOf(request), request.params.id)).map((user) => ({
        id: user.id,
        username: user.username,
        displayName: user.displayName,
      })),
  );

  typed.post(
    '/api/pam/checkouts',
    {
      preValidation: caseInsensitiveBody({
        names: ['credentialID', 'reason', 'approverID', 'duration', 'scheduledStart'],
      }),
      schema: {
        tags,
        description:
          'DVLS answers the checkout itself (Invoke-DSPamCheckout reads Body.Status; 4 = Active); the password is then read with GET /api/pam/passwords/{credentialID}.',
        body: dvlsCreateCheckoutSchema,
        response: { 201: checkoutSchema },
      },
    },
    async (request, reply) => {
      const { approverID, reason, ...rest } = request.body;
      const created = await ctx.checkouts.createCheckout(
        actorOf(request),
        {
          ...rest,
          ...(approverID && approverID !== EMPTY_GUID ? { approverID } : {}),
          ...(reason ? { reason } : {}),
        },
        { revealPassword: false },
      );
      return reply.code(201).send(created.checkout);
    },
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
        body: dvlsUpdateCheckoutSchema,
        response: { 200: checkoutSchema },
      },
      preValidation: caseInsensitiveBody({ names: ['status', 'approverMessage', 'duration'] }),
    },
    async (request) => {
      const { status, approverMessage, duration } = request.body;
      return ctx.checkouts.changeStatus(actorOf(request), request.params.id, {
        status,
        ...(approverMessage ? { approverMessage } : {}),
        ...(typeof duration === 'number' ? { duration } : {}),
      });
    },
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
    {
      schema: {
        tags,
        description:
          'data is the password, or, for a session signed in with a session key (POST /api/login/partial with SafeSessionKey), hex(IV + AES-256-CBC) under that key, as Get-DSPamPassword -Decrypted reads it. A session signed in by a module older than 2022.2.6.1 gets that hex as a bare JSON string, the form its Get-DSPamPassword and Invoke-DSPamCheckout decrypt.',
        params: idParams,
        response: { 200: z.union([passwordResponseSchema, z.string()]) },
      },
    },
    async (request, reply) => {
      const password = await ctx.checkouts.readPassword(actorOf(request), request.params.id);
      const token = tokenOf(request);
      const session = token ? await dvls.sessionOf(hashToken(token)) : undefined;
      if (!session) return { data: password, result: SaveResult.Success };
      const encrypted = encryptToHex(session.sessionKey, password);
      if (!readsBarePassword(session)) return { data: encrypted, result: SaveResult.Success };
      // A JSON string, serialised here: Fastify would send a returned string as text/plain.
      return reply.type('application/json; charset=utf-8').send(JSON.stringify(encrypted));
    },
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
