import { createHash } from 'node:crypto';

export const AUDIT_GENESIS_HASH = '0'.repeat(64);

export interface AuditHashInput {
  id: number;
  at: number;
  actorId: string | null;
  actorName: string | null;
  action: string;
  credentialId: string | null;
  checkoutId: string | null;
  details: string;
}

/** Each audit row hashes the previous row's hash with its own content, so an edit breaks the chain. */
export function auditRowHash(prevHash: string, row: AuditHashInput): string {
  const content = JSON.stringify([
    row.id,
    row.at,
    row.actorId,
    row.actorName,
    row.action,
    row.credentialId,
    row.checkoutId,
    row.details,
  ]);
  return createHash('sha256').update(prevHash).update('\n').update(content).digest('hex');
}
