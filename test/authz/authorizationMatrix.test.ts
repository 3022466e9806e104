/**
 * The authorization matrix of API.md (issue 7, §2): every (role × relation to the object × action)
 * as one table of expected answers, then one scenario per row checking every cell.
 *
 * Roles (API.md, "Common rules"): `user` requests checkouts, `approver` approves the credentials
 * whose policy names them, `admin` manages and force-checks-in. Relations to a checkout: its
 * requester, the approver named on it, another eligible approver of the credential (listed by the
 * policy, holding the role, but not named), someone listed by the policy without the approver role,
 * someone unrelated, and an administrator. Each row builds its own vault; each cell its own
 * credential and checkout in the state the action needs (pending, or active once approved), so
 * cells do not see each other. A refused cell must change nothing (store fingerprint); an allowed
 * cell must have its effect (the new status, the password, the created object…).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckoutStatus } from '../../common/checkout.ts';
import { DEMO_IDS } from '../../server/demo.ts';
import { approvalObjectId } from '../../server/mim/mimMapping.ts';
import { storeFingerprint } from '../fuzz/httpFuzzSupport.ts';
import {
  type ApiResponse,
  apiRequest,
  type Session,
  startTestServer,
  type TestServer,
} from '../support/testServer.ts';

const IN = 'listed';
const OUT = 'absent';
type Cell = number | typeof IN | typeof OUT;

const ACTIONS = [
  'read',
  'readMim',
  'approve',
  'deny',
  'checkIn',
  'cancel',
  'abort',
  'extend',
  'password',
  'toApprove',
  'toApproveMim',
  'mimApprove',
  'mimReject',
  'mimClosePending',
  'mimCloseActive',
  'audit',
  'request',
  'mimRequest',
  'listUsers',
  'createUser',
  'updateUser',
  'createVault',
  'updateVault',
  'createCredential',
  'updateCredential',
  'setPassword',
  'deleteCredential',
] as const;
type Action = (typeof ACTIONS)[number];

type Role = 'user' | 'approver' | 'user+approver' | 'admin';
type Relation =
  | 'requester'
  | 'named approver'
  | 'other eligible approver'
  | 'listed, not an approver'
  | 'unrelated'
  | 'administrator';
type Person = 'kelly' | 'maurice' | 'alice' | 'bob' | 'admin' | 'olga' | 'zed' | 'ulysse';

/**
 * Who plays what in a row: the actor, who requests, who is named as approver, and the other
 * eligible approver. The credential's policy lists [named, other, ulysse] (ulysse has no approver
 * role); approval is mandatory, self-approval off, extensions up to 240 minutes.
 */
interface Cast {
  actor: Person;
  requester: Person;
  named: Person;
  other: Person;
}

const ADMIN_CRUD = [200, 201, 200, 201, 200, 201, 200, 204, 204] as const;
const NO_CRUD = [403, 403, 403, 403, 403, 403, 403, 403, 403] as const;

/*
 * The matrix. Columns: read, readMim (GET pamrequests(guid'…')), approve (PUT 4), deny (PUT 3),
 * checkIn (PUT 5, on an active checkout), cancel (PUT 8, pending), abort (PUT 7, active), extend
 * (+10 min, active), password (GET passwords/{credential}, active), toApprove (GET
 * checkouts?toApprove=true, pending: listed or absent), toApproveMim (GET pamrequeststoapprove),
 * mimApprove, mimReject (POST pamrequeststoapprove(guid'…')/Approve|Reject), mimClosePending,
 * mimCloseActive (POST pamrequests(guid'…')/Close), audit (GET /api/pam/audit), request (POST
 * checkouts on a credential without approval), mimRequest (POST pamrequests, same), then the
 * administration: listUsers, createUser, updateUser, createVault, updateVault, createCredential,
 * updateCredential, setPassword, deleteCredential.
 *
 * 404 where the caller may not even know the checkout exists (API.md: a checkout is seen by its
 * requester, its approver and admins); 403 where they see it but may not act; 409 never appears
 * here because every cell starts from the state its action expects.
 */
// biome-ignore format: the matrix reads as a table
const MATRIX: Array<[Role, Relation, Cast, ...Cell[]]> = [
  //                                                                                          read readMim appr deny chkIn cancel abort ext  pw   toAppr toApprM mimAp mimRj closeP closeA audit req  mimReq  admin CRUD
  ['user',          'requester',               { actor: 'kelly',   requester: 'kelly',   named: 'alice',   other: 'olga' },    200, 200,    403, 403, 200,  200,   403,  200, 200, OUT,   OUT,    403,  403,  200,   200,   403,  201, 201,    ...NO_CRUD],
  ['user+approver', 'requester',               { actor: 'maurice', requester: 'maurice', named: 'alice',   other: 'olga' },    200, 200,    403, 403, 200,  200,   403,  200, 200, OUT,   OUT,    403,  403,  200,   200,   403,  201, 201,    ...NO_CRUD],
  ['admin',         'requester',               { actor: 'admin',   requester: 'admin',   named: 'alice',   other: 'olga' },    200, 200,    403, 403, 200,  200,   200,  200, 200, OUT,   OUT,    403,  403,  200,   200,   200,  201, 201,    ...ADMIN_CRUD],
  ['approver',      'named approver',          { actor: 'alice',   requester: 'kelly',   named: 'alice',   other: 'olga' },    200, 200,    200, 200, 403,  403,   403,  403, 403, IN,    IN,     200,  200,  403,   403,   403,  403, 403,    ...NO_CRUD],
  ['user+approver', 'named approver',          { actor: 'maurice', requester: 'kelly',   named: 'maurice', other: 'olga' },    200, 200,    200, 200, 403,  403,   403,  403, 403, IN,    IN,     200,  200,  403,   403,   403,  201, 201,    ...NO_CRUD],
  ['admin',         'named approver',          { actor: 'admin',   requester: 'kelly',   named: 'admin',   other: 'olga' },    200, 200,    200, 200, 403,  403,   200,  403, 403, IN,    IN,     200,  200,  403,   403,   200,  201, 201,    ...ADMIN_CRUD],
  ['approver',      'other eligible approver', { actor: 'alice',   requester: 'kelly',   named: 'olga',    other: 'alice' },   404, 404,    404, 404, 404,  404,   404,  404, 403, OUT,   OUT,    404,  404,  404,   404,   403,  403, 403,    ...NO_CRUD],
  ['user+approver', 'other eligible approver', { actor: 'maurice', requester: 'kelly',   named: 'olga',    other: 'maurice' }, 404, 404,    404, 404, 404,  404,   404,  404, 403, OUT,   OUT,    404,  404,  404,   404,   403,  201, 201,    ...NO_CRUD],
  ['admin',         'other eligible approver', { actor: 'admin',   requester: 'kelly',   named: 'alice',   other: 'admin' },   200, 200,    403, 403, 403,  403,   200,  403, 403, OUT,   OUT,    404,  404,  403,   403,   200,  201, 201,    ...ADMIN_CRUD],
  ['user',          'listed, not an approver', { actor: 'ulysse',  requester: 'kelly',   named: 'alice',   other: 'olga' },    404, 404,    404, 404, 404,  404,   404,  404, 403, OUT,   OUT,    404,  404,  404,   404,   403,  201, 201,    ...NO_CRUD],
  ['user',          'unrelated',               { actor: 'bob',     requester: 'kelly',   named: 'alice',   other: 'olga' },    404, 404,    404, 404, 404,  404,   404,  404, 403, OUT,   OUT,    404,  404,  404,   404,   403,  201, 201,    ...NO_CRUD],
  ['approver',      'unrelated',               { actor: 'zed',     requester: 'kelly',   named: 'alice',   other: 'olga' },    404, 404,    404, 404, 404,  404,   404,  404, 403, OUT,   OUT,    404,  404,  404,   404,   403,  403, 403,    ...NO_CRUD],
  ['admin',         'administrator',           { actor: 'admin',   requester: 'kelly',   named: 'alice',   other: 'olga' },    200, 200,    403, 403, 403,  403,   200,  403, 403, OUT,   OUT,    404,  404,  403,   403,   200,  201, 201,    ...ADMIN_CRUD],
];

/*
 * Self-approval (API.md: "an approver may approve their own request by naming themselves" when
 * the policy allows it): who names themselves, whether the policy allows it, what the request gets.
 * The caller is listed by the policy in every row but kelly's.
 */
// biome-ignore format: a table
const SELF_APPROVAL: Array<[Person, Role, boolean, number]> = [
  // who        role             selfApproval  POST /api/pam/checkouts
  ['maurice', 'user+approver',   true,         201],
  ['maurice', 'user+approver',   false,        422],
  ['admin',   'admin',           true,         201],
  ['admin',   'admin',           false,        422],
  ['alice',   'approver',        true,         403], // may approve, but has no user role to request
  ['alice',   'approver',        false,        422],
  ['ulysse',  'user',            true,         422], // listed, but not an approver
  ['kelly',   'user',            true,         422], // not listed
];

// ---------------------------------------------------------------------------------------------

let server: TestServer;
let admin: Session;
const people = {} as Record<Person, Session>;
const ids = {} as Record<Person, string>;
let patchTargetUserId: string;
let serial = 0;
const unique = (prefix: string) => `${prefix}-${++serial}`;

const EXTRA_PASSWORD = 'matrix-password-1';

async function login(username: string, password: string): Promise<Session> {
  const response = await apiRequest(server.url, 'POST', '/api/auth/login', { username, password });
  if (response.status !== 200) throw new Error(`login ${username}: ${response.status} ${response.text}`);
  const token = response.body.tokenId as string;
  return {
    token,
    userId: response.body.user.id as string,
    request: (method, url, body, headers = {}) =>
      apiRequest(server.url, method, url, body, { tokenId: token, ...headers }),
  };
}

beforeAll(async () => {
  server = await startTestServer();
  admin = await server.as('admin');
  for (const name of ['kelly', 'maurice', 'alice', 'bob', 'admin'] as const) {
    people[name] = name === 'admin' ? admin : await server.as(name);
    ids[name] = people[name].userId;
  }
  // Extra people for relations the demo users cannot play at once.
  const extra: Array<[Person, string[]]> = [
    ['olga', ['approver']],
    ['zed', ['approver']],
    ['ulysse', ['user']],
  ];
  for (const [name, roles] of extra) {
    const created = await admin.request('POST', '/api/admin/users', {
      username: name,
      password: EXTRA_PASSWORD,
      roles,
    });
    expect(created.status, created.text).toBe(201);
    people[name] = await login(name, EXTRA_PASSWORD);
    ids[name] = people[name].userId;
  }
  const target = await admin.request('POST', '/api/admin/users', {
    username: 'patch-target',
    password: EXTRA_PASSWORD,
    roles: ['user'],
  });
  patchTargetUserId = target.body.id;
});
afterAll(() => server.stop());

// ---------------------------------------------------------------------------------------------
// One cell

interface Scene {
  cast: Cast;
  vaultId: string;
  credentialId: string;
  checkoutId: string | null;
}

type State = 'none' | 'pending' | 'active';

/** The checkout state each action starts from, and whether its credential needs an approval. */
const SETUP: Record<Action, { state: State; approval: boolean }> = {
  read: { state: 'pending', approval: true },
  readMim: { state: 'pending', approval: true },
  approve: { state: 'pending', approval: true },
  deny: { state: 'pending', approval: true },
  checkIn: { state: 'active', approval: true },
  cancel: { state: 'pending', approval: true },
  abort: { state: 'active', approval: true },
  extend: { state: 'active', approval: true },
  password: { state: 'active', approval: true },
  toApprove: { state: 'pending', approval: true },
  toApproveMim: { state: 'pending', approval: true },
  mimApprove: { state: 'pending', approval: true },
  mimReject: { state: 'pending', approval: true },
  mimClosePending: { state: 'pending', approval: true },
  mimCloseActive: { state: 'active', approval: true },
  audit: { state: 'none', approval: true },
  request: { state: 'none', approval: false },
  mimRequest: { state: 'none', approval: false },
  listUsers: { state: 'none', approval: true },
  createUser: { state: 'none', approval: true },
  updateUser: { state: 'none', approval: true },
  createVault: { state: 'none', approval: true },
  updateVault: { state: 'none', approval: true },
  createCredential: { state: 'none', approval: true },
  updateCredential: { state: 'none', approval: true },
  setPassword: { state: 'none', approval: true },
  deleteCredential: { state: 'none', approval: true },
};

async function buildScene(cast: Cast, vaultId: string, action: Action): Promise<Scene> {
  const { state, approval } = SETUP[action];
  const credential = await admin.request('POST', '/api/admin/credentials', {
    vaultID: vaultId,
    name: unique(`matrix ${action}`),
    policy: approval
      ? {
          approvalMode: 'mandatory',
          approvers: [ids[cast.named], ids[cast.other], ids.ulysse],
          selfApproval: false,
          reasonMode: 'optional',
          maxExtension: 240,
        }
      : { approvalMode: 'none', reasonMode: 'optional' },
  });
  expect(credential.status, credential.text).toBe(201);
  const credentialId = credential.body.id as string;
  if (state === 'none') return { cast, vaultId, credentialId, checkoutId: null };
  const requested = await people[cast.requester].request('POST', '/api/pam/checkouts', {
    credentialID: credentialId,
    approverID: ids[cast.named],
    reason: 'authorization matrix',
  });
  expect(requested.status, requested.text).toBe(201);
  const checkoutId = requested.body.id as string;
  if (state === 'active') {
    const approved = await people[cast.named].request('PUT', `/api/pam/checkouts/${checkoutId}`, {
      status: CheckoutStatus.Active,
    });
    expect(approved.status, approved.text).toBe(200);
  }
  return { cast, vaultId, credentialId, checkoutId };
}

const MIM = '/api/pamresources';
const statusOf = async (checkoutId: string) => (await server.ctx.store.getCheckout(checkoutId))?.status;

type Performer = (
  actor: Session,
  scene: Scene,
) => Promise<{ response: ApiResponse; listed?: boolean; check?: () => Promise<void> }>;

/** `PUT /api/pam/checkouts/{id} {status}`; allowed, the checkout is in that status. */
const transition =
  (status: CheckoutStatus): Performer =>
  async (actor, { checkoutId }) => {
    const response = await actor.request('PUT', `/api/pam/checkouts/${checkoutId}`, { status });
    return { response, check: async () => expect(await statusOf(checkoutId!)).toBe(status) };
  };

/** What the actor does for each action, and how an allowed answer is checked. */
const PERFORM: Record<Action, Performer> = {
  read: async (actor, { checkoutId }) => {
    const response = await actor.request('GET', `/api/pam/checkouts/${checkoutId}`);
    return { response, check: async () => expect(response.body.id).toBe(checkoutId) };
  },
  readMim: async (actor, { checkoutId }) => {
    const response = await actor.request('GET', `${MIM}/pamrequests(guid'${checkoutId}')`);
    return { response, check: async () => expect(response.body.RequestId).toBe(checkoutId) };
  },
  approve: transition(CheckoutStatus.Active),
  deny: transition(CheckoutStatus.Denied),
  checkIn: transition(CheckoutStatus.Ended),
  cancel: transition(CheckoutStatus.RequestCanceled),
  abort: transition(CheckoutStatus.Aborted),
  extend: async (actor, { checkoutId }) => {
    const before = (await server.ctx.store.getCheckout(checkoutId!))!.expiresAt!;
    const response = await actor.request('POST', `/api/pam/checkouts/${checkoutId}/extend`, { minutes: 10 });
    return {
      response,
      check: async () =>
        expect((await server.ctx.store.getCheckout(checkoutId!))!.expiresAt).toBe(before + 10 * 60_000),
    };
  },
  password: async (actor, { credentialId }) => {
    const response = await actor.request('GET', `/api/pam/passwords/${credentialId}`);
    return {
      response,
      check: async () => {
        const stored = (await server.ctx.store.getCredential(credentialId))!;
        expect(response.body.data).toBe(server.ctx.secretBox.open(stored.passwordSealed, credentialId));
      },
    };
  },
  toApprove: async (actor, { checkoutId }) => {
    const response = await actor.request('GET', '/api/pam/checkouts?toApprove=true');
    const listed = response.status === 200 && response.body.some((c: { id: string }) => c.id === checkoutId);
    return { response, listed };
  },
  toApproveMim: async (actor, { checkoutId }) => {
    const response = await actor.request('GET', `${MIM}/pamrequeststoapprove`);
    const listed =
      response.status === 200 &&
      response.body.value.some(
        (r: { FIMRequestID: { Value: string } }) => r.FIMRequestID.Value === checkoutId,
      );
    return { response, listed };
  },
  mimApprove: async (actor, { checkoutId }) => {
    const response = await actor.request(
      'POST',
      `${MIM}/pamrequeststoapprove(guid'${approvalObjectId(checkoutId!)}')/Approve`,
    );
    return { response, check: async () => expect(await statusOf(checkoutId!)).toBe(CheckoutStatus.Active) };
  },
  mimReject: async (actor, { checkoutId }) => {
    const response = await actor.request(
      'POST',
      `${MIM}/pamrequeststoapprove(guid'${approvalObjectId(checkoutId!)}')/Reject`,
    );
    return { response, check: async () => expect(await statusOf(checkoutId!)).toBe(CheckoutStatus.Denied) };
  },
  mimClosePending: async (actor, { checkoutId }) => {
    const response = await actor.request('POST', `${MIM}/pamrequests(guid'${checkoutId}')/Close`);
    return {
      response,
      check: async () => expect(await statusOf(checkoutId!)).toBe(CheckoutStatus.RequestCanceled),
    };
  },
  mimCloseActive: async (actor, { checkoutId }) => {
    const response = await actor.request('POST', `${MIM}/pamrequests(guid'${checkoutId}')/Close`);
    return { response, check: async () => expect(await statusOf(checkoutId!)).toBe(CheckoutStatus.Ended) };
  },
  audit: async (actor, { credentialId }) => {
    const response = await actor.request('GET', `/api/pam/audit?credentialID=${credentialId}`);
    return {
      response,
      check: async () =>
        expect(response.body.map((row: { action: string }) => row.action)).toContain('credential.created'),
    };
  },
  request: async (actor, { credentialId }) => {
    const response = await actor.request('POST', '/api/pam/checkouts', { credentialID: credentialId });
    return {
      response,
      check: async () => {
        expect(response.body.status).toBe(CheckoutStatus.Active);
        const read = await actor.request('GET', `/api/pam/passwords/${credentialId}`);
        expect(typeof read.body.data).toBe('string');
      },
    };
  },
  mimRequest: async (actor, { credentialId }) => {
    const response = await actor.request('POST', `${MIM}/pamrequests`, {
      RoleId: credentialId,
      RequestedTTL: 3600,
      Justification: 'authorization matrix',
    });
    return { response, check: async () => expect(response.body.RequestStatus).toBe('Active') };
  },
  listUsers: async (actor) => {
    const response = await actor.request('GET', '/api/admin/users');
    return { response, check: async () => expect(response.body.length).toBeGreaterThan(6) };
  },
  createUser: async (actor) => {
    const username = unique('matrix-user');
    const response = await actor.request('POST', '/api/admin/users', {
      username,
      password: EXTRA_PASSWORD,
      roles: ['user'],
    });
    return {
      response,
      check: async () => expect((await server.ctx.store.getUserByName(username))?.id).toBe(response.body.id),
    };
  },
  updateUser: async (actor) => {
    const displayName = unique('Patched');
    const response = await actor.request('PATCH', `/api/admin/users/${patchTargetUserId}`, { displayName });
    return {
      response,
      check: async () =>
        expect((await server.ctx.store.getUser(patchTargetUserId))?.displayName).toBe(displayName),
    };
  },
  createVault: async (actor) => {
    const response = await actor.request('POST', '/api/admin/vaults', { name: unique('matrix vault') });
    return {
      response,
      check: async () => expect(await server.ctx.store.getVault(response.body.id)).toBeDefined(),
    };
  },
  updateVault: async (actor, { vaultId }) => {
    const description = unique('described');
    const response = await actor.request('PATCH', `/api/admin/vaults/${vaultId}`, { description });
    return {
      response,
      check: async () => expect((await server.ctx.store.getVault(vaultId))?.description).toBe(description),
    };
  },
  createCredential: async (actor, { vaultId }) => {
    const response = await actor.request('POST', '/api/admin/credentials', {
      vaultID: vaultId,
      name: unique('created'),
    });
    return {
      response,
      check: async () => expect(await server.ctx.store.getCredential(response.body.id)).toBeDefined(),
    };
  },
  updateCredential: async (actor, { credentialId }) => {
    const name = unique('renamed');
    const response = await actor.request('PATCH', `/api/admin/credentials/${credentialId}`, { name });
    return {
      response,
      check: async () => expect((await server.ctx.store.getCredential(credentialId))?.name).toBe(name),
    };
  },
  setPassword: async (actor, { credentialId }) => {
    const password = unique('new-password');
    const response = await actor.request('PUT', `/api/admin/credentials/${credentialId}/password`, {
      password,
    });
    return {
      response,
      check: async () => {
        const stored = (await server.ctx.store.getCredential(credentialId))!;
        expect(server.ctx.secretBox.open(stored.passwordSealed, credentialId)).toBe(password);
      },
    };
  },
  deleteCredential: async (actor, { credentialId }) => {
    const response = await actor.request('DELETE', `/api/admin/credentials/${credentialId}`);
    return {
      response,
      check: async () => expect(await server.ctx.store.getCredential(credentialId)).toBeUndefined(),
    };
  },
};

/** Runs one cell; returns what went wrong, or null. */
async function checkCell(
  cast: Cast,
  vaultId: string,
  action: Action,
  expected: Cell,
): Promise<string | null> {
  const scene = await buildScene(cast, vaultId, action);
  const before = await storeFingerprint(server);
  const { response, listed, check } = await PERFORM[action](people[cast.actor], scene);
  if (expected === IN || expected === OUT) {
    if (response.status !== 200)
      return `expected 200 (${expected}), got ${response.status} ${response.text.slice(0, 120)}`;
    if (listed !== (expected === IN)) return `expected the checkout ${expected}, it was ${listed ? IN : OUT}`;
    return null;
  }
  if (response.status !== expected)
    return `expected ${expected}, got ${response.status} ${response.text.slice(0, 160)}`;
  if (expected >= 400) {
    const after = await storeFingerprint(server);
    if (after !== before) return `refused with ${expected}, yet the state changed`;
    return null;
  }
  try {
    await check?.();
  } catch (error) {
    return `allowed (${expected}), but the effect is missing: ${(error as Error).message.split('\n')[0]}`;
  }
  return null;
}

describe('authorization matrix (API.md): role × relation × action', () => {
  it('the table covers every action in every row', () => {
    for (const [, , , ...cells] of MATRIX) expect(cells).toHaveLength(ACTIONS.length);
  });

  it.each(MATRIX.map((row) => [`${row[0]} as ${row[1]} (${row[2].actor})`, row] as const))(
    '%s',
    async (_label, [, , cast, ...cells]) => {
      // A fresh vault per row; each cell gets its own credential (and checkout) inside it.
      const vault = await admin.request('POST', '/api/admin/vaults', { name: unique('matrix row') });
      expect(vault.status).toBe(201);
      const wrong: string[] = [];
      for (const [index, action] of ACTIONS.entries()) {
        const problem = await checkCell(cast, vault.body.id, action, cells[index]!);
        if (problem) wrong.push(`${action}: ${problem}`);
      }
      expect(wrong, wrong.join('\n')).toEqual([]);
    },
  );
});

describe('self-approval (API.md): who may name themselves as approver', () => {
  it.each(SELF_APPROVAL)('%s (%s), selfApproval %s → %i', async (who, _role, selfApproval, expected) => {
    const vault = await admin.request('POST', '/api/admin/vaults', { name: unique('self-approval') });
    const listed = who === 'kelly' ? [ids.alice] : [ids[who]];
    const credential = await admin.request('POST', '/api/admin/credentials', {
      vaultID: vault.body.id,
      name: unique('self-approval'),
      policy: { approvalMode: 'mandatory', approvers: listed, selfApproval, reasonMode: 'optional' },
    });
    const before = await storeFingerprint(server);
    const response = await people[who].request('POST', '/api/pam/checkouts', {
      credentialID: credential.body.id,
      approverID: ids[who],
    });
    expect(response.status, response.text).toBe(expected);
    if (expected === 201) {
      expect(response.body.status).toBe(CheckoutStatus.Active);
      expect(response.body.approverID).toBe(ids[who]);
      const read = await people[who].request('GET', `/api/pam/passwords/${credential.body.id}`);
      expect(typeof read.body.data).toBe('string');
    } else {
      expect(await storeFingerprint(server)).toBe(before);
    }
  });
});

describe('roles without a relation', () => {
  it('an approver-only account cannot check out through either dialect (was 201 with the password)', async () => {
    const alice = people.alice;
    const before = await storeFingerprint(server);
    const pam = await alice.request('POST', '/api/pam/checkouts', {
      credentialID: 'c2000000-0000-4000-8000-000000000005',
    });
    expect(pam.status, pam.text).toBe(403);
    expect(pam.body.password).toBeUndefined();
    const mim = await alice.request('POST', `${MIM}/pamrequests`, {
      RoleId: 'c2000000-0000-4000-8000-000000000005',
      RequestedTTL: 3600,
    });
    expect(mim.status, mim.text).toBe(403);
    expect(await storeFingerprint(server)).toBe(before);
    // …and so never holds a password to read.
    expect(
      (await alice.request('GET', '/api/pam/passwords/c2000000-0000-4000-8000-000000000005')).status,
    ).toBe(403);
  });

  it('every role may read the catalogue; nobody reads a password without holding the checkout', async () => {
    for (const name of Object.keys(people) as Person[]) {
      const session = people[name];
      expect((await session.request('GET', '/api/pam/vaults')).status).toBe(200);
      expect((await session.request('GET', '/api/pam/credentials')).status).toBe(200);
      expect((await session.request('GET', `/api/pam/passwords/${DEMO_IDS.approvedCredential}`)).status).toBe(
        403,
      );
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Vault roles (issue 14): what a member may do in a vault, by the role they hold there.

const VAULT_ACTIONS = [
  'list',
  'read',
  'approvers',
  'request',
  'mimRequest',
  'approve',
  'toApprove',
  'updateVault',
  'members',
  'createCredential',
  'setPassword',
] as const;
type VaultAction = (typeof VAULT_ACTIONS)[number];

/** How the actor (vera: user and approver, or the administrator) comes to hold a role in the row's vault. */
type Membership =
  | { via: 'none' }
  | { via: 'user' | 'group' | 'everyone'; role: 'view' | 'request' | 'approve' | 'manage' }
  | { via: 'administrator' };

/*
 * Columns: list (the credential in GET /api/pam/credentials), read (GET credentials/{id}),
 * approvers (GET credentials/{id}/approvers), request and mimRequest (a credential without
 * approval), approve (PUT 4 on a request naming the actor, made while the actor could approve,
 * before the row's membership was set), toApprove (that request in the actor's queue), then the
 * vault's administration: updateVault (PATCH), members (GET members), createCredential,
 * setPassword. 404 where the actor may not see the vault at all, 403 where they see it but their
 * role does not reach the action. (approve is 403, not 404, for a non-member: the request names
 * them, so they know it exists.)
 */
// biome-ignore format: the matrix reads as a table
const VAULT_MATRIX: Array<[string, Membership, ...Cell[]]> = [
  //                                                                           list read appr req  mimReq approve toAppr updVault members createCred setPw
  ['no member',                 { via: 'none' },                               OUT, 404, 404, 404, 404,   403,    OUT,   404,     404,    404,       404],
  ['view',                      { via: 'user', role: 'view' },                 IN,  200, 200, 403, 403,   403,    OUT,   403,     403,    403,       403],
  ['request',                   { via: 'user', role: 'request' },              IN,  200, 200, 201, 201,   403,    OUT,   403,     403,    403,       403],
  ['approve',                   { via: 'user', role: 'approve' },              IN,  200, 200, 201, 201,   200,    IN,    403,     403,    403,       403],
  ['manage',                    { via: 'user', role: 'manage' },               IN,  200, 200, 201, 201,   200,    IN,    200,     200,    201,       204],
  ['view through a group',      { via: 'group', role: 'view' },                IN,  200, 200, 403, 403,   403,    OUT,   403,     403,    403,       403],
  ['manage through a group',    { via: 'group', role: 'manage' },              IN,  200, 200, 201, 201,   200,    IN,    200,     200,    201,       204],
  ['request through Everyone',  { via: 'everyone', role: 'request' },          IN,  200, 200, 201, 201,   403,    OUT,   403,     403,    403,       403],
  ['administrator, no member',  { via: 'administrator' },                      IN,  200, 200, 201, 201,   200,    IN,    200,     200,    201,       204],
];

const EVERYONE = '00000000-0000-4000-8000-0000000e0e0e';

interface VaultScene {
  actor: Session;
  actorId: string;
  vaultId: string;
  members: Array<{ memberType: 'user' | 'group'; memberID: string; role: string }>;
  credentialId: string;
  checkoutId: string | null;
}

let vera: { session: Session; id: string } | undefined;

async function veraSession() {
  if (vera) return vera;
  const created = await admin.request('POST', '/api/admin/users', {
    username: 'vera',
    password: EXTRA_PASSWORD,
    roles: ['user', 'approver'],
  });
  expect(created.status, created.text).toBe(201);
  vera = { session: await login('vera', EXTRA_PASSWORD), id: created.body.id };
  return vera;
}

/** The row's vault: kelly requests there; the actor holds the row's role. */
async function vaultOfRow(
  label: string,
  membership: Membership,
): Promise<Omit<VaultScene, 'credentialId' | 'checkoutId'>> {
  const who = membership.via === 'administrator' ? { session: admin, id: ids.admin } : await veraSession();
  const members: VaultScene['members'] = [{ memberType: 'user', memberID: ids.kelly, role: 'request' }];
  if (membership.via === 'user')
    members.push({ memberType: 'user', memberID: who.id, role: membership.role });
  if (membership.via === 'everyone')
    members.push({ memberType: 'group', memberID: EVERYONE, role: membership.role });
  if (membership.via === 'group') {
    const group = await admin.request('POST', '/api/admin/groups', {
      name: unique(label),
      memberIDs: [who.id],
    });
    expect(group.status, group.text).toBe(201);
    members.push({ memberType: 'group', memberID: group.body.id, role: membership.role });
  }
  const vault = await admin.request('POST', '/api/admin/vaults', { name: unique('vault row'), members });
  expect(vault.status, vault.text).toBe(201);
  return { actor: who.session, actorId: who.id, vaultId: vault.body.id, members };
}

async function buildVaultScene(
  row: Omit<VaultScene, 'credentialId' | 'checkoutId'>,
  action: VaultAction,
): Promise<VaultScene> {
  const pending = action === 'approve' || action === 'toApprove';
  const credential = await admin.request('POST', '/api/admin/credentials', {
    vaultID: row.vaultId,
    name: unique(`vault ${action}`),
    policy:
      pending || action === 'approvers'
        ? { approvalMode: 'mandatory', approvers: [row.actorId], reasonMode: 'optional', selfApproval: false }
        : { approvalMode: 'none', reasonMode: 'optional' },
  });
  expect(credential.status, credential.text).toBe(201);
  const scene = { ...row, credentialId: credential.body.id as string, checkoutId: null };
  if (!pending) return scene;
  // The request is made while the actor may approve, then the row's membership is set again.
  const setMembers = (members: VaultScene['members']) =>
    admin.request('PUT', `/api/admin/vaults/${row.vaultId}/members`, { members });
  const others = row.members.filter((member) => member.memberID !== row.actorId);
  expect(
    (await setMembers([...others, { memberType: 'user', memberID: row.actorId, role: 'approve' }])).status,
  ).toBe(200);
  const requested = await people.kelly.request('POST', '/api/pam/checkouts', {
    credentialID: scene.credentialId,
    approverID: row.actorId,
  });
  expect(requested.status, requested.text).toBe(201);
  expect((await setMembers(row.members)).status).toBe(200);
  return { ...scene, checkoutId: requested.body.id };
}

const VAULT_PERFORM: Record<
  VaultAction,
  (scene: VaultScene) => Promise<{ response: ApiResponse; listed?: boolean }>
> = {
  list: async ({ actor, credentialId }) => {
    const response = await actor.request('GET', '/api/pam/credentials?limit=5000');
    return { response, listed: response.body.data.some((c: { id: string }) => c.id === credentialId) };
  },
  read: async ({ actor, credentialId }) => ({
    response: await actor.request('GET', `/api/pam/credentials/${credentialId}`),
  }),
  approvers: async ({ actor, credentialId }) => ({
    response: await actor.request('GET', `/api/pam/credentials/${credentialId}/approvers`),
  }),
  request: async ({ actor, credentialId }) => ({
    response: await actor.request('POST', '/api/pam/checkouts', { credentialID: credentialId }),
  }),
  mimRequest: async ({ actor, credentialId }) => ({
    response: await actor.request('POST', `${MIM}/pamrequests`, { RoleId: credentialId, RequestedTTL: 3600 }),
  }),
  approve: async ({ actor, checkoutId }) => ({
    response: await actor.request('PUT', `/api/pam/checkouts/${checkoutId}`, {
      status: CheckoutStatus.Active,
    }),
  }),
  toApprove: async ({ actor, checkoutId }) => {
    const response = await actor.request('GET', '/api/pam/checkouts?toApprove=true');
    return { response, listed: response.body.some((c: { id: string }) => c.id === checkoutId) };
  },
  updateVault: async ({ actor, vaultId }) => ({
    response: await actor.request('PATCH', `/api/admin/vaults/${vaultId}`, { description: unique('d') }),
  }),
  members: async ({ actor, vaultId }) => ({
    response: await actor.request('GET', `/api/admin/vaults/${vaultId}/members`),
  }),
  createCredential: async ({ actor, vaultId }) => ({
    response: await actor.request('POST', '/api/admin/credentials', { vaultID: vaultId, name: unique('c') }),
  }),
  setPassword: async ({ actor, credentialId }) => ({
    response: await actor.request('PUT', `/api/admin/credentials/${credentialId}/password`, {
      password: unique('p'),
    }),
  }),
};

describe('authorization matrix: vault role × action (issue 14)', () => {
  it('the table covers every vault action in every row', () => {
    for (const [, , ...cells] of VAULT_MATRIX) expect(cells).toHaveLength(VAULT_ACTIONS.length);
  });

  it.each(VAULT_MATRIX.map((row) => [row[0], row] as const))(
    'vault role: %s',
    async (label, [, membership, ...cells]) => {
      const row = await vaultOfRow(label, membership);
      const wrong: string[] = [];
      for (const [index, action] of VAULT_ACTIONS.entries()) {
        const expected = cells[index]!;
        const scene = await buildVaultScene(row, action);
        const before = await storeFingerprint(server);
        const { response, listed } = await VAULT_PERFORM[action](scene);
        if (expected === IN || expected === OUT) {
          if (response.status !== 200) wrong.push(`${action}: expected 200, got ${response.status}`);
          else if (listed !== (expected === IN))
            wrong.push(`${action}: expected ${expected}, was ${listed ? IN : OUT}`);
          continue;
        }
        if (response.status !== expected) {
          wrong.push(
            `${action}: expected ${expected}, got ${response.status} ${response.text.slice(0, 160)}`,
          );
        } else if (expected >= 400 && (await storeFingerprint(server)) !== before) {
          wrong.push(`${action}: refused with ${expected}, yet the state changed`);
        }
      }
      expect(wrong, wrong.join('\n')).toEqual([]);
    },
  );
});
