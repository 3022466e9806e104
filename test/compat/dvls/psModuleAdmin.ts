/**
 * The module's PAM administration cmdlets, replayed as psModule.ts replays the checkout ones: each
 * function names its file in Devolutions/devolutions-server, folder
 * `Powershell Module/Devolutions.Server/`, and sends what that file sends, bugs included (each bug
 * is named where it changes the bytes; docs/wire/dvls.md lists them).
 */
import http from 'node:http';
import { EMPTY_GUID, hashtableJson, type PsSession, prop, type ServerResponse } from './psModule.ts';

/** Public/Pam/PamFolders/Get-DSPamFolder.ps1 (@af09a1b): `-Root` → `?folderID=null`, else `/folders/$FolderID`. */
export function getDSPamFolder(ps: PsSession, options: { root: true } | { folderId: string }) {
  const url =
    'root' in options
      ? `${ps.DSBaseURI}/api/pam/folders?folderID=null`
      : `${ps.DSBaseURI}/api/pam/folders/${options.folderId}`;
  return ps.invokeDS('GET', url);
}

/** Public/Pam/PamFolders/Get-DSPamFolder.ps1 (@860e0ef, the first form): `?folderID=$candidFolderID`. */
export function getDSPamFolderByQuery(ps: PsSession, candidFolderId: string) {
  return ps.invokeDS('GET', `${ps.DSBaseURI}/api/pam/folders?folderID=${candidFolderId}`);
}

/**
 * Public/Pam/PamFolders/New-DSPamFolder.ps1: `-AsNewVault` posts {folderId: the root's id, name,
 * encryptedOtpSettings: ""}; with `-ParentFolderId` it first reads that folder (and throws when the
 * read fails). Bug: `[guid]$ParentFolderId` left unset is the empty GUID, never `$null`, so its
 * "provide a parent" check never fires and the read of the empty GUID fails instead.
 */
export async function newDSPamFolder(
  ps: PsSession,
  options: { name: string } & ({ asNewVault: true } | { parentFolderId?: string }),
): Promise<ServerResponse> {
  const folder: Record<string, unknown> = { folderId: '', name: options.name, encryptedOtpSettings: '' };
  if ('asNewVault' in options) {
    folder.folderId = prop((await getDSPamFolder(ps, { root: true })).Body, 'id');
  } else {
    const parentFolderId = options.parentFolderId ?? EMPTY_GUID;
    const parent = await getDSPamFolder(ps, { folderId: parentFolderId });
    if (!parent.isSuccess) {
      throw new Error(
        'No folder were found matching the provided parent folder ID. Make sure you provide a valid parent folder ID and try again.',
      );
    }
    folder.folderId = parentFolderId;
  }
  return ps.invokeDS('POST', `${ps.DSBaseURI}/api/pam/folders`, hashtableJson(folder));
}

/**
 * Public/Pam/PamFolders/New-DSPamTeamFolder.ps1 (@beae17e; gone at HEAD): the root from
 * Private/PAM/TeamFolders/Get-DSPamRootFolder.ps1 (Get-DSPamFolders' `data`, the one with `isRoot`),
 * then POST {folderID: root.ID, name}.
 */
export async function newDSPamTeamFolder(ps: PsSession, name: string): Promise<ServerResponse> {
  const folders = await ps.invokeDS('GET', `${ps.DSBaseURI}/api/pam/folders`);
  const root = (prop(folders.Body, 'data') as unknown[]).find((folder) => prop(folder, 'isRoot') === true);
  if (!root) throw new Error('Abnormal condition while getting root Team folder.');
  return ps.invokeDS(
    'POST',
    `${ps.DSBaseURI}/api/pam/folders`,
    hashtableJson({ folderID: prop(root, 'ID'), name }),
  );
}

/**
 * Public/Pam/PamFolders/Update-DSPamFolder.ps1: GET the folder, copy its properties into a
 * hashtable, overwrite those named by a bound parameter, PUT it all back. Bug: its validation
 * `switch` compares each parameter with a boolean, so no case ever matches and out-of-range values
 * go to the server as given.
 */
export async function updateDSPamFolder(
  ps: PsSession,
  candidFolderId: string,
  parameters: Record<string, unknown>,
): Promise<ServerResponse | undefined> {
  const url = `${ps.DSBaseURI}/api/pam/folders/${candidFolderId}`;
  const read = await ps.invokeDS('GET', url);
  if (!read.Body) return undefined;
  const folderInfos: Record<string, unknown> = { ...read.Body };
  for (const [key, value] of Object.entries(parameters)) {
    const known = Object.keys(folderInfos).find((name) => name.toLowerCase() === key.toLowerCase());
    if (known !== undefined) folderInfos[known] = value;
  }
  return ps.invokeDS('PUT', url, hashtableJson(folderInfos));
}

/** Public/Pam/PamFolders/Remove-DSPamFolder.ps1: DELETE `/api/pam/folders/$folderID`. */
export function removeDSPamFolder(ps: PsSession, folderId: string) {
  return ps.invokeDS('DELETE', `${ps.DSBaseURI}/api/pam/folders/${folderId}`);
}

/**
 * Public/CheckoutPolicies/Get-DSPamCheckoutPolicies.ps1 in the versions with `-Count` (the
 * earlier ones: `/count`, else `/{policyID}`, else the list). At HEAD the file builds the URI
 * without assigning `$URI` and has no `-Count`: every call fails before any request.
 */
export function getDSPamCheckoutPolicies(
  ps: PsSession,
  options: { policyId?: string; count?: boolean } = {},
) {
  const base = `${ps.DSBaseURI}/api/pam/checkout-policies`;
  const url = options.count ? `${base}/count` : options.policyId ? `${base}/${options.policyId}` : base;
  return ps.invokeDS('GET', url);
}

/**
 * Public/CheckoutPolicies/New-DSPamCheckoutPolicy.ps1 (@236fd3c and HEAD): `-Count`, then the list
 * to refuse a name in use (a 409 made by the module itself, nothing sent), then POST. Bug: its
 * validation `switch` keeps only `name` — checkoutApprovalMode and the parenthesised cases never
 * match, `-notin { 0, 1, 2 }` tests against a script block, and checkoutTime and isDefault fall to
 * `default { $isValid = $false }` — so the body is `{"name": …}` whatever else is given.
 */
export async function newDSPamCheckoutPolicy(
  ps: PsSession,
  parameters: { name: string } & Record<string, unknown>,
): Promise<ServerResponse> {
  if ((await getDSPamCheckoutPolicies(ps, { count: true })).Body > 0) {
    const list = (await getDSPamCheckoutPolicies(ps)).Body as unknown[];
    if (list.some((policy) => prop(policy, 'name') === parameters.name)) {
      return {
        isSuccess: false,
        statusCode: 409,
        Body: null,
        ErrorMessage: 'Checkout policy with same name already exists. Please try again with another name.',
        raw: '',
      };
    }
  }
  return ps.invokeDS(
    'POST',
    `${ps.DSBaseURI}/api/pam/checkout-policies`,
    hashtableJson({ name: parameters.name }),
  );
}

/**
 * Public/CheckoutPolicies/Update-DSPamCheckoutPolicy.ps1: GET the policy, overwrite the bound
 * parameters it has (values out of the module's ranges, or a checkoutTime ≤ 0, are ignored with a
 * message), PUT it all back.
 */
export async function updateDSPamCheckoutPolicy(
  ps: PsSession,
  candidPolicyId: string,
  parameters: Record<string, unknown>,
): Promise<ServerResponse | undefined> {
  const url = `${ps.DSBaseURI}/api/pam/checkout-policies/${candidPolicyId}`;
  const read = await ps.invokeDS('GET', url);
  if (!read.Body) return undefined;
  const ranges: Record<string, number[]> = {
    allowCheckoutOwnerAsApprover: [0, 1, 2],
    checkoutApprovalMode: [0, 1, 2],
    checkoutReasonMode: [0, 1, 2, 3],
    includeAdminsAsApprovers: [0, 1, 2],
    includeManagersAsApprovers: [0, 1, 2],
  };
  const policyInfos: Record<string, unknown> = { ...read.Body };
  for (const [key, value] of Object.entries(parameters)) {
    if (!Object.hasOwn(policyInfos, key)) continue;
    const allowed = ranges[key];
    if (allowed && !allowed.includes(value as number)) continue;
    if (key === 'checkoutTime' && (value as number) <= 0) continue;
    policyInfos[key] = value;
  }
  return ps.invokeDS('PUT', url, hashtableJson(policyInfos));
}

/** Public/CheckoutPolicies/Remove-DSPamCheckoutPolicy.ps1: DELETE `/api/pam/checkout-policies/$candidPolicyID`. */
export function removeDSPamCheckoutPolicy(ps: PsSession, candidPolicyId: string) {
  return ps.invokeDS('DELETE', `${ps.DSBaseURI}/api/pam/checkout-policies/${candidPolicyId}`);
}

/**
 * Invoke-DS with `-Method GET -Body <text>`: PowerShell 7's Invoke-WebRequest sends a string body
 * on a GET as the request content (fetch refuses to, so node:http sends it here).
 */
function invokeDSGetWithBody(ps: PsSession, url: string, body: string): Promise<ServerResponse> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname + target.search,
        method: 'GET',
        headers: {
          ...ps.headers,
          'content-type': 'application/json; charset=utf-8',
          'content-length': Buffer.byteLength(body),
        },
      },
      (response) => {
        let raw = '';
        response.on('data', (chunk) => {
          raw += String(chunk);
        });
        response.on('end', () => {
          const json = raw ? JSON.parse(raw) : undefined;
          const status = response.statusCode ?? 0;
          resolve({
            isSuccess: status < 400,
            statusCode: status,
            Body: status < 400 ? json : null,
            ErrorMessage: status < 400 ? '' : String(prop(json, 'message')),
            raw,
          });
        });
      },
    );
    request.on('error', reject);
    ps.sent.push({ method: 'GET', url, headers: { ...ps.headers }, body });
    request.end(body);
  });
}

/** Public/Pam/PamAccounts/Get-DSPamAccount.ps1: GET `/api/pam/credentials/$accountId`. */
export function getDSPamAccount(ps: PsSession, accountId: string) {
  return ps.invokeDS('GET', `${ps.DSBaseURI}/api/pam/credentials/${accountId}`);
}

/** Public/Pam/PamAccounts/Get-DSPamAccounts.ps1: GET `/api/pam/credentials` with `Body = $folderID` (a [guid] as text). */
export function getDSPamAccounts(ps: PsSession, folderId: string) {
  return invokeDSGetWithBody(ps, `${ps.DSBaseURI}/api/pam/credentials`, folderId);
}

/** Public/Pam/PamAccounts/Get-DSPamAccountSyncStatus.ps1: GET `/api/pam/credentials/$PamAccountId/ping`. */
export function getDSPamAccountSyncStatus(ps: PsSession, accountId: string) {
  return ps.invokeDS('GET', `${ps.DSBaseURI}/api/pam/credentials/${accountId}/ping`);
}

/** PamCredentialType.generated.psm1 (LocalUser 2, Certificate 6…) and PamProtectedDataType (Password 1). */
export const PamCredentialType = { Unknown: 0, LocalUser: 2, DomainUser: 3, Certificate: 6 } as const;

/**
 * Public/Pam/PamAccounts/New-DSPamAccount.ps1: POST `/api/pam/credentials` with {credentialType,
 * protectedDataType, folderID, label, username, adminCredentialID: $providerId, password}; enums as
 * numbers (ConvertTo-Json), `[guid]$providerId` left unset is the empty GUID, `[string]$password`
 * left unset is "".
 */
export function newDSPamAccount(
  ps: PsSession,
  options: {
    credentialType: number;
    folderId: string;
    name: string;
    username: string;
    password?: string;
    providerId?: string;
  },
) {
  const protectedDataType =
    options.credentialType === PamCredentialType.Unknown
      ? 0
      : options.credentialType === PamCredentialType.Certificate
        ? 2
        : 1;
  return ps.invokeDS(
    'POST',
    `${ps.DSBaseURI}/api/pam/credentials`,
    hashtableJson({
      credentialType: options.credentialType,
      protectedDataType,
      folderID: options.folderId,
      label: options.name,
      username: options.username,
      adminCredentialID: options.providerId ?? EMPTY_GUID,
      password: options.password ?? '',
    }),
  );
}

/**
 * Public/Pam/PamAccounts/Update-DSPamAccountBase.ps1: reads the account again (throws when it is
 * gone), adds `password` when given, PUTs the object it was handed (ConvertTo-Json of the
 * PSCustomObject: the properties as read, in their order).
 */
export async function updateDSPamAccountBase(
  ps: PsSession,
  pamAccount: Record<string, unknown>,
  password?: string,
) {
  const existing = await getDSPamAccount(ps, String(prop(pamAccount, 'id')));
  if (!existing.Body) throw new Error('Could not find the requested PAM account.');
  const body = password ? { ...pamAccount, password } : pamAccount;
  return ps.invokeDS(
    'PUT',
    `${ps.DSBaseURI}/api/pam/credentials/${String(prop(pamAccount, 'id'))}`,
    JSON.stringify(body, null, 2),
  );
}

/** Public/Pam/PamAccounts/Remove-DSPamAccount.ps1: DELETE `/api/pam/credentials/$pamAccountID`. */
export function removeDSPamAccount(ps: PsSession, accountId: string) {
  return ps.invokeDS('DELETE', `${ps.DSBaseURI}/api/pam/credentials/${accountId}`);
}

/** Public/Pam/PamProviders/Get-DSPamProviders.ps1: GET `/api/pam/providers`. */
export function getDSPamProviders(ps: PsSession) {
  return ps.invokeDS('GET', `${ps.DSBaseURI}/api/pam/providers`);
}

/**
 * Public/Pam/PamProviders/New-DSPamProvider.ps1: POST `/api/pam/providers` {ProviderID, label,
 * CredentialType (LocalUser 2, DomainUser 3, SqlServer 5), Username, ProtectedDataType: 1}.
 */
export function newDSPamProvider(
  ps: PsSession,
  options: {
    id?: string;
    name: string;
    credentialType: 'LocalUser' | 'DomainUser' | 'SqlServer';
    username: string;
  },
) {
  const credentialType = { LocalUser: 2, DomainUser: 3, SqlServer: 5 }[options.credentialType];
  return ps.invokeDS(
    'POST',
    `${ps.DSBaseURI}/api/pam/providers`,
    hashtableJson({
      ProviderID: options.id ?? EMPTY_GUID,
      label: options.name,
      CredentialType: credentialType,
      Username: options.username,
      ProtectedDataType: 1,
    }),
  );
}

/**
 * Public/Pam/PamProviders/Update-DSPamProvider.ps1: GET then PUT `/api/pam/Providers/$candidProviderID`
 * (capital P, unlike its siblings). When the GET fails, `$ProviderInfos` stays `$null` and the
 * first `.ContainsKey` throws into the catch: nothing is PUT, the cmdlet returns nothing.
 */
export async function updateDSPamProvider(ps: PsSession, candidProviderId: string) {
  const url = `${ps.DSBaseURI}/api/pam/Providers/${candidProviderId}`;
  const read = await ps.invokeDS('GET', url);
  if (!read.Body) return { read, written: undefined };
  return { read, written: await ps.invokeDS('PUT', url, hashtableJson({ ...read.Body })) };
}

/** Public/Pam/PamProviders/Remove-DSPamProvider.ps1: DELETE `/api/pam/providers/$ProviderID`. */
export function removeDSPamProvider(ps: PsSession, providerId: string) {
  return ps.invokeDS('DELETE', `${ps.DSBaseURI}/api/pam/providers/${providerId}`);
}
