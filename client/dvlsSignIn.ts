/**
 * Signing in the way Devolutions Server's clients do (docs/wire/dvls.md): the server information and
 * its RSA public key, then `POST /api/login/partial` with the session-key handshake of the
 * Devolutions.Server module (SafePassword under a session key sent RSA-encrypted as SafeSessionKey),
 * or the plain form when the server publishes no key; or an application key (`POST /api/v1/login`,
 * as go-dvls). Works against a real DVLS and Coffre's server alike; Coffre servers from before
 * this sign-in are detected (no server information) and signed in with `POST /api/auth/login`.
 */
import { z } from 'zod';
import { SaveResult, ServerLoginResult } from '../common/dvls.ts';
import { encryptSessionKey, newSessionKeyHex, encryptToHex as protect } from '../common/dvlsCipher.ts';
import { type User, userSchema } from '../common/roles.ts';
import { isPamClientError, PamClientError } from './errors.ts';
import type { HttpClient } from './httpClient.ts';

/** Our `Client` in LoginParameters: ApplicationSource "Scripting", as the module sends it. */
const CLIENT_SOURCE = 'Scripting';
/** DVLS does not say when a token expires; it is shown as this long after sign-in, the 401 ends it anyway. */
const ASSUMED_SESSION_MS = 8 * 60 * 60_000;
const ZERO_GUID = '00000000-0000-0000-0000-000000000000';

const publicKeySchema = z.object({ modulus: z.string().min(2), exponent: z.string().min(2) });
const serverInformationSchema = z.object({
  result: z.number(),
  data: z.looseObject({ publicKey: publicKeySchema.optional(), version: z.string().optional() }),
});
const loginAnswerSchema = z.object({
  result: z.number(),
  data: z.looseObject({
    tokenId: z.string().min(1).optional(),
    message: z.string().nullable().optional(),
    loginResult: z.number().optional(),
    expiresAt: z.string().optional(),
    userId: z.string().optional(),
    user: z.unknown().optional(),
  }),
});

export interface DvlsSignIn {
  token: string;
  /** The session key passwords come encrypted under; null for the plain form. A secret. */
  sessionKey: string | null;
  user: User;
  expiresAt: string;
}

/** The server information, or null when the server has none (a Coffre server from before it). */
export async function readServerInformation(
  http: HttpClient,
): Promise<z.infer<typeof serverInformationSchema> | null> {
  for (const path of ['/api/public-instance-information', '/api/server-information']) {
    try {
      return await http.request({ method: 'GET', path, schema: serverInformationSchema, auth: false });
    } catch (error) {
      if (isPamClientError(error) && error.kind === 'not_found') continue;
      throw error;
    }
  }
  return null;
}

export async function signInDvls(
  http: HttpClient,
  info: z.infer<typeof serverInformationSchema>,
  username: string,
  password: string,
  version: string,
): Promise<DvlsSignIn> {
  const common = { Client: CLIENT_SOURCE, Version: version, LocalMachineName: '', LocalUserName: '' };
  const publicKey = info.data.publicKey;
  const sessionKey = publicKey ? newSessionKeyHex() : null;
  const body =
    publicKey && sessionKey
      ? {
          userName: username,
          RDMOLoginParameters: {
            SafePassword: protect(sessionKey, password),
            SafeSessionKey: encryptSessionKey(publicKey, sessionKey),
            ...common,
          },
        }
      : { userName: username, LoginParameters: { Password: password, ...common } };
  const answer = await http.request({
    method: 'POST',
    path: '/api/login/partial',
    body,
    schema: loginAnswerSchema,
    auth: false,
    retry: false,
  });
  if (answer.result !== SaveResult.Success || !answer.data.tokenId) throw refusal(answer.data, answer.result);
  const user = userSchema.safeParse(answer.data.user);
  return {
    token: answer.data.tokenId,
    sessionKey,
    user: user.success
      ? user.data
      : {
          id: answer.data.userId ?? ZERO_GUID,
          username,
          displayName: username,
          roles: ['user'],
        },
    expiresAt: answer.data.expiresAt ?? new Date(Date.now() + ASSUMED_SESSION_MS).toISOString(),
  };
}

/** `POST /api/v1/login` (go-dvls): an application key and secret, form-encoded. */
export async function signInWithApplicationKey(
  http: HttpClient,
  appKey: string,
  appSecret: string,
): Promise<{ token: string; expiresAt: string }> {
  const answer = await http.request({
    method: 'POST',
    path: '/api/v1/login',
    body: new URLSearchParams({ AppKey: appKey, AppSecret: appSecret }),
    schema: z.looseObject({
      tokenId: z.string().optional(),
      TokenId: z.string().optional(),
      expiresAt: z.string().optional(),
    }),
    auth: false,
    retry: false,
  });
  const token = answer.TokenId ?? answer.tokenId;
  if (!token)
    throw new PamClientError('protocol', 'The server answered the application sign-in without a token.');
  return { token, expiresAt: answer.expiresAt ?? new Date(Date.now() + ASSUMED_SESSION_MS).toISOString() };
}

/**
 * DVLS's refusals (ServerLoginResult, SaveResult) as client errors with a code each; the CLI and
 * the desktop say them in the user's language (codes `dvls_*`).
 */
function refusal(data: z.infer<typeof loginAnswerSchema>['data'], result: number): PamClientError {
  const message = data.message || 'The server refused the sign-in.';
  const code = refusalCode(data.loginResult, result);
  // Coffre cannot answer a second-factor challenge: say so (unsupported), not "wrong password".
  const kind = code === 'dvls_two_factor' ? 'unsupported' : 'unauthorized';
  return new PamClientError(kind, message, { code, endpoint: 'POST /api/login/partial' });
}

function refusalCode(loginResult: number | undefined, result: number): string {
  const L = ServerLoginResult;
  switch (loginResult) {
    case L.InvalidUserNamePassword:
    case L.UserNotFound:
      return 'dvls_wrong_password';
    case L.LockedUser:
    case L.TwoFactorUserLockedOut:
      return 'dvls_locked';
    case L.DisabledUser:
    case L.NotApprovedUser:
      return 'dvls_disabled';
    case L.InvalidSubscription:
    case L.ExpiredSubscription:
    case L.TooManyUserForTheLicense:
      return 'dvls_license';
    case L.TwoFactorIsRequired:
    case L.TwoFactorPreconfigured:
    case L.TwoFactorSecondStepIsRequired:
    case L.TwoFactorSmsSended:
    case L.TwoFactorTypeNotConfigured:
    case L.TwoFactorTypeActivatedNotAllowedClientSide:
      return 'dvls_two_factor';
    default:
      if (result === SaveResult.LicenseExpired) return 'dvls_license';
      if (result === SaveResult.TwoFactorTypeNotConfigured) return 'dvls_two_factor';
      return 'dvls_refused';
  }
}
