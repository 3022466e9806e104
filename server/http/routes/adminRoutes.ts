import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
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
import { credentialSchema, vaultSchema } from '../../../common/checkout.ts';
import { guidSchema } from '../../../common/ids.ts';
import { userSchema } from '../../../common/roles.ts';
import type { ServerContext } from '../../context.ts';
import { actorOf } from '../authentication.ts';

const idParams = z.object({ id: guidSchema });

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
    { schema: { tags, body: createVaultRequestSchema, response: { 201: vaultSchema } } },
    async (request, reply) =>
      reply.code(201).send(await ctx.admin.createVault(actorOf(request), request.body)),
  );
  typed.patch(
    '/api/admin/vaults/:id',
    { schema: { tags, params: idParams, body: updateVaultRequestSchema, response: { 200: vaultSchema } } },
    async (request) => ctx.admin.updateVault(actorOf(request), request.params.id, request.body),
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
    { schema: { tags, body: createCredentialRequestSchema, response: { 201: credentialSchema } } },
    async (request, reply) =>
      reply.code(201).send(await ctx.admin.createCredential(actorOf(request), request.body)),
  );
  typed.patch(
    '/api/admin/credentials/:id',
    {
      schema: {
        tags,
        params: idParams,
        body: updateCredentialRequestSchema,
        response: { 200: credentialSchema },
      },
    },
    async (request) => ctx.admin.updateCredential(actorOf(request), request.params.id, request.body),
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
