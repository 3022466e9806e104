import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type Checkout, CheckoutStatus, type Credential } from '../../../common/checkout.ts';
import { toIso } from '../../../common/ids.ts';
import { visibleTextOrEmpty } from '../../../common/visibleText.ts';
import type { ServerContext } from '../../context.ts';
import type { Actor } from '../../domain/actor.ts';
import { forbidden, notFound, PamError } from '../../domain/pamError.ts';
import {
  approvalObjectId,
  assertMimVersion,
  MIM_PREFIX,
  MIM_REQUEST_FILTER_SCHEMA,
  MIM_REQUEST_TO_APPROVE_FILTER_SCHEMA,
  MIM_ROLE_FILTER_SCHEMA,
  type MimEntitySet,
  metadataLink,
  mimCreateRequestSchema,
  mimMetadataXml,
  mimRequestElementSchema,
  mimRequestSchema,
  mimRequestStatus,
  mimRequestToApproveSchema,
  mimRoleSchema,
  mimSessionInfoSchema,
  odataFeedSchema,
  parseEntityKey,
  parseRequestedTime,
  parseRequestedTtl,
  parseRoleId,
  toMimCreatedRequest,
  toMimRequest,
  toMimRequestToApprove,
  toMimRole,
  toMimSessionInfo,
} from '../../mim/mimMapping.ts';
import { ODataFilterError, type ODataSchema, parseODataFilter } from '../../mim/odataFilter.ts';
import { processTimeZone } from '../../mim/serverTime.ts';
import { actorOf } from '../authentication.ts';

const listQuery = z.object({ $filter: z.string().optional(), v: z.string().optional() });
const versionQuery = z.object({ v: z.string().optional() });
/** MIM takes the create parameters in the query string (its own examples) or in the body. */
const createQuery = z.object({
  v: z.string().optional(),
  Justification: z.string().max(2000).optional(),
  RoleId: z.string().optional(),
  RequestedTTL: z.string().optional(),
  RequestedTime: z.string().optional(),
});
const actionParams = z.object({ entity: z.string(), action: z.string() });

/** How this server presents itself as a MIM service. */
export interface MimDialectOptions {
  /** The NetBIOS domain in `sessioninfo`'s `DOMAIN\\user` (and accepted before a Basic user name). */
  domain: string;
  /** The server's IANA time zone: offsets of local times, reading of zone-less RequestedTime. */
  timeZone: string;
}

export const DEFAULT_MIM_DOMAIN = 'COFFRE';

export function mimDialectOptions(partial: Partial<MimDialectOptions> = {}): MimDialectOptions {
  return { domain: partial.domain ?? DEFAULT_MIM_DOMAIN, timeZone: partial.timeZone ?? processTimeZone() };
}

/** The bound actions, per entity set: `POST <set>(guid'...')/<Action>`. */
const ACTIONS: Partial<Record<MimEntitySet, readonly string[]>> = {
  pamrequests: ['Close'],
  pamrequeststoapprove: ['Approve', 'Reject'],
};
const CREDENTIAL_PAGE = 1000;

/**
 * The base of every `odata.metadata` link and `Location`: the configured `--public-url`, else
 * nothing (links relative to the server). Never the request's own Host, which a client forges.
 */
const baseOf = (request: FastifyRequest) => request.server.publicUrl;

/** OData v3 responses say which protocol version they speak. */
const odata = (reply: FastifyReply) => reply.header('DataServiceVersion', '3.0;');

/** `$filter` through the OData filter; a bad filter is a 400 naming the token at fault. */
function applyFilter<T extends object>(rows: T[], filter: string | undefined, schema: ODataSchema): T[] {
  if (filter === undefined || filter.trim() === '') return rows;
  let predicate: (row: Record<string, unknown>) => boolean;
  try {
    predicate = parseODataFilter(filter, schema);
  } catch (error) {
    if (!(error instanceof ODataFilterError)) throw error;
    const where = error.token === '' ? 'at the end of the filter' : `at token ${JSON.stringify(error.token)}`;
    throw new PamError('invalid_request', `The $filter is not valid ${where}: ${error.message}.`);
  }
  return rows.filter((row) => predicate(row as Record<string, unknown>));
}

/** Runs `work`, renaming the domain's "not found" to what the MIM dialect calls the thing. */
async function renamingNotFound<T>(what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof PamError && error.code === 'not_found') throw notFound(what);
    throw error;
  }
}

/** The MIM dialect (API.md, "MIM dialect"): the Microsoft Identity Manager PAM REST API over Coffre. */
export function registerMimRoutes(
  app: FastifyInstance,
  ctx: ServerContext,
  options: MimDialectOptions = mimDialectOptions(),
): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['MIM dialect'];

  async function allCredentials(actor: Actor): Promise<Credential[]> {
    const all: Credential[] = [];
    for (let offset = 0; ; offset += CREDENTIAL_PAGE) {
      const page = await ctx.checkouts.listCredentials(actor, { offset, limit: CREDENTIAL_PAGE });
      all.push(...page.data);
      if (page.data.length < CREDENTIAL_PAGE || all.length >= page.total) return all;
    }
  }

  /**
   * The pending request behind an approval object id. Approval ids are derived from request ids
   * (mimMapping.approvalObjectId), so they are found among the caller's pending approvals. The
   * requester naming the approval of their own request gets 403 (they know it exists); anyone
   * else gets 404, as for an id that does not exist.
   */
  async function resolveApproval(actor: Actor, approvalId: string): Promise<Checkout> {
    const mine = (await ctx.checkouts.listToApprove(actor)).find(
      (c) => approvalObjectId(c.id) === approvalId,
    );
    if (mine) return mine;
    const own = (await ctx.checkouts.listMine(actor, true)).find(
      (c) => c.status === CheckoutStatus.Pending && approvalObjectId(c.id) === approvalId,
    );
    if (own) throw forbidden('You cannot approve or reject your own PAM request.');
    throw notFound('The pending approval');
  }

  typed.get(
    `${MIM_PREFIX}/pamroles`,
    {
      schema: {
        tags,
        summary: 'PAM roles the caller may request (the credentials)',
        querystring: listQuery,
        response: { 200: odataFeedSchema(mimRoleSchema) },
      },
    },
    async (request, reply) => {
      assertMimVersion(request.query.v);
      const roles = (await allCredentials(actorOf(request))).map(toMimRole);
      odata(reply);
      return {
        'odata.metadata': metadataLink(baseOf(request), 'pamroles'),
        value: applyFilter(roles, request.query.$filter, MIM_ROLE_FILTER_SCHEMA),
      };
    },
  );

  typed.get(
    `${MIM_PREFIX}/pamrequests`,
    {
      schema: {
        tags,
        summary: "The caller's PAM requests (checkouts), all states",
        querystring: listQuery,
        response: { 200: odataFeedSchema(mimRequestSchema) },
      },
    },
    async (request, reply) => {
      assertMimVersion(request.query.v);
      const requests = (await ctx.checkouts.listMine(actorOf(request), false)).map(toMimRequest);
      odata(reply);
      return {
        'odata.metadata': metadataLink(baseOf(request), 'pamrequests'),
        value: applyFilter(requests, request.query.$filter, MIM_REQUEST_FILTER_SCHEMA),
      };
    },
  );

  /** Close (the action, and the portal's Deactivate): check-in when active, cancel when still waiting. */
  async function closeRequest(actor: Actor, checkout: Checkout): Promise<Checkout> {
    if (checkout.userID !== actor.id) throw forbidden('Only the requester can close a PAM request.');
    const open: CheckoutStatus[] = [CheckoutStatus.Pending, CheckoutStatus.Granted];
    const status =
      checkout.status === CheckoutStatus.Active
        ? CheckoutStatus.Ended
        : open.includes(checkout.status)
          ? CheckoutStatus.RequestCanceled
          : undefined;
    if (status === undefined) {
      throw new PamError(
        'invalid_transition',
        `The PAM request is already ${mimRequestStatus(checkout.status)}.`,
      );
    }
    return ctx.checkouts.changeStatus(actor, checkout.id, { status });
  }

  /**
   * A new request on a role the caller holds active (the portal's "Extend Activation"): the active
   * request now ends RequestedTTL from now, within Coffre's extension policy (maxExtension). An end
   * already later than that stays.
   */
  async function extendRequest(actor: Actor, active: Checkout, ttlSeconds: number): Promise<Checkout> {
    const wanted = ctx.clock.now() + ttlSeconds * 1000;
    const minutes = Math.ceil((wanted - Date.parse(active.expiresAt ?? '')) / 60_000);
    if (!(minutes > 0)) return active;
    return ctx.checkouts.extend(actor, active.id, minutes);
  }

  typed.post(
    `${MIM_PREFIX}/pamrequests`,
    {
      schema: {
        tags,
        summary: 'Request a PAM role (check out the credential); extend or deactivate an active one',
        description:
          "Parameters in the query string (Microsoft's examples), a JSON body or a form body (the sample portal). " +
          'RoleId: GUID or {"Value": GUID}. RequestedTTL: seconds, rounded up to whole minutes, at most the ' +
          "role's TTL (longer asks are cut to it); 0 deactivates the caller's open request of the role. " +
          'On a role the caller holds active, the request extends it to RequestedTTL from now. ' +
          'RequestedTime: optional start; without a zone, server-local time. When the role needs approval, ' +
          'every approver of the role sees the request and the first to decide settles it.',
        querystring: createQuery,
        body: mimCreateRequestSchema.nullish(),
        response: { 201: mimRequestElementSchema },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const { v, ...fromQuery } = request.query;
      assertMimVersion(v);
      const fromBody = Object.fromEntries(
        Object.entries(request.body ?? {}).filter(([, value]) => value !== undefined),
      );
      const input = { ...fromQuery, ...fromBody };
      const roleId = parseRoleId(input.RoleId);
      const ttl = parseRequestedTtl(input.RequestedTTL);
      const start = parseRequestedTime(input.RequestedTime, options.timeZone);
      const justification = visibleTextOrEmpty(input.Justification ?? '');

      const { policy } = await renamingNotFound('The PAM role', () =>
        ctx.checkouts.credentialFor(actor, roleId),
      );
      const open = await ctx.checkouts.findOpenOf(actor, roleId);
      let checkout: Checkout;
      if (ttl.seconds === 0) {
        if (!open) {
          throw new PamError(
            'invalid_transition',
            'You have no active or pending request of this PAM role to deactivate.',
          );
        }
        checkout = await closeRequest(actor, open);
      } else if (open?.status === CheckoutStatus.Active) {
        checkout = await extendRequest(actor, open, ttl.seconds);
      } else {
        const minutes = Math.min(ttl.minutes, policy.maxDuration);
        if (minutes < policy.minDuration) {
          throw new PamError(
            'duration_out_of_bounds',
            `RequestedTTL must be at least ${policy.minDuration * 60} seconds for this PAM role.`,
          );
        }
        if (policy.reasonMode === 'mandatory' && justification === '') {
          throw new PamError('reason_required', 'A Justification is required to request this PAM role.');
        }
        ({ checkout } = await ctx.checkouts.createCheckout(
          actor,
          {
            credentialID: roleId,
            reason: justification,
            duration: minutes,
            scheduledStart: start === null ? undefined : toIso(start),
          },
          { revealPassword: false, anyApprover: true },
        ));
      }
      const base = baseOf(request);
      odata(reply).header('location', `${base}${MIM_PREFIX}/pamrequests(guid'${checkout.id}')`).code(201);
      return {
        'odata.metadata': metadataLink(base, 'pamrequests/@Element'),
        ...toMimCreatedRequest(checkout, options.timeZone),
      };
    },
  );

  typed.get(
    `${MIM_PREFIX}/pamrequeststoapprove`,
    {
      schema: {
        tags,
        summary: 'Pending PAM requests the caller may approve or reject',
        querystring: listQuery,
        response: { 200: odataFeedSchema(mimRequestToApproveSchema) },
      },
    },
    async (request, reply) => {
      assertMimVersion(request.query.v);
      const rows = (await ctx.checkouts.listToApprove(actorOf(request))).map(toMimRequestToApprove);
      odata(reply);
      return {
        'odata.metadata': metadataLink(baseOf(request), 'pamrequeststoapprove'),
        value: applyFilter(rows, request.query.$filter, MIM_REQUEST_TO_APPROVE_FILTER_SCHEMA),
      };
    },
  );

  // `pamrequests(guid'…')/Close`, `pamrequeststoapprove(guid'…')/Approve|Reject`: the router cannot
  // match OData key segments, so one parametric route takes `<segment>/<action>` and the segment is
  // parsed strictly (mimMapping.parseEntityKey): unknown set or action 404, malformed key 400.
  typed.post(
    `${MIM_PREFIX}/:entity/:action`,
    {
      schema: {
        tags,
        summary:
          "Bound actions: pamrequests(guid'{RequestId}')/Close, pamrequeststoapprove(guid'{ApprovalObjectID}')/Approve or /Reject",
        description:
          'Close: the requester ends an active request (check-in) or cancels a pending or scheduled one. ' +
          'Approve / Reject: the approver decides a pending request, addressed by its ApprovalObjectID. 200, no body.',
        params: actionParams,
        querystring: versionQuery,
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const { entity, action } = request.params;
      const target = parseEntityKey(entity);
      if (!target || !ACTIONS[target.set]?.includes(action)) {
        throw new PamError('not_found', `No such endpoint: POST ${request.url.split('?')[0]}`);
      }
      assertMimVersion(request.query.v);
      if (target.set === 'pamrequests') {
        const checkout = await renamingNotFound('The PAM request', () =>
          ctx.checkouts.getCheckout(actor, target.id),
        );
        await closeRequest(actor, checkout);
      } else {
        const checkout = await resolveApproval(actor, target.id);
        const status = action === 'Approve' ? CheckoutStatus.Active : CheckoutStatus.Denied;
        await ctx.checkouts.changeStatus(actor, checkout.id, { status });
      }
      return odata(reply).code(200).send();
    },
  );

  typed.get(
    `${MIM_PREFIX}/sessioninfo`,
    {
      schema: {
        tags,
        summary: 'Who the caller is',
        querystring: versionQuery,
        response: { 200: odataFeedSchema(mimSessionInfoSchema) },
      },
    },
    async (request, reply) => {
      assertMimVersion(request.query.v);
      odata(reply);
      return {
        'odata.metadata': metadataLink(baseOf(request), 'sessioninfo'),
        value: [toMimSessionInfo(actorOf(request), options.domain)],
      };
    },
  );

  const sendMetadata = (reply: FastifyReply) =>
    odata(reply).type('application/xml; charset=utf-8').send(mimMetadataXml());

  typed.get(
    `${MIM_PREFIX}/$metadata`,
    { schema: { tags, summary: 'OData v3 service metadata (CSDL)', querystring: versionQuery } },
    async (request, reply) => {
      assertMimVersion(request.query.v);
      return sendMetadata(reply);
    },
  );

  // One entry by key, `pamrequests(guid'…')` (where the Location of a created request points), and
  // `%24metadata` as the feeds spell it: the router keeps `%24` encoded, so it lands here decoded.
  typed.get(
    `${MIM_PREFIX}/:entity`,
    {
      schema: {
        tags,
        summary: "One PAM request: pamrequests(guid'{RequestId}')",
        params: z.object({ entity: z.string() }),
        querystring: versionQuery,
        response: { 200: mimRequestElementSchema },
      },
    },
    async (request, reply) => {
      const { entity } = request.params;
      assertMimVersion(request.query.v);
      if (entity === '$metadata') return sendMetadata(reply);
      const target = parseEntityKey(entity);
      if (target?.set !== 'pamrequests') {
        throw new PamError('not_found', `No such endpoint: GET ${request.url.split('?')[0]}`);
      }
      const actor = actorOf(request);
      const checkout = await renamingNotFound('The PAM request', () =>
        ctx.checkouts.getCheckout(actor, target.id),
      );
      odata(reply);
      return {
        'odata.metadata': metadataLink(baseOf(request), 'pamrequests/@Element'),
        ...toMimRequest(checkout),
      };
    },
  );
}
