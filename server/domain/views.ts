import type { AuditEntry } from '../../common/audit.ts';
import type { Checkout, Credential, Vault } from '../../common/checkout.ts';
import { toIso } from '../../common/ids.ts';
import { resolvePolicy } from '../../common/policy.ts';
import type { User } from '../../common/roles.ts';
import type {
  AuditRecord,
  CheckoutRecord,
  CredentialRecord,
  UserRecord,
  VaultRecord,
} from '../store/records.ts';
import { effectiveCheckout } from './lifecycle.ts';

/** Store records turned into the wire shapes of API.md; never a secret. */

const isoOrNull = (epochMs: number | null) => (epochMs === null ? null : toIso(epochMs));

export function toApiCheckout(record: CheckoutRecord, now: number): Checkout {
  const c = effectiveCheckout(record, now);
  return {
    id: c.id,
    userID: c.userId,
    username: c.username,
    credentialID: c.credentialId,
    credentialName: c.credentialName,
    approverID: c.approverId,
    approverName: c.approverName,
    reason: c.reason,
    approverMessage: c.approverMessage,
    status: c.status,
    duration: c.duration + c.extendedMinutes,
    requestDateTime: toIso(c.requestedAt),
    scheduledStart: isoOrNull(c.scheduledStart),
    checkoutDateTime: isoOrNull(c.checkoutAt),
    checkInDateTime: isoOrNull(c.checkinAt),
    expiresAt: isoOrNull(c.expiresAt),
    userDisplayName: c.userDisplayName,
    credentialUsername: c.credentialUsername,
    credentialHost: c.credentialHost,
    ...(c.vaultId ? { vaultID: c.vaultId, vaultName: c.vaultName } : {}),
  };
}

export function toApiCredential(
  record: CredentialRecord,
  vault: VaultRecord | undefined,
  holder: CheckoutRecord | undefined,
  now: number,
): Credential {
  const checkout = holder ? effectiveCheckout(holder, now) : undefined;
  return {
    id: record.id,
    vaultID: record.vaultId,
    name: record.name,
    username: record.username,
    host: record.host,
    description: record.description,
    policy: resolvePolicy(vault?.policy, record.policy),
    checkout: checkout
      ? {
          id: checkout.id,
          status: checkout.status,
          userID: checkout.userId,
          username: checkout.username,
          expiresAt: isoOrNull(checkout.expiresAt),
        }
      : null,
    updatedAt: toIso(record.updatedAt),
  };
}

export function toApiVault(record: VaultRecord): Vault {
  return { id: record.id, name: record.name, description: record.description };
}

export function toApiUser(record: UserRecord): User {
  return { id: record.id, username: record.username, displayName: record.displayName, roles: record.roles };
}

export function toApiAudit(record: AuditRecord): AuditEntry {
  return {
    id: record.id,
    at: toIso(record.at),
    actorID: record.actorId,
    actorName: record.actorName,
    action: record.action,
    credentialID: record.credentialId,
    checkoutID: record.checkoutId,
    details: record.details,
    hash: record.hash,
  };
}
