/**
 * Microsoft's PAM sample portal, as its browser sends it: Azure/identity-management-samples,
 * Privileged-Access-Management-Portal/src/js/pamRestApi.js and utils.js, with jQuery 2.1.1's
 * `$.ajax` defaults (src/packages/jquery-2.1.1). Each function below is one function of
 * pamRestApi.js, sending what that function sends:
 *
 * - the URL is `GlobalConfig.pamRespApiUrl + objectPath + filter`, the filter string glued on
 *   unencoded (the browser percent-encodes its spaces when it sends it);
 * - `data: {...}` on a POST is `$.param(data)` (encodeURIComponent, `%20` as `+`, null as empty)
 *   with jQuery's default `Content-Type: application/x-www-form-urlencoded; charset=UTF-8`;
 * - a POST without data has no body and no Content-Type;
 * - `dataType: 'json'` sets `Accept: application/json, text/javascript, *\/*; q=0.01`;
 * - the portal runs on its own site (port 8090 in Microsoft's lab), so every call is cross-origin
 *   (`Origin`), with `xhrFields.withCredentials` (the browser's Windows sign-in; here HTTP Basic).
 *
 * The browser refuses a cross-origin answer without `Access-Control-Allow-Origin` equal to the
 * page's origin and `Access-Control-Allow-Credentials: true`: `send` checks both, as it would.
 */
import { expect } from 'vitest';

export const PORTAL_ORIGIN = 'http://pamsrv:8090';
const JSON_ACCEPT = 'application/json, text/javascript, */*; q=0.01';

export interface PortalResponse {
  status: number;
  headers: Headers;
  text: string;
  /** jqXHR.responseJSON: the body parsed when it is JSON. */
  json: any;
}

/** jQuery 2.1.1 `jQuery.param` for a flat object. */
export function jqueryParam(data: Record<string, unknown>): string {
  return Object.entries(data)
    .map(
      ([key, value]) =>
        `${encodeURIComponent(key)}=${encodeURIComponent(value == null ? '' : String(value))}`,
    )
    .join('&')
    .replace(/%20/g, '+');
}

/** The portal's calls, against `baseUrl` (its utils.js `pamRespApiUrl` without `/api/pamresources/`). */
export class SamplePortal {
  readonly apiUrl: string;
  private readonly authorization: string;
  private readonly origin: string;

  constructor(baseUrl: string, authorization: string, origin = PORTAL_ORIGIN) {
    this.apiUrl = `${baseUrl}/api/pamresources/`;
    this.authorization = authorization;
    this.origin = origin;
  }

  /** utils.js BuildPamRestApiUrl. */
  private url(objectPath: string, filter?: string): string {
    return this.apiUrl + objectPath + (filter ?? '');
  }

  private async send(
    type: 'GET' | 'POST',
    url: string,
    options: { json?: boolean; data?: Record<string, unknown> } = {},
  ): Promise<PortalResponse> {
    const headers: Record<string, string> = {
      Origin: this.origin,
      Authorization: this.authorization,
      Accept: options.json ? JSON_ACCEPT : '*/*',
    };
    let body: string | undefined;
    if (options.data) {
      body = jqueryParam(options.data);
      headers['Content-Type'] = 'application/x-www-form-urlencoded; charset=UTF-8';
    }
    // new URL() percent-encodes what the browser would (spaces in the filter), nothing more.
    const response = await fetch(new URL(url).href, { method: type, headers, body });
    const text = await response.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    // What the browser demands before it lets the page read a credentialed cross-origin answer.
    expect(response.headers.get('access-control-allow-origin'), `${type} ${url}`).toBe(this.origin);
    expect(response.headers.get('access-control-allow-credentials'), `${type} ${url}`).toBe('true');
    return { status: response.status, headers: response.headers, text, json };
  }

  /** pamRestApi.js getPamRoles. */
  getPamRoles(filter?: string) {
    return this.send('GET', this.url('pamroles', filter), { json: true });
  }

  /** pamRestApi.js getPamRequests. */
  getPamRequests(filter?: string) {
    return this.send('GET', this.url('pamrequests', filter), { json: true });
  }

  /** pamRestApi.js createPamRequest: the form body of `{Justification, RoleId, RequestedTTL, RequestedTime}`. */
  createPamRequest(reqJustification: string, reqRoleId: string, reqTTL: number, reqTime: string) {
    const requestJson = {
      Justification: reqJustification,
      RoleId: reqRoleId,
      RequestedTTL: reqTTL,
      RequestedTime: reqTime,
    };
    return this.send('POST', this.url('pamrequests'), { data: requestJson });
  }

  /** pamRestApi.js SetPamRequestToApprove. */
  setPamRequestToApprove(approvalobjectid: string, isApproved: boolean) {
    const actionString = isApproved ? 'Approve' : 'Reject';
    const guidString = `(guid'${approvalobjectid}')/${actionString}`;
    return this.send('POST', this.url('pamrequeststoapprove', guidString));
  }

  /** pamRestApi.js getPamRequestsToApprove. */
  getPamRequestsToApprove(filter?: string) {
    return this.send('GET', this.url('pamrequeststoapprove', filter), { json: true });
  }

  /** pamRestApi.js ClosePamRequest. */
  closePamRequest(closeobjectid: string) {
    const guidString = `(guid'${closeobjectid}')/Close`;
    return this.send('POST', this.url('pamrequests', guidString));
  }

  /** pamRestApi.js getSessionInfo (called by utils.js on every page). */
  getSessionInfo() {
    return this.send('GET', this.url('sessioninfo'), { json: true });
  }

  /**
   * pamRestApi.js getPamRolesExtendInfo (roles.js): the roles, each with the ExpirationTime of an
   * active request of it ("" when none), from `$filter=ExpirationTime gt datetime'<now>'`.
   */
  async getPamRolesExtendInfo(now: Date): Promise<Array<Record<string, any>>> {
    const roles = await this.getPamRoles();
    const activeRequestsFilter = `?$filter=ExpirationTime gt datetime'${now.toISOString()}'`;
    const active = await this.getPamRequests(activeRequestsFilter);
    expect(roles.status, roles.text).toBe(200);
    expect(active.status, active.text).toBe(200);
    const activeRequestHash: Record<string, string> = {};
    for (const request of active.json.value) activeRequestHash[request.RoleId] = request.ExpirationTime;
    return roles.json.value.map((role: Record<string, any>) => ({
      ...role,
      ExpirationTime: activeRequestHash[role.RoleId] ?? '',
    }));
  }

  /**
   * pamRestApi.js getPamRequestsExtendInfo (requests.js): requests created between two dates, or
   * after one, or before one, or all of them: its four branches.
   */
  async getPamRequestsExtendInfo(fromDate?: Date, toDate?: Date): Promise<Array<Record<string, any>>> {
    const roles = await this.getPamRoles();
    let dateRequestsFilter = '';
    if (fromDate !== undefined && toDate !== undefined) {
      dateRequestsFilter =
        `?$filter=CreationTime gt datetime'${fromDate.toISOString()}'` +
        ' and ' +
        `CreationTime lt datetime'${toDate.toISOString()}'`;
    } else if (fromDate !== undefined) {
      dateRequestsFilter = `?$filter=CreationTime gt datetime'${fromDate.toISOString()}'`;
    } else if (toDate !== undefined) {
      dateRequestsFilter = `?$filter=CreationTime lt datetime'${toDate.toISOString()}'`;
    }
    const requests = await this.getPamRequests(dateRequestsFilter);
    expect(requests.status, requests.text).toBe(200);
    const rolesHash: Record<string, string> = {};
    for (const role of roles.json.value) rolesHash[role.RoleId] = role.DisplayName;
    return requests.json.value.map((request: Record<string, any>) => ({
      ...request,
      RoleDisplayName: rolesHash[request.RoleId] ?? '',
    }));
  }
}

/** roles.js: the "Activate"/"Extend Activation" button reads the role's TTL as hours, to 2 decimals. */
export const roleTtlHours = (role: Record<string, any>) => Math.round(Number(role.TTL) / 36) / 100;

/** roles.js: "Extend Activation" and "Deactivate" show when the role has an ExpirationTime. */
export const isRoleActive = (role: Record<string, any>) => role.ExpirationTime.trim() !== '';

/** requests.js closeButton: which button a request row shows. */
export function closeButtonOf(request: Record<string, any>): 'Deactivate' | 'Close' | '' {
  if (request.RequestStatus === 'Active') return 'Deactivate';
  if (['Scheduled', 'PendingApproval', 'PendingMFA'].includes(request.RequestStatus)) return 'Close';
  return '';
}

/** IIS Basic authentication: `DOMAIN\user:password`. */
export const basic = (user: string, password = 'coffre-demo') =>
  `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;
