/**
 * Replays Microsoft's PAM sample portal (Azure/identity-management-samples,
 * Privileged-Access-Management-Portal/src/js/) against `coffre-server --demo`: every action of its
 * three pages, each call sent exactly as jQuery sends it (see jqueryPortal.ts), cross-origin from
 * the portal's own site as in Microsoft's lab (MIMDocs/pam/step-4-install-mim-components-on-pam-server.md,
 * "Set up the sample web application": portal on port 8090, CORS with credentials on the API).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_IDS } from '../../../server/demo.ts';
import { startTestServer, type TestServer } from '../../support/testServer.ts';
import {
  basic,
  closeButtonOf,
  isRoleActive,
  PORTAL_ORIGIN,
  roleTtlHours,
  SamplePortal,
} from './jqueryPortal.ts';

const START = '2026-03-02T09:00:00.000Z';
const APPROVAL_ROLE = DEMO_IDS.mimRoleCredential; // approval by alice or maurice
const OPEN_ROLE = DEMO_IDS.mimOpenRoleCredential; // "Allow AD Access": no approval, TTL 3600

let server: TestServer;
let jen: SamplePortal;
let alice: SamplePortal;
let maurice: SamplePortal;

beforeEach(async () => {
  server = await startTestServer({ start: START, corsOrigins: [PORTAL_ORIGIN], mim: { domain: 'PRIV' } });
  // The browser signs in as the Windows user; IIS Basic takes DOMAIN\user.
  jen = new SamplePortal(server.url, basic('PRIV\\PRIV.Jen'));
  alice = new SamplePortal(server.url, basic('alice'));
  maurice = new SamplePortal(server.url, basic('PRIV\\maurice'));
});
afterEach(() => server.stop());

const now = () => new Date(server.clock.now());
const roleOf = async (portal: SamplePortal, roleId: string) =>
  (await portal.getPamRolesExtendInfo(now())).find((role) => role.RoleId === roleId)!;

describe('utils.js: every page shows who is signed in', () => {
  it('getSessionInfo: userName.value[0].Username is DOMAIN\\user', async () => {
    const response = await jen.getSessionInfo();
    expect(response.status).toBe(200);
    expect(response.json.value[0].Username).toBe('PRIV\\PRIV.Jen');
  });
});

describe('roles.js: Activate, Extend Activation, Deactivate', () => {
  it('lists the roles with the columns it renders, none active at first', async () => {
    const roles = await jen.getPamRolesExtendInfo(now());
    const open = roles.find((role) => role.RoleId === OPEN_ROLE)!;
    expect(open).toMatchObject({
      DisplayName: 'Allow AD Access',
      TTL: '3600',
      MFAEnabled: false,
      ApprovalEnabled: false,
      AvailabilityWindowEnabled: false,
      ExpirationTime: '',
    });
    expect(typeof open.AvailableFrom).toBe('string'); // getFormattedTimeWindow trims both
    expect(typeof open.AvailableTo).toBe('string');
    expect(roles.find((role) => role.RoleId === APPROVAL_ROLE)?.ApprovalEnabled).toBe(true);
  });

  it('Activate with the TTL left empty (the role maximum), then Extend Activation, then Deactivate', async () => {
    const role = await roleOf(jen, OPEN_ROLE);
    expect(isRoleActive(role)).toBe(false);
    // createRequestForm: an empty TTL field == 0, so the role's maximum in hours, times 3600.
    const reqTTL = roleTtlHours(role) * 3600;
    const activated = await jen.createPamRequest('', OPEN_ROLE, reqTTL, '');
    expect(activated.status, activated.text).toBe(201);
    expect(activated.json.RequestStatus).toBe('Active');
    const active = await roleOf(jen, OPEN_ROLE);
    expect(isRoleActive(active)).toBe(true);
    expect(Date.parse(active.ExpirationTime)).toBe(server.clock.now() + 3600_000);

    // Half an hour later the button reads "Extend Activation": the same form, a new request.
    server.clock.advance(30 * 60_000);
    const extended = await jen.createPamRequest('More time', OPEN_ROLE, 3600, '');
    expect(extended.status, extended.text).toBe(201);
    expect(extended.json.RequestStatus).toBe('Active');
    const later = await roleOf(jen, OPEN_ROLE);
    expect(Date.parse(later.ExpirationTime)).toBe(server.clock.now() + 3600_000);

    // relinquishRequestForm: RequestedTTL 0.
    const deactivated = await jen.createPamRequest('Done', OPEN_ROLE, 0, '');
    expect(deactivated.status, deactivated.text).toBe(201);
    expect(deactivated.json.RequestStatus).toBe('Closed');
    expect(isRoleActive(await roleOf(jen, OPEN_ROLE))).toBe(false);
  });

  it('Activate at a time picked in the date picker (YYYY/MM/DD HH:mm, server-local time)', async () => {
    const response = await jen.createPamRequest('Tonight', OPEN_ROLE, 1800, '2026/03/02 22:30');
    expect(response.status, response.text).toBe(201);
    expect(response.json.RequestedTime).toBe('2026-03-02T22:30:00Z'); // the test server runs in UTC
    expect(response.json.RequestStatus).toBe('Scheduled');
  });

  it('hours with decimals: 1.1 h is sent as jQuery writes 1.1 * 3600 (3960.0000000000005)', async () => {
    // createRequestForm: `$("#requestedTTLInput").val() * 3600`; the field allows a decimal point.
    const reqTTL = 1.1 * 3600;
    expect(String(reqTTL)).toBe('3960.0000000000005');
    const response = await jen.createPamRequest('', OPEN_ROLE, reqTTL, '');
    expect(response.status, response.text).toBe(201);
    expect(response.json.RequestStatus).toBe('Active');
    expect(response.json.RequestedTTL).toBe('3600'); // the role's TTL caps it (a known difference)
  });

  it("Deactivate sends the activation form's picked time too (relinquishRequestForm reads #requestedTimeInput)", async () => {
    expect((await jen.createPamRequest('', OPEN_ROLE, 3600, '')).status).toBe(201);
    const deactivated = await jen.createPamRequest('Done', OPEN_ROLE, 0, '2026/03/02 22:30');
    expect(deactivated.status, deactivated.text).toBe(201);
    expect(deactivated.json.RequestStatus).toBe('Closed');
    expect(isRoleActive(await roleOf(jen, OPEN_ROLE))).toBe(false);
  });

  it('a failed request shows failError.responseJSON["odata.error"]["message"]["value"]', async () => {
    const response = await jen.createPamRequest('', '00000000-0000-4000-8000-000000000000', 3600, '');
    expect(response.status).toBe(404);
    expect(response.json['odata.error'].message.value).toMatch(/PAM role/);
  });
});

describe('requests.js: the history between two dates, Close and Deactivate', () => {
  it('lists requests of the last month with their role names, and closes them', async () => {
    const pending = await jen.createPamRequest('Needs approval', APPROVAL_ROLE, 3600, '');
    const active = await jen.createPamRequest('', OPEN_ROLE, 3600, '');
    expect([pending.status, active.status]).toEqual([201, 201]);
    // requests.js: from one month back to tomorrow (moment), sent as toISOString().
    const from = new Date(server.clock.now() - 30 * 86_400_000);
    const to = new Date(server.clock.now() + 86_400_000);
    const rows = await jen.getPamRequestsExtendInfo(from, to);
    expect(rows.map((row) => [row.RoleDisplayName, row.RequestStatus, closeButtonOf(row)]).sort()).toEqual([
      ['Allow AD Access', 'Active', 'Deactivate'],
      ['ApprovalRole', 'PendingApproval', 'Close'],
    ]);
    for (const row of rows) {
      const closed = await jen.closePamRequest(row.RequestId);
      expect(closed.status, closed.text).toBe(200);
    }
    const after = await jen.getPamRequestsExtendInfo(from, to);
    expect(after.map((row) => row.RequestStatus)).toEqual(['Closed', 'Closed']);
    expect(after.every((row) => closeButtonOf(row) === '')).toBe(true);
    // A range that excludes them lists nothing.
    const old = await jen.getPamRequestsExtendInfo(new Date('2015-01-01'), new Date('2015-02-01'));
    expect(old).toEqual([]);
  });
});

describe('pamRestApi.js getPamRequestsExtendInfo: its other branches (after a date, before a date, all)', () => {
  it('CreationTime gt alone, CreationTime lt alone, no filter', async () => {
    expect((await jen.createPamRequest('', OPEN_ROLE, 3600, '')).status).toBe(201);
    const before = new Date(server.clock.now() - 60_000);
    const after = new Date(server.clock.now() + 60_000);
    const names = (rows: Array<Record<string, any>>) => rows.map((row) => row.RoleDisplayName);
    expect(names(await jen.getPamRequestsExtendInfo(before))).toEqual(['Allow AD Access']);
    expect(names(await jen.getPamRequestsExtendInfo(after))).toEqual([]);
    expect(names(await jen.getPamRequestsExtendInfo(undefined, after))).toEqual(['Allow AD Access']);
    expect(names(await jen.getPamRequestsExtendInfo(undefined, before))).toEqual([]);
    expect(names(await jen.getPamRequestsExtendInfo())).toEqual(['Allow AD Access']);
  });
});

describe('approvals.js: every approver of the role sees the request, the first decision wins', () => {
  it('Approve by one approver; the other no longer sees it and cannot decide it', async () => {
    const created = await jen.createPamRequest('Patch the DCs', APPROVAL_ROLE, 7200, '');
    expect(created.status, created.text).toBe(201);
    expect(created.json.RequestStatus).toBe('PendingApproval');

    const forAlice = (await alice.getPamRequestsToApprove()).json.value;
    const forMaurice = (await maurice.getPamRequestsToApprove()).json.value;
    expect(forAlice).toHaveLength(1);
    expect(forMaurice).toEqual(forAlice);
    expect(forAlice[0]).toMatchObject({
      RoleName: 'ApprovalRole',
      Requestor: 'PRIV.Jen',
      Justification: 'Patch the DCs',
      RequestedTTL: '7200',
      FIMRequestID: { Value: created.json.RequestId },
      RequestorID: { Value: DEMO_IDS.jen },
    });

    const approvalId = forAlice[0].ApprovalObjectID.Value as string;
    const approved = await maurice.setPamRequestToApprove(approvalId, true);
    expect(approved.status, approved.text).toBe(200);
    expect(approved.text).toBe('');
    expect((await alice.getPamRequestsToApprove()).json.value).toEqual([]);
    const late = await alice.setPamRequestToApprove(approvalId, false);
    expect(late.status).toBe(404);
    const mine = (await jen.getPamRequests()).json.value;
    expect(
      mine.find((r: { RequestId: string }) => r.RequestId === created.json.RequestId).RequestStatus,
    ).toBe('Active');
  });

  it('Reject', async () => {
    const created = await jen.createPamRequest('', APPROVAL_ROLE, 3600, '');
    const approvalId = (await alice.getPamRequestsToApprove()).json.value[0].ApprovalObjectID.Value;
    const rejected = await alice.setPamRequestToApprove(approvalId, false);
    expect(rejected.status, rejected.text).toBe(200);
    const mine = (await jen.getPamRequests()).json.value;
    expect(
      mine.find((r: { RequestId: string }) => r.RequestId === created.json.RequestId).RequestStatus,
    ).toBe('Rejected');
  });

  it('two approvers deciding at once: exactly one decision lands', async () => {
    await jen.createPamRequest('', APPROVAL_ROLE, 3600, '');
    const approvalId = (await alice.getPamRequestsToApprove()).json.value[0].ApprovalObjectID.Value;
    const results = await Promise.all([
      alice.setPamRequestToApprove(approvalId, true),
      maurice.setPamRequestToApprove(approvalId, false),
    ]);
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.every((r) => [200, 404, 409].includes(r.status))).toBe(true);
    const status = (await jen.getPamRequests()).json.value[0].RequestStatus;
    expect(['Active', 'Rejected']).toContain(status);
  });
});

describe('the portal on a site the server does not list', () => {
  it('gets no CORS headers: the browser keeps the answer from the page', async () => {
    const response = await fetch(`${server.url}/api/pamresources/pamroles`, {
      headers: { Origin: 'http://evil.example', Authorization: basic('PRIV.Jen') },
    });
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
  });
});
