import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  adminCredentialSchema,
  adminVaultSchema,
  createCredentialRequestSchema,
  createGroupRequestSchema,
  createUserRequestSchema,
  createVaultRequestSchema,
  groupSchema,
  setPasswordRequestSchema,
  setVaultMembersRequestSchema,
  updateCredentialRequestSchema,
  updateGroupRequestSchema,
  updateUserRequestSchema,
  updateVaultRequestSchema,
  vaultMemberViewSchema,
} from '../../../common/admin.ts';
import { guidSchema } from '../../../common/ids.ts';
import { userSchema } from '../../../common/roles.ts';
import type { ServerContext } from '../../context.ts';
import { PamError } from '../../domain/pamError.ts';
import { actorOf } from '../authentication.ts';

const idParams = z.object({ id: guidSchema });

/** A version as an entity tag: `ETag: "3"`, and what `If-Match` sends back. */
const etagOf = (version: number) => `"${version}"`;

/** Answers a vault or credential with its version as ETag (what `If-Match` sends back). */
function withEtag<T extends { version: number }>(reply: FastifyReply, body: T): T {
  reply.header('etag', etagOf(body.version));
  return body;
}

/**
 * The version an edit was made from: the body's `version` or `If-Match: "<version>"` (both: they
 * must agree). `If-Match: *` or neither: no version, the edit applies to whatever is current.
 * If-Match compares strongly (RFC 9110 13.1.1): a weak tag (W/"3") or a list is refused.
 */
function expectedVersionOf(request: FastifyRequest, bodyVersion: number | undefined): number | undefined {
  const header = request.headers['if-match'];
  if (header === undefined || header.trim() === '*') return bodyVersion;
  const match = /^"([1-9][0-9]{0,14})"$/.exec(header.trim());
  if (!match) {
    throw new PamError(
      'invalid_request',
      'If-Match takes one entity tag as the ETag of the vault or credential gave it, for example "3".',
    );
  }
  const version = Number(match[1]);
  if (bodyVersion !== undefined && bodyVersion !== version) {
    throw new PamError('invalid_request', 'The version in the body and the one in If-Match differ.');
  }
  return version;
}

/** Administration: users and roles, vaults, credentials and their policies and passwords. */
export function registerAdminRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['administration'];

  typed.get(
    '/api/admin/users',
    { schema: { tags, response: { 200: z.array(userSchema) } } },
    async (request) => ctx.admin.listUsers(actorOf(request)),
  );
  typed.post(
    '/api/admin/users',
    { schema: { tags, body: createUserRequestSchema, response: { 201: userSchema } } },
    async (request, reply) =>
      reply.code(201).send(await ctx.admin.createUser(actorOf(request), request.body)),
  );
  typed.patch(
    '/api/admin/users/:id',
    { schema: { tags, params: idParams, body: updateUserRequestSchema, response: { 200: userSchema } } },
    async (request) => ctx.admin.updateUser(actorOf(request), request.params.id, request.body),
  );

  typed.post(
    '/api/admin/vaults',
    { schema: { tags, body: createVaultRequestSchema, response: { 201: adminVaultSchema } } },
    async (request, reply) =>
      reply.code(201).send(withEtag(reply, await ctx.admin.createVault(actorOf(request), request.body))),
  );
  typed.get(
    '/api/admin/vaults/:id',
    { schema: { tags, params: idParams, response: { 200: adminVaultSchema } } },
    async (request, reply) => withEtag(reply, await ctx.admin.getVault(actorOf(request), request.params.id)),
  );
  typed.patch(
    '/api/admin/vaults/:id',
    {
      schema: { tags, params: idParams, body: updateVaultRequestSchema, response: { 200: adminVaultSchema } },
    },
    async (request, reply) => {
      const { version, ...patch } = request.body;
      const expected = expectedVersionOf(request, version);
      return withEtag(
        reply,
        await ctx.admin.updateVault(actorOf(request), request.params.id, patch, {
          expectedVersion: expected,
        }),
      );
    },
  );

  typed.get(
    '/api/admin/vaults/:id/members',
    {
      schema: {
        tags,
        description:
          'The vault’s members (users and groups) and their roles. Its managers and administrators.',
        params: idParams,
        response: { 200: z.array(vaultMemberViewSchema) },
      },
    },
    async (request) => ctx.admin.getVaultMembers(actorOf(request), request.params.id),
  );
  typed.put(
    '/api/admin/vaults/:id/members',
    {
      schema: {
        tags,
        description:
          'Replaces the vault’s members. Roles: view < request < approve < manage (each includes the ones before).',
        params: idParams,
        body: setVaultMembersRequestSchema,
        response: { 200: z.array(vaultMemberViewSchema) },
      },
    },
    async (request) => ctx.admin.setVaultMembers(actorOf(request), request.params.id, request.body.members),
  );

  typed.get(
    '/api/admin/groups',
    { schema: { tags, response: { 200: z.array(groupSchema) } } },
    async (request) => ctx.admin.listGroups(actorOf(request)),
  );
  typed.get(
    '/api/admin/groups/:id',
    { schema: { tags, params: idParams, response: { 200: groupSchema } } },
    async (request) => ctx.admin.getGroup(actorOf(request), request.params.id),
  );
  typed.post(
    '/api/admin/groups',
    { schema: { tags, body: createGroupRequestSchema, response: { 201: groupSchema } } },
    async (request, reply) =>
      reply.code(201).send(await ctx.admin.createGroup(actorOf(request), request.body)),
  );
  typed.patch(
    '/api/admin/groups/:id',
    { schema: { tags, params: idParams, body: updateGroupRequestSchema, response: { 200: groupSchema } } },
    async (request) => ctx.admin.updateGroup(actorOf(request), request.params.id, request.body),
  );
  typed.put(
    '/api/admin/groups/:id/members',
    {
      schema: {
        tags,
        description: 'Replaces the group’s members (user ids).',
        params: idParams,
        body: z.object({ memberIDs: z.array(guidSchema).max(10_000) }),
        response: { 200: groupSchema },
      },
    },
    async (request) =>
      ctx.admin.updateGroup(actorOf(request), request.params.id, { memberIDs: request.body.memberIDs }),
  );
  typed.delete(
    '/api/admin/groups/:id',
    { schema: { tags, params: idParams, response: { 204: z.null() } } },
    async (request, reply) => {
      await ctx.admin.deleteGroup(actorOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );

  typed.post(
    '/api/admin/credentials',
    { schema: { tags, body: createCredentialRequestSchema, response: { 201: adminCredentialSchema } } },
    async (request, reply) =>
      reply.code(201).send(withEtag(reply, await ctx.admin.createCredential(actorOf(request), request.body))),
  );
  typed.get(
    '/api/admin/credentials/:id',
    { schema: { tags, params: idParams, response: { 200: adminCredentialSchema } } },
    async (request, reply) =>
      withEtag(reply, await ctx.admin.getCredential(actorOf(request), request.params.id)),
  );
  typed.patch(
    '/api/admin/credentials/:id',
    {
      schema: {
        tags,
        params: idParams,
        body: updateCredentialRequestSchema,
        response: { 200: adminCredentialSchema },
      },
    },
    async (request, reply) => {
      const { version, ...patch } = request.body;
      const expected = expectedVersionOf(request, version);
      return withEtag(
        reply,
        await ctx.admin.updateCredential(actorOf(request), request.params.id, patch, expected),
      );
    },
  );
  typed.put(
    '/api/admin/credentials/:id/password',
    { schema: { tags, params: idParams, body: setPasswordRequestSchema, response: { 204: z.null() } } },
    async (request, reply) => {
      await ctx.admin.setCredentialPassword(actorOf(request), request.params.id, request.body.password);
      return reply.code(204).send(null);
    },
  );
  typed.delete(
    '/api/admin/credentials/:id',
    { schema: { tags, params: idParams, response: { 204: z.null() } } },
    async (request, reply) => {
      await ctx.admin.deleteCredential(actorOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );
}
