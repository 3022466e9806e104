/**
 * The HTTP of the Devolutions.Server PowerShell module, replayed without PowerShell (none is
 * packaged for this machine). Each function names the cmdlet file it reproduces, in
 * Devolutions/devolutions-server, folder `Powershell Module/Devolutions.Server/`; the crypto is
 * written here again from the module's own steps, with node:crypto, independently of Coffre's
 * common/dvlsCipher.ts, so the replay checks the server against the module, not against itself.
 *
 * What PowerShell does to the bytes is reproduced where the server could tell the difference:
 * `ConvertTo-Json` of a hashtable (keys in any order), of a `[PamCheckout]` (its declared property
 * order and capitalisation, `Status` a `[string]`), `[guid]` parameters left unset (the empty GUID),
 * `[string]` ones ("" ), and the content type Invoke-DS sends ('application/json; charset=utf-8').
 */
import {
  constants,
  createCipheriv,
  createDecipheriv,
  createPublicKey,
  publicEncrypt,
  randomBytes,
} from 'node:crypto';

export const EMPTY_GUID = '00000000-0000-0000-0000-000000000000';
const INVOKE_DS_CONTENT_TYPE = 'application/json; charset=utf-8';

/** What Invoke-WebRequest hands back, and the module's `ServerResponse` built from it. */
export interface ServerResponse {
  isSuccess: boolean;
  statusCode: number;
  /** The parsed JSON body (PowerShell property access is case-insensitive: use `prop`). */
  Body: any;
  ErrorMessage: string;
  raw: string;
}

/** `$obj.Name` in PowerShell: property lookup in any case. */
export function prop(value: any, name: string): any {
  if (value === null || typeof value !== 'object') return undefined;
  const key = Object.keys(value).find((candidate) => candidate.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : value[key];
}

/** `$Global:WebSession` and the module's script/global variables of one PowerShell session. */
export class PsSession {
  readonly headers: Record<string, string> = {};
  DSBaseURI = '';
  DSSessionToken: string | undefined;
  DSSessionKey: string | undefined;
  DSSafeSessionKey: string | undefined;
  /** `(Get-Module Devolutions.Server).Version` of the module this session replays (New-DSSession sends it). */
  moduleVersion = '2022.2.6.1';
  /** Every request sent, as sent, for assertions on the bytes. */
  readonly sent: Array<{ method: string; url: string; headers: Record<string, string>; body?: string }> = [];

  async webRequest(method: string, url: string, options: { body?: string; contentType?: string } = {}) {
    const headers: Record<string, string> = { ...this.headers };
    if (options.body !== undefined) headers['content-type'] = options.contentType ?? 'application/json';
    this.sent.push({ method, url, headers, ...(options.body !== undefined ? { body: options.body } : {}) });
    const response = await fetch(url, {
      method,
      headers,
      ...(options.body !== undefined ? { body: options.body } : {}),
    });
    const raw = await response.text();
    return { status: response.status, raw, json: raw ? JSON.parse(raw) : undefined };
  }

  /**
   * Private/Utils/Invoke-DS.ps1 with Private/Utils/New-ServerResponse.ps1: a 2xx becomes a
   * ServerResponse with the parsed body; a 4xx/5xx one whose ErrorMessage is the body's `message`.
   */
  async invokeDS(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    url: string,
    body?: string,
  ): Promise<ServerResponse> {
    if (!this.DSSessionToken) throw new Error('Session does not seem authenticated, call New-DSSession.');
    const answer = await this.webRequest(
      method,
      url,
      body === undefined ? {} : { body, contentType: INVOKE_DS_CONTENT_TYPE },
    );
    if (answer.status >= 400) {
      const message = prop(answer.json, 'message');
      return {
        isSuccess: false,
        statusCode: answer.status,
        Body: null,
        ErrorMessage: message ?? `HTTP ${answer.status}`,
        raw: answer.raw,
      };
    }
    const result = prop(answer.json, 'result');
    // New-ServerResponse: a `result` other than Success (1) is a failure; no `result` is success.
    const isSuccess = result === undefined || result === 1;
    return { isSuccess, statusCode: answer.status, Body: answer.json, ErrorMessage: '', raw: answer.raw };
  }
}

/** Convert-BytesToHex / Convert-HexToBytes. */
const toHex = (bytes: Buffer) => bytes.toString('hex');

/** Private/Utils/New-CryptographicKey.ps1: AesManaged 256-bit key, as lowercase hex. */
function newCryptographicKey(): string {
  return toHex(randomBytes(32));
}

/** Deprecate/Encrypt-RSA.ps1: RSACryptoServiceProvider.Encrypt(UTF8(sessionKeyHex), fOAEP = $false). */
function encryptRsa(modulusHex: string, exponentHex: string, sessionKeyHex: string): string {
  const key = createPublicKey({
    key: {
      kty: 'RSA',
      n: Buffer.from(modulusHex, 'hex').toString('base64url'),
      e: Buffer.from(exponentHex, 'hex').toString('base64url'),
    },
    format: 'jwk',
  });
  return toHex(
    publicEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, Buffer.from(sessionKeyHex, 'utf8')),
  );
}

/** Deprecate/Encrypt-String.ps1 + Protect-ResourceToHexString.ps1: hex(IV ‖ AES-CBC(UTF8 text)). */
export function protectResourceToHexString(sessionKeyHex: string, text: string): string {
  const iv = randomBytes(16);
  const aes = createCipheriv('aes-256-cbc', Buffer.from(sessionKeyHex, 'hex'), iv);
  return toHex(Buffer.concat([iv, aes.update(text, 'utf8'), aes.final()]));
}

/** Deprecate/Decrypt-String.ps1: IV = first 16 bytes, AES-CBC, UTF8, trailing NULs trimmed. */
export function decryptString(sessionKeyHex: string, encryptedHex: string): string {
  const bytes = Buffer.from(encryptedHex, 'hex');
  const aes = createDecipheriv('aes-256-cbc', Buffer.from(sessionKeyHex, 'hex'), bytes.subarray(0, 16));
  return Buffer.concat([aes.update(bytes.subarray(16)), aes.final()])
    .toString('utf8')
    .replace(/\0+$/, '');
}

/** `ConvertTo-Json` of a hashtable: PowerShell does not keep insertion order; shuffle to prove it does not matter. */
export function hashtableJson(entries: Record<string, unknown>): string {
  const keys = Object.keys(entries).reverse();
  return JSON.stringify(Object.fromEntries(keys.map((key) => [key, entries[key]])), null, 2);
}

/** `Compare-Object $content.PSObject.Properties.Name @('data','result')` is empty. */
export function hasExactlyDataAndResult(json: unknown): boolean {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return false;
  return Object.keys(json).sort().join(',') === 'data,result';
}

export interface NewDSSessionOptions {
  baseUri: string;
  username: string;
  password: string;
  machineName?: string;
  /**
   * The module's version (Devolutions.Server.psd1 ModuleVersion), sent as `Version`: 2021.6.4 for
   * a 2021 Gallery release, 2022.2.6.1 (the default) for the build with Get-DSPamPassword's fix.
   */
  moduleVersion?: string;
}

/** Whether a module version is older than 2022.2.6.1, whose Get-DSPamPassword (b8023ee) reads `.data`. */
export function beforePasswordFix(moduleVersion: string): boolean {
  const parts = moduleVersion.split('.').map(Number);
  const fixed = [2022, 2, 6, 1];
  for (let i = 0; i < 4; i++) if ((parts[i] ?? 0) !== fixed[i]) return (parts[i] ?? 0) < fixed[i]!;
  return false;
}

/**
 * Public/Authentication/New-DSSession.ps1 as released in 2021.6–2022.2 (commit 0d5c2c3): GET
 * /api/server-information, a session key sent as SafeSessionKey, the password as SafePassword;
 * `tokenId` then travels as a header of the web session.
 */
export async function newDSSessionHandshake(
  ps: PsSession,
  options: NewDSSessionOptions,
): Promise<ServerResponse> {
  const info = await ps.webRequest('GET', `${options.baseUri}/api/server-information`);
  if (!hasExactlyDataAndResult(info.json) || info.json.result !== 1) {
    throw new Error('[New-DSSession] There was a problem reaching your DVLS instance.');
  }
  const sessionKey = newCryptographicKey();
  const publicKey = prop(info.json.data, 'publicKey');
  const safeSessionKey = encryptRsa(prop(publicKey, 'modulus'), prop(publicKey, 'exponent'), sessionKey);
  ps.DSBaseURI = options.baseUri;
  ps.moduleVersion = options.moduleVersion ?? ps.moduleVersion;
  ps.DSSessionKey = sessionKey;
  ps.DSSafeSessionKey = safeSessionKey;
  const body = JSON.stringify(
    {
      userName: options.username,
      RDMOLoginParameters: {
        SafePassword: protectResourceToHexString(sessionKey, options.password),
        SafeSessionKey: safeSessionKey,
        Client: 'Scripting',
        Version: ps.moduleVersion,
        LocalMachineName: options.machineName ?? 'WORKSTATION01',
        LocalUserName: options.username,
      },
    },
    null,
    2,
  );
  return finishLogin(ps, `${options.baseUri}/api/login/partial`, body);
}

/**
 * Public/Authentication/New-DSSession.ps1 at HEAD (2022.3+), `-AsApplication`: GET
 * /api/public-instance-information, then the password in clear in LoginParameters, Client Cli (18,
 * as ConvertTo-Json writes an enum).
 */
export async function newDSSessionAsApplication(
  ps: PsSession,
  options: NewDSSessionOptions,
): Promise<ServerResponse> {
  const info = await ps.webRequest('GET', `${options.baseUri}/api/public-instance-information`);
  const names = info.json && typeof info.json === 'object' ? Object.keys(info.json) : [];
  if (!['data', 'result'].every((name) => names.includes(name)) || info.json.result !== 1) {
    throw new Error('[New-DSSession] There was a problem reaching your DVLS instance.');
  }
  ps.DSBaseURI = options.baseUri;
  const body = JSON.stringify(
    {
      LoginParameters: {
        Password: options.password,
        Client: 18,
        Version: '2022.3.0.0',
        LocalMachineName: options.machineName ?? 'WORKSTATION01',
        LocalUserName: options.username,
      },
      userName: options.username,
    },
    null,
    2,
  );
  return finishLogin(ps, `${options.baseUri}/api/login/partial`, body);
}

async function finishLogin(ps: PsSession, url: string, body: string): Promise<ServerResponse> {
  const answer = await ps.webRequest('POST', url, { body, contentType: 'application/json' });
  if (!hasExactlyDataAndResult(answer.json)) {
    throw new Error(
      '[New-DSSession] Unhandled error while logging in. Please submit a ticket if problem persists.',
    );
  }
  if (answer.json.result !== 1) throw new Error(String(prop(answer.json.data, 'message')));
  const tokenId = prop(answer.json.data, 'tokenId') as string;
  ps.DSSessionToken = tokenId;
  ps.headers.tokenId = tokenId;
  return {
    isSuccess: answer.status === 200,
    statusCode: answer.status,
    Body: answer.json,
    ErrorMessage: '',
    raw: answer.raw,
  };
}

/** Public/Authentication/Close-DSSession.ps1: GET /api/logout with the web session. */
export async function closeDSSession(ps: PsSession) {
  const answer = await ps.webRequest('GET', `${ps.DSBaseURI}/api/logout`);
  delete ps.headers.tokenId;
  ps.DSSessionToken = undefined;
  ps.DSSessionKey = undefined;
  return answer;
}

/** Public/Pam/Credentials/Get-DSPamCredential.ps1. */
export function getDSPamCredential(ps: PsSession, pamCredentialId: string) {
  return ps.invokeDS('GET', `${ps.DSBaseURI}/api/pam/credentials/${pamCredentialId}`);
}

/**
 * Public/Pam/Passwords/Get-DSPamPassword.ps1 `-Decrypted`: before 2022.2.6.1 (commit 0d5c2c3)
 * `Decrypt-String $Global:DSSessionKey $res.Body` (the answer is a bare string); from commit b8023ee
 * ("Fixed issue with Pam passwords decrypting") `Decrypt-String $Global:DSSessionKey $res.Body.data`.
 */
export async function getDSPamPassword(
  ps: PsSession,
  pamCredentialId: string,
  options: { decrypted?: boolean } = {},
) {
  const res = await ps.invokeDS('GET', `${ps.DSBaseURI}/api/pam/passwords/${pamCredentialId}`);
  if (options.decrypted && res.isSuccess) {
    const encrypted = beforePasswordFix(ps.moduleVersion) ? res.Body : prop(res.Body, 'data');
    res.Body = decryptString(ps.DSSessionKey!, encrypted);
  }
  return res;
}

/** Public/Pam/Checkout/Get-DSPamCheckout.ps1. */
export function getDSPamCheckout(ps: PsSession, pamCheckoutId: string) {
  return ps.invokeDS('GET', `${ps.DSBaseURI}/api/pam/checkouts/${pamCheckoutId}`);
}

export interface CheckoutResult extends ServerResponse {
  /** What Write-Error printed instead of returning, if anything. */
  writeError?: string;
}

/**
 * Public/Pam/Checkout/Invoke-DSPamCheckout.ps1: reads the credential's modes, posts
 * {credentialID, duration = 240, approverID if approval mode 2, reason if reason mode 2 or 3}; when
 * the answer's Status is 4 (Active) reads the password and answers {CheckoutInfo, Password}.
 * `passwordForm`: 'data' (2022.3 and HEAD: `$Password.data`) or 'decrypt' (@0d5c2c3 until 2022.3:
 * `Decrypt-String $Global:DSSessionKey $res.Body`, the whole answer, which must be a bare string).
 */
export async function invokeDSPamCheckout(
  ps: PsSession,
  args: { pamCredentialId: string; reason?: string; approverId?: string },
  passwordForm: 'data' | 'decrypt' = 'data',
): Promise<CheckoutResult> {
  const credential = await getDSPamCredential(ps, args.pamCredentialId);
  if (!credential.isSuccess) {
    throw new Error(
      'Failed while fetching credentials. Please make sure the ID you provided is a valid PAM account ID and try again.',
    );
  }
  const body: Record<string, unknown> = { credentialID: args.pamCredentialId, duration: 240 };
  if (prop(credential.Body, 'checkoutApprovalMode') === 2) body.approverID = args.approverId ?? EMPTY_GUID;
  if ([2, 3].includes(prop(credential.Body, 'checkoutReasonMode'))) body.reason = args.reason ?? '';
  const checkout: CheckoutResult = await ps.invokeDS(
    'POST',
    `${ps.DSBaseURI}/api/pam/checkouts`,
    hashtableJson(body),
  );
  if (!checkout.isSuccess) {
    checkout.writeError =
      checkout.ErrorMessage === 'The credential is already checked out.'
        ? `The credential '${prop(credential.Body, 'label')}' is already checked out.`
        : checkout.ErrorMessage;
    return checkout;
  }
  if (prop(checkout.Body, 'Status') === 4) {
    const password = await getDSPamPassword(ps, args.pamCredentialId);
    if (!password.isSuccess)
      throw new Error(password.ErrorMessage || 'Failed while fetching password. See logs for information.');
    checkout.Body = {
      CheckoutInfo: checkout.Body,
      Password:
        passwordForm === 'decrypt'
          ? decryptString(ps.DSSessionKey!, password.Body)
          : prop(password.Body, 'data'),
    };
  }
  return checkout;
}

/**
 * Private/Types/PamCheckout.psm1: `[PamCheckout]$x` built from a PSCustomObject, then
 * `ConvertTo-Json` of it: the class's property order and spelling, `Status` a `[string]` (a number
 * read from the server becomes "4"), GUIDs as strings, DateTimes back as ISO text.
 */
export function pamCheckout(source: any): Record<string, unknown> {
  const status = prop(source, 'Status');
  const text = (name: string) => {
    const value = prop(source, name);
    return value === undefined || value === null ? '' : String(value);
  };
  const orNull = (name: string) => prop(source, name) ?? null;
  return {
    ID: orNull('ID'),
    UserID: orNull('UserID'),
    Username: text('Username'),
    CredentialID: orNull('CredentialID'),
    CredentialName: text('CredentialName'),
    ApproverID: orNull('ApproverID'),
    ApproverName: text('ApproverName'),
    Reason: text('Reason'),
    ApproverMessage: text('ApproverMessage'),
    Status: status === undefined || status === null ? '' : String(status),
    Duration: orNull('Duration'),
    RequestDateTime: orNull('RequestDateTime'),
    CheckoutDateTime: orNull('CheckoutDateTime'),
    CheckInDateTime: orNull('CheckInDateTime'),
    ResolvedPermissions: orNull('ResolvedPermissions'),
  };
}

/** Public/Pam/Checkout/Invoke-DSPamCheckin.ps1: `$PamCheckout.status = [CheckoutStatus]::Ended` ("Ended"), PUT. */
export function invokeDSPamCheckin(ps: PsSession, checkout: Record<string, unknown>) {
  const body: Record<string, unknown> = { ...checkout, Status: 'Ended' };
  return ps.invokeDS(
    'PUT',
    `${ps.DSBaseURI}/api/pam/checkouts/${String(body.ID)}`,
    JSON.stringify(body, null, 2),
  );
}

/**
 * Public/Pam/Checkout/Invoke-DSPamCheckoutPending.ps1: Status = $Accept ? 4 : 3 (stored in the
 * `[string]` property: "4" or "3"), ApproverMessage, PUT.
 */
export function invokeDSPamCheckoutPending(
  ps: PsSession,
  checkout: Record<string, unknown>,
  options: { accept: boolean; approverMessage?: string },
) {
  const body: Record<string, unknown> = {
    ...checkout,
    Status: options.accept ? '4' : '3',
    ApproverMessage: options.approverMessage ?? '',
  };
  return ps.invokeDS(
    'PUT',
    `${ps.DSBaseURI}/api/pam/checkouts/${String(body.ID)}`,
    JSON.stringify(body, null, 2),
  );
}
