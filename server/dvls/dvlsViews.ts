/** Coffre's wire shapes dressed in Devolutions Server's own fields (docs/wire/dvls.md). */
import type { Credential, Vault } from '../../common/checkout.ts';
import {
  ApproverOptions,
  CheckoutApprovalMode,
  CheckoutReasonMode,
  type DvlsCredential,
} from '../../common/dvls.ts';
import { type Policy, type PolicyPatch, resolvePolicy } from '../../common/policy.ts';

/** The policy fields DVLS puts on credentials, folders and checkout policies. */
export function dvlsPolicyFields(policy: Policy) {
  return {
    checkoutApprovalMode:
      policy.approvalMode === 'mandatory' ? CheckoutApprovalMode.Mandatory : CheckoutApprovalMode.None,
    checkoutReasonMode: {
      none: CheckoutReasonMode.None,
      mandatory: CheckoutReasonMode.Mandatory,
      optional: CheckoutReasonMode.Optional,
    }[policy.reasonMode],
    allowCheckoutOwnerAsApprover: policy.selfApproval ? ApproverOptions.Yes : ApproverOptions.No,
    includeAdminsAsApprovers: ApproverOptions.No,
    includeManagersAsApprovers: ApproverOptions.No,
    checkoutTime: policy.defaultDuration,
  };
}

export function toDvlsCredential(credential: Credential): DvlsCredential {
  const {
    includeAdminsAsApprovers: _a,
    includeManagersAsApprovers: _m,
    ...fields
  } = dvlsPolicyFields(credential.policy);
  return { ...credential, label: credential.name, folderID: credential.vaultID, ...fields };
}

/** The root PAM folder DVLS always has; Coffre's vaults are its children. */
export const ROOT_FOLDER_ID = '00000000-0000-4000-8000-00000000f01d';

export interface DvlsFolder extends ReturnType<typeof dvlsPolicyFields> {
  id: string;
  name: string;
  description: string;
  folderID: string | null;
  isRoot: boolean;
}

export function toDvlsFolder(vault: Vault, policy: Policy): DvlsFolder {
  return {
    id: vault.id,
    name: vault.name,
    description: vault.description,
    folderID: ROOT_FOLDER_ID,
    isRoot: false,
    ...dvlsPolicyFields(policy),
  };
}

export function dvlsRootFolder(policy: Policy): DvlsFolder {
  return {
    id: ROOT_FOLDER_ID,
    name: 'Root',
    description: '',
    folderID: null,
    isRoot: true,
    ...dvlsPolicyFields(policy),
  };
}

/** DVLS's policy fields as a folder or checkout policy write sends them (each optional). */
export interface DvlsPolicyFieldsInput {
  checkoutApprovalMode?: number | undefined;
  checkoutReasonMode?: number | undefined;
  allowCheckoutOwnerAsApprover?: number | undefined;
  includeAdminsAsApprovers?: number | undefined;
  includeManagersAsApprovers?: number | undefined;
  checkoutTime?: number | undefined;
}

const APPROVAL_MODES = {
  [CheckoutApprovalMode.None]: 'none',
  [CheckoutApprovalMode.Mandatory]: 'mandatory',
} as const;
const REASON_MODES = {
  [CheckoutReasonMode.None]: 'none',
  [CheckoutReasonMode.Mandatory]: 'mandatory',
  [CheckoutReasonMode.Optional]: 'optional',
} as const;

/**
 * The vault policy a PAM folder write (New-/Update-DSPamFolder) leaves. Update-DSPamFolder sends
 * back the whole folder it read, so only a field whose value differs from the folder's effective
 * one is a change: the rest must not pin inherited values. `Default` (0) drops the vault's own
 * setting (the value is inherited again). Coffre has no "admins/managers as approvers": asking for
 * them (1) is refused with the way to do it instead.
 */
export function folderPolicyPatch(
  current: PolicyPatch,
  sent: DvlsPolicyFieldsInput,
): { patch: PolicyPatch } | { refused: string } {
  const effective = dvlsPolicyFields(resolvePolicy(current));
  const changed = <K extends keyof DvlsPolicyFieldsInput>(key: K) =>
    sent[key] !== undefined && sent[key] !== effective[key];
  for (const key of ['includeAdminsAsApprovers', 'includeManagersAsApprovers'] as const) {
    if (changed(key) && sent[key] === ApproverOptions.Yes) {
      return {
        refused: `Coffre has no ${key}: name the approvers in the vault's policy (PATCH /api/admin/vaults/{id}, policy.approvers).`,
      };
    }
  }
  const patch: PolicyPatch = { ...current };
  if (changed('checkoutApprovalMode')) {
    const mode = APPROVAL_MODES[sent.checkoutApprovalMode as keyof typeof APPROVAL_MODES];
    if (mode) patch.approvalMode = mode;
    else delete patch.approvalMode;
  }
  if (changed('checkoutReasonMode')) {
    const mode = REASON_MODES[sent.checkoutReasonMode as keyof typeof REASON_MODES];
    if (mode) patch.reasonMode = mode;
    else delete patch.reasonMode;
  }
  if (changed('allowCheckoutOwnerAsApprover')) {
    if (sent.allowCheckoutOwnerAsApprover === ApproverOptions.Default) delete patch.selfApproval;
    else patch.selfApproval = sent.allowCheckoutOwnerAsApprover === ApproverOptions.Yes;
  }
  if (changed('checkoutTime')) {
    const policy = resolvePolicy(current);
    const minutes = sent.checkoutTime!;
    if (minutes < policy.minDuration || minutes > policy.maxDuration) {
      return {
        refused: `checkoutTime must be between ${policy.minDuration} and ${policy.maxDuration} minutes (the vault's minimum and maximum duration).`,
      };
    }
    patch.defaultDuration = minutes;
  }
  return { patch };
}
