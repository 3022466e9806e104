/**
 * The MIM dialect's shapes (API.md, "MIM dialect"): how Coffre's credentials and checkouts look
 * through the Microsoft Identity Manager PAM REST API (OData v3 JSON).
 *
 * A PAM role is a credential; a PAM request is a checkout. Property names, their order and their
 * JSON types follow Microsoft's published examples (Get PAM roles, Get PAM requests, Create PAM
 * request, Get pending PAM requests, Get PAM session info); `pamrequeststoapprove` rows match seed
 * 002 field for field. OData v3 serializes Edm.Int64 as a string, hence `"RequestedTTL":"3600"`.
 *
 * Everything here is pure: the routes (server/http/routes/mimRoutes.ts) fetch, these map.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { type Checkout, CheckoutStatus, type Credential } from '../../common/checkout.ts';
import { guidSchema } from '../../common/ids.ts';
import { PamError } from '../domain/pamError.ts';
import type { ODataSchema } from './odataFilter.ts';
import { formatWithOffset, wallClockToEpoch } from './serverTime.ts';

export const MIM_PREFIX = '/api/pamresources';
/** The only API version there is; `v` absent means this one. */
export const MIM_API_VERSION = '1';
/** How .NET's DateTime.MinValue (an unset date) comes out in MIM's JSON. */
export const MIM_UNSET_DATE = '0001-01-01T00:00:00';
/** MIM's CreationMethod for requests made through the REST API. */
export const MIM_CREATION_METHOD = 'PAM Web API';

export const MIM_ENTITY_SETS = ['pamroles', 'pamrequests', 'pamrequeststoapprove', 'sessioninfo'] as const;
export type MimEntitySet = (typeof MIM_ENTITY_SETS)[number];

export const MIM_REQUEST_STATUSES = [
  'Processing',
  'PendingApproval',
  'Scheduled',
  'Active',
  'Closing',
  'Closed',
  'Expired',
  'Rejected',
] as const;
export type MimRequestStatus = (typeof MIM_REQUEST_STATUSES)[number];

// ---------------------------------------------------------------------------------------------
// Wire schemas (also the OpenAPI description). Key order here is the key order on the wire.

const int64String = z.string().regex(/^\d+$/, 'must be an integer as a string');
/** MIM wraps some GUIDs (FIMRequestID, RequestorID, ApprovalObjectID) as `{"Value": "<guid>"}`. */
export const mimGuidValueSchema = z.object({ Value: guidSchema });

export const mimRoleSchema = z.object({
  RoleId: guidSchema,
  DisplayName: z.string(),
  Description: z.string().nullable(),
  TTL: int64String,
  AvailableFrom: z.string(),
  AvailableTo: z.string(),
  MFAEnabled: z.boolean(),
  ApprovalEnabled: z.boolean(),
  AvailabilityWindowEnabled: z.boolean(),
});
export type MimRole = z.infer<typeof mimRoleSchema>;

export const mimRequestSchema = z.object({
  RequestId: guidSchema,
  CreatorID: guidSchema,
  Justification: z.string().nullable(),
  CreationTime: z.string(),
  CreationMethod: z.string(),
  ExpirationTime: z.string(),
  RoleId: guidSchema,
  RequestedTTL: int64String,
  RequestedTime: z.string(),
  RequestStatus: z.enum(MIM_REQUEST_STATUSES),
});
export type MimRequest = z.infer<typeof mimRequestSchema>;

export const mimRequestToApproveSchema = z.object({
  RoleName: z.string(),
  Requestor: z.string(),
  Justification: z.string(),
  RequestedTTL: int64String,
  RequestedTime: z.string(),
  CreationTime: z.string(),
  FIMRequestID: mimGuidValueSchema,
  RequestorID: mimGuidValueSchema,
  ApprovalObjectID: mimGuidValueSchema,
});
export type MimRequestToApprove = z.infer<typeof mimRequestToApproveSchema>;

export const mimSessionInfoSchema = z.object({ Username: z.string() });
export type MimSessionInfo = z.infer<typeof mimSessionInfoSchema>;

/** An OData v3 feed: `{"odata.metadata": "<base>/api/pamresources/%24metadata#<set>", "value": [...]}`. */
export function odataFeedSchema<T extends z.ZodType>(row: T) {
  return z.object({ 'odata.metadata': z.string(), value: z.array(row) });
}

/** One created entity: the metadata link ends in `#<set>/@Element`, properties follow inline. */
export const mimRequestElementSchema = z.object({ 'odata.metadata': z.string(), ...mimRequestSchema.shape });
export type MimRequestElement = z.infer<typeof mimRequestElementSchema>;

/** The body (or query string: MIM accepts both) of `POST pamrequests`. */
export const mimCreateRequestSchema = z.object({
  Justification: z.string().max(2000).nullable().optional(),
  RoleId: z.union([z.string(), z.object({ Value: z.string() })]).optional(),
  RequestedTTL: z.union([z.number(), z.string()]).optional(),
  RequestedTime: z.string().nullable().optional(),
});
export type MimCreateRequest = z.infer<typeof mimCreateRequestSchema>;

// ---------------------------------------------------------------------------------------------
// `$filter` schemas: every property of each set, typed for the filter's literals.

export const MIM_ROLE_FILTER_SCHEMA: ODataSchema = {
  RoleId: 'guid',
  DisplayName: 'string',
  Description: 'string',
  TTL: 'number',
  AvailableFrom: 'datetime',
  AvailableTo: 'datetime',
  MFAEnabled: 'boolean',
  ApprovalEnabled: 'boolean',
  AvailabilityWindowEnabled: 'boolean',
};

export const MIM_REQUEST_FILTER_SCHEMA: ODataSchema = {
  RequestId: 'guid',
  CreatorID: 'guid',
  Justification: 'string',
  CreationTime: 'datetime',
  CreationMethod: 'string',
  ExpirationTime: 'datetime',
  RoleId: 'guid',
  RequestedTTL: 'number',
  RequestedTime: 'datetime',
  RequestStatus: 'string',
};

export const MIM_REQUEST_TO_APPROVE_FILTER_SCHEMA: ODataSchema = {
  RoleName: 'string',
  Requestor: 'string',
  Justification: 'string',
  RequestedTTL: 'number',
  RequestedTime: 'datetime',
  CreationTime: 'datetime',
  FIMRequestID: 'guid',
  RequestorID: 'guid',
  ApprovalObjectID: 'guid',
};

// ---------------------------------------------------------------------------------------------
// Values.

/**
 * An instant as MIM writes it: ISO-8601 UTC with `Z`, the fraction trimmed of trailing zeros the
 * way .NET round-trips it (`2015-07-11T22:24:52.51Z`, `2015-07-11T22:25:00Z`).
 */
export function mimDate(epochMsOrIso: number | string | null | undefined): string {
  if (epochMsOrIso === null || epochMsOrIso === undefined) return MIM_UNSET_DATE;
  const ms = typeof epochMsOrIso === 'number' ? epochMsOrIso : Date.parse(epochMsOrIso);
  if (!Number.isFinite(ms)) return MIM_UNSET_DATE;
  return new Date(ms).toISOString().replace(/\.?0+Z$/, 'Z');
}

/** Minutes (Coffre) to MIM's TTL: seconds, as an Int64 string. */
export const ttlSeconds = (minutes: number): string => String(Math.max(0, Math.round(minutes * 60)));

/** `{"Value": guid}`, MIM's wrapper for some identifiers. */
export const guidValue = (guid: string) => ({ Value: guid.toLowerCase() });

/** The `odata.metadata` link of a feed or element: `<base>/api/pamresources/%24metadata#<fragment>`. */
export function metadataLink(base: string, fragment: string): string {
  return `${base.replace(/\/+$/, '')}${MIM_PREFIX}/%24metadata#${fragment}`;
}

/** Checkout status (Devolutions numbers) to MIM's RequestStatus name. */
export function mimRequestStatus(status: CheckoutStatus): MimRequestStatus {
  switch (status) {
    case CheckoutStatus.Pending:
      return 'PendingApproval';
    case CheckoutStatus.Granted:
      return 'Scheduled';
    case CheckoutStatus.Active:
      return 'Active';
    case CheckoutStatus.Ended:
    case CheckoutStatus.Aborted:
    case CheckoutStatus.RequestCanceled:
      return 'Closed';
    case CheckoutStatus.Expired:
      return 'Expired';
    case CheckoutStatus.Denied:
      return 'Rejected';
    default:
      return 'Processing'; // Invalid, Initial: not a state a stored checkout is left in
  }
}

/**
 * The approval object of a pending request. MIM addresses approvals by their own id, distinct
 * from the request's; Coffre has no approval rows, so the id is derived from the checkout id
 * (SHA-256 of `approval:<checkoutId>`, first 16 bytes, stamped as a version-4 GUID): stable
 * across calls and restarts and different from the request id. It is not a secret (anyone who
 * knows the request id can compute it): deciding still requires being the request's approver.
 * The routes resolve it back by searching the caller's pending approvals.
 */
export function approvalObjectId(checkoutId: string): string {
  const bytes = createHash('sha256')
    .update(`approval:${checkoutId.toLowerCase()}`, 'utf8')
    .digest()
    .subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

// ---------------------------------------------------------------------------------------------
// Domain -> MIM.

/**
 * A credential as a PAM role. `TTL` is, as Microsoft documents it, the role's *maximum* access
 * time in seconds (the policy's maxDuration); Coffre has no availability windows and no MFA.
 */
export function toMimRole(credential: Credential): MimRole {
  return {
    RoleId: credential.id,
    DisplayName: credential.name,
    Description: credential.description === '' ? null : credential.description,
    TTL: ttlSeconds(credential.policy.maxDuration),
    AvailableFrom: MIM_UNSET_DATE,
    AvailableTo: MIM_UNSET_DATE,
    MFAEnabled: false,
    ApprovalEnabled: credential.policy.approvalMode === 'mandatory',
    AvailabilityWindowEnabled: false,
  };
}

/** When the elevation starts or started: the scheduled start, else the time of the request. */
const requestedTime = (checkout: Checkout) => mimDate(checkout.scheduledStart ?? checkout.requestDateTime);

/**
 * When the elevation ends: unset while nothing was granted (pending, rejected, canceled before
 * starting); the time it was closed or expired once it has ended; its planned end otherwise.
 */
function expirationTime(checkout: Checkout): string {
  switch (checkout.status) {
    case CheckoutStatus.Pending:
    case CheckoutStatus.Denied:
      return MIM_UNSET_DATE;
    case CheckoutStatus.RequestCanceled:
    case CheckoutStatus.Ended:
    case CheckoutStatus.Aborted:
    case CheckoutStatus.Expired:
      return checkout.checkoutDateTime === null ? MIM_UNSET_DATE : mimDate(checkout.checkInDateTime);
    default:
      return mimDate(checkout.expiresAt);
  }
}

/** A checkout as a PAM request (Get PAM requests / Create PAM request). */
export function toMimRequest(checkout: Checkout): MimRequest {
  return {
    RequestId: checkout.id,
    CreatorID: checkout.userID,
    Justification: checkout.reason === '' ? null : checkout.reason,
    CreationTime: mimDate(checkout.requestDateTime),
    CreationMethod: MIM_CREATION_METHOD,
    ExpirationTime: expirationTime(checkout),
    RoleId: checkout.credentialID,
    RequestedTTL: ttlSeconds(checkout.duration),
    RequestedTime: requestedTime(checkout),
    RequestStatus: mimRequestStatus(checkout.status),
  };
}

/** A pending checkout the caller may decide, exactly as seed 002 shows it. */
export function toMimRequestToApprove(checkout: Checkout): MimRequestToApprove {
  return {
    RoleName: checkout.credentialName,
    Requestor: checkout.username,
    Justification: checkout.reason,
    RequestedTTL: ttlSeconds(checkout.duration),
    RequestedTime: requestedTime(checkout),
    CreationTime: mimDate(checkout.requestDateTime),
    FIMRequestID: guidValue(checkout.id),
    RequestorID: guidValue(checkout.userID),
    ApprovalObjectID: guidValue(approvalObjectId(checkout.id)),
  };
}

/**
 * A request the server has just created: as Microsoft's "Create PAM request" examples show it,
 * its CreationTime is the server's local time with its offset (.NET's `DateTime.Now`), while the
 * other times are UTC.
 */
export function toMimCreatedRequest(checkout: Checkout, timeZone: string): MimRequest {
  const created = Date.parse(checkout.requestDateTime);
  return { ...toMimRequest(checkout), CreationTime: formatWithOffset(created, timeZone) };
}

/** The signed-in account as Windows names it, `DOMAIN\user` (Microsoft's "Get PAM session info"). */
export function toMimSessionInfo(actor: { username: string }, domain: string): MimSessionInfo {
  return { Username: `${domain}\\${actor.username}` };
}

// ---------------------------------------------------------------------------------------------
// MIM -> domain: request input. Mistakes are PamErrors (400), worded in MIM's terms.

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const invalid = (message: string) => new PamError('invalid_request', message);

/** `?v=`: absent or `1`. */
export function assertMimVersion(v: string | undefined): void {
  if (v === undefined || v === MIM_API_VERSION) return;
  throw invalid(
    `Unsupported API version v=${JSON.stringify(v)}: this server implements version ${MIM_API_VERSION}.`,
  );
}

/** RoleId as a GUID string or MIM's `{"Value": guid}` wrapper. */
export function parseRoleId(value: MimCreateRequest['RoleId']): string {
  if (value === undefined || value === '')
    throw invalid('RoleId is required: the GUID of the PAM role to request.');
  const raw = typeof value === 'string' ? value : value.Value;
  const bare = raw.trim().replace(/^guid'(.*)'$/, '$1');
  if (!GUID.test(bare)) throw invalid(`RoleId ${JSON.stringify(raw)} is not a GUID.`);
  return bare.toLowerCase();
}

/**
 * RequestedTTL in seconds (a number or a numeric string) to whole minutes, rounding up. `0` is
 * the sample portal's "Deactivate" (a request with no time left on an active role). A fraction is
 * accepted and rounded up: the portal multiplies hours typed by 3600 in floating point
 * (`1.1 * 3600` is `3960.0000000000005`) and jQuery sends the number as JavaScript writes it.
 */
export function parseRequestedTtl(value: MimCreateRequest['RequestedTTL']): {
  seconds: number;
  minutes: number;
} {
  if (value === undefined || value === '')
    throw invalid('RequestedTTL is required: the elevation time in seconds.');
  const text = typeof value === 'number' ? String(value) : value.trim();
  const number = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || !Number.isSafeInteger(Math.ceil(number))) {
    throw invalid(`RequestedTTL ${JSON.stringify(value)} is not a whole number of seconds (0 or more).`);
  }
  const seconds = Math.ceil(number);
  return { seconds, minutes: Math.ceil(seconds / 60) };
}

const REQUESTED_TIME =
  /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * RequestedTime: ISO-8601 (`2015-07-11T22:25:00Z`) or the `2015/07/11 23:40` form of Microsoft's
 * example and of the sample portal's date picker; without a zone it is the server's local time in
 * `timeZone` (MIM reads it so: `2015/07/11 23:40` on a server at -07:00 is `2015-07-12T06:40:00Z`).
 * Empty or absent means now. Returns epoch milliseconds, or null for "now".
 */
export function parseRequestedTime(
  value: MimCreateRequest['RequestedTime'],
  timeZone: string,
): number | null {
  if (value === undefined || value === null || value.trim() === '') return null;
  const m = REQUESTED_TIME.exec(value.trim());
  const fail = () =>
    invalid(`RequestedTime ${JSON.stringify(value)} is not a date and time (e.g. 2015-07-11T22:25:00Z).`);
  if (!m) throw fail();
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const millis = Number((m[7] ?? '').padEnd(3, '0').slice(0, 3));
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) throw fail();
  const local = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  if (new Date(local).getUTCDate() !== day) throw fail(); // e.g. February 30
  const zone = m[8]?.toUpperCase();
  if (!zone) return wallClockToEpoch(local, timeZone);
  if (zone === 'Z') return local;
  const zm = /^([+-])(\d{2}):?(\d{2})$/.exec(zone)!;
  const offset = (zm[1] === '-' ? -1 : 1) * (Number(zm[2]) * 60 + Number(zm[3]));
  if (Number(zm[2]) > 14 || Number(zm[3]) > 59) throw fail();
  return local - offset * 60_000;
}

/**
 * An entity key in a URL segment, `pamrequests(guid'5ec10e61-cdd1-404e-a18e-740467d87dbf')`.
 * Returns the set and the lowercase GUID; `undefined` when the segment names no known set (the
 * caller answers 404); throws a 400 when the set is known but the key is malformed.
 */
export function parseEntityKey(segment: string): { set: MimEntitySet; id: string } | undefined {
  const set = MIM_ENTITY_SETS.find((name) => segment === name || segment.startsWith(`${name}(`));
  if (!set) return undefined;
  const example = `${set}(guid'9802d7b7-b4e9-4fe4-8f5c-649cda127e49')`;
  if (segment === set) throw invalid(`Address one entry of ${set} by its key, as in ${example}.`);
  const rest = segment.slice(set.length);
  const key = /^\((.*)\)$/s.exec(rest)?.[1]?.trim();
  const guid = key === undefined ? undefined : /^guid'([^']*)'$/.exec(key)?.[1];
  if (guid === undefined || !GUID.test(guid)) {
    throw invalid(
      `The key ${JSON.stringify(rest)} is not a GUID literal in parentheses; write it as in ${example}.`,
    );
  }
  return { set, id: guid.toLowerCase() };
}

// ---------------------------------------------------------------------------------------------
// $metadata.

const CSDL_TYPES: Record<string, string> = {
  string: 'Edm.String',
  number: 'Edm.Int64',
  datetime: 'Edm.DateTime',
  guid: 'Edm.Guid',
  boolean: 'Edm.Boolean',
};
const WRAPPED = new Set(['FIMRequestID', 'RequestorID', 'ApprovalObjectID']);
const NAMESPACE = 'Coffre.PamResources';

function entityType(name: string, key: string | null, schema: ODataSchema): string {
  const properties = Object.entries(schema).map(([property, type]) => {
    const edm = WRAPPED.has(property) ? `${NAMESPACE}.UniqueIdentifier` : CSDL_TYPES[type];
    const nullable = type === 'string' && property !== key ? '' : ' Nullable="false"';
    return `        <Property Name="${property}" Type="${edm}"${nullable}/>`;
  });
  const keyXml = key ? [`        <Key><PropertyRef Name="${key}"/></Key>`] : [];
  return [`      <EntityType Name="${name}">`, ...keyXml, ...properties, '      </EntityType>'].join('\n');
}

const action = (name: string, bindingType: string) =>
  [
    `        <FunctionImport Name="${name}" IsBindable="true" IsSideEffecting="true" m:IsAlwaysBindable="true">`,
    `          <Parameter Name="bindingParameter" Type="${NAMESPACE}.${bindingType}"/>`,
    '        </FunctionImport>',
  ].join('\n');

/**
 * A minimal OData v3 service document (CSDL in EDMX) describing the four sets and the three
 * actions. Pending approvals have no primitive key: MIM wraps their ids as `{Value}` objects, and
 * they are addressed through `ApprovalObjectID/Value`.
 */
export function mimMetadataXml(): string {
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<edmx:Edmx Version="1.0" xmlns:edmx="http://schemas.microsoft.com/ado/2007/06/edmx">',
    '  <edmx:DataServices m:DataServiceVersion="3.0" m:MaxDataServiceVersion="3.0" xmlns:m="http://schemas.microsoft.com/ado/2007/08/dataservices/metadata">',
    `    <Schema Namespace="${NAMESPACE}" xmlns="http://schemas.microsoft.com/ado/2009/11/edm">`,
    '      <ComplexType Name="UniqueIdentifier">',
    '        <Property Name="Value" Type="Edm.Guid" Nullable="false"/>',
    '      </ComplexType>',
    entityType('PamRole', 'RoleId', MIM_ROLE_FILTER_SCHEMA),
    entityType('PamRequest', 'RequestId', MIM_REQUEST_FILTER_SCHEMA),
    entityType('PamRequestToApprove', null, MIM_REQUEST_TO_APPROVE_FILTER_SCHEMA),
    entityType('SessionInfo', 'Username', { Username: 'string' }),
    '      <EntityContainer Name="PamResources" m:IsDefaultEntityContainer="true">',
    `        <EntitySet Name="pamroles" EntityType="${NAMESPACE}.PamRole"/>`,
    `        <EntitySet Name="pamrequests" EntityType="${NAMESPACE}.PamRequest"/>`,
    `        <EntitySet Name="pamrequeststoapprove" EntityType="${NAMESPACE}.PamRequestToApprove"/>`,
    `        <EntitySet Name="sessioninfo" EntityType="${NAMESPACE}.SessionInfo"/>`,
    action('Close', 'PamRequest'),
    action('Approve', 'PamRequestToApprove'),
    action('Reject', 'PamRequestToApprove'),
    '      </EntityContainer>',
    '    </Schema>',
    '  </edmx:DataServices>',
    '</edmx:Edmx>',
    '',
  ].join('\n');
}
