import { z } from 'zod';
import { credentialSchema, vaultSchema } from './checkout.ts';
import { guidSchema } from './ids.ts';
import { policyPatchSchema } from './policy.ts';
import { roleSchema } from './roles.ts';
import { VAULT_ROLES } from './vaultAccess.ts';
import { hasVisibleText, normalizeText } from './visibleText.ts';

// Names must show something: invisible characters are stripped, then visible text is required.
const name = z
  .string()
  .overwrite(normalizeText)
  .min(1)
  .max(200)
  .refine(hasVisibleText, 'must contain visible text');
const text = z.string().max(2000);

/**
 * The version an administrator's edit was made from (compare-and-set): the edit is refused with
 * 409 and the current version in `error.details.version` when another edit came between. Also
 * accepted as `If-Match: "<version>"`; without either, the edit applies to whatever is current.
 */
export const editVersionSchema = z.number().int().min(1);

export const createUserRequestSchema = z.object({
  username: z
    .string()
    .trim()
    .min(1)
    .max(128)
    .regex(/^[^\s:]+$/, 'must not contain spaces or colons')
    // Invisible characters would let "admin\u200b" pass for "admin".
    .regex(/^[^\p{Cf}\p{Cc}]+$/u, 'must not contain invisible characters')
    .refine(hasVisibleText, 'must contain visible text'),
  displayName: name.optional(),
  password: z.string().min(12, 'must be at least 12 characters').max(1024),
  roles: z.array(roleSchema).min(1),
  id: guidSchema.optional(),
});
export type CreateUserRequest = z.input<typeof createUserRequestSchema>;

export const updateUserRequestSchema = z
  .object({
    displayName: name,
    password: z.string().min(12, 'must be at least 12 characters').max(1024),
    roles: z.array(roleSchema).min(1),
    disabled: z.boolean(),
  })
  .partial()
  .strict();
export type UpdateUserRequest = z.infer<typeof updateUserRequestSchema>;

export const vaultRoleSchema = z.enum(VAULT_ROLES);

/** A member of a vault: a user or a group, and its role there (common/vaultAccess.ts). */
export const vaultMemberSchema = z.object({
  memberType: z.enum(['user', 'group']),
  memberID: guidSchema,
  role: vaultRoleSchema,
});
export type VaultMember = z.infer<typeof vaultMemberSchema>;

/** A member as the admin API lists it: with the user's or group's name. */
export const vaultMemberViewSchema = vaultMemberSchema.extend({ name: z.string() });
export type VaultMemberView = z.infer<typeof vaultMemberViewSchema>;

const memberList = z
  .array(vaultMemberSchema)
  .max(1000)
  .refine(
    (members) => new Set(members.map((m) => `${m.memberType}:${m.memberID}`)).size === members.length,
    'must not name a member twice',
  );

/** `PUT /api/admin/vaults/{id}/members`: the vault's members, all of them (replaces the list). */
export const setVaultMembersRequestSchema = z.object({ members: memberList });

export const createVaultRequestSchema = z.object({
  name,
  description: text.default(''),
  policy: policyPatchSchema.default({}),
  /**
   * Who may use the vault. Omitted: the built-in Everyone group with `approve`, as every vault was
   * before vault permissions existed; `[]`: only administrators until members are added.
   */
  members: memberList.optional(),
  id: guidSchema.optional(),
});
export type CreateVaultRequest = z.input<typeof createVaultRequestSchema>;

export const updateVaultRequestSchema = z
  .object({ name, description: text, policy: policyPatchSchema, version: editVersionSchema })
  .partial()
  .strict();

/** A vault as the admin API answers it: with its version (also its ETag). */
export const adminVaultSchema = vaultSchema.extend({ version: editVersionSchema });
export type AdminVault = z.infer<typeof adminVaultSchema>;

export const createCredentialRequestSchema = z.object({
  vaultID: guidSchema,
  name,
  username: z.string().max(256).default(''),
  host: z.string().max(256).default(''),
  description: text.default(''),
  policy: policyPatchSchema.default({}),
  /** Omitted: the server generates one that follows the policy. */
  password: z.string().min(1).max(1024).optional(),
  id: guidSchema.optional(),
});
export type CreateCredentialRequest = z.input<typeof createCredentialRequestSchema>;

export const updateCredentialRequestSchema = z
  .object({
    vaultID: guidSchema,
    name,
    username: z.string().max(256),
    host: z.string().max(256),
    description: text,
    policy: policyPatchSchema,
    version: editVersionSchema,
  })
  .partial()
  .strict();

/** A credential as the admin API answers it: with its version (also its ETag). */
export const adminCredentialSchema = credentialSchema.extend({ version: editVersionSchema });
export type AdminCredential = z.infer<typeof adminCredentialSchema>;

export const setPasswordRequestSchema = z.object({
  /** Omitted: the server generates one that follows the policy. */
  password: z.string().min(1).max(1024).optional(),
});

export const auditQuerySchema = z.object({
  from: z.iso.datetime().optional(),
  to: z.iso.datetime().optional(),
  credentialID: guidSchema.optional(),
  userID: guidSchema.optional(),
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});

export const groupSchema = z.object({
  id: guidSchema,
  name: z.string(),
  description: z.string(),
  /** The built-in Everyone group: every user is a member; it cannot be changed or deleted. */
  builtin: z.boolean(),
  /** The members' user ids (empty for Everyone, whose members are implicit). */
  memberIDs: z.array(guidSchema),
});
export type Group = z.infer<typeof groupSchema>;

const memberIds = z.array(guidSchema).max(10_000);

export const createGroupRequestSchema = z.object({
  name,
  description: text.default(''),
  memberIDs: memberIds.default([]),
  id: guidSchema.optional(),
});
export type CreateGroupRequest = z.input<typeof createGroupRequestSchema>;

export const updateGroupRequestSchema = z
  .object({ name, description: text, memberIDs: memberIds })
  .partial()
  .strict();
