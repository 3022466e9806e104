/** The checkout dialect adapter: `/api/pam/...`, `/api/auth/...`, `/api/events` (API.md). */
import { z } from 'zod';
import { auditEntrySchema } from '../common/audit.ts';
import {
  approverSchema,
  CheckoutStatus,
  checkoutSchema,
  createCheckoutResponseSchema,
  credentialChangesPageSchema,
  credentialPageSchema,
  credentialSchema,
  passwordResponseSchema,
  vaultSchema,
} from '../common/checkout.ts';
import { userSchema } from '../common/roles.ts';
import { createSessionCore } from './authSession.ts';
import { subscribeEvents } from './eventStream.ts';
import type { CreatePamBackendOptions, PamBackend, PamCapabilities } from './pamBackend.ts';

/** What every checkout-dialect server can do; `credentialChanges` is learned per server (see below). */
export const CHECKOUT_CAPABILITIES: PamCapabilities = Object.freeze({
  passwordRead: true,
  serverEvents: true,
  selfApproval: true,
  extend: true,
  scheduledStart: true,
  credentialChanges: false,
});

/** Changes asked per page when the caller names no limit (the server allows up to 5000). */
const DEFAULT_CHANGES_PAGE = 1000;

const id = (value: string) => encodeURIComponent(value);

export function createCheckoutBackend(options: CreatePamBackendOptions): PamBackend {
  const core = createSessionCore(options, 'checkout');
  const { http } = core;
  // Servers before the change sequence answer listings without a syncToken: no changes feed there.
  let serverKeepsChanges = false;

  const changeStatus = (checkoutId: string, status: CheckoutStatus, approverMessage?: string) => {
    core.requireToken();
    return http.request({
      method: 'PUT',
      path: `/api/pam/checkouts/${id(checkoutId)}`,
      body: approverMessage === undefined ? { status } : { status, approverMessage },
      schema: checkoutSchema,
    });
  };

  const backend: PamBackend = {
    dialect: 'checkout',
    get capabilities(): PamCapabilities {
      return { ...CHECKOUT_CAPABILITIES, credentialChanges: serverKeepsChanges };
    },
    session: core.snapshot,
    login: core.login,
    logout: core.logout,

    async whoami() {
      core.requireToken();
      const user = await http.request({ method: 'GET', path: '/api/auth/me', schema: userSchema });
      core.state.user = user;
      return user;
    },

    async listVaults() {
      core.requireToken();
      return http.request({ method: 'GET', path: '/api/pam/vaults', schema: z.array(vaultSchema) });
    },

    async listCredentials(query = {}) {
      core.requireToken();
      const page = await http.request({
        method: 'GET',
        path: '/api/pam/credentials',
        query: { vaultID: query.vaultId, search: query.search, offset: query.offset, limit: query.limit },
        schema: credentialPageSchema,
      });
      serverKeepsChanges = page.syncToken !== undefined;
      return page.syncToken === undefined ? { data: page.data, total: page.total } : page;
    },

    async listCredentialChanges(since, limit = DEFAULT_CHANGES_PAGE) {
      core.requireToken();
      return http.request({
        method: 'GET',
        path: '/api/pam/credentials',
        query: { changedSince: since, limit },
        schema: credentialChangesPageSchema,
      });
    },

    async getCredential(credentialId) {
      core.requireToken();
      return http.request({
        method: 'GET',
        path: `/api/pam/credentials/${id(credentialId)}`,
        schema: credentialSchema,
      });
    },

    async listApprovers(credentialId) {
      core.requireToken();
      return http.request({
        method: 'GET',
        path: `/api/pam/credentials/${id(credentialId)}/approvers`,
        schema: z.array(approverSchema),
      });
    },

    async requestCheckout(request) {
      core.requireToken();
      const body: Record<string, unknown> = { credentialID: request.credentialId };
      if (request.reason !== undefined) body.reason = request.reason;
      if (request.approverId !== undefined) body.approverID = request.approverId;
      if (request.duration !== undefined) body.duration = request.duration;
      if (request.scheduledStart !== undefined) body.scheduledStart = request.scheduledStart;
      // DVLS answers the checkout itself (Invoke-DSPamCheckout reads Body.Status); Coffre servers
      // before it answered {checkout, password}.
      const answer = await http.request({
        method: 'POST',
        path: '/api/pam/checkouts',
        body,
        schema: z.union([createCheckoutResponseSchema, checkoutSchema]),
      });
      if ('checkout' in answer) {
        return answer.password === undefined ? { checkout: answer.checkout } : answer;
      }
      if (answer.status !== CheckoutStatus.Active) return { checkout: answer };
      return { checkout: answer, password: await backend.readPassword(answer.credentialID) };
    },

    async getCheckout(checkoutId) {
      core.requireToken();
      return http.request({
        method: 'GET',
        path: `/api/pam/checkouts/${id(checkoutId)}`,
        schema: checkoutSchema,
      });
    },

    async listMyCheckouts(query = {}) {
      core.requireToken();
      return http.request({
        method: 'GET',
        path: '/api/pam/checkouts',
        query: { activeAndPending: query.activeAndPending ? 'true' : undefined },
        schema: z.array(checkoutSchema),
      });
    },

    async listToApprove() {
      core.requireToken();
      return http.request({
        method: 'GET',
        path: '/api/pam/checkouts',
        query: { toApprove: 'true' },
        schema: z.array(checkoutSchema),
      });
    },

    approve: (checkoutId, message) => changeStatus(checkoutId, CheckoutStatus.Active, message),
    deny: (checkoutId, message) => changeStatus(checkoutId, CheckoutStatus.Denied, message),
    checkIn: (checkoutId) => changeStatus(checkoutId, CheckoutStatus.Ended),
    cancel: (checkoutId) => changeStatus(checkoutId, CheckoutStatus.RequestCanceled),

    async extend(checkoutId, minutes) {
      core.requireToken();
      return http.request({
        method: 'POST',
        path: `/api/pam/checkouts/${id(checkoutId)}/extend`,
        body: { minutes },
        schema: checkoutSchema,
      });
    },

    async readPassword(credentialId) {
      core.requireToken();
      const answer = await http.request({
        method: 'GET',
        path: `/api/pam/passwords/${id(credentialId)}`,
        schema: passwordResponseSchema,
        // Every read is audited: one read, one audit row, never a silent retry.
        retry: false,
      });
      return answer.data;
    },

    async listAudit(filter = {}) {
      core.requireToken();
      return http.request({
        method: 'GET',
        path: '/api/pam/audit',
        query: {
          from: filter.from,
          to: filter.to,
          credentialID: filter.credentialId,
          userID: filter.userId,
          offset: filter.offset,
          limit: filter.limit,
        },
        schema: z.array(auditEntrySchema),
      });
    },

    subscribe(listener, subscribeOptions = {}) {
      core.requireToken();
      return subscribeEvents(
        { http, poll: backend, serverEvents: CHECKOUT_CAPABILITIES.serverEvents },
        listener,
        subscribeOptions,
      );
    },
  };
  return backend;
}
