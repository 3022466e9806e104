import type { AuditAction } from '../../common/audit.ts';
import type { CheckoutStatus } from '../../common/checkout.ts';
import type { PamEventType } from '../../common/events.ts';
import type { PolicyPatch } from '../../common/policy.ts';
import type { Role } from '../../common/roles.ts';
import type { VaultRole } from '../../common/vaultAccess.ts';

/** Rows as the store keeps them. Times are epoch milliseconds (UTC). */

export interface UserRecord {
  id: string;
  username: string;
  displayName: string;
  passwordHash: string;
  roles: Role[];
  disabled: boolean;
  createdAt: number;
  updatedAt: number;
}

export interface VaultRecord {
  id: string;
  name: string;
  description: string;
  policy: PolicyPatch;
  createdAt: number;
  updatedAt: number;
  /** Raised by one with each edit (compare-and-set of administrators' edits); 1 when created. */
  version: number;
}

/**
 * A DVLS checkout policy: its fields as DVLS names them (checkoutApprovalMode, checkoutReasonMode,
 * allowCheckoutOwnerAsApprover, includeAdminsAsApprovers, includeManagersAsApprovers, checkoutTime).
 */
export interface CheckoutPolicyRecord {
  id: string;
  name: string;
  fields: Record<string, number>;
  isDefault: boolean;
  createdAt: number;
  updatedAt: number;
}

/** A vault's member: a user or a group of users, with their role in the vault. */
export interface VaultMemberRecord {
  memberType: 'user' | 'group';
  memberId: string;
  role: VaultRole;
}

/** A named set of users. The built-in Everyone group has every user as member, none listed. */
export interface GroupRecord {
  id: string;
  name: string;
  description: string;
  builtin: boolean;
  createdAt: number;
  updatedAt: number;
}

export interface CredentialRecord {
  id: string;
  vaultId: string;
  name: string;
  username: string;
  host: string;
  description: string;
  policy: PolicyPatch;
  /** The password sealed by the server's SecretBox; never leaves the server in this form. */
  passwordSealed: string;
  passwordChangedAt: number;
  createdAt: number;
  updatedAt: number;
  /** Raised by one with each edit of the fields above the password; 1 when created. */
  version: number;
}

/** One entry of the credential change feed (incremental sync), in change sequence order. */
export interface CredentialChange {
  /** The credential's change sequence number: the feed's position after this entry. */
  seq: number;
  id: string;
  /** null when the credential was deleted: a tombstone. */
  credential: CredentialRecord | null;
}

export interface CheckoutRecord {
  id: string;
  userId: string;
  credentialId: string;
  approverId: string | null;
  reason: string;
  approverMessage: string;
  status: CheckoutStatus;
  duration: number;
  extendedMinutes: number;
  requestedAt: number;
  scheduledStart: number | null;
  checkoutAt: number | null;
  checkinAt: number | null;
  expiresAt: number | null;
  expiringNotified: boolean;
  updatedAt: number;
  /** Joined for display. */
  username: string;
  credentialName: string;
  approverName: string | null;
  /** The requester's full name (their username when they have none). */
  userDisplayName: string;
  /** The account and host the checkout gives access to, and the vault holding the credential. */
  credentialUsername: string;
  credentialHost: string;
  vaultId: string;
  vaultName: string;
}

/** The names a checkout row is shown with, read from the users, credentials and vaults it points to. */
type JoinedNames =
  | 'username'
  | 'credentialName'
  | 'approverName'
  | 'userDisplayName'
  | 'credentialUsername'
  | 'credentialHost'
  | 'vaultId'
  | 'vaultName';

export type NewCheckout = Omit<CheckoutRecord, JoinedNames>;

export interface AuditInput {
  at: number;
  actorId: string | null;
  actorName: string | null;
  action: AuditAction;
  credentialId?: string | null;
  checkoutId?: string | null;
  details?: string;
}

export interface AuditRecord {
  id: number;
  at: number;
  actorId: string | null;
  actorName: string | null;
  action: AuditAction;
  credentialId: string | null;
  checkoutId: string | null;
  details: string;
  prevHash: string;
  hash: string;
}

export interface EventInput {
  type: PamEventType;
  at: number;
  /** Users who receive the event. */
  audience: string[];
  data: unknown;
}

export interface EventRecord {
  id: number;
  type: PamEventType;
  at: number;
  data: unknown;
  /** Present on events just written, so they can be published without another read. */
  audience?: string[];
}

export interface TokenRecord {
  tokenHash: string;
  userId: string;
  createdAt: number;
  expiresAt: number;
  /**
   * The DVLS session key of a token signed in through New-DSSession's handshake, sealed by the
   * server's SecretBox with the token hash as associated data; null for other sign-ins.
   */
  sessionKeySealed?: string | null;
}

export interface AuditQuery {
  from?: number | undefined;
  to?: number | undefined;
  credentialId?: string | undefined;
  userId?: string | undefined;
  limit: number;
  offset: number;
}

export interface CredentialQuery {
  vaultId?: string | undefined;
  /** Only credentials of these vaults (the caller's); undefined: every vault. */
  vaultIds?: readonly string[] | undefined;
  search?: string | undefined;
  offset: number;
  limit: number;
}
