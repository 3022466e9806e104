import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_IDS } from '../../../server/demo.ts';
import { approvalObjectId } from '../../../server/mim/mimMapping.ts';
import {
  type ApiResponse,
  apiRequest,
  type Session,
  startTestServer,
  type TestServer,
} from '../../support/testServer.ts';

const MIM = '/api/pamresources';
const UNSET = '0001-01-01T00:00:00';
const POSTGRES = 'c2000000-0000-4000-8000-000000000004'; // approval by alice, reason mandatory
const JUMP_HOST = 'c2000000-0000-4000-8000-000000000003'; // no approval
const ENTERPRISE_ADMIN = 'c2000000-0000-4000-8000-000000000002'; // maxDuration 60

/** The example body of seed 002 (Microsoft's "Get pending PAM requests"), verbatim. */
const SEED_002 = `{
"odata.metadata":"http://localhost:8086/api/pamresources/%24metadata#pamrequeststoapprove",
"value":[
{
"RoleName":"ApprovalRole",
"Requestor":"PRIV.Jen",
"Justification":"Justification Reason",
"RequestedTTL":"3600",
"RequestedTime":"2015-07-11T22:25:00Z",
"CreationTime":"2015-07-11T22:24:52.51Z",
"FIMRequestID":{
"Value":"9802d7b7-b4e9-4fe4-8f5c-649cda127e49"
},
"RequestorID":{
"Value":"73257e5e-00b3-4309-a330-f1e607ff113a"
},
"ApprovalObjectID":{
"Value":"5dbd9d0c-0a9d-4f75-8cbd-ff6ffdc00143"
}
}
]
}`;

/** Keys (in order) and JSON types, recursively: what "field for field" compares. */
function shapeOf(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shapeOf);
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).map(([key, inner]) => [key, shapeOf(inner)]);
  }
  return value === null ? 'null' : typeof value;
}

function expectODataError(response: ApiResponse, status: number, code: string): string {
  expect(response.status, response.text).toBe(status);
  expect(Object.keys(response.body)).toEqual(['odata.error']);
  expect(Object.keys(response.body['odata.error'])).toEqual(['code', 'message']);
  expect(response.body['odata.error'].code).toBe(code);
  expect(response.body['odata.error'].message.lang).toBe('en-US');
  expect(typeof response.body['odata.error'].message.value).toBe('string');
  return response.body['odata.error'].message.value as string;
}

const filterUrl = (set: string, filter: string, extra = '') =>
  `${MIM}/${set}?$filter=${encodeURIComponent(filter)}${extra}`;

let server: TestServer;
let jen: Session;
let alice: Session;

async function startAt(iso: string) {
  server = await startTestServer({ start: iso });
  jen = await server.as('PRIV.Jen');
  alice = await server.as('alice');
}
afterEach(() => server.stop());

async function requestRole(session: Session, body: Record<string, unknown>): Promise<string> {
  const created = await session.request('POST', `${MIM}/pamrequests`, body);
  expect(created.status, created.text).toBe(201);
  return created.body.RequestId as string;
}

const approvalsOf = async (session: Session) =>
  (await session.request('GET', `${MIM}/pamrequeststoapprove`)).body.value;
const requestOf = async (session: Session, id: string) =>
  (await session.request('GET', `${MIM}/pamrequests`)).body.value.find(
    (r: { RequestId: string }) => r.RequestId === id,
  );

describe('the seed 002 scenario: PRIV.Jen requests ApprovalRole, alice approves', () => {
  beforeEach(() => startAt('2015-07-11T22:24:52.510Z'));

  it('alice sees the pending request exactly as seed 002 shows it', async () => {
    const created = await jen.request('POST', `${MIM}/pamrequests`, {
      Justification: 'Justification Reason',
      RoleId: DEMO_IDS.mimRoleCredential,
      RequestedTTL: 3600,
      RequestedTime: '2015-07-11T22:25:00Z',
    });
    expect(created.status, created.text).toBe(201);
    const id = created.body.RequestId as string;
    expect(created.headers.get('location')).toBe(`${server.url}${MIM}/pamrequests(guid'${id}')`);
    expect(created.body).toEqual({
      'odata.metadata': `${server.url}${MIM}/%24metadata#pamrequests/@Element`,
      RequestId: id,
      CreatorID: DEMO_IDS.jen,
      Justification: 'Justification Reason',
      // Just created: the server's local time with its offset, as in Microsoft's Create examples.
      CreationTime: '2015-07-11T22:24:52.51+00:00',
      CreationMethod: 'PAM Web API',
      ExpirationTime: UNSET,
      RoleId: DEMO_IDS.mimRoleCredential,
      RequestedTTL: '3600',
      RequestedTime: '2015-07-11T22:25:00Z',
      RequestStatus: 'PendingApproval',
    });

    const response = await alice.request('GET', `${MIM}/pamrequeststoapprove`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const seed = JSON.parse(SEED_002);
    // Same keys in the same order, same JSON types, all the way down.
    expect(shapeOf(response.body)).toEqual(shapeOf(seed));
    // And the same values, but for this run's host and ids.
    const approvalId = response.body.value[0].ApprovalObjectID.Value as string;
    expect(approvalId).toBe(approvalObjectId(id));
    expect(approvalId).not.toBe(id);
    expect(approvalId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const expected = SEED_002.replace('http://localhost:8086', server.url)
      .replace('9802d7b7-b4e9-4fe4-8f5c-649cda127e49', id)
      .replace('5dbd9d0c-0a9d-4f75-8cbd-ff6ffdc00143', approvalId);
    expect(response.text).toBe(JSON.stringify(JSON.parse(expected)));
    // Stable: the same approval id on every read.
    expect((await approvalsOf(alice))[0].ApprovalObjectID.Value).toBe(approvalId);
  });

  it('Approve makes the request Scheduled, then Active at its time; Close ends it (Closed)', async () => {
    const id = await requestRole(jen, {
      Justification: 'Justification Reason',
      RoleId: DEMO_IDS.mimRoleCredential,
      RequestedTTL: '3600',
      RequestedTime: '2015-07-11T22:25:00Z',
    });
    const approve = await alice.request(
      'POST',
      `${MIM}/pamrequeststoapprove(guid'${approvalObjectId(id)}')/Approve`,
    );
    expect(approve.status, approve.text).toBe(200);
    expect(approve.text).toBe('');
    expect(await approvalsOf(alice)).toEqual([]);
    expect(await requestOf(jen, id)).toMatchObject({
      RequestStatus: 'Scheduled',
      ExpirationTime: '2015-07-11T23:25:00Z',
    });

    server.clock.set(Date.parse('2015-07-11T22:25:30Z'));
    expect(await requestOf(jen, id)).toMatchObject({
      RequestStatus: 'Active',
      RequestedTime: '2015-07-11T22:25:00Z',
      ExpirationTime: '2015-07-11T23:25:00Z',
    });

    server.clock.set(Date.parse('2015-07-11T22:40:00.250Z'));
    const close = await jen.request('POST', `${MIM}/pamrequests(guid'${id}')/Close`);
    expect(close.status, close.text).toBe(200);
    expect(await requestOf(jen, id)).toMatchObject({
      RequestStatus: 'Closed',
      ExpirationTime: '2015-07-11T22:40:00.25Z',
    });
    expectODataError(
      await jen.request('POST', `${MIM}/pamrequests(guid'${id}')/Close`),
      409,
      'invalid_transition',
    );
  });
});

describe('requests', () => {
  beforeEach(() => startAt('2026-01-01T09:00:00.000Z'));

  it('an immediate approval goes to alice and Approve makes it Active at once', async () => {
    const id = await requestRole(jen, {
      RoleId: { Value: DEMO_IDS.mimRoleCredential },
      RequestedTTL: '3600',
      Justification: ' ticket 42 ',
    });
    const [approval] = await approvalsOf(alice);
    expect(approval).toMatchObject({ FIMRequestID: { Value: id }, RequestedTime: '2026-01-01T09:00:00Z' });
    expect(
      (
        await alice.request(
          'POST',
          `${MIM}/pamrequeststoapprove(guid'${approval.ApprovalObjectID.Value}')/Approve`,
        )
      ).status,
    ).toBe(200);
    expect(await requestOf(jen, id)).toMatchObject({
      RequestStatus: 'Active',
      Justification: 'ticket 42',
      ExpirationTime: '2026-01-01T10:00:00Z',
    });
    // The same request, by key.
    const one = await jen.request('GET', `${MIM}/pamrequests(guid'${id}')`);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ RequestId: id, RequestStatus: 'Active' });
    expect(one.body['odata.metadata']).toBe(`${server.url}${MIM}/%24metadata#pamrequests/@Element`);
    // Closing an active request checks it in.
    expect((await jen.request('POST', `${MIM}/pamrequests(guid'${id}')/Close`)).status).toBe(200);
    expect(await requestOf(jen, id)).toMatchObject({
      RequestStatus: 'Closed',
      ExpirationTime: '2026-01-01T09:00:00Z',
    });
  });

  it("a pooled request keeps the approver who decided it (any of the role's; both stores)", async () => {
    const maurice = await server.as('maurice');
    const id = await requestRole(jen, { RoleId: DEMO_IDS.mimRoleCredential, RequestedTTL: 3600 });
    // Addressed to the role's approvers, no one in particular, until one of them decides.
    expect((await server.ctx.store.getCheckout(id))?.approverId).toBeNull();
    const approve = await maurice.request(
      'POST',
      `${MIM}/pamrequeststoapprove(guid'${approvalObjectId(id)}')/Approve`,
    );
    expect(approve.status, approve.text).toBe(200);
    expect((await server.ctx.store.getCheckout(id))?.approverId).toBe(DEMO_IDS.maurice);
    // The decider reads it back like the requester (the checkout dialect shows it to both).
    const asMaurice = await maurice.request('GET', `/api/pam/checkouts/${id}`);
    expect(asMaurice.status, asMaurice.text).toBe(200);
    expect(asMaurice.body).toMatchObject({ approverID: DEMO_IDS.maurice, status: 4 });
    const asJen = await jen.request('GET', `/api/pam/checkouts/${id}`);
    expect(asJen.body.approverID).toBe(DEMO_IDS.maurice);
  });

  it('Reject: the request is Rejected, leaves the list and cannot be decided again', async () => {
    const bob = await server.as('bob');
    const id = await requestRole(bob, { RoleId: POSTGRES, RequestedTTL: 1800, Justification: 'vacuum' });
    const approvalId = approvalObjectId(id);
    const reject = await alice.request('POST', `${MIM}/pamrequeststoapprove(guid'${approvalId}')/Reject`);
    expect(reject.status, reject.text).toBe(200);
    expect(await requestOf(bob, id)).toMatchObject({ RequestStatus: 'Rejected', ExpirationTime: UNSET });
    expect(await approvalsOf(alice)).toEqual([]);
    expectODataError(
      await alice.request('POST', `${MIM}/pamrequeststoapprove(guid'${approvalId}')/Approve`),
      404,
      'not_found',
    );
  });

  it('Close cancels a pending request', async () => {
    const id = await requestRole(jen, {
      RoleId: DEMO_IDS.mimRoleCredential,
      RequestedTTL: 3600,
      Justification: 'ticket 42',
    });
    expect((await jen.request('POST', `${MIM}/pamrequests(guid'${id}')/Close`)).status).toBe(200);
    expect(await requestOf(jen, id)).toMatchObject({ RequestStatus: 'Closed', ExpirationTime: UNSET });
    expect(await approvalsOf(alice)).toEqual([]);
  });

  it('a role without approval is Active at once; parameters may come in the query string, as in MIM', async () => {
    const bob = await server.as('bob');
    const created = await bob.request(
      'POST',
      `${MIM}/pamrequests?Justification=Sample+Reason&RoleId=${JUMP_HOST}&RequestedTTL=7200&RequestedTime=`,
    );
    expect(created.status, created.text).toBe(201);
    expect(created.body).toMatchObject({
      Justification: 'Sample Reason',
      RoleId: JUMP_HOST,
      RequestedTTL: '7200',
      RequestedTime: '2026-01-01T09:00:00Z',
      ExpirationTime: '2026-01-01T11:00:00Z',
      RequestStatus: 'Active',
    });
    expect(created.body).not.toHaveProperty('password');
    // The `2015/07/11 23:40` form of Microsoft's example is read as UTC.
    const later = await bob.request(
      'POST',
      `${MIM}/pamrequests?RoleId=c2000000-0000-4000-8000-000000000005&RequestedTTL=3600&RequestedTime=2026%2F01%2F01+23%3A40`,
    );
    expect(later.status, later.text).toBe(201);
    expect(later.body).toMatchObject({ RequestedTime: '2026-01-01T23:40:00Z', RequestStatus: 'Scheduled' });
  });

  it('RequestedTTL is seconds, rounded up to whole minutes, within the role bounds', async () => {
    const bob = await server.as('bob');
    const created = await bob.request('POST', `${MIM}/pamrequests`, {
      RoleId: JUMP_HOST,
      RequestedTTL: '601',
    });
    expect(created.status, created.text).toBe(201);
    expect(created.body.RequestedTTL).toBe('660');
    expect(created.body.Justification).toBeNull(); // none given: null, as MIM writes it
    const tooShort = await jen.request('POST', `${MIM}/pamrequests`, {
      RoleId: ENTERPRISE_ADMIN,
      RequestedTTL: 60,
    });
    expect(expectODataError(tooShort, 422, 'duration_out_of_bounds')).toContain('at least 600 seconds');
    // Longer than the role's TTL: accepted and cut to it (Microsoft's Request 1 asks 7200 s of a
    // role whose TTL is 3600 and gets PendingApproval).
    const tooLong = await jen.request('POST', `${MIM}/pamrequests`, {
      RoleId: ENTERPRISE_ADMIN,
      RequestedTTL: 3601,
      Justification: 'Maintenance',
    });
    expect(tooLong.status, tooLong.text).toBe(201);
    expect(tooLong.body.RequestedTTL).toBe('3600');
  });

  it('refuses malformed or impossible requests', async () => {
    const post = (body: unknown) => jen.request('POST', `${MIM}/pamrequests`, body);
    expect(expectODataError(await post({ RequestedTTL: 3600 }), 400, 'invalid_request')).toContain('RoleId');
    expectODataError(await post({ RoleId: 'not-a-guid', RequestedTTL: 3600 }), 400, 'invalid_request');
    expect(expectODataError(await post({ RoleId: JUMP_HOST }), 400, 'invalid_request')).toContain(
      'RequestedTTL',
    );
    expectODataError(await post({ RoleId: JUMP_HOST, RequestedTTL: 'soon' }), 400, 'invalid_request');
    expectODataError(await post({ RoleId: JUMP_HOST, RequestedTTL: -60 }), 400, 'invalid_request');
    expectODataError(
      await post({ RoleId: JUMP_HOST, RequestedTTL: 3600, RequestedTime: 'tomorrow' }),
      400,
      'invalid_request',
    );
    const unknown = await post({ RoleId: '00000000-0000-4000-8000-000000000000', RequestedTTL: 3600 });
    expect(expectODataError(unknown, 404, 'not_found')).toContain('PAM role');
    // A reason-mandatory role without Justification.
    const bob = await server.as('bob');
    expectODataError(
      await bob.request('POST', `${MIM}/pamrequests`, { RoleId: POSTGRES, RequestedTTL: 3600 }),
      422,
      'reason_required',
    );
    // maurice is the only approver of his role, which allows self-approval: his request waits for him.
    const maurice = await server.as('maurice');
    const self = await maurice.request('POST', `${MIM}/pamrequests`, {
      RoleId: DEMO_IDS.selfApprovalCredential,
      RequestedTTL: 3600,
    });
    expect(self.status, self.text).toBe(201);
    expect(self.body.RequestStatus).toBe('PendingApproval');
    expect(
      (await approvalsOf(maurice)).map((a: { FIMRequestID: { Value: string } }) => a.FIMRequestID.Value),
    ).toEqual([self.body.RequestId]);
  });
});

describe('authorization', () => {
  beforeEach(() => startAt('2026-01-01T09:00:00.000Z'));

  it('401 without a token, with a wrong one and with an expired one, in OData shape', async () => {
    for (const [method, url] of [
      ['GET', `${MIM}/pamroles`],
      ['GET', `${MIM}/pamrequeststoapprove`],
      ['POST', `${MIM}/pamrequests`],
      ['POST', `${MIM}/pamrequeststoapprove(guid'${approvalObjectId(DEMO_IDS.jen)}')/Approve`],
      ['GET', `${MIM}/sessioninfo`],
    ] as const) {
      expectODataError(await apiRequest(server.url, method, url), 401, 'unauthorized');
    }
    const wrong = await apiRequest(server.url, 'GET', `${MIM}/pamrequests`, undefined, {
      authorization: 'Bearer nope',
    });
    expectODataError(wrong, 401, 'unauthorized');
    const bearer = await apiRequest(server.url, 'GET', `${MIM}/pamrequests`, undefined, {
      authorization: `Bearer ${jen.token}`,
    });
    expect(bearer.status).toBe(200);
    server.clock.advance(9 * 60 * 60_000);
    expectODataError(await jen.request('GET', `${MIM}/pamrequests`), 401, 'unauthorized');
  });

  it('the requester cannot approve their own request (403); a stranger gets 404', async () => {
    const id = await requestRole(jen, {
      RoleId: DEMO_IDS.mimRoleCredential,
      RequestedTTL: 3600,
      Justification: 'ticket 42',
    });
    const approval = `${MIM}/pamrequeststoapprove(guid'${approvalObjectId(id)}')`;
    expectODataError(await jen.request('POST', `${approval}/Approve`), 403, 'forbidden');
    expectODataError(await jen.request('POST', `${approval}/Reject`), 403, 'forbidden');
    const bob = await server.as('bob');
    expectODataError(await bob.request('POST', `${approval}/Approve`), 404, 'not_found');
    // The request id is not the approval id.
    expectODataError(
      await alice.request('POST', `${MIM}/pamrequeststoapprove(guid'${id}')/Approve`),
      404,
      'not_found',
    );
    // Only the requester closes; others do not even see it.
    expectODataError(await alice.request('POST', `${MIM}/pamrequests(guid'${id}')/Close`), 403, 'forbidden');
    expectODataError(await bob.request('POST', `${MIM}/pamrequests(guid'${id}')/Close`), 404, 'not_found');
    expect(await requestOf(jen, id)).toMatchObject({ RequestStatus: 'PendingApproval' });
  });

  it('malformed keys are 400, unknown sets and actions 404', async () => {
    const cases: Array<[string, number, string]> = [
      [`${MIM}/pamrequeststoapprove(guid'xyz')/Approve`, 400, 'invalid_request'],
      [`${MIM}/pamrequeststoapprove(${DEMO_IDS.jen})/Approve`, 400, 'invalid_request'],
      [`${MIM}/pamrequeststoapprove(guid"${DEMO_IDS.jen}")/Approve`, 400, 'invalid_request'],
      [`${MIM}/pamrequeststoapprove/Approve`, 400, 'invalid_request'],
      [`${MIM}/pamrequests(guid'${DEMO_IDS.jen}'/Close`, 400, 'invalid_request'],
      [`${MIM}/pamrequests(guid'${DEMO_IDS.jen}')/Close`, 404, 'not_found'],
      [`${MIM}/pamrequests(guid'${DEMO_IDS.jen}')/Approve`, 404, 'not_found'],
      [`${MIM}/pamroles(guid'${DEMO_IDS.jen}')/Close`, 404, 'not_found'],
      [`${MIM}/nosuchset(guid'${DEMO_IDS.jen}')/Close`, 404, 'not_found'],
    ];
    for (const [url, status, code] of cases) expectODataError(await alice.request('POST', url), status, code);
    // The key may arrive percent-encoded.
    const encoded = `${MIM}/pamrequeststoapprove(guid%27${DEMO_IDS.jen}%27)/Approve`;
    expectODataError(await alice.request('POST', encoded), 404, 'not_found');
  });
});

describe('$filter', () => {
  let ids: { jen: string; bob: string; kelly: string };
  let times: { jen: string; bob: string; kelly: string };

  beforeEach(async () => {
    await startAt('2026-03-01T08:00:00.000Z');
    const bob = await server.as('bob');
    const kelly = await server.as('kelly');
    const jenId = await requestRole(jen, {
      RoleId: DEMO_IDS.mimRoleCredential,
      RequestedTTL: 3600,
      Justification: 'patch',
    });
    server.clock.advance(60_000);
    const bobId = await requestRole(bob, { RoleId: POSTGRES, RequestedTTL: 1800, Justification: 'vacuum' });
    server.clock.advance(60_000);
    const kellyId = await requestRole(kelly, {
      RoleId: DEMO_IDS.approvedCredential,
      RequestedTTL: 7200,
      Justification: "O'Brien's ticket",
    });
    ids = { jen: jenId, bob: bobId, kelly: kellyId };
    times = { jen: '2026-03-01T08:00:00Z', bob: '2026-03-01T08:01:00Z', kelly: '2026-03-01T08:02:00Z' };
  });

  const who = async (filter: string) => {
    const response = await alice.request('GET', filterUrl('pamrequeststoapprove', filter));
    expect(response.status, response.text).toBe(200);
    return (response.body.value as Array<{ Requestor: string }>).map((row) => row.Requestor).sort();
  };

  it('every comparison operator, on strings, numbers and datetimes', async () => {
    expect(await who("Requestor eq 'PRIV.Jen'")).toEqual(['PRIV.Jen']);
    expect(await who("Requestor ne 'PRIV.Jen'")).toEqual(['bob', 'kelly']);
    expect(await who('RequestedTTL gt 3600')).toEqual(['kelly']);
    expect(await who('RequestedTTL ge 3600')).toEqual(['PRIV.Jen', 'kelly']);
    expect(await who('RequestedTTL lt 3600')).toEqual(['bob']);
    expect(await who('RequestedTTL le 3600')).toEqual(['PRIV.Jen', 'bob']);
    expect(await who(`CreationTime gt datetime'${times.bob}'`)).toEqual(['kelly']);
    expect(await who(`CreationTime ge datetime'${times.bob}'`)).toEqual(['bob', 'kelly']);
    expect(await who(`CreationTime lt datetime'${times.bob}'`)).toEqual(['PRIV.Jen']);
    expect(await who(`CreationTime le datetime'${times.bob}'`)).toEqual(['PRIV.Jen', 'bob']);
    expect(await who(`RequestedTime eq datetime'${times.kelly}'`)).toEqual(['kelly']);
  });

  it('and, or, parentheses, quotes escaped as two quotes, GUID literals', async () => {
    expect(await who("(Requestor eq 'bob' or Requestor eq 'kelly') and RequestedTTL lt 5000")).toEqual([
      'bob',
    ]);
    expect(await who("Requestor eq 'bob' or Requestor eq 'kelly' and RequestedTTL lt 5000")).toEqual(['bob']);
    expect(
      await who("Requestor eq 'PRIV.Jen' or (RoleName eq 'PostgreSQL superuser' and RequestedTTL eq 1800)"),
    ).toEqual(['PRIV.Jen', 'bob']);
    expect(await who("Justification eq 'O''Brien''s ticket'")).toEqual(['kelly']);
    expect(await who(`FIMRequestID eq guid'${ids.bob}'`)).toEqual(['bob']);
    expect(await who(`RequestorID eq guid'${DEMO_IDS.jen.toUpperCase()}'`)).toEqual(['PRIV.Jen']);
    expect(await who(`ApprovalObjectID eq guid'${approvalObjectId(ids.kelly)}'`)).toEqual(['kelly']);
    expect(await who(`FIMRequestID ne guid'${ids.bob}' and RequestedTTL ge 7200`)).toEqual(['kelly']);
  });

  it('on pamrequests and pamroles too', async () => {
    const mine = await jen.request(
      'GET',
      filterUrl(
        'pamrequests',
        `RequestStatus eq 'PendingApproval' and RoleId eq guid'${DEMO_IDS.mimRoleCredential}'`,
      ),
    );
    expect(mine.status, mine.text).toBe(200);
    expect(mine.body.value.map((r: { RequestId: string }) => r.RequestId)).toEqual([ids.jen]);
    const none = await jen.request(
      'GET',
      filterUrl('pamrequests', `CreationTime gt datetime'${times.kelly}'`),
    );
    expect(none.body.value).toEqual([]);

    const byName = await jen.request('GET', filterUrl('pamroles', "DisplayName eq 'ApprovalRole'"));
    expect(byName.status, byName.text).toBe(200);
    expect(byName.body.value).toHaveLength(1);
    const short = await jen.request('GET', filterUrl('pamroles', 'TTL lt 14400 and ApprovalEnabled eq true'));
    expect(short.body.value.map((r: { DisplayName: string }) => r.DisplayName)).toEqual(['Enterprise Admin']);
  });

  it('a bad $filter is a 400 OData error naming the offending token', async () => {
    const cases: Array<[string, string, string]> = [
      ['pamrequeststoapprove', "Foo eq 'x'", 'Foo'],
      ['pamrequeststoapprove', "RoleName eq 'x' AND Requestor eq 'y'", 'AND'],
      ['pamrequeststoapprove', 'RequestedTTL gt 3600 xor true', 'xor'],
      [
        'pamrequeststoapprove',
        "RequestedTTL eq datetime'2026-03-01T08:00:00Z'",
        "datetime'2026-03-01T08:00:00Z'",
      ],
      ['pamrequeststoapprove', "FIMRequestID eq guid'not-a-guid'", "guid'not-a-guid'"],
      ['pamrequeststoapprove', "(Requestor eq 'bob'", '('],
      ['pamrequests', "substringof('x', Justification)", 'substringof'],
      ['pamrequests', 'RequestStatus == 1', '=='],
      ['pamroles', "DisplayName eq 'unterminated", "'unterminated"],
    ];
    for (const [set, filter, token] of cases) {
      const session = set === 'pamrequeststoapprove' ? alice : jen;
      const message = expectODataError(
        await session.request('GET', filterUrl(set, filter)),
        400,
        'invalid_request',
      );
      expect(message, filter).toContain('$filter');
      expect(message, filter).toContain(token);
    }
    const end = await alice.request('GET', filterUrl('pamrequeststoapprove', 'RoleName eq'));
    expect(expectODataError(end, 400, 'invalid_request')).toContain('end of the filter');
  });
});

describe('versions, roles, session, metadata', () => {
  beforeEach(() => startAt('2026-01-01T09:00:00.000Z'));

  it('v=1 and no v are the same API; any other v is a 400', async () => {
    const id = await requestRole(jen, {
      RoleId: DEMO_IDS.mimRoleCredential,
      RequestedTTL: 3600,
      Justification: 'ticket 42',
    });
    for (const path of ['pamroles', 'pamrequests', 'sessioninfo', '$metadata']) {
      expect((await jen.request('GET', `${MIM}/${path}?v=1`)).status).toBe(200);
    }
    const plain = await alice.request('GET', `${MIM}/pamrequeststoapprove`);
    const v1 = await alice.request('GET', `${MIM}/pamrequeststoapprove?v=1`);
    expect(v1.status).toBe(200);
    expect(v1.text).toBe(plain.text);
    const filtered = await alice.request(
      'GET',
      filterUrl('pamrequeststoapprove', "Requestor eq 'PRIV.Jen'", '&v=1'),
    );
    expect(filtered.body.value).toHaveLength(1);

    for (const v of ['2', '0', '1.0', '']) {
      const response = await alice.request('GET', `${MIM}/pamrequeststoapprove?v=${v}`);
      expect(expectODataError(response, 400, 'invalid_request')).toContain('version');
    }
    for (const path of ['pamroles', 'pamrequests', 'sessioninfo', '$metadata']) {
      expectODataError(await jen.request('GET', `${MIM}/${path}?v=2`), 400, 'invalid_request');
    }
    const create = await jen.request('POST', `${MIM}/pamrequests?v=2`, {
      RoleId: JUMP_HOST,
      RequestedTTL: 3600,
    });
    expectODataError(create, 400, 'invalid_request');
    const approve = await alice.request(
      'POST',
      `${MIM}/pamrequeststoapprove(guid'${approvalObjectId(id)}')/Approve?v=2`,
    );
    expectODataError(approve, 400, 'invalid_request');
    expect(await approvalsOf(alice)).toHaveLength(1);
  });

  it('pamroles lists the demo credentials as PAM roles', async () => {
    const response = await jen.request('GET', `${MIM}/pamroles`);
    expect(response.status).toBe(200);
    expect(response.body['odata.metadata']).toBe(`${server.url}${MIM}/%24metadata#pamroles`);
    const roles = response.body.value as Array<Record<string, unknown>>;
    expect(roles).toHaveLength(14);
    expect(roles.map((role) => role.DisplayName)).toEqual(
      expect.arrayContaining(['ApprovalRole', 'Domain Admin', 'Linux jump host root', 'Edge firewall']),
    );
    const role = roles.find((r) => r.RoleId === DEMO_IDS.mimRoleCredential);
    expect(Object.keys(role!)).toEqual([
      'RoleId',
      'DisplayName',
      'Description',
      'TTL',
      'AvailableFrom',
      'AvailableTo',
      'MFAEnabled',
      'ApprovalEnabled',
      'AvailabilityWindowEnabled',
    ]);
    expect(role).toEqual({
      RoleId: DEMO_IDS.mimRoleCredential,
      DisplayName: 'ApprovalRole',
      Description: 'MIM-style PAM role (seed 002)',
      TTL: '28800',
      AvailableFrom: UNSET,
      AvailableTo: UNSET,
      MFAEnabled: false,
      ApprovalEnabled: true,
      AvailabilityWindowEnabled: false,
    });
    expect(roles.find((r) => r.RoleId === JUMP_HOST)).toMatchObject({ ApprovalEnabled: false, TTL: '28800' });
  });

  it('sessioninfo says who the caller is', async () => {
    const response = await jen.request('GET', `${MIM}/sessioninfo`);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      'odata.metadata': `${server.url}${MIM}/%24metadata#sessioninfo`,
      value: [{ Username: 'COFFRE\\PRIV.Jen' }],
    });
  });

  it('$metadata answers the link every feed carries', async () => {
    const link = new URL((await jen.request('GET', `${MIM}/pamroles`)).body['odata.metadata']);
    for (const path of [`${MIM}/$metadata`, link.pathname]) {
      const response = await jen.request('GET', path);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^application\/xml/);
      expect(response.text).toContain('<edmx:Edmx');
      for (const set of ['pamroles', 'pamrequests', 'pamrequeststoapprove', 'sessioninfo']) {
        expect(response.text).toContain(`<EntitySet Name="${set}"`);
      }
    }
    expect(link.hash).toBe('#pamroles');
  });
});

describe('audit of MIM requests', () => {
  it('an immediate MIM request records no password read (MIM never returns the password)', async () => {
    const server = await startTestServer();
    try {
      const bob = await server.as('bob');
      const created = await bob.request('POST', '/api/pamresources/pamrequests', {
        RoleId: 'c2000000-0000-4000-8000-000000000003',
        Justification: 'jump',
        RequestedTTL: '3600',
      });
      expect(created.status).toBe(201);
      const audit = await server.ctx.store.listAudit({
        limit: 1000,
        offset: 0,
        credentialId: 'c2000000-0000-4000-8000-000000000003',
      });
      expect(audit.map((row) => row.action)).toContain('checkout.requested');
      expect(audit.map((row) => row.action)).not.toContain('password.read');
    } finally {
      await server.stop();
    }
  });
});
