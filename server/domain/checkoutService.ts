import type { AuditAction } from '../../common/audit.ts';
import {
  type Checkout,
  CheckoutStatus,
  type CreateCheckoutRequest,
  type CreateCheckoutResponse,
  type Credential,
  type UpdateCheckoutRequest,
  type Vault,
} from '../../common/checkout.ts';
import type { PamEventType } from '../../common/events.ts';
import { type Policy, resolvePolicy } from '../../common/policy.ts';
import type { VaultRole } from '../../common/vaultAccess.ts';
import { visibleTextOrEmpty } from '../../common/visibleText.ts';
import type { SecretBox } from '../crypto/secretBox.ts';
import { newGuid } from '../crypto/tokens.ts';
import type { PamStore, SideEffects, TransitionResult } from '../store/pamStore.ts';
import type { CheckoutRecord, CredentialRecord, EventRecord, UserRecord } from '../store/records.ts';
import { type Actor, hasRole } from './actor.ts';
import type { Clock } from './clock.ts';
import type { EventHub } from './eventHub.ts';
import { effectiveCheckout, MINUTE_MS } from './lifecycle.ts';
import { alreadyCheckedOut, forbidden, notFound, openCheckoutExists, PamError } from './pamError.ts';
import type { PasswordRotator } from './passwordRotator.ts';
import { isEligibleApprover, VaultRoles, vaultRoleOf } from './vaultAccess.ts';
import { toApiCheckout, toApiCredential, toApiVault } from './views.ts';

export interface CheckoutServiceDeps {
  store: PamStore;
  clock: Clock;
  secretBox: SecretBox;
  hub: EventHub;
  rotator: PasswordRotator;
}

interface Approval {
  approved: boolean;
  approverId: string | null;
  /** Approvers told about the new request. */
  audience: string[];
}

interface Decision {
  status: CheckoutStatus;
  patch: Partial<CheckoutRecord>;
  action: AuditAction;
  event: PamEventType;
  /** What the audit entry says beside the approver's message (a shortened grant). */
  details?: string;
}

/**
 * The minutes an approval grants: the requested ones, or fewer when the approver shortens them,
 * never more, nor under the policy's minimum (unless the request itself was shorter than that).
 */
function grantedDuration(requested: number, asked: number | undefined, policy: Policy): number {
  if (asked === undefined || asked === requested) return requested;
  if (asked > requested) {
    throw new PamError(
      'duration_out_of_bounds',
      `An approver may shorten the requested ${requested} minutes, not lengthen them.`,
    );
  }
  if (asked < policy.minDuration) {
    throw new PamError(
      'duration_out_of_bounds',
      `The granted duration must be between ${policy.minDuration} and ${requested} minutes.`,
    );
  }
  return asked;
}

/** The checkout lifecycle of API.md: requests, approvals, check-in, extension, password reads. */
export class CheckoutService {
  private readonly store: PamStore;
  private readonly clock: Clock;
  private readonly secretBox: SecretBox;
  private readonly hub: EventHub;
  private readonly rotator: PasswordRotator;

  constructor(deps: CheckoutServiceDeps) {
    this.store = deps.store;
    this.clock = deps.clock;
    this.secretBox = deps.secretBox;
    this.hub = deps.hub;
    this.rotator = deps.rotator;
  }

  async credentialWithPolicy(id: string): Promise<{ credential: CredentialRecord; policy: Policy }> {
    const credential = await this.store.getCredential(id);
    if (!credential) throw notFound('The credential');
    const vault = await this.store.getVault(credential.vaultId);
    return { credential, policy: resolvePolicy(vault?.policy, credential.policy) };
  }

  /**
   * As credentialWithPolicy, for a caller who must hold `needed` in the credential's vault: outside
   * the vaults they may see, the credential does not exist (404); below `needed`, 403.
   */
  async credentialFor(
    actor: Actor,
    id: string,
    needed: VaultRole = 'view',
  ): Promise<{ credential: CredentialRecord; policy: Policy }> {
    const found = await this.credentialWithPolicy(id);
    (await VaultRoles.of(this.store, actor)).assert(found.credential.vaultId, needed, 'The credential');
    return found;
  }

  /** Whether the user may decide requests for the credential now (vault role included). */
  private async mayApprove(user: UserRecord, credential: CredentialRecord, policy: Policy): Promise<boolean> {
    return isEligibleApprover(user, policy, await vaultRoleOf(this.store, user, credential.vaultId));
  }

  /** The vaults the actor may see, each with the actor's role there, by name. */
  async listVaults(actor: Actor): Promise<Vault[]> {
    const roles = await VaultRoles.of(this.store, actor);
    return (await this.store.listVaults()).flatMap((vault) => {
      const role = roles.roleIn(vault.id);
      return role ? [{ ...toApiVault(vault), role }] : [];
    });
  }

  /**
   * A page of the credential list. `syncToken` is the change number before the page was read: a
   * change made while a client reads its pages has a higher one, so its next changes request
   * (from the first page's token) brings it, even if the change moved rows between pages.
   */
  async listCredentials(
    actor: Actor,
    query: { vaultId?: string | undefined; search?: string | undefined; offset: number; limit: number },
  ): Promise<{ data: Credential[]; total: number; syncToken: number }> {
    const syncToken = await this.store.currentChangeSeq();
    const visible = (await VaultRoles.of(this.store, actor)).visibleVaultIds();
    const page = await this.store.listCredentials({ ...query, vaultIds: visible });
    return { data: await this.toApiCredentials(actor, page.data), total: page.total, syncToken };
  }

  /**
   * What changed in the credential list after change number `since`, in change order: the changed
   * credentials as the list shows them, and the ids of those deleted (tombstones).
   */
  async listCredentialChanges(
    actor: Actor,
    since: number,
    limit: number,
  ): Promise<{ data: Credential[]; deleted: string[]; total: number; syncToken: number }> {
    const current = await this.store.currentChangeSeq();
    const { changes, total } = await this.store.listCredentialChanges(since, limit);
    // A credential the caller may no longer see (its vault's members changed, or it moved to a
    // vault of another team) leaves their list as a deletion does: only its id, never its fields.
    const roles = await VaultRoles.of(this.store, actor);
    const visible = (change: (typeof changes)[number]) =>
      change.credential !== null && roles.allows(change.credential.vaultId, 'view');
    const live = changes.flatMap((change) => (visible(change) ? [change.credential!] : []));
    const deleted = changes.filter((change) => !visible(change)).map((change) => change.id);
    // Nothing after `since`: the current number (lower than `since` if this server's store was
    // reset or restored from a backup, which tells the client its token is void).
    const syncToken = changes.at(-1)?.seq ?? current;
    return { data: await this.toApiCredentials(actor, live), deleted, total, syncToken };
  }

  /** Credentials as the list shows them to `actor`: the checkout holding each, or the actor's own request. */
  private async toApiCredentials(actor: Actor, records: CredentialRecord[]): Promise<Credential[]> {
    const now = this.clock.now();
    const holders = await this.store.holdersOf(
      records.map((credential) => credential.id),
      now,
    );
    const mine = await this.store.listCheckoutsOfUser(actor.id, [CheckoutStatus.Pending]);
    const vaults = new Map((await this.store.listVaults()).map((vault) => [vault.id, vault]));
    return records.map((credential) => {
      const state = holders.get(credential.id) ?? mine.find((c) => c.credentialId === credential.id);
      return toApiCredential(credential, vaults.get(credential.vaultId), state, now);
    });
  }

  async getCredential(actor: Actor, id: string): Promise<Credential> {
    const page = await this.listCredentialsByIds(actor, [id]);
    if (!page[0]) throw notFound('The credential');
    return page[0];
  }

  private async listCredentialsByIds(actor: Actor, ids: string[]): Promise<Credential[]> {
    const now = this.clock.now();
    const roles = await VaultRoles.of(this.store, actor);
    const found: Credential[] = [];
    for (const id of ids) {
      const credential = await this.store.getCredential(id);
      if (!credential || !roles.allows(credential.vaultId, 'view')) continue;
      const vault = await this.store.getVault(credential.vaultId);
      const holder = (await this.store.holdersOf([id], now)).get(id);
      const mine = (await this.store.listCheckoutsOfUser(actor.id, [CheckoutStatus.Pending])).find(
        (c) => c.credentialId === id,
      );
      found.push(toApiCredential(credential, vault, holder ?? mine, now));
    }
    return found;
  }

  /** The credential's approvers, for a caller who may see it. */
  async listApproversFor(actor: Actor, credentialId: string): Promise<UserRecord[]> {
    await this.credentialFor(actor, credentialId);
    return this.listApprovers(credentialId);
  }

  /**
   * Users who may approve checkouts of the credential: named by its policy, holding the approver
   * role, and `approve` in its vault.
   */
  async listApprovers(credentialId: string): Promise<UserRecord[]> {
    const { credential, policy } = await this.credentialWithPolicy(credentialId);
    const approvers: UserRecord[] = [];
    for (const id of policy.approvers) {
      const user = await this.store.getUser(id);
      if (user && (await this.mayApprove(user, credential, policy))) approvers.push(user);
    }
    return approvers;
  }

  /**
   * `revealPassword: false` for callers that never pass the password on (the MIM dialect has no
   * password in its answer), so the audit trail records a read only when one happened.
   * `anyApprover: true` addresses a request that needs approval to every eligible approver of the
   * credential instead of one named approver (MIM: all of a role's approvers see the request and the
   * first one to decide settles it); `approverID` is then ignored.
   */
  async createCheckout(
    actor: Actor,
    request: CreateCheckoutRequest,
    { revealPassword = true, anyApprover = false }: { revealPassword?: boolean; anyApprover?: boolean } = {},
  ): Promise<CreateCheckoutResponse> {
    const now = this.clock.now();
    // First: outside the caller's vaults the credential does not exist, whatever else is wrong.
    const { credential, policy } = await this.credentialFor(actor, request.credentialID, 'request');
    const duration = request.duration ?? policy.defaultDuration;
    if (duration < policy.minDuration || duration > policy.maxDuration) {
      throw new PamError(
        'duration_out_of_bounds',
        `The duration must be between ${policy.minDuration} and ${policy.maxDuration} minutes.`,
      );
    }
    // A mandatory reason must be readable: "\u200b" is no reason (common/visibleText.ts).
    const reason = visibleTextOrEmpty(request.reason ?? '');
    if (policy.reasonMode === 'mandatory' && reason === '') {
      throw new PamError('reason_required', 'A reason is required to check out this credential.');
    }
    const start = request.scheduledStart ? Date.parse(request.scheduledStart) : null;
    const scheduledStart = start !== null && start > now ? start : null;
    assertScheduleWithinPolicy(scheduledStart, now, policy);
    const approval = anyApprover
      ? await this.poolApproval(actor, policy, credential.id)
      : await this.decideApproval(actor, credential, policy, request.approverID);
    // API.md, roles: requesting checkouts is what `user` is for; an approver-only or admin-only
    // account decides and manages but never holds a credential. (After the policy checks, so that a
    // request the policy refuses anyway is explained by the policy.)
    if (!hasRole(actor, 'user')) {
      throw forbidden('Only users with the user role can check out credentials.');
    }
    const immediate = approval.approved && scheduledStart === null;
    const begin = scheduledStart ?? now;
    const checkout = {
      id: newGuid(),
      userId: actor.id,
      credentialId: credential.id,
      approverId: approval.approverId,
      reason,
      approverMessage: '',
      status: approval.approved
        ? immediate
          ? CheckoutStatus.Active
          : CheckoutStatus.Granted
        : CheckoutStatus.Pending,
      duration,
      extendedMinutes: 0,
      requestedAt: now,
      scheduledStart,
      checkoutAt: immediate ? now : null,
      checkinAt: null,
      expiresAt: approval.approved ? begin + duration * MINUTE_MS : null,
      expiringNotified: false,
      updatedAt: now,
    };
    const audit = [this.auditOf(actor, 'checkout.requested', now, credential.id)];
    if (approval.approved) audit.push(this.auditOf(actor, 'checkout.approved', now, credential.id, 'self'));
    const reveal = immediate && revealPassword;
    if (reveal) audit.push(this.auditOf(actor, 'password.read', now, credential.id));
    const result = await this.store.insertCheckout(
      checkout,
      {
        exclusive: policy.exclusive,
        now,
        // Checked again in the insert's transaction: a membership removed meanwhile wins.
        requireRole: hasRole(actor, 'admin') ? undefined : { vaultId: credential.vaultId, role: 'request' },
      },
      {
        audit,
        events: [this.checkoutEvent('checkout.created', now, [actor.id, ...approval.audience])],
      },
    );
    if (!result.ok) {
      if (result.reason === 'credential_deleted') throw notFound('The credential');
      if (result.reason === 'vault_role') {
        await this.credentialFor(actor, credential.id, 'request');
        throw forbidden('Your role in this vault changed meanwhile; reload and try again.');
      }
      if (result.reason === 'duplicate_request') {
        throw openCheckoutExists((await this.store.findOpenCheckout(actor.id, credential.id))?.id);
      }
      throw await this.heldBy(actor, credential.id, now);
    }
    this.publish(result.events);
    const response: CreateCheckoutResponse = { checkout: toApiCheckout(result.checkout, now) };
    if (reveal) response.password = this.secretBox.open(credential.passwordSealed, credential.id);
    return response;
  }

  private async decideApproval(
    actor: Actor,
    credential: CredentialRecord,
    policy: Policy,
    approverId: string | undefined,
  ): Promise<Approval> {
    if (policy.approvalMode === 'none') return { approved: true, approverId: null, audience: [] };
    if (!approverId) throw new PamError('approver_required', 'An approver is required for this credential.');
    const approver = await this.store.getUser(approverId);
    if (!approver || !(await this.mayApprove(approver, credential, policy))) {
      throw new PamError('approver_not_eligible', 'The chosen approver cannot approve this credential.');
    }
    if (approverId !== actor.id) return { approved: false, approverId, audience: [approverId] };
    if (!policy.selfApproval) {
      throw new PamError(
        'self_approval_not_allowed',
        'This credential does not allow approving your own request.',
      );
    }
    return { approved: true, approverId, audience: [approverId] };
  }

  /** A request addressed to all the credential's approvers: pending, no approver named yet. */
  private async poolApproval(actor: Actor, policy: Policy, credentialId: string): Promise<Approval> {
    if (policy.approvalMode === 'none') return { approved: true, approverId: null, audience: [] };
    const deciders = (await this.listApprovers(credentialId)).filter(
      (user) => user.id !== actor.id || policy.selfApproval,
    );
    if (deciders.length === 0) {
      throw new PamError(
        'approver_required',
        'This credential needs an approval, and no one but you can approve it.',
      );
    }
    return { approved: false, approverId: null, audience: deciders.map((user) => user.id) };
  }

  /** Who hears about a checkout's changes: its requester and approver, or all approvers of a pooled request. */
  private async audienceOf(checkout: CheckoutRecord, policy: Policy): Promise<string[]> {
    if (checkout.approverId !== null || policy.approvalMode === 'none') {
      return [checkout.userId, ...(checkout.approverId ? [checkout.approverId] : [])];
    }
    const approvers = await this.listApprovers(checkout.credentialId);
    return [checkout.userId, ...approvers.map((user) => user.id)];
  }

  async getCheckout(actor: Actor, id: string): Promise<Checkout> {
    const record = await this.visibleCheckout(actor, id);
    // A request still waiting (and its reason) is shown to its approver only while they may decide
    // it; trying to decide it still answers 403 "no longer an approver" (assertMayDecide).
    if (record.status === CheckoutStatus.Pending && record.userId !== actor.id && !hasRole(actor, 'admin')) {
      const user = await this.store.getUser(actor.id);
      const { credential, policy } = await this.credentialWithPolicy(record.credentialId);
      if (!user || !(await this.mayApprove(user, credential, policy))) throw notFound('The checkout');
    }
    return toApiCheckout(record, this.clock.now());
  }

  /**
   * A checkout the actor may see (requester, its approver, admins, and any approver of a pooled
   * request still waiting for one); others get not found, not a hint.
   */
  private async visibleCheckout(actor: Actor, id: string): Promise<CheckoutRecord> {
    const record = await this.store.getCheckout(id);
    if (record && (maySee(actor, record) || (await this.isPooledFor(actor, record)))) return record;
    throw notFound('The checkout');
  }

  /** A pending request addressed to all approvers of its credential, `actor` being one of them. */
  private async isPooledFor(actor: Actor, record: CheckoutRecord): Promise<boolean> {
    if (record.approverId !== null || record.status !== CheckoutStatus.Pending) return false;
    const { credential, policy } = await this.credentialWithPolicy(record.credentialId);
    if (record.userId === actor.id && !policy.selfApproval) return false;
    const user = await this.store.getUser(actor.id);
    return user !== undefined && (await this.mayApprove(user, credential, policy));
  }

  /** The actor's own open (pending, scheduled or active) checkout of a credential, as it stands now. */
  async findOpenOf(actor: Actor, credentialId: string): Promise<Checkout | undefined> {
    const now = this.clock.now();
    const open = await this.store.findOpenCheckout(actor.id, credentialId);
    return open ? toApiCheckout(open, now) : undefined;
  }

  /**
   * The 409 for a credential someone holds, naming the holding checkout when the actor may see it.
   * Read after the refusal, for the message only: the refusal itself was decided atomically.
   */
  private async heldBy(actor: Actor, credentialId: string, now: number): Promise<PamError> {
    const holder = (await this.store.holdersOf([credentialId], now)).get(credentialId);
    return alreadyCheckedOut(holder && maySee(actor, holder) ? holder.id : undefined);
  }

  async listMine(actor: Actor, activeAndPending: boolean): Promise<Checkout[]> {
    const now = this.clock.now();
    const open = [CheckoutStatus.Pending, CheckoutStatus.Granted, CheckoutStatus.Active];
    const records = await this.store.listCheckoutsOfUser(actor.id, activeAndPending ? open : null);
    return records
      .map((record) => toApiCheckout(record, now))
      .filter((checkout) => !activeAndPending || (open as number[]).includes(checkout.status));
  }

  /**
   * The pending requests the actor may decide NOW: named as their approver, or addressed to all
   * approvers of a credential the actor approves (MIM), and still an eligible approver of the
   * credential (enabled, approver role, in its policy), oldest first. A former approver sees
   * nothing, not even the reasons of requests still naming them.
   */
  async listToApprove(actor: Actor): Promise<Checkout[]> {
    const now = this.clock.now();
    const user = await this.store.getUser(actor.id);
    if (!user) return [];
    const roles = await VaultRoles.of(this.store, user);
    const decidable: CheckoutRecord[] = [];
    for (const record of await this.store.listCheckoutsToApprove(actor.id)) {
      const { credential, policy } = await this.credentialWithPolicy(record.credentialId);
      if (isEligibleApprover(user, policy, roles.roleIn(credential.vaultId))) decidable.push(record);
    }
    for (const record of await this.store.listAllCheckouts([CheckoutStatus.Pending])) {
      if (await this.isPooledFor(actor, record)) decidable.push(record);
    }
    return decidable
      .sort((a, b) => a.requestedAt - b.requestedAt)
      .map((record) => toApiCheckout(record, now));
  }

  async changeStatus(actor: Actor, id: string, request: UpdateCheckoutRequest): Promise<Checkout> {
    const now = this.clock.now();
    const stored = await this.visibleCheckout(actor, id);
    const current = effectiveCheckout(stored, now);
    const { credential, policy } = await this.credentialWithPolicy(stored.credentialId);
    const decision = await this.decide(actor, current, credential, policy, request, now);
    const audience = await this.audienceOf(stored, policy);
    const endedActive =
      current.status === CheckoutStatus.Active &&
      (decision.status === CheckoutStatus.Ended || decision.status === CheckoutStatus.Aborted);
    const result = await this.store.transitionCheckout(
      id,
      stored.status,
      { ...decision.patch, status: decision.status },
      {
        // Approving for now or for a later window: refused if another approved checkout holds the
        // credential at some moment of this one's window (test/security/scheduledExclusivity.test.ts).
        exclusiveNow:
          (decision.status === CheckoutStatus.Active || decision.status === CheckoutStatus.Granted) &&
          policy.exclusive
            ? now
            : undefined,
        // The rotation commits with the check-in: never one without the other, even after a crash.
        setPassword:
          endedActive && policy.rotateOnCheckin
            ? this.rotator.prepare(stored.credentialId, policy, actor, [stored.userId])
            : undefined,
      },
      {
        audit: [
          this.auditOf(
            actor,
            decision.action,
            now,
            stored.credentialId,
            [request.approverMessage ?? '', decision.details ?? ''].filter(Boolean).join(' · '),
          ),
        ],
        events: [this.checkoutEvent(decision.event, now, audience)],
      },
    );
    const checkout = await this.settle(actor, stored.credentialId, now, result);
    return toApiCheckout(checkout, this.clock.now());
  }

  private async settle(
    actor: Actor,
    credentialId: string,
    now: number,
    result: TransitionResult,
  ): Promise<CheckoutRecord> {
    if (!result.ok) {
      if (result.reason === 'already_checked_out') throw await this.heldBy(actor, credentialId, now);
      throw new PamError('invalid_transition', 'The checkout changed meanwhile; reload it and try again.');
    }
    this.publish(result.events);
    return result.checkout;
  }

  private async decide(
    actor: Actor,
    current: CheckoutRecord,
    credential: CredentialRecord,
    policy: Policy,
    request: UpdateCheckoutRequest,
    now: number,
  ): Promise<Decision> {
    const isRequester = current.userId === actor.id;
    const message = visibleTextOrEmpty(request.approverMessage ?? '');
    const refuse = (what: string) =>
      new PamError('invalid_transition', `${what} (the checkout is ${statusLabel(current.status)}).`);
    switch (request.status) {
      case CheckoutStatus.Active:
      case CheckoutStatus.Denied: {
        const approving = request.status === CheckoutStatus.Active;
        await this.assertMayDecide(actor, current, credential, policy);
        if (current.status !== CheckoutStatus.Pending) throw refuse('Only a pending request can be decided');
        // A pooled request records who decided it; the status compare-and-set makes the first decision win.
        const decider = { approverId: actor.id };
        if (!approving) {
          return {
            status: CheckoutStatus.Denied,
            patch: { ...decider, approverMessage: message, checkinAt: now },
            action: 'checkout.denied',
            event: 'checkout.updated',
          };
        }
        const later = current.scheduledStart !== null && current.scheduledStart > now;
        const begin = later ? current.scheduledStart! : now;
        const granted = grantedDuration(current.duration, request.duration, policy);
        return {
          status: later ? CheckoutStatus.Granted : CheckoutStatus.Active,
          patch: {
            ...decider,
            approverMessage: message,
            checkoutAt: later ? null : now,
            expiresAt: begin + granted * MINUTE_MS,
            duration: granted,
          },
          action: 'checkout.approved',
          event: 'checkout.updated',
          ...(granted < current.duration ? { details: `granted ${granted} of ${current.duration} min` } : {}),
        };
      }
      case CheckoutStatus.Ended:
        if (!isRequester) throw forbidden('Only the requester can check in a checkout.');
        if (current.status !== CheckoutStatus.Active)
          throw refuse('Only an active checkout can be checked in');
        return {
          status: CheckoutStatus.Ended,
          patch: { checkoutAt: current.checkoutAt, checkinAt: now },
          action: 'checkout.checkedin',
          event: 'checkout.updated',
        };
      case CheckoutStatus.RequestCanceled:
        if (!isRequester) throw forbidden('Only the requester can cancel a request.');
        if (current.status !== CheckoutStatus.Pending && current.status !== CheckoutStatus.Granted) {
          throw refuse('Only a pending or scheduled request can be canceled');
        }
        return {
          status: CheckoutStatus.RequestCanceled,
          patch: { checkinAt: now },
          action: 'checkout.canceled',
          event: 'checkout.updated',
        };
      case CheckoutStatus.Aborted: {
        if (!hasRole(actor, 'admin')) throw forbidden('Only an administrator can force a check-in.');
        const open: CheckoutStatus[] = [
          CheckoutStatus.Pending,
          CheckoutStatus.Granted,
          CheckoutStatus.Active,
        ];
        if (!open.includes(current.status)) throw refuse('Only an open checkout can be aborted');
        return {
          status: CheckoutStatus.Aborted,
          patch: {
            checkoutAt: current.checkoutAt,
            checkinAt: now,
            approverMessage: message || current.approverMessage,
          },
          action: 'checkout.aborted',
          event: 'checkout.updated',
        };
      }
      default:
        throw new PamError('invalid_transition', `A checkout cannot be moved to status ${request.status}.`);
    }
  }

  private async assertMayDecide(
    actor: Actor,
    checkout: CheckoutRecord,
    credential: CredentialRecord,
    policy: Policy,
  ): Promise<void> {
    if (checkout.userId === actor.id && !policy.selfApproval) {
      throw forbidden('You cannot approve or deny your own request.');
    }
    if (checkout.approverId !== null && checkout.approverId !== actor.id)
      throw forbidden('Only the approver named on the request can decide it.');
    const user = await this.store.getUser(actor.id);
    if (!user || !(await this.mayApprove(user, credential, policy))) {
      throw forbidden('You are no longer an approver of this credential.');
    }
  }

  async extend(actor: Actor, id: string, minutes: number): Promise<Checkout> {
    const now = this.clock.now();
    const stored = await this.visibleCheckout(actor, id);
    if (stored.userId !== actor.id) throw forbidden('Only the requester can extend a checkout.');
    const current = effectiveCheckout(stored, now);
    if (current.status !== CheckoutStatus.Active) {
      throw new PamError(
        'invalid_transition',
        `Only an active checkout can be extended (it is ${statusLabel(current.status)}).`,
      );
    }
    // Keeping a credential longer is checking it out again: it needs `request` in its vault.
    const { policy } = await this.credentialFor(actor, stored.credentialId, 'request');
    if (current.extendedMinutes + minutes > policy.maxExtension) {
      const left = policy.maxExtension - current.extendedMinutes;
      throw new PamError(
        'extension_out_of_bounds',
        `This checkout can be extended by at most ${left} more minute${left === 1 ? '' : 's'}.`,
      );
    }
    const result = await this.store.transitionCheckout(
      id,
      stored.status,
      {
        status: CheckoutStatus.Active,
        checkoutAt: current.checkoutAt,
        expiresAt: current.expiresAt! + minutes * MINUTE_MS,
        extendedMinutes: current.extendedMinutes + minutes,
        expiringNotified: false,
      },
      {
        // Computed from what was read: a concurrent extension makes this one stale (409), not lost.
        unchanged: { expiresAt: stored.expiresAt, extendedMinutes: stored.extendedMinutes },
        // Nor may it run into the window of someone's approved scheduled checkout.
        exclusiveNow: policy.exclusive ? now : undefined,
      },
      {
        audit: [this.auditOf(actor, 'checkout.extended', now, stored.credentialId, `+${minutes} min`)],
        events: [this.checkoutEvent('checkout.updated', now, [stored.userId, stored.approverId])],
      },
    );
    return toApiCheckout(await this.settle(actor, stored.credentialId, now, result), now);
  }

  async readPassword(actor: Actor, credentialId: string): Promise<string> {
    const now = this.clock.now();
    // A member whose role fell below `request` keeps no access through a checkout taken before.
    const { credential } = await this.credentialFor(actor, credentialId, 'request');
    const open = await this.store.findOpenCheckout(actor.id, credentialId);
    let holding = open && effectiveCheckout(open, now).status === CheckoutStatus.Active ? open : undefined;
    // A scheduled checkout whose start has come but that the sweeper has not started yet: start it
    // here, with the exclusivity check, before any password leaves.
    if (holding?.status === CheckoutStatus.Granted) holding = await this.activateScheduled(holding, now);
    if (!holding) throw forbidden('You do not hold an active checkout of this credential.');
    await this.store.appendAudit({
      audit: [{ ...this.auditOf(actor, 'password.read', now, credentialId), checkoutId: holding.id }],
      events: [],
    });
    return this.secretBox.open(credential.passwordSealed, credential.id);
  }

  /**
   * Starts a scheduled (Granted) checkout whose start has come, checking again that no one else
   * holds an exclusive credential (a window approved before the rule existed, or restored data).
   * If someone does, the scheduled checkout is aborted rather than made a second holder. Returns
   * the started checkout, or undefined if it did not start.
   */
  async activateScheduled(record: CheckoutRecord, now: number): Promise<CheckoutRecord | undefined> {
    const { policy } = await this.credentialWithPolicy(record.credentialId);
    const audience = [record.userId, record.approverId];
    const system = { at: now, actorId: null, actorName: 'system', credentialId: record.credentialId };
    const result = await this.store.transitionCheckout(
      record.id,
      CheckoutStatus.Granted,
      { status: CheckoutStatus.Active, checkoutAt: record.scheduledStart },
      { unchanged: { expiresAt: record.expiresAt }, exclusiveNow: policy.exclusive ? now : undefined },
      {
        audit: [{ ...system, action: 'checkout.activated', checkoutId: record.id }],
        events: [this.checkoutEvent('checkout.updated', now, audience)],
      },
    );
    if (result.ok) {
      this.publish(result.events);
      return result.checkout;
    }
    if (result.reason === 'stale') {
      // Started (or ended) by someone else meanwhile: what it is now decides.
      const fresh = await this.store.getCheckout(record.id);
      return fresh?.status === CheckoutStatus.Active ? fresh : undefined;
    }
    const aborted = await this.store.transitionCheckout(
      record.id,
      CheckoutStatus.Granted,
      {
        status: CheckoutStatus.Aborted,
        checkinAt: now,
        approverMessage: 'Another checkout holds the credential during this window.',
      },
      {},
      {
        audit: [{ ...system, action: 'checkout.aborted', checkoutId: record.id, details: 'conflict' }],
        events: [this.checkoutEvent('checkout.updated', now, audience)],
      },
    );
    if (aborted.ok) this.publish(aborted.events);
    return undefined;
  }

  private auditOf(actor: Actor, action: AuditAction, at: number, credentialId: string, details = '') {
    return { at, actorId: actor.id, actorName: actor.username, action, credentialId, details };
  }

  private checkoutEvent(type: PamEventType, at: number, audience: Array<string | null>) {
    return { type, at, audience: audience.filter((id): id is string => id !== null), data: undefined };
  }

  publish(events: EventRecord[]): void {
    for (const event of events) this.hub.publish(event, event.audience ?? []);
  }
}

const DAY_MS = 24 * 60 * MINUTE_MS;

/** A start further ahead than the policy allows would let anyone reserve a credential for years. */
function assertScheduleWithinPolicy(scheduledStart: number | null, now: number, policy: Policy): void {
  if (scheduledStart === null || scheduledStart - now <= policy.maxScheduleAheadDays * DAY_MS) return;
  const days = policy.maxScheduleAheadDays;
  throw new PamError(
    'schedule_out_of_bounds',
    days === 0
      ? 'This credential cannot be checked out for a later start.'
      : `A checkout of this credential can start at most ${days} day${days === 1 ? '' : 's'} ahead.`,
  );
}

function statusLabel(status: CheckoutStatus): string {
  return (
    (
      {
        [CheckoutStatus.Pending]: 'pending',
        [CheckoutStatus.Granted]: 'scheduled',
        [CheckoutStatus.Denied]: 'denied',
        [CheckoutStatus.Active]: 'active',
        [CheckoutStatus.Ended]: 'checked in',
        [CheckoutStatus.Expired]: 'expired',
        [CheckoutStatus.Aborted]: 'aborted',
        [CheckoutStatus.RequestCanceled]: 'canceled',
      } as Record<number, string>
    )[status] ?? 'in an unknown state'
  );
}

export type { SideEffects };

function maySee(actor: Actor, checkout: CheckoutRecord): boolean {
  return checkout.userId === actor.id || checkout.approverId === actor.id || hasRole(actor, 'admin');
}
