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
import { DvlsCipherError, decryptFromHex } from '../common/dvlsCipher.ts';
import { userSchema } from '../common/roles.ts';
import { createSessionCore } from './authSession.ts';
import { readServerInformation, signInDvls, signInWithApplicationKey } from './dvlsSignIn.ts';
import { isPamClientError, PamClientError } from './errors.ts';
import { subscribeEvents } from './eventStream.ts';
import { coffreOnly, isRouteMissing, notOfferedError } from './notOffered.ts';
import type { CreatePamBackendOptions, PamBackend, PamCapabilities } from './pamBackend.ts';

/** What every checkout-dialect server can do; `credentialChanges` is learned per server (see below). */
export const CHECKOUT_CAPABILITIES: PamCapabilities = Object.freeze({
  passwordRead: true,
  serverEvents: true,
  selfApproval: true,
  extend: true,
  grantShorter: true,
  scheduledStart: true,
  approverChoice: true,
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

  const changeStatus = (
    checkoutId: string,
    status: CheckoutStatus,
    approverMessage?: string,
    duration?: number,
  ) => {
    core.requireToken();
    return http.request({
      method: 'PUT',
      path: `/api/pam/checkouts/${id(checkoutId)}`,
      body: {
        status,
        ...(approverMessage === undefined ? {} : { approverMessage }),
        ...(duration === undefined ? {} : { duration }),
      },
      schema: checkoutSchema,
    });
  };

  const backend: PamBackend = {
    dialect: 'checkout',
    get capabilities(): PamCapabilities {
      return { ...CHECKOUT_CAPABILITIES, credentialChanges: serverKeepsChanges };
    },
    session: core.snapshot,

    /**
     * Devolutions Server's sign-in (docs/wire/dvls.md): the session-key handshake when the server
     * publishes a key; Coffre's `POST /api/auth/login` on Coffre servers from before it.
     */
    async login(username, password) {
      const info = await readServerInformation(http);
      if (!info) return core.login(username, password);
      const signedIn = await signInDvls(http, info, username, password, 'Coffre');
      Object.assign(core.state, {
        token: signedIn.token,
        sessionKey: signedIn.sessionKey,
        user: signedIn.user,
        expiresAt: signedIn.expiresAt,
      });
      return { user: signedIn.user, expiresAt: signedIn.expiresAt };
    },

    /** For scripts: an application key and secret (`POST /api/v1/login`, as go-dvls signs in). */
    async loginWithApplicationKey(appKey: string, appSecret: string) {
      const { token, expiresAt } = await signInWithApplicationKey(http, appKey, appSecret);
      Object.assign(core.state, { token, sessionKey: null, expiresAt });
      const user = await backend.whoami();
      return { user, expiresAt };
    },

    /** `GET /api/logout` (Close-DSSession); Coffre servers from before it: `POST /api/auth/logout`. */
    async logout() {
      if (!core.state.token) return;
      const forget = () =>
        Object.assign(core.state, { token: null, expiresAt: null, user: null, sessionKey: null });
      try {
        await http.request({ method: 'GET', path: '/api/logout', schema: null, retry: false });
      } catch (error) {
        if (isPamClientError(error) && error.kind === 'not_found') return core.logout();
        // Already expired or revoked: done. Anything else: the caller hears of it, after forgetting.
        if (!(isPamClientError(error) && error.kind === 'unauthorized')) {
          forget();
          throw error;
        }
      }
      forget();
    },

    /** Coffre's `/api/auth/me`; a real DVLS has none: the user the sign-in named stands. */
    async whoami() {
      core.requireToken();
      try {
        const user = await http.request({ method: 'GET', path: '/api/auth/me', schema: userSchema });
        core.state.user = user;
        return user;
      } catch (error) {
        if (!isRouteMissing(error)) throw error;
        if (core.state.user) return core.state.user;
        throw notOfferedError('userDetails', 'GET /api/auth/me', error);
      }
    },

    async listVaults() {
      core.requireToken();
      return coffreOnly('vaults', () =>
        http.request({ method: 'GET', path: '/api/pam/vaults', schema: z.array(vaultSchema) }),
      );
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
      return coffreOnly('incrementalSync', () =>
        http.request({
          method: 'GET',
          path: '/api/pam/credentials',
          query: { changedSince: since, limit },
          schema: credentialChangesPageSchema,
        }),
      );
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
      return coffreOnly(
        'approvers',
        () =>
          http.request({
            method: 'GET',
            path: `/api/pam/credentials/${id(credentialId)}/approvers`,
            schema: z.array(approverSchema),
          }),
        { idRoute: true },
      );
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

    approve: (checkoutId, message, duration) =>
      changeStatus(checkoutId, CheckoutStatus.Active, message, duration),
    deny: (checkoutId, message) => changeStatus(checkoutId, CheckoutStatus.Denied, message),
    checkIn: (checkoutId) => changeStatus(checkoutId, CheckoutStatus.Ended),
    cancel: (checkoutId) => changeStatus(checkoutId, CheckoutStatus.RequestCanceled),

    async extend(checkoutId, minutes) {
      core.requireToken();
      return coffreOnly(
        'extend',
        () =>
          http.request({
            method: 'POST',
            path: `/api/pam/checkouts/${id(checkoutId)}/extend`,
            body: { minutes },
            schema: checkoutSchema,
          }),
        { idRoute: true },
      );
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
      const sessionKey = core.state.sessionKey;
      if (!sessionKey) return answer.data;
      try {
        return decryptFromHex(sessionKey, answer.data);
      } catch (error) {
        if (!(error instanceof DvlsCipherError)) throw error;
        // The server no longer knows our session key (it restarted): sign in again.
        throw new PamClientError(
          'unauthorized',
          'The session key was lost; sign in again to read passwords.',
          {
            code: 'session_key_lost',
          },
        );
      }
    },

    async listAudit(filter = {}) {
      core.requireToken();
      return coffreOnly('audit', () =>
        http.request({
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
        }),
      );
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
