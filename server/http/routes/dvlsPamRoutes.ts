/**
 * DVLS's PAM folders and checkout policies, read-only over Coffre's vaults (docs/wire/dvls.md):
 * Get-DSPamFolders, Get-DSPamFolder (-Root), Get-DSPamCheckoutPolicies (-Count).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { SaveResult } from '../../../common/dvls.ts';
import { guidSchema } from '../../../common/ids.ts';
import { DEFAULT_POLICY, resolvePolicy } from '../../../common/policy.ts';
import type { ServerContext } from '../../context.ts';
import { notFound } from '../../domain/pamError.ts';
import { toApiVault } from '../../domain/views.ts';
import { type DvlsFolder, dvlsPolicyFields, dvlsRootFolder, toDvlsFolder } from '../../dvls/dvlsViews.ts';
import { actorOf } from '../authentication.ts';

const tags = ['checkout dialect'];
const idParams = z.object({ id: guidSchema });

const policyFieldsSchema = z.object({
  checkoutApprovalMode: z.number().int(),
  checkoutReasonMode: z.number().int(),
  allowCheckoutOwnerAsApprover: z.number().int(),
  includeAdminsAsApprovers: z.number().int(),
  includeManagersAsApprovers: z.number().int(),
  checkoutTime: z.number().int(),
});
const folderSchema = policyFieldsSchema.extend({
  id: guidSchema,
  name: z.string(),
  description: z.string(),
  folderID: guidSchema.nullable(),
  isRoot: z.boolean(),
});
const checkoutPolicySchema = policyFieldsSchema.extend({
  id: guidSchema,
  name: z.string(),
  isDefault: z.boolean(),
});

/** The policy every vault starts from, as DVLS's default checkout policy. */
const DEFAULT_POLICY_ID = '00000000-0000-4000-8000-0000000000df';

export function registerDvlsPamRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();

  // Only the vaults the caller may see: another team's folders and policies do not exist for them.
  const visibleVaults = async (request: FastifyRequest) => {
    const visible = new Set((await ctx.checkouts.listVaults(actorOf(request))).map((vault) => vault.id));
    return (await ctx.store.listVaults()).filter((vault) => visible.has(vault.id));
  };

  const folders = async (request: FastifyRequest): Promise<DvlsFolder[]> => {
    const vaults = await visibleVaults(request);
    return [
      dvlsRootFolder(DEFAULT_POLICY),
      ...vaults.map((vault) => toDvlsFolder(toApiVault(vault), resolvePolicy(vault.policy))),
    ];
  };

  const policies = async (request: FastifyRequest) => {
    const vaults = await visibleVaults(request);
    return [
      { id: DEFAULT_POLICY_ID, name: 'Default', isDefault: true, ...dvlsPolicyFields(DEFAULT_POLICY) },
      ...vaults.map((vault) => ({
        id: vault.id,
        name: vault.name,
        isDefault: false,
        ...dvlsPolicyFields(resolvePolicy(vault.policy)),
      })),
    ];
  };

  typed.get(
    '/api/pam/folders',
    {
      schema: {
        tags,
        description:
          'PAM folders: the root, then one per vault. With folderID=null (Get-DSPamFolder -Root): the root folder alone.',
        querystring: z.object({ folderID: z.string().max(64).optional() }),
        response: {
          200: z.union([folderSchema, z.object({ data: z.array(folderSchema), result: z.number() })]),
        },
      },
    },
    async (request) => {
      const all = await folders(request);
      if (request.query.folderID === 'null') return all[0]!;
      return { data: all, result: SaveResult.Success };
    },
  );

  typed.get(
    '/api/pam/folders/:id',
    { schema: { tags, params: idParams, response: { 200: folderSchema } } },
    async (request) => {
      const folder = (await folders(request)).find((candidate) => candidate.id === request.params.id);
      if (!folder) throw notFound('The folder');
      return folder;
    },
  );

  typed.get(
    '/api/pam/checkout-policies',
    {
      schema: {
        tags,
        description: 'Checkout policies: the default one, then one per vault (its effective policy).',
        response: { 200: z.array(checkoutPolicySchema) },
      },
    },
    async (request) => policies(request),
  );

  typed.get(
    '/api/pam/checkout-policies/count',
    {
      schema: {
        tags,
        description: 'A bare number (Get-DSPamCheckoutPolicies -Count).',
        response: { 200: z.number() },
      },
    },
    async (request) => (await policies(request)).length,
  );

  typed.get(
    '/api/pam/checkout-policies/:id',
    { schema: { tags, params: idParams, response: { 200: checkoutPolicySchema } } },
    async (request) => {
      const policy = (await policies(request)).find((candidate) => candidate.id === request.params.id);
      if (!policy) throw notFound('The checkout policy');
      return policy;
    },
  );
}
