/**
 * Every reason the credential's policy would refuse a request, found before asking the server, so
 * that the user fixes them all at once rather than one per try. The server still decides.
 */
import type { Credential } from '../client/pamBackend.ts';
import { formatMinutes } from '../common/duration.ts';
import type { Messages } from './messages.ts';

export interface RequestDraft {
  reason?: string;
  duration?: number;
  approverId?: string;
  /** The dialect needs the requester to name an approver (checkout dialect; MIM routes it itself). */
  namesApprover: boolean;
}

export function policyProblems(credential: Credential, draft: RequestDraft, t: Messages): string[] {
  const policy = credential.policy;
  const problems: string[] = [];
  if (policy.reasonMode === 'mandatory' && !draft.reason?.trim()) problems.push(t.errors.problems.reason);
  const duration = draft.duration ?? policy.defaultDuration;
  if (duration < policy.minDuration || duration > policy.maxDuration) {
    problems.push(
      t.errors.problems.duration(
        formatMinutes(duration),
        formatMinutes(policy.minDuration),
        formatMinutes(policy.maxDuration),
      ),
    );
  }
  if (draft.namesApprover && policy.approvalMode === 'mandatory' && !draft.approverId)
    problems.push(t.errors.problems.approver);
  return problems;
}
