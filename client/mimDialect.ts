/**
 * The MIM dialect adapter: the Microsoft Identity Manager PAM REST API (`/api/pamresources/...`,
 * OData v3 JSON) seen through the PamBackend interface. A PAM role is a credential, a PAM request
 * a checkout, Approve/Reject/Close the state changes. Sign-in: Coffre's `/api/auth/login`, or as
 * IIS takes it in front of a real MIM, HTTP Basic or the fetch port's integrated (Negotiate) sign-in
 * (see SignInMethod).
 *
 * What MIM has no word for: vaults (one synthetic vault holds every role), approvers lists (empty),
 * approver messages (dropped), extending, reading a password (MIM grants group membership, not a
 * secret: kind 'unsupported'), server events (`subscribe` polls).
 */
import { z } from 'zod';
import { type Checkout, CheckoutStatus, type Credential, type Vault } from '../common/checkout.ts';
import { DEFAULT_POLICY, type Policy } from '../common/policy.ts';
import type { User } from '../common/roles.ts';
import { createSessionCore } from './authSession.ts';
import { PamClientError } from './errors.ts';
import { subscribeEvents } from './eventStream.ts';
import type { CreatePamBackendOptions, PamBackend, PamCapabilities } from './pamBackend.ts';

export const MIM_CAPABILITIES: PamCapabilities = Object.freeze({
  passwordRead: false,
  serverEvents: false,
  selfApproval: false,
  extend: false,
  grantShorter: false,
  scheduledStart: true,
  credentialChanges: false,
  // MIM sends a request to every owner of the role; the caller names no one.
  approverChoice: false,
});

const PREFIX = '/api/pamresources';
/** The one vault MIM roles are listed in (MIM has no vaults). */
export const MIM_VAULT_ID = '00000000-0000-4000-8000-00000000a11e';
const NIL_GUID = '00000000-0000-0000-0000-000000000000';
/** The duration of a request when the caller names none, capped by the role's TTL. */
const DEFAULT_DURATION_MINUTES = DEFAULT_POLICY.defaultDuration;
/** Statuses of a request still in progress (the role is "checked out" or about to be). */
const OPEN_STATUSES: readonly CheckoutStatus[] = [
  CheckoutStatus.Pending,
  CheckoutStatus.Granted,
  CheckoutStatus.Active,
];

// ---------------------------------------------------------------------------------------------
// Wire shapes, read leniently: MIM writes Int64 as strings, some GUIDs as {"Value": guid}, dates
// with or without a zone, and .NET's DateTime.MinValue for "unset".

const guid = z
  .string()
  .regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, 'must be a GUID')
  .transform((value) => value.toLowerCase());
const wrappedGuid = z.union([guid, z.object({ Value: guid }).transform((value) => value.Value)]);
const int64 = z.union([z.number(), z.string().regex(/^-?\d+$/, 'must be an integer')]).transform(Number);
const optionalText = z
  .string()
  .nullish()
  .transform((value) => value ?? '');
const date = z.string().nullish();

const roleSchema = z.object({
  RoleId: wrappedGuid,
  DisplayName: z.string(),
  Description: optionalText,
  TTL: int64,
  ApprovalEnabled: z.boolean().optional(),
});
type MimRole = z.infer<typeof roleSchema>;

const requestSchema = z.object({
  RequestId: wrappedGuid,
  CreatorID: wrappedGuid,
  Justification: optionalText,
  CreationTime: date,
  ExpirationTime: date,
  RoleId: wrappedGuid,
  RequestedTTL: int64,
  RequestedTime: date,
  RequestStatus: z.string(),
});
type MimRequest = z.infer<typeof requestSchema>;

const requestToApproveSchema = z.object({
  RoleName: z.string(),
  Requestor: z.string(),
  Justification: optionalText,
  RequestedTTL: int64,
  RequestedTime: date,
  CreationTime: date,
  FIMRequestID: wrappedGuid,
  RequestorID: wrappedGuid,
  ApprovalObjectID: wrappedGuid,
});
type MimRequestToApprove = z.infer<typeof requestToApproveSchema>;

const feed = <T extends z.ZodType>(row: T) => z.object({ value: z.array(row) });
const sessionInfoSchema = feed(z.object({ Username: z.string() }));

// ---------------------------------------------------------------------------------------------
// MIM -> domain.

/** ISO-8601 with `Z`, or null for MIM's unset date. A date without a zone is UTC. */
export function fromMimDate(value: string | null | undefined): string | null {
  if (!value || value.startsWith('0001-01-01')) return null;
  const zoned = /(Z|[+-]\d{2}:?\d{2})$/i.test(value) ? value : `${value}Z`;
  const ms = Date.parse(zoned);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

const STATUS: Record<string, CheckoutStatus> = {
  Processing: CheckoutStatus.Pending,
  PendingApproval: CheckoutStatus.Pending,
  Scheduled: CheckoutStatus.Granted,
  Active: CheckoutStatus.Active,
  Closing: CheckoutStatus.Active,
  Closed: CheckoutStatus.Ended,
  Expired: CheckoutStatus.Expired,
  Rejected: CheckoutStatus.Denied,
};

export function checkoutStatusFromMim(status: string): CheckoutStatus {
  return STATUS[status] ?? CheckoutStatus.Invalid;
}

const minutes = (seconds: number) => Math.max(1, Math.ceil(seconds / 60));

/** A scheduled start is a requested time later than the request itself. */
function scheduledStartOf(requested: string | null, created: string | null): string | null {
  if (!requested || !created) return null;
  return Date.parse(requested) > Date.parse(created) + 1000 ? requested : null;
}

function roleToCredential(role: MimRole, active: Checkout | undefined): Credential {
  const maxDuration = minutes(role.TTL);
  const policy: Policy = {
    ...DEFAULT_POLICY,
    approvalMode: role.ApprovalEnabled ? 'mandatory' : 'none',
    reasonMode: 'optional',
    approvers: [],
    selfApproval: false,
    defaultDuration: Math.min(DEFAULT_DURATION_MINUTES, maxDuration),
    minDuration: 1,
    maxDuration,
    maxExtension: 0,
    rotateOnCheckin: false,
    exclusive: false,
  };
  return {
    id: role.RoleId,
    vaultID: MIM_VAULT_ID,
    name: role.DisplayName,
    username: '',
    host: '',
    description: role.Description,
    policy,
    checkout: active
      ? {
          id: active.id,
          status: active.status,
          userID: active.userID,
          username: active.username,
          expiresAt: active.expiresAt,
        }
      : null,
    updatedAt: new Date(0).toISOString(),
  };
}

// ---------------------------------------------------------------------------------------------

export function createMimBackend(options: CreatePamBackendOptions): PamBackend {
  const core = createSessionCore(options, 'mim', () => backend.whoami());
  const { http } = core;
  /** RoleId -> DisplayName, from the last role listing. */
  const roleNames = new Map<string, string>();
  /** Request id (FIMRequestID) -> its pending approval, from the last approvals listing. */
  const approvalRows = new Map<string, MimRequestToApprove>();
  /**
   * The caller's MIM object id. `sessioninfo` names the account but gives no id (a Basic or Windows
   * sign-in knows the user only by name); the caller's own requests carry it as `CreatorID`
   * (`pamrequests` lists only the caller's, as does the answer to creating one).
   */
  let selfId: string | null = null;
  const learnSelf = (own: MimRequest) => {
    selfId ??= own.CreatorID;
  };

  const unsupported = (what: string) =>
    new PamClientError('unsupported', `${what} is not possible on a MIM PAM server.`, {
      code: 'unsupported',
    });

  async function listRoles(): Promise<MimRole[]> {
    core.requireToken();
    const answer = await http.request({
      method: 'GET',
      path: `${PREFIX}/pamroles`,
      schema: feed(roleSchema),
    });
    for (const role of answer.value) roleNames.set(role.RoleId, role.DisplayName);
    return answer.value;
  }

  async function roleName(roleId: string): Promise<string> {
    if (!roleNames.has(roleId)) {
      try {
        await listRoles();
      } catch {
        // A name is a nicety; the request is still shown.
      }
    }
    return roleNames.get(roleId) ?? '';
  }

  function requestToCheckout(request: MimRequest, credentialName: string): Checkout {
    const status = checkoutStatusFromMim(request.RequestStatus);
    const created = fromMimDate(request.CreationTime) ?? new Date(0).toISOString();
    const requested = fromMimDate(request.RequestedTime);
    const expiration = fromMimDate(request.ExpirationTime);
    const started =
      status === CheckoutStatus.Active ||
      status === CheckoutStatus.Ended ||
      status === CheckoutStatus.Expired;
    const ended = status === CheckoutStatus.Ended || status === CheckoutStatus.Expired;
    const me = core.state.user;
    // The caller's own request carries the caller's id as the session knows it (which, after a
    // Basic or Windows sign-in, is not the MIM object id), so "mine" compares equal everywhere.
    const mine = me !== null && (me.id === request.CreatorID || selfId === request.CreatorID);
    return {
      id: request.RequestId,
      userID: mine ? me.id : request.CreatorID,
      username: mine ? me.username : '',
      credentialID: request.RoleId,
      credentialName,
      approverID: null,
      approverName: null,
      reason: request.Justification,
      approverMessage: '',
      status,
      duration: minutes(request.RequestedTTL),
      requestDateTime: created,
      scheduledStart: scheduledStartOf(requested, created),
      checkoutDateTime: started && expiration ? (requested ?? created) : null,
      checkInDateTime: ended ? expiration : null,
      expiresAt: status === CheckoutStatus.Active || status === CheckoutStatus.Granted ? expiration : null,
    };
  }

  async function toCheckout(request: MimRequest): Promise<Checkout> {
    return requestToCheckout(request, await roleName(request.RoleId));
  }

  function approvalToCheckout(row: MimRequestToApprove): Checkout {
    const created = fromMimDate(row.CreationTime) ?? new Date(0).toISOString();
    const requested = fromMimDate(row.RequestedTime);
    const roleId = [...roleNames].find(([, name]) => name === row.RoleName)?.[0] ?? NIL_GUID;
    const me = core.state.user;
    return {
      id: row.FIMRequestID,
      userID: row.RequestorID,
      username: row.Requestor,
      credentialID: roleId,
      credentialName: row.RoleName,
      approverID: me?.id ?? null,
      approverName: me?.username ?? null,
      reason: row.Justification,
      approverMessage: '',
      status: CheckoutStatus.Pending,
      duration: minutes(row.RequestedTTL),
      requestDateTime: created,
      scheduledStart: scheduledStartOf(requested, created),
      checkoutDateTime: null,
      checkInDateTime: null,
      expiresAt: null,
    };
  }

  async function listApprovals(): Promise<MimRequestToApprove[]> {
    core.requireToken();
    const answer = await http.request({
      method: 'GET',
      path: `${PREFIX}/pamrequeststoapprove`,
      schema: feed(requestToApproveSchema),
    });
    approvalRows.clear();
    for (const row of answer.value) approvalRows.set(row.FIMRequestID, row);
    return answer.value;
  }

  async function listRequests(): Promise<MimRequest[]> {
    core.requireToken();
    const answer = await http.request({
      method: 'GET',
      path: `${PREFIX}/pamrequests`,
      schema: feed(requestSchema),
    });
    for (const own of answer.value) learnSelf(own);
    return answer.value;
  }

  async function fetchRequest(id: string): Promise<MimRequest> {
    core.requireToken();
    return http.request({
      method: 'GET',
      path: `${PREFIX}/pamrequests(guid'${encodeURIComponent(id)}')`,
      schema: requestSchema,
    });
  }

  /** Approve or Reject, by request id (or by ApprovalObjectID), then the request as it now is. */
  async function decide(id: string, action: 'Approve' | 'Reject'): Promise<Checkout> {
    const key = id.toLowerCase();
    const find = () =>
      approvalRows.get(key) ?? [...approvalRows.values()].find((row) => row.ApprovalObjectID === key);
    let row = find();
    if (!row) {
      await listApprovals();
      row = find();
    }
    if (!row) {
      throw new PamClientError('not_found', 'There is no pending approval for that PAM request.', {
        code: 'not_found',
        status: 404,
      });
    }
    await http.request({
      method: 'POST',
      path: `${PREFIX}/pamrequeststoapprove(guid'${encodeURIComponent(row.ApprovalObjectID)}')/${action}`,
      schema: null,
    });
    approvalRows.delete(row.FIMRequestID);
    try {
      return await toCheckout(await fetchRequest(row.FIMRequestID));
    } catch (error) {
      if (!(error instanceof PamClientError && (error.kind === 'not_found' || error.kind === 'forbidden'))) {
        throw error;
      }
      // Some MIM servers show a request only to its creator: report what the decision made of it.
      const decided = approvalToCheckout(row);
      return { ...decided, status: action === 'Approve' ? CheckoutStatus.Active : CheckoutStatus.Denied };
    }
  }

  async function close(id: string): Promise<Checkout> {
    core.requireToken();
    await http.request({
      method: 'POST',
      path: `${PREFIX}/pamrequests(guid'${encodeURIComponent(id)}')/Close`,
      schema: null,
    });
    return backend.getCheckout(id);
  }

  const backend: PamBackend = {
    dialect: 'mim',
    capabilities: MIM_CAPABILITIES,
    session: core.snapshot,
    login(username, password) {
      selfId = null; // learned again from this account's own requests
      return core.login(username, password);
    },
    logout: core.logout,

    async whoami(): Promise<User> {
      core.requireToken();
      const answer = await http.request({
        method: 'GET',
        path: `${PREFIX}/sessioninfo`,
        schema: sessionInfoSchema,
      });
      const username = answer.value[0]?.Username;
      if (!username)
        throw new PamClientError(
          'protocol',
          'The server answered something unexpected for GET /api/pamresources/sessioninfo: no session.',
        );
      const known = core.state.user;
      // MIM names the account as Windows does, `DOMAIN\\user`; Coffre's login knows it as `user`.
      const bare = username.slice(username.lastIndexOf('\\') + 1);
      if (known && [username, bare].some((name) => name.toLowerCase() === known.username.toLowerCase())) {
        return known;
      }
      // MIM does not say who owns which role: anyone may be an approver, so the approvals queue
      // is offered to every user (it is simply empty for those who approve nothing).
      const user: User = { id: NIL_GUID, username, displayName: username, roles: ['user', 'approver'] };
      return user;
    },

    async listVaults(): Promise<Vault[]> {
      core.requireToken();
      return [{ id: MIM_VAULT_ID, name: 'PAM roles', description: 'Privileged roles of the MIM PAM server' }];
    },

    async listCredentials(query = {}) {
      const [roles, requests] = await Promise.all([listRoles(), listRequests()]);
      const open = new Map<string, Checkout>();
      for (const request of requests) {
        const checkout = requestToCheckout(request, roleNames.get(request.RoleId) ?? '');
        if (OPEN_STATUSES.includes(checkout.status)) open.set(checkout.credentialID, checkout);
      }
      const search = query.search?.trim().toLowerCase();
      const matching = roles
        .filter(() => !query.vaultId || query.vaultId.toLowerCase() === MIM_VAULT_ID)
        .filter(
          (role) =>
            !search ||
            role.DisplayName.toLowerCase().includes(search) ||
            role.Description.toLowerCase().includes(search),
        )
        .sort((a, b) => a.DisplayName.localeCompare(b.DisplayName));
      const offset = query.offset ?? 0;
      const limit = query.limit ?? 100;
      return {
        data: matching
          .slice(offset, offset + limit)
          .map((role) => roleToCredential(role, open.get(role.RoleId))),
        total: matching.length,
      };
    },

    async getCredential(id) {
      const key = id.toLowerCase();
      const [roles, requests] = await Promise.all([listRoles(), listRequests()]);
      const role = roles.find((r) => r.RoleId === key);
      if (!role)
        throw new PamClientError('not_found', 'The PAM role was not found.', {
          code: 'not_found',
          status: 404,
        });
      const active = requests
        .filter((r) => r.RoleId === key)
        .map((r) => requestToCheckout(r, role.DisplayName))
        .find((c) => OPEN_STATUSES.includes(c.status));
      return roleToCredential(role, active);
    },

    async listApprovers() {
      core.requireToken();
      // MIM picks approvers itself and does not list them.
      return [];
    },

    async requestCheckout(request) {
      core.requireToken();
      if (request.approverId !== undefined) {
        throw unsupported('Naming an approver');
      }
      let duration = request.duration;
      if (duration === undefined) {
        const role = (await listRoles()).find((r) => r.RoleId === request.credentialId.toLowerCase());
        duration = role ? Math.min(DEFAULT_DURATION_MINUTES, minutes(role.TTL)) : DEFAULT_DURATION_MINUTES;
      }
      const body: Record<string, unknown> = {
        Justification: request.reason ?? '',
        RoleId: request.credentialId,
        RequestedTTL: String(duration * 60),
      };
      if (request.scheduledStart !== undefined) body.RequestedTime = request.scheduledStart;
      const created = await http.request({
        method: 'POST',
        path: `${PREFIX}/pamrequests`,
        body,
        schema: requestSchema,
      });
      learnSelf(created);
      return { checkout: await toCheckout(created) };
    },

    async getCheckout(id) {
      const key = id.toLowerCase();
      try {
        return await toCheckout(await fetchRequest(key));
      } catch (error) {
        if (!(error instanceof PamClientError && (error.kind === 'not_found' || error.kind === 'forbidden')))
          throw error;
        // An approver may not see the request itself, only its approval.
        const row = (await listApprovals()).find((r) => r.FIMRequestID === key);
        if (!row) throw error;
        if (![...roleNames.values()].includes(row.RoleName)) await listRoles().catch(() => undefined);
        return approvalToCheckout(row);
      }
    },

    async listMyCheckouts(query = {}) {
      const requests = await listRequests();
      const checkouts = await Promise.all(requests.map(toCheckout));
      const wanted = query.activeAndPending
        ? checkouts.filter((c) => OPEN_STATUSES.includes(c.status))
        : checkouts;
      return wanted.sort((a, b) => b.requestDateTime.localeCompare(a.requestDateTime));
    },

    async listToApprove() {
      const rows = await listApprovals();
      if (rows.some((row) => ![...roleNames.values()].includes(row.RoleName))) {
        await listRoles().catch(() => undefined);
      }
      return rows.map(approvalToCheckout);
    },

    approve: (id, _message, duration) => {
      // A MIM approval grants the requested TTL: there is nothing to send a shorter one with.
      if (duration !== undefined) return Promise.reject(unsupported('Granting a shorter duration'));
      return decide(id, 'Approve');
    },
    deny: (id) => decide(id, 'Reject'),
    checkIn: (id) => close(id),
    cancel: (id) => close(id),

    async extend() {
      throw unsupported('Extending a PAM request');
    },

    async readPassword() {
      throw unsupported('Reading a password');
    },

    async listCredentialChanges() {
      throw unsupported('Listing what changed since the last sync');
    },

    subscribe(listener, subscribeOptions = {}) {
      core.requireToken();
      return subscribeEvents(
        { http: null, poll: backend, serverEvents: MIM_CAPABILITIES.serverEvents },
        listener,
        { ...subscribeOptions, mode: subscribeOptions.mode === 'sse' ? 'sse' : 'poll' },
      );
    },
  };
  return backend;
}
