/**
 * DVLS's PAM folders (Coffre's vaults, one level below a root) and checkout policies, as the
 * module's cmdlets read and write them (docs/wire/dvls.md): Get-DSPamFolders, Get-DSPamFolder
 * (-Root), New-/Update-/Remove-DSPamFolder, Get-DSPamCheckoutPolicies (-Count),
 * New-/Update-/Remove-DSPamCheckoutPolicy.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { SaveResult } from '../../../common/dvls.ts';
import { guidSchema } from '../../../common/ids.ts';
import { DEFAULT_POLICY, resolvePolicy } from '../../../common/policy.ts';
import type { ServerContext } from '../../context.ts';
import { notFound, PamError } from '../../domain/pamError.ts';
import { toApiVault } from '../../domain/views.ts';
import {
  type DvlsFolder,
  dvlsRootFolder,
  folderPolicyPatch,
  ROOT_FOLDER_ID,
  toDvlsFolder,
} from '../../dvls/dvlsViews.ts';
import type { CheckoutPolicyRecord } from '../../store/records.ts';
import { actorOf } from '../authentication.ts';
import { caseInsensitiveBody, EMPTY_GUID } from '../dvlsWire.ts';

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

const POLICY_FIELDS = [
  'checkoutApprovalMode',
  'checkoutReasonMode',
  'allowCheckoutOwnerAsApprover',
  'includeAdminsAsApprovers',
  'includeManagersAsApprovers',
  'checkoutTime',
] as const;

/** The ranges the module validates (Update-DSPamCheckoutPolicy.ps1, Update-DSPamFolder.ps1). */
const policyFieldsInput = {
  checkoutApprovalMode: z.number().int().min(0).max(2).optional(),
  checkoutReasonMode: z.number().int().min(0).max(3).optional(),
  allowCheckoutOwnerAsApprover: z.number().int().min(0).max(2).optional(),
  includeAdminsAsApprovers: z.number().int().min(0).max(2).optional(),
  includeManagersAsApprovers: z.number().int().min(0).max(2).optional(),
  checkoutTime: z.number().int().min(0).max(525_600).optional(),
};

/** New-DSPamFolder posts {folderId, name, encryptedOtpSettings}; Update-DSPamFolder puts the folder it read back. */
const folderWriteSchema = z.object({
  name: z.string().trim().min(1).max(200).optional(),
  description: z.string().max(2000).nullable().optional(),
  folderID: z.string().max(64).nullable().optional(),
  encryptedOtpSettings: z.string().max(8192).nullable().optional(),
  ...policyFieldsInput,
});
const folderKeys = { names: ['name', 'description', 'folderID', 'encryptedOtpSettings', ...POLICY_FIELDS] };

/** New-DSPamCheckoutPolicy posts {name, …fields, isDefault}; Update-DSPamCheckoutPolicy puts the policy it read back. */
const policyWriteSchema = z.object({
  name: z.string().trim().min(1).max(200).optional(),
  isDefault: z.boolean().optional(),
  ...policyFieldsInput,
});
const policyKeys = { names: ['name', 'isDefault', ...POLICY_FIELDS] };

const deletedSchema = z.object({ result: z.number() });

/** A checkout policy as DVLS answers it: a field never set reads 0 (Default). */
function toDvlsCheckoutPolicy(policy: CheckoutPolicyRecord) {
  const fields = Object.fromEntries(POLICY_FIELDS.map((key) => [key, policy.fields[key] ?? 0]));
  return { id: policy.id, name: policy.name, isDefault: policy.isDefault, ...fields } as z.infer<
    typeof checkoutPolicySchema
  >;
}

function sentFields(body: Partial<Record<(typeof POLICY_FIELDS)[number], number | undefined>>) {
  return Object.fromEntries(
    POLICY_FIELDS.filter((key) => body[key] !== undefined).map((key) => [key, body[key]!]),
  );
}

/**
 * Coffre's folders are its vaults, all children of the root: a folder inside a vault has nowhere
 * to go. The root's id, null, "" and the empty GUID all name the root.
 */
function assertUnderRoot(parent: string | null | undefined): void {
  if (parent === undefined || parent === null || parent === '' || parent === EMPTY_GUID) return;
  if (parent.toLowerCase() === ROOT_FOLDER_ID) return;
  throw new PamError(
    'invalid_request',
    'Coffre’s PAM folders are its vaults, all directly under the root folder: create the folder at the root (New-DSPamFolder -AsNewVault).',
  );
}

function assertNotRoot(id: string): void {
  if (id === ROOT_FOLDER_ID) {
    throw new PamError(
      'invalid_request',
      'The root folder stands for Coffre’s built-in default policy, which is not changed here: update a vault (folder) or a checkout policy.',
    );
  }
}

export function registerDvlsPamRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();

  // Only the vaults the caller may see: another team's folders do not exist for them.
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

  const folderOf = async (id: string): Promise<DvlsFolder> => {
    const vault = await ctx.store.getVault(id);
    if (!vault) throw notFound('The folder');
    return toDvlsFolder(toApiVault(vault), resolvePolicy(vault.policy));
  };

  const policies = async () => (await ctx.admin.listCheckoutPolicies()).map(toDvlsCheckoutPolicy);

  typed.get(
    '/api/pam/folders',
    {
      schema: {
        tags,
        description:
          'PAM folders: the root, then one per vault. With folderID=null (Get-DSPamFolder -Root): the root folder alone; with folderID=<id> (Get-DSPamFolder @860e0ef): that folder.',
        querystring: z.object({ folderID: z.string().max(64).optional() }),
        response: {
          200: z.union([folderSchema, z.object({ data: z.array(folderSchema), result: z.number() })]),
        },
      },
    },
    async (request) => {
      const all = await folders(request);
      const { folderID } = request.query;
      if (folderID === undefined) return { data: all, result: SaveResult.Success };
      if (folderID === 'null') return all[0]!;
      // Get-DSPamFolder's first form (@860e0ef) asks for one folder as `?folderID=<id>`.
      const folder = all.find((candidate) => candidate.id === folderID.toLowerCase());
      if (!folder) throw notFound('The folder');
      return folder;
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

  typed.post(
    '/api/pam/folders',
    {
      preValidation: caseInsensitiveBody(folderKeys),
      schema: {
        tags,
        description:
          'New-DSPamFolder: a new vault under the root folder (administrators), every user a member with the approve role. Coffre has no folders inside vaults.',
        body: folderWriteSchema.extend({ name: z.string().trim().min(1).max(200) }),
        response: { 201: folderSchema },
      },
    },
    async (request, reply) => {
      const { name, description, folderID, ...rest } = request.body;
      assertUnderRoot(folderID);
      const policy = folderPolicyPatch({}, sentFields(rest));
      if ('refused' in policy) throw new PamError('invalid_request', policy.refused);
      const vault = await ctx.admin.createVault(actorOf(request), {
        name,
        description: description ?? '',
        policy: policy.patch,
      });
      return reply.code(201).send(await folderOf(vault.id));
    },
  );

  typed.put(
    '/api/pam/folders/:id',
    {
      preValidation: caseInsensitiveBody(folderKeys),
      schema: {
        tags,
        description:
          'Update-DSPamFolder: the folder as read, with the changed fields (its managers, administrators). A field equal to the folder’s effective value is no change; 0 (Default) inherits again.',
        params: idParams,
        body: folderWriteSchema,
        response: { 200: folderSchema },
      },
    },
    async (request) => {
      const { id } = request.params;
      assertNotRoot(id);
      const { name, description, folderID, ...rest } = request.body;
      assertUnderRoot(folderID);
      // Its managers and administrators only; a folder the caller may not see is not found.
      await ctx.admin.getVault(actorOf(request), id);
      const vault = await ctx.store.getVault(id);
      if (!vault) throw notFound('The folder');
      const policy = folderPolicyPatch(vault.policy, sentFields(rest));
      if ('refused' in policy) throw new PamError('invalid_request', policy.refused);
      await ctx.admin.updateVault(
        actorOf(request),
        id,
        {
          ...(name !== undefined ? { name } : {}),
          ...(description != null ? { description } : {}),
          policy: policy.patch,
        },
        { replacePolicy: true },
      );
      return folderOf(id);
    },
  );

  typed.delete(
    '/api/pam/folders/:id',
    {
      schema: {
        tags,
        description:
          'Remove-DSPamFolder: deletes an empty vault, with its members (its managers, administrators).',
        params: idParams,
        response: { 200: deletedSchema },
      },
    },
    async (request) => {
      assertNotRoot(request.params.id);
      await ctx.admin.deleteVault(actorOf(request), request.params.id);
      return { result: SaveResult.Success };
    },
  );

  typed.get(
    '/api/pam/checkout-policies',
    {
      schema: {
        tags,
        description: 'Checkout policies: the default one first, then by name.',
        response: { 200: z.array(checkoutPolicySchema) },
      },
    },
    async () => policies(),
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
    async () => (await policies()).length,
  );

  typed.get(
    '/api/pam/checkout-policies/:id',
    { schema: { tags, params: idParams, response: { 200: checkoutPolicySchema } } },
    async (request) => {
      const policy = await ctx.admin.getCheckoutPolicy(request.params.id);
      if (!policy) throw notFound('The checkout policy');
      return toDvlsCheckoutPolicy(policy);
    },
  );

  typed.post(
    '/api/pam/checkout-policies',
    {
      preValidation: caseInsensitiveBody(policyKeys),
      schema: {
        tags,
        description:
          'New-DSPamCheckoutPolicy (administrators). A name already used answers 409. Checkout policies are kept and served; Coffre’s checkouts follow the vault and credential policies.',
        body: policyWriteSchema.extend({ name: z.string().trim().min(1).max(200) }),
        response: { 201: checkoutPolicySchema },
      },
    },
    async (request, reply) => {
      const { name, isDefault, ...rest } = request.body;
      const created = await ctx.admin.createCheckoutPolicy(actorOf(request), {
        name,
        isDefault: isDefault ?? false,
        fields: sentFields(rest),
      });
      return reply.code(201).send(toDvlsCheckoutPolicy(created));
    },
  );

  typed.put(
    '/api/pam/checkout-policies/:id',
    {
      preValidation: caseInsensitiveBody(policyKeys),
      schema: {
        tags,
        description:
          'Update-DSPamCheckoutPolicy: the policy as read, with the changed fields (administrators).',
        params: idParams,
        body: policyWriteSchema,
        response: { 200: checkoutPolicySchema },
      },
    },
    async (request) => {
      const { name, isDefault, ...rest } = request.body;
      const updated = await ctx.admin.updateCheckoutPolicy(actorOf(request), request.params.id, {
        ...(name !== undefined ? { name } : {}),
        ...(isDefault !== undefined ? { isDefault } : {}),
        fields: sentFields(rest),
      });
      return toDvlsCheckoutPolicy(updated);
    },
  );

  typed.delete(
    '/api/pam/checkout-policies/:id',
    {
      schema: {
        tags,
        description: 'Remove-DSPamCheckoutPolicy (administrators); the default policy cannot be deleted.',
        params: idParams,
        response: { 200: deletedSchema },
      },
    },
    async (request) => {
      await ctx.admin.deleteCheckoutPolicy(actorOf(request), request.params.id);
      return { result: SaveResult.Success };
    },
  );
}
