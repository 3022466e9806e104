/**
 * Replays every request/response example of Microsoft's PAM REST API reference
 * (MicrosoftDocs/MIMDocs, MIMDocs/reference/privileged-access-management-*.md) against
 * `coffre-server --demo`. Each case names its page. The demo carries the examples' two roles
 * (ApprovalRole c28eab4a-…, Allow AD Access 8f5cec1a-…) and their requestor PRIV.Jen
 * (73257e5e-…); the server runs at -07:00 (America/Los_Angeles in July), as the examples' MIM did.
 *
 * The examples are HTTP transcripts: the request line is sent verbatim; answers are compared key
 * for key, with the example's own values where they do not depend on the run (ids the server
 * makes, the clock, the host).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_IDS } from '../../../server/demo.ts';
import { type ApiResponse, apiRequest, startTestServer, type TestServer } from '../../support/testServer.ts';
import { basic } from './jqueryPortal.ts';

const UNSET = '0001-01-01T00:00:00';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let server: TestServer;
/** A request line of the examples, sent as PRIV.Jen (or another demo user) with IIS Basic. */
let send: (line: string, user?: string) => Promise<ApiResponse>;

async function start(iso: string, options: { corsOrigins?: string[] } = {}) {
  server = await startTestServer({
    start: iso,
    mim: { domain: 'FIMCITONEBOXAD', timeZone: 'America/Los_Angeles' },
    ...options,
  });
  send = (line, user = 'PRIV.Jen') => {
    const [method, target] = line.split(' ') as [string, string];
    return apiRequest(server.url, method, target, undefined, { authorization: basic(user) });
  };
}
afterEach(() => server.stop());

/** Keys in order and JSON types, recursively. */
function shapeOf(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shapeOf);
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).map(([key, inner]) => [key, shapeOf(inner)]);
  }
  return typeof value;
}

/** The example's body with this run's host. */
const metadata = (fragment: string) => `${server.url}/api/pamresources/%24metadata#${fragment}`;

describe('privileged-access-management-get-roles.md', () => {
  beforeEach(() => start('2015-07-12T06:00:00.000Z'));

  it('GET /api/pamresources/pamroles', async () => {
    const response = await send('GET /api/pamresources/pamroles');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.body['odata.metadata']).toBe(metadata('pamroles'));
    const byId = new Map(response.body.value.map((role: { RoleId: string }) => [role.RoleId, role]));
    // Example: Response, both roles. Allow AD Access is the example's but for the trailing space
    // of its DisplayName; ApprovalRole's TTL is the demo's 8 hours (the example's role has 1 hour).
    expect(byId.get('8f5cec1a-ecba-42ec-b76d-e6e0e4bf4c62')).toEqual({
      RoleId: '8f5cec1a-ecba-42ec-b76d-e6e0e4bf4c62',
      DisplayName: 'Allow AD Access',
      Description: expect.any(String),
      TTL: '3600',
      AvailableFrom: UNSET,
      AvailableTo: UNSET,
      MFAEnabled: false,
      ApprovalEnabled: false,
      AvailabilityWindowEnabled: false,
    });
    expect(byId.get('c28eab4a-95cf-4c08-a153-d5e8a9e660cd')).toMatchObject({
      DisplayName: 'ApprovalRole',
      TTL: '28800',
      AvailableFrom: UNSET,
      AvailableTo: UNSET,
      MFAEnabled: false,
      ApprovalEnabled: true,
      AvailabilityWindowEnabled: false,
    });
    const example = {
      RoleId: '8f5cec1a-ecba-42ec-b76d-e6e0e4bf4c62',
      DisplayName: 'Allow AD Access ',
      Description: null,
      TTL: '3600',
      AvailableFrom: UNSET,
      AvailableTo: UNSET,
      MFAEnabled: false,
      ApprovalEnabled: false,
      AvailabilityWindowEnabled: false,
    };
    for (const role of response.body.value) {
      expect(Object.keys(role)).toEqual(Object.keys(example));
      expect(shapeOf({ ...role, Description: null })).toEqual(shapeOf(example));
    }
  });
});

describe('privileged-access-management-create-request.md', () => {
  // Response 1 was made at 2015-07-11T23:38:09.036164-07:00.
  beforeEach(() => start('2015-07-12T06:38:09.036Z'));

  it('Request 1: parameters in the query string, RequestedTime 2015/07/11 23:40 in server time', async () => {
    const response = await send(
      'POST /api/pamresources/pamrequests?Justification=Sample+Reason&RoleId=c28eab4a-95cf-4c08-a153-d5e8a9e660cd&RequestedTTL=7200&RequestedTime=2015%2F07%2F11+23%3A40',
    );
    expect(response.status, response.text).toBe(201);
    expect(response.body.RequestId).toMatch(GUID);
    expect(response.body).toEqual({
      'odata.metadata': metadata('pamrequests/@Element'),
      RequestId: response.body.RequestId,
      CreatorID: '73257e5e-00b3-4309-a330-f1e607ff113a',
      Justification: 'Sample Reason',
      CreationTime: '2015-07-11T23:38:09.036-07:00', // the example's 23:38:09.036164-07:00, to the millisecond
      CreationMethod: 'PAM Web API',
      ExpirationTime: UNSET,
      RoleId: 'c28eab4a-95cf-4c08-a153-d5e8a9e660cd',
      RequestedTTL: '7200',
      RequestedTime: '2015-07-12T06:40:00Z',
      RequestStatus: 'PendingApproval',
    });
    expect(response.text.startsWith('{"odata.metadata":')).toBe(true);
  });

  it('Request 2: empty Justification and RequestedTime (now)', async () => {
    server.clock.set(Date.parse('2015-07-12T06:07:30.220Z')); // Response 2: 23:07:30.2200123-07:00
    const response = await send(
      'POST /api/pamresources/pamrequests?Justification=&RoleId=c28eab4a-95cf-4c08-a153-d5e8a9e660cd&RequestedTTL=3600&RequestedTime=',
    );
    expect(response.status, response.text).toBe(201);
    expect(response.body).toEqual({
      'odata.metadata': metadata('pamrequests/@Element'),
      RequestId: response.body.RequestId,
      CreatorID: '73257e5e-00b3-4309-a330-f1e607ff113a',
      Justification: null,
      CreationTime: '2015-07-11T23:07:30.22-07:00',
      CreationMethod: 'PAM Web API',
      ExpirationTime: UNSET,
      RoleId: 'c28eab4a-95cf-4c08-a153-d5e8a9e660cd',
      RequestedTTL: '3600',
      RequestedTime: '2015-07-12T06:07:30.22Z',
      RequestStatus: 'PendingApproval',
    });
  });

  it("the same parameters as body properties (the page's note), JSON or form", async () => {
    const json = await apiRequest(
      server.url,
      'POST',
      '/api/pamresources/pamrequests?v=1',
      {
        Justification: 'Sample Reason',
        RoleId: DEMO_IDS.mimRoleCredential,
        RequestedTTL: '7200',
        RequestedTime: '2015/07/11 23:40',
      },
      { authorization: basic('PRIV.Jen') },
    );
    expect(json.status, json.text).toBe(201);
    expect(json.body.RequestedTime).toBe('2015-07-12T06:40:00Z');
    const form = await apiRequest(
      server.url,
      'POST',
      '/api/pamresources/pamrequests',
      `RoleId=${DEMO_IDS.mimOpenRoleCredential}&RequestedTTL=3600`,
      { authorization: basic('PRIV.Jen'), 'content-type': 'application/x-www-form-urlencoded' },
    );
    expect(form.status, form.text).toBe(201);
    expect(form.body.RequestStatus).toBe('Active');
  });
});

describe('privileged-access-management-create-request.md: "The v parameter can only be specified as a query parameter"', () => {
  beforeEach(() => start('2015-07-12T06:38:09.036Z'));

  it("a v among the body properties is not a version: the request is made at the query's v", async () => {
    const response = await apiRequest(
      server.url,
      'POST',
      '/api/pamresources/pamrequests?v=1',
      { RoleId: DEMO_IDS.mimOpenRoleCredential, RequestedTTL: '3600', v: '2' },
      { authorization: basic('PRIV.Jen') },
    );
    expect(response.status, response.text).toBe(201);
    expect(response.body.RequestStatus).toBe('Active');
  });
});

describe('privileged-access-management-get-requests.md', () => {
  beforeEach(() => start('2015-06-23T11:34:38.580Z'));

  it('GET pamrequests?$filter=CreationTime gt … and CreationTime lt … (Expired, Closed, Active, Rejected, PendingApproval)', async () => {
    const create = async (role: string, ttl: number, justification = '') => {
      const response = await send(
        `POST /api/pamresources/pamrequests?Justification=${justification}&RoleId=${role}&RequestedTTL=${ttl}`,
      );
      expect(response.status, response.text).toBe(201);
      return response.body.RequestId as string;
    };
    const approvalOf = async (requestId: string) => {
      const pending = await send('GET /api/pamresources/pamrequeststoapprove', 'alice');
      return pending.body.value.find((row: any) => row.FIMRequestID.Value === requestId).ApprovalObjectID
        .Value;
    };
    const expired = await create(DEMO_IDS.mimOpenRoleCredential, 3600); // 2015-06-23, runs out
    server.clock.set(Date.parse('2015-06-30T07:01:13.147Z'));
    const rejected = await create(DEMO_IDS.mimRoleCredential, 3600);
    expect(
      (
        await send(
          `POST /api/pamresources/pamrequeststoapprove(guid'${await approvalOf(rejected)}')/Reject`,
          'alice',
        )
      ).status,
    ).toBe(200);
    server.clock.set(Date.parse('2015-07-12T04:35:14.433Z'));
    const closed = await create(DEMO_IDS.mimOpenRoleCredential, 3600, 'Reason+for+Request');
    server.clock.set(Date.parse('2015-07-12T04:43:51.950Z'));
    expect((await send(`POST /api/pamresources/pamrequests(guid'${closed}')/Close`)).status).toBe(200);
    server.clock.set(Date.parse('2015-07-12T04:48:17.460Z'));
    const active = await create(DEMO_IDS.mimOpenRoleCredential, 3600);
    server.clock.set(Date.parse('2015-07-12T04:49:09.963Z'));
    const pending = await create(DEMO_IDS.mimRoleCredential, 3600, 'Example+Reason');
    server.clock.set(Date.parse('2015-07-12T04:49:32.432Z'));

    const response = await send(
      "GET /api/pamresources/pamrequests?$filter=CreationTime%20gt%20datetime'2015-06-12T04:49:32.431Z'%20and%20CreationTime%20lt%20datetime'2015-07-13T04:49:32.432Z'",
    );
    expect(response.status, response.text).toBe(200);
    expect(response.body['odata.metadata']).toBe(metadata('pamrequests'));
    const rows = new Map(response.body.value.map((row: any) => [row.RequestId, row]));
    expect(rows.size).toBe(5);
    expect(rows.get(expired)).toMatchObject({
      CreationTime: '2015-06-23T11:34:38.58Z',
      ExpirationTime: '2015-06-23T12:34:38.58Z',
      RequestStatus: 'Expired',
      Justification: null,
    });
    expect(rows.get(rejected)).toMatchObject({ ExpirationTime: UNSET, RequestStatus: 'Rejected' });
    expect(rows.get(closed)).toMatchObject({
      Justification: 'Reason for Request',
      CreationTime: '2015-07-12T04:35:14.433Z',
      ExpirationTime: '2015-07-12T04:43:51.95Z',
      RequestStatus: 'Closed',
    });
    expect(rows.get(active)).toMatchObject({
      ExpirationTime: '2015-07-12T05:48:17.46Z',
      RequestStatus: 'Active',
    });
    expect(rows.get(pending)).toMatchObject({
      Justification: 'Example Reason',
      ExpirationTime: UNSET,
      RequestStatus: 'PendingApproval',
    });
    // Every row has the example rows' keys, in order, with their JSON types.
    const example = {
      RequestId: 'b22e1343-9a2b-4e33-a70a-1bb7b2d405b9',
      CreatorID: '73257e5e-00b3-4309-a330-f1e607ff113a',
      Justification: 'Example Reason',
      CreationTime: '2015-06-23T11:34:38.58Z',
      CreationMethod: 'PAM Web API',
      ExpirationTime: '2015-06-23T12:34:38.847Z',
      RoleId: '8f5cec1a-ecba-42ec-b76d-e6e0e4bf4c62',
      RequestedTTL: '3600',
      RequestedTime: '2015-06-23T11:34:36.417Z',
      RequestStatus: 'Expired',
    };
    for (const row of response.body.value) {
      expect(shapeOf({ ...row, Justification: 'x' })).toEqual(shapeOf(example));
      expect(row.CreatorID).toBe(example.CreatorID);
      expect(row.CreationMethod).toBe('PAM Web API');
    }
  });
});

describe('privileged-access-management-get-requests.md: what the example rows were created with', () => {
  beforeEach(() => start('2015-07-12T04:35:14.433Z'));

  it("RequestedTTL 12960000 (150 days, the Closed and PendingApproval rows) is accepted, cut to the role's TTL", async () => {
    const open = await send(
      `POST /api/pamresources/pamrequests?Justification=Reason+for+Request&RoleId=${DEMO_IDS.mimOpenRoleCredential}&RequestedTTL=12960000`,
    );
    expect(open.status, open.text).toBe(201);
    expect(open.body).toMatchObject({ RequestStatus: 'Active', RequestedTTL: '3600' }); // a known difference
    const approval = await send(
      `POST /api/pamresources/pamrequests?Justification=Example+Reason&RoleId=${DEMO_IDS.mimRoleCredential}&RequestedTTL=12960000`,
    );
    expect(approval.status, approval.text).toBe(201);
    expect(approval.body).toMatchObject({ RequestStatus: 'PendingApproval', RequestedTTL: '28800' });
  });

  it('a RequestedTime a little before the request (the Expired and Closed rows: 2 s and 14 s) starts it now', async () => {
    // Closed row: RequestedTime 2015-07-12T04:35:00Z, CreationTime 04:35:14.433Z.
    const response = await send(
      `POST /api/pamresources/pamrequests?RoleId=${DEMO_IDS.mimOpenRoleCredential}&RequestedTTL=3600&RequestedTime=2015-07-12T04:35:00Z`,
    );
    expect(response.status, response.text).toBe(201);
    expect(response.body.RequestStatus).toBe('Active');
  });

  it('a RequestedTime a minute later on a role with approval (the PendingApproval row) waits for approval', async () => {
    server.clock.set(Date.parse('2015-07-12T04:49:09.963Z'));
    const response = await send(
      `POST /api/pamresources/pamrequests?Justification=Example+Reason&RoleId=${DEMO_IDS.mimRoleCredential}&RequestedTTL=3600&RequestedTime=2015-07-12T04:50:00Z`,
    );
    expect(response.status, response.text).toBe(201);
    expect(response.body).toMatchObject({
      RequestStatus: 'PendingApproval',
      RequestedTime: '2015-07-12T04:50:00Z',
      ExpirationTime: UNSET,
    });
  });
});

describe('privileged-access-management-close-request.md', () => {
  beforeEach(() => start('2015-07-12T04:49:09.963Z'));

  it("POST pamrequests(guid'…')/Close: 200, no body", async () => {
    const created = await send(
      `POST /api/pamresources/pamrequests?Justification=Example+Reason&RoleId=${DEMO_IDS.mimRoleCredential}&RequestedTTL=3600`,
    );
    const response = await send(`POST /api/pamresources/pamrequests(guid'${created.body.RequestId}')/Close`);
    expect(response.status, response.text).toBe(200);
    expect(response.text).toBe('');
  });
});

describe('privileged-access-management-get-pending-requests.md and approve-reject-pending-request.md', () => {
  beforeEach(() => start('2015-07-11T22:24:52.510Z'));

  it('GET pamrequeststoapprove, then Approve by ApprovalObjectID', async () => {
    const created = await send(
      `POST /api/pamresources/pamrequests?Justification=Justification+Reason&RoleId=${DEMO_IDS.mimRoleCredential}&RequestedTTL=3600&RequestedTime=2015-07-11T22:25:00Z`,
    );
    expect(created.status, created.text).toBe(201);
    const response = await send('GET /api/pamresources/pamrequeststoapprove', 'alice');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      'odata.metadata': metadata('pamrequeststoapprove'),
      value: [
        {
          RoleName: 'ApprovalRole',
          Requestor: 'PRIV.Jen',
          Justification: 'Justification Reason',
          RequestedTTL: '3600',
          RequestedTime: '2015-07-11T22:25:00Z',
          CreationTime: '2015-07-11T22:24:52.51Z',
          FIMRequestID: { Value: created.body.RequestId },
          RequestorID: { Value: '73257e5e-00b3-4309-a330-f1e607ff113a' },
          ApprovalObjectID: { Value: expect.stringMatching(GUID) },
        },
      ],
    });
    const approvalId = response.body.value[0].ApprovalObjectID.Value;
    const approved = await send(
      `POST /api/pamresources/pamrequeststoapprove(guid'${approvalId}')/Approve`,
      'alice',
    );
    expect(approved.status, approved.text).toBe(200);
    expect(approved.text).toBe('');
  });

  it('Reject', async () => {
    await send(`POST /api/pamresources/pamrequests?RoleId=${DEMO_IDS.mimRoleCredential}&RequestedTTL=3600`);
    const approvalId = (await send('GET /api/pamresources/pamrequeststoapprove', 'maurice')).body.value[0]
      .ApprovalObjectID.Value;
    const rejected = await send(
      `POST /api/pamresources/pamrequeststoapprove(guid'${approvalId}')/Reject`,
      'maurice',
    );
    expect(rejected.status, rejected.text).toBe(200);
  });
});

describe('privileged-access-management-get-session-info.md', () => {
  beforeEach(() => start('2015-07-12T06:00:00.000Z'));

  it('GET /api/pamresources/sessioninfo/ (with its trailing slash)', async () => {
    const response = await send('GET /api/pamresources/sessioninfo/');
    expect(response.status, response.text).toBe(200);
    expect(response.body).toEqual({
      'odata.metadata': metadata('sessioninfo'),
      value: [{ Username: 'FIMCITONEBOXAD\\PRIV.Jen' }],
    });
  });
});

describe('privileged-access-management-rest-api-service-details.md', () => {
  beforeEach(() => start('2015-02-01T08:00:00.000Z', { corsOrigins: ['http://pamsrv:8090'] }));

  it('Versioning: ?v=1 is the current version; another is refused', async () => {
    expect((await send('GET /api/pamresources/pamrequests?v=1')).status).toBe(200);
    const v2 = await send('GET /api/pamresources/pamrequests?v=2');
    expect(v2.status).toBe(400);
    expect(v2.body['odata.error'].message.value).toMatch(/version/);
  });

  it('Filtering: both sample requests, trailing space included', async () => {
    const between = await send(
      "GET /api/pamresources/pamrequests?$filter=ExpirationTime%20gt%20datetime'2015-01-09T08:26:49.721Z'%20and%20ExpirationTime%20lt%20datetime'2015-02-10T08:26:49.722Z'%20",
    );
    expect(between.status, between.text).toBe(200);
    const role = await send(
      "GET /api/pamresources/pamroles?$filter=DisplayName%20eq%20'SQL%20File%20Access'%20",
    );
    expect(role.status, role.text).toBe(200);
    expect(role.body.value).toEqual([]);
    const approvalRole = await send(
      "GET /api/pamresources/pamroles?$filter=DisplayName%20eq%20'ApprovalRole'",
    );
    expect(approvalRole.body.value.map((r: any) => r.RoleId)).toEqual([DEMO_IDS.mimRoleCredential]);
  });

  it('Security: no credentials, 401 in OData shape, offering the schemes IIS would', async () => {
    const response = await apiRequest(server.url, 'GET', '/api/pamresources/pamroles');
    expect(response.status).toBe(401);
    expect(Object.keys(response.body)).toEqual(['odata.error']);
    expect(response.headers.get('www-authenticate')).toMatch(/^Basic realm="FIMCITONEBOXAD"/);
    const wrong = await send('GET /api/pamresources/pamroles', 'nobody');
    expect(wrong.status).toBe(401);
  });

  it('Error handling: 403 Forbidden, OData compliant, application/json', async () => {
    // Close: "a request that it initiated"; another account closing it is refused.
    const created = await send(
      `POST /api/pamresources/pamrequests?RoleId=${DEMO_IDS.mimRoleCredential}&RequestedTTL=3600`,
    );
    const closed = await send(
      `POST /api/pamresources/pamrequests(guid'${created.body.RequestId}')/Close`,
      'alice',
    );
    expect(closed.status, closed.text).toBe(403);
    // Approve: the requester deciding their own request.
    const approvalId = (await send('GET /api/pamresources/pamrequeststoapprove', 'alice')).body.value[0]
      .ApprovalObjectID.Value;
    const own = await send(`POST /api/pamresources/pamrequeststoapprove(guid'${approvalId}')/Approve`);
    expect(own.status, own.text).toBe(403);
    for (const refused of [closed, own]) {
      expect(refused.headers.get('content-type')).toMatch(/^application\/json/);
      expect(Object.keys(refused.body)).toEqual(['odata.error']);
      expect(refused.body['odata.error']).toMatchObject({
        code: expect.any(String),
        message: { lang: 'en-US', value: expect.any(String) },
      });
    }
  });

  it('CORS: the web.config headers for the listed origin (credentials, content-type)', async () => {
    const preflight = await apiRequest(server.url, 'OPTIONS', '/api/pamresources/pamrequests', undefined, {
      origin: 'http://pamsrv:8090',
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type',
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://pamsrv:8090');
    expect(preflight.headers.get('access-control-allow-credentials')).toBe('true');
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/content-type/);
    const other = await apiRequest(server.url, 'OPTIONS', '/api/pamresources/pamrequests', undefined, {
      origin: 'http://elsewhere:8090',
      'access-control-request-method': 'POST',
    });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    expect(other.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('a body in another media type: 415 naming both forms the dialect reads (JSON, as the reference; form, as jQuery)', async () => {
    const response = await apiRequest(
      server.url,
      'POST',
      '/api/pamresources/pamrequests',
      `<Request RoleId="${DEMO_IDS.mimRoleCredential}"/>`,
      { authorization: basic('PRIV.Jen'), 'content-type': 'application/xml' },
    );
    expect(response.status).toBe(415);
    expect(response.body['odata.error'].code).toBe('unsupported_media_type');
    const message: string = response.body['odata.error'].message.value;
    expect(message).toContain('application/json');
    expect(message).toContain('application/x-www-form-urlencoded');
  });

  it('step-4 of the lab guide: GET /api/pamresources/pamroles/ (trailing slash)', async () => {
    const response = await send('GET /api/pamresources/pamroles/');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  });
});
