/**
 * The client core's one interface to a PAM server, shared by the CLI and the Electron main process.
 * Never imports electron. Types only: the two implementations, the checkout dialect (`/api/pam/...`)
 * and the MIM dialect (`/api/pamresources/...`), import this module, and `createPamBackend`
 * (createPamBackend.ts) picks one — so the interface never depends on its implementations.
 *
 * Every method rejects with a `PamClientError` (see errors.ts), never with anything else.
 */
import type { AuditEntry } from '../common/audit.ts';
import type { Approver, Checkout, Credential, Vault } from '../common/checkout.ts';
import type { PamEvent } from '../common/events.ts';
import type { User } from '../common/roles.ts';
import type { Timers } from './ports.ts';

export type { Approver, AuditEntry, Checkout, Credential, PamEvent, User, Vault };

export type PamDialect = 'checkout' | 'mim';

/**
 * How a session signs in. `token`: Coffre's `POST /api/auth/login`, then its token on every call.
 * MIM behind IIS (`mim` dialect only) takes no such login: `basic` sends `Authorization: Basic` with
 * every call; `integrated` sends nothing itself and relies on the fetch port to answer IIS's
 * `Negotiate` challenge with the platform's Windows/Kerberos sign-in (Electron's `net.fetch` on a
 * session allowed to do so for the server's host).
 */
export type SignInMethod = 'token' | 'basic' | 'integrated';

/** What a backend can do; the UI hides what is false (calls to it throw kind 'unsupported'). */
export interface PamCapabilities {
  /** `readPassword` works (checkout dialect only). */
  passwordRead: boolean;
  /** The server pushes events (SSE); when false `subscribe` polls. */
  serverEvents: boolean;
  /** A request may name the caller as approver and become Active at once (policy permitting). */
  selfApproval: boolean;
  /** `extend` works. */
  extend: boolean;
  /** `approve` may grant fewer minutes than requested (`duration`). */
  grantShorter: boolean;
  /** `requestCheckout` accepts `scheduledStart`. */
  scheduledStart: boolean;
  /**
   * A request names its approver (`approverId`, from `listApprovers`). False: the server sends it
   * to every approver of the credential itself and names none (MIM: the role's owners).
   */
  approverChoice: boolean;
  /**
   * `listCredentialChanges` works: the server keeps a change sequence (its credential listings
   * carry a `syncToken`). Learned from the server's answers: false until a credential listing
   * carried one, false again after one that did not (an older server, the MIM dialect).
   */
  credentialChanges: boolean;
}

/** The state a backend carries; persist it (the CLI does) and pass it back to `createPamBackend`. */
export interface PamSession {
  baseUrl: string;
  dialect: PamDialect;
  /** The bearer token, or null when logged out. A secret: store it like one, never log it. */
  token: string | null;
  /** ISO-8601, when known (after `login`, or when given to `createPamBackend`). */
  expiresAt: string | null;
  /** The logged-in user, when known (after `login` or `whoami`). */
  user: User | null;
  /**
   * How it signed in (absent: `token`). With `basic`, `token` holds the Basic credentials
   * (base64 of user:password): a secret like any token. With `integrated` it holds no secret.
   */
  signIn?: SignInMethod;
  /**
   * The session key of Devolutions Server's sign-in handshake (checkout dialect): passwords come
   * encrypted under it. A secret like the token: persist it with the token (see sessionSecret.ts).
   */
  sessionKey?: string | null;
}

export interface LoginResult {
  user: User;
  expiresAt: string;
}

export interface ListCredentialsOptions {
  vaultId?: string;
  search?: string;
  offset?: number;
  limit?: number;
}

export interface CredentialList {
  data: Credential[];
  total: number;
  /**
   * Where the changes after this listing start (pass to `listCredentialChanges`); taken by the
   * server before it read the page, so keep the first page's. Absent when the server keeps no
   * change sequence.
   */
  syncToken?: number;
}

/** What changed after a sync token, in the server's change order. */
export interface CredentialChanges {
  /** Credentials added or changed (as the list shows them now). */
  data: Credential[];
  /** Ids of credentials deleted since. */
  deleted: string[];
  /** Changes left, this page included. */
  total: number;
  /**
   * The token for the next page (or the next sync). Lower than the one asked with means the
   * server's change sequence went back (store reset or restored): list in full again.
   */
  syncToken: number;
}

export interface RequestCheckoutOptions {
  credentialId: string;
  reason?: string;
  approverId?: string;
  /** Minutes; the policy's default when omitted. */
  duration?: number;
  /** ISO-8601 start in the future (only when `capabilities.scheduledStart`). */
  scheduledStart?: string;
}

export interface RequestCheckoutResult {
  checkout: Checkout;
  /** Present exactly when the checkout became Active at once (checkout dialect). */
  password?: string;
}

export interface AuditFilter {
  /** ISO-8601 bounds. */
  from?: string;
  to?: string;
  credentialId?: string;
  userId?: string;
  offset?: number;
  /** Default 200, at most 1000. */
  limit?: number;
}

export interface ListMyCheckoutsOptions {
  /** Only the active and pending ones (`Get-DSPamCheckout -ActiveAndPending`). */
  activeAndPending?: boolean;
}

export type SubscriptionStatus =
  /** Opening the SSE stream. */
  | 'connecting'
  /** SSE stream open. */
  | 'open'
  /** SSE stream lost; waiting `delayMs` before the next attempt. */
  | 'reconnecting'
  /** No SSE: polling every `pollIntervalMs`. */
  | 'polling'
  /** Cleanup was called, or a fatal error (401/403) stopped the subscription. */
  | 'closed';

export interface SubscribeOptions {
  /** 'auto' (default): SSE when the backend has server events, else polling. */
  mode?: 'auto' | 'sse' | 'poll';
  /** Polling period (default 10 s). */
  pollIntervalMs?: number;
  /** Resume an SSE stream after this event id (sent as `Last-Event-ID`). */
  lastEventId?: number;
  /** Reconnect backoff: first delay (default 500 ms) and cap (default 30 s). */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** Connection state changes (for a status indicator). */
  onStatus?: (status: SubscriptionStatus, detail?: { delayMs?: number; error?: Error }) => void;
  /** Errors that do not end the subscription (it retries), and the fatal one that does. */
  onError?: (error: Error) => void;
  /** Timers for reconnects and polls (tests inject hand-driven ones); real, unref'd timers by default. */
  timers?: Timers;
}

export interface PamBackend {
  readonly dialect: PamDialect;
  readonly capabilities: PamCapabilities;
  /** A snapshot of the current session (token included). */
  session(): PamSession;

  /** Logs in and keeps the token in this backend's session. */
  login(username: string, password: string): Promise<LoginResult>;
  /**
   * Scripts: signs in with an application key and secret (Devolutions Server's `POST /api/v1/login`).
   * Checkout dialect only.
   */
  loginWithApplicationKey?(appKey: string, appSecret: string): Promise<LoginResult>;
  /** Revokes the token on the server (best effort) and forgets it. */
  logout(): Promise<void>;
  whoami(): Promise<User>;

  listVaults(): Promise<Vault[]>;
  listCredentials(options?: ListCredentialsOptions): Promise<CredentialList>;
  /**
   * Credentials changed or deleted after `since` (a `syncToken`), at most `limit` (default 1000)
   * entries of both kinds together. Only when `capabilities.credentialChanges`.
   */
  listCredentialChanges(since: number, limit?: number): Promise<CredentialChanges>;
  getCredential(id: string): Promise<Credential>;
  listApprovers(credentialId: string): Promise<Approver[]>;

  requestCheckout(options: RequestCheckoutOptions): Promise<RequestCheckoutResult>;
  getCheckout(id: string): Promise<Checkout>;
  listMyCheckouts(options?: ListMyCheckoutsOptions): Promise<Checkout[]>;
  listToApprove(): Promise<Checkout[]>;
  /** `duration`: the minutes granted, fewer than requested (only when `capabilities.grantShorter`). */
  approve(id: string, message?: string, duration?: number): Promise<Checkout>;
  deny(id: string, message?: string): Promise<Checkout>;
  checkIn(id: string): Promise<Checkout>;
  cancel(id: string): Promise<Checkout>;
  extend(id: string, minutes: number): Promise<Checkout>;
  readPassword(credentialId: string): Promise<string>;

  /** Admins: the audit trail. Absent on servers that do not share one (MIM). */
  listAudit?(filter?: AuditFilter): Promise<AuditEntry[]>;

  /** Live events for the caller (SSE, or polling where the server has none). Returns the cleanup. */
  subscribe(listener: (event: PamEvent) => void, options?: SubscribeOptions): () => void;
}

export type FetchLike = (input: string | URL, init?: RequestInit) => Promise<Response>;

export interface CreatePamBackendOptions {
  /** e.g. `https://pam.example.com` (a trailing slash is ignored). */
  baseUrl: string;
  dialect: PamDialect;
  /** A saved token, to resume a session without logging in. */
  token?: string;
  /** Its expiry, if saved along with it. */
  expiresAt?: string;
  /** Its user, if saved along with it. */
  user?: User;
  /** Its session key (DVLS handshake), if saved along with it. */
  sessionKey?: string;
  /** Per-request timeout (default 15 000 ms). */
  timeoutMs?: number;
  /** PEM of a CA to trust in addition to the system's (private PKI, self-signed test servers). */
  ca?: string;
  /**
   * Replaces the HTTP transport (tests; the desktop's `net.fetch` for integrated sign-in); when
   * set, `ca` is ignored.
   */
  fetch?: FetchLike;
  /** How to sign in (default `token`); `basic` and `integrated` are for the `mim` dialect. */
  signIn?: SignInMethod;
}
