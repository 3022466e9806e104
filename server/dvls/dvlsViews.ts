/** Coffre's wire shapes dressed in Devolutions Server's own fields (docs/wire/dvls.md). */
import type { Credential, Vault } from '../../common/checkout.ts';
import {
  ApproverOptions,
  CheckoutApprovalMode,
  CheckoutReasonMode,
  type DvlsCredential,
} from '../../common/dvls.ts';
import type { Policy } from '../../common/policy.ts';

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
