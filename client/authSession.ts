/**
 * The session both dialects share: `/api/auth/login`, `/api/auth/logout`, and the token they hold;
 * or, for a MIM server behind IIS, HTTP Basic on every call or the fetch port's integrated sign-in.
 */
import { loginResponseSchema, type User } from '../common/roles.ts';
import { PamClientError } from './errors.ts';
import { createHttpClient, type HttpClient } from './httpClient.ts';
import type {
  CreatePamBackendOptions,
  LoginResult,
  PamDialect,
  PamSession,
  SignInMethod,
} from './pamBackend.ts';

/** What `token` holds for an integrated sign-in: a mark that the session is open, not a secret. */
export const INTEGRATED_SIGN_IN = 'integrated';
/** How long a Basic or integrated sign-in is kept before asking again (the server keeps no session). */
const LOCAL_SESSION_MS = 8 * 60 * 60_000;

/** `user:password` as HTTP Basic sends it (RFC 7617, UTF-8). */
export const basicCredentials = (username: string, password: string) =>
  Buffer.from(`${username}:${password}`, 'utf8').toString('base64');

export interface SessionCore {
  readonly state: PamSession;
  readonly http: HttpClient;
  snapshot(): PamSession;
  login(username: string, password: string): Promise<LoginResult>;
  logout(): Promise<void>;
  /** Throws kind 'unauthorized' before any request when there is no token. */
  requireToken(): void;
}

/**
 * `whoAmI` proves a Basic or integrated sign-in (MIM: `GET sessioninfo`) and names the user; the
 * token sign-in learns both from its login answer.
 */
export function createSessionCore(
  options: CreatePamBackendOptions,
  dialect: PamDialect,
  whoAmI?: () => Promise<User>,
): SessionCore {
  const signIn: SignInMethod = options.signIn ?? 'token';
  if (signIn !== 'token' && (dialect !== 'mim' || !whoAmI)) {
    throw new PamClientError('invalid', 'Basic and Windows sign-in are for MIM PAM servers only.', {
      code: 'unsupported_sign_in',
    });
  }
  if (typeof options.baseUrl !== 'string' || !/^https?:\/\//i.test(options.baseUrl)) {
    throw new PamClientError(
      'invalid',
      `The server URL must start with http:// or https:// (got "${options.baseUrl}").`,
      {
        code: 'invalid_server_url',
      },
    );
  }
  let parsed: URL;
  try {
    parsed = new URL(options.baseUrl);
  } catch {
    throw new PamClientError('invalid', 'The server URL is not a valid URL.', { code: 'invalid_server_url' });
  }
  if (parsed.username || parsed.password) {
    // Never echo it: the part before the @ may be a password.
    throw new PamClientError(
      'invalid',
      'The server URL must not contain a user name or password; log in instead.',
      {
        code: 'invalid_server_url',
      },
    );
  }
  const state: PamSession = {
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    dialect,
    token: options.token ?? null,
    expiresAt: options.expiresAt ?? null,
    user: options.user ?? null,
    signIn,
    sessionKey: options.sessionKey ?? null,
  };
  const http = createHttpClient({
    baseUrl: state.baseUrl,
    token: () => (signIn === 'token' ? state.token : null),
    authorization: () => (signIn === 'basic' && state.token ? `Basic ${state.token}` : null),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.ca !== undefined ? { ca: options.ca } : {}),
    ...(options.fetch !== undefined ? { fetch: options.fetch } : {}),
  });
  return {
    state,
    http,
    snapshot: () => ({ ...state }),
    async login(username, password) {
      if (signIn !== 'token') return signInWithoutToken(username, password);
      const answer = await http.request({
        method: 'POST',
        path: '/api/auth/login',
        body: { username, password },
        schema: loginResponseSchema,
        auth: false,
      });
      state.token = answer.tokenId;
      state.expiresAt = answer.expiresAt;
      state.user = answer.user;
      return { user: answer.user, expiresAt: answer.expiresAt };
    },
    async logout() {
      if (signIn !== 'token') return forget(); // nothing to revoke: the server keeps no session
      if (!state.token) return;
      try {
        await http.request({ method: 'POST', path: '/api/auth/logout', schema: null });
      } catch (error) {
        // Already expired or revoked: the goal is reached. Anything else: the token may still be
        // valid on the server, so the caller hears about it (after it is forgotten here).
        if (!(error instanceof PamClientError && error.kind === 'unauthorized')) {
          forget();
          throw error;
        }
      }
      forget();
    },
    requireToken() {
      if (!state.token) {
        throw new PamClientError('unauthorized', 'You are not logged in. Log in first.', {
          code: 'not_logged_in',
        });
      }
    },
  };

  /** Basic: the credentials go with every call; integrated: the fetch port signs in. Proven at once. */
  async function signInWithoutToken(username: string, password: string): Promise<LoginResult> {
    state.token = signIn === 'basic' ? basicCredentials(username, password) : INTEGRATED_SIGN_IN;
    state.user = null;
    try {
      const user = await whoAmI!();
      state.user = user;
      state.expiresAt = new Date(Date.now() + LOCAL_SESSION_MS).toISOString();
      return { user, expiresAt: state.expiresAt };
    } catch (error) {
      forget();
      throw error;
    }
  }

  function forget(): void {
    state.token = null;
    state.expiresAt = null;
    state.user = null;
    state.sessionKey = null;
  }
}
