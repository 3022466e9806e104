/**
 * Property-based fuzzing of every HTTP endpoint of both dialects (issue 7, §2).
 *
 * Properties, each with a fixed seed (printed; FUZZ_SEED overrides them all) and a bounded numRuns:
 *   1. catalogue: every endpoint (checkout dialect, auth, admin, events, MIM incl. the
 *      `(guid'…')` action URLs) with random/malformed bodies, params, query strings, headers and
 *      content types → status < 500, errors in the dialect's shape, answer within 2 s, and a
 *      rejected call leaves the store exactly as it was.
 *   2. transport: malformed bodies on every body-taking endpoint (invalid UTF-8, oversized, deeply
 *      nested, not JSON, content-type lies) → same properties.
 *   3. `$filter` and `v` on every MIM list → same properties; a bad filter or version is a 400.
 *   4. random methods and paths (traversal, unicode, bad escapes) → same properties.
 *   5. rejected batches: requests built to be refused (no token, invalid body, unknown id, wrong
 *      role, policy violation, forbidden transition, …) are all 4xx, and the state read through the
 *      admin API (users, vaults, credentials, audit rows minus sign-in rows) and the store's
 *      checkouts is the same before and after the batch.
 * After each: the server answers /api/health and ordinary calls, and logged no error.
 */
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  createCredentialRequestSchema,
  createUserRequestSchema,
  createVaultRequestSchema,
  setPasswordRequestSchema,
  updateCredentialRequestSchema,
  updateUserRequestSchema,
  updateVaultRequestSchema,
} from '../../common/admin.ts';
import {
  CheckoutStatus,
  createCheckoutRequestSchema,
  extendCheckoutRequestSchema,
  updateCheckoutRequestSchema,
} from '../../common/checkout.ts';
import { CHARACTER_CLASSES } from '../../common/policy.ts';
import { loginRequestSchema, ROLES } from '../../common/roles.ts';
import { DEMO_IDS, DEMO_USERS } from '../../server/demo.ts';
import {
  approvalObjectId,
  MIM_REQUEST_FILTER_SCHEMA,
  MIM_REQUEST_TO_APPROVE_FILTER_SCHEMA,
  MIM_ROLE_FILTER_SCHEMA,
  mimCreateRequestSchema,
} from '../../server/mim/mimMapping.ts';
import { type Session, startTestServer, type TestServer } from '../support/testServer.ts';
import {
  answerProblems,
  anyText,
  contentType,
  dateish,
  deepJson,
  describeRequest,
  encode,
  errorShapeProblem,
  guid,
  guidish,
  hugeString,
  INVALID_HEADER_CHAR,
  invalidUtf8Body,
  MIM_PREFIX,
  notJson,
  numberish,
  oversizeBody,
  pathParam,
  queryString,
  type RawRequest,
  type RawResponse,
  rightKeysWrongTypes,
  send,
  storeFingerprint,
  toJson,
  traversal,
} from './httpFuzzSupport.ts';
import { runProperty } from './runProperty.ts';

const VAULT_IDS = [
  'a1000000-0000-4000-8000-000000000001',
  'a1000000-0000-4000-8000-000000000002',
  'a1000000-0000-4000-8000-000000000003',
  'a1000000-0000-4000-8000-000000000004',
];
const CREDENTIAL_IDS = [
  DEMO_IDS.autoCredential,
  DEMO_IDS.selfApprovalCredential,
  DEMO_IDS.approvedCredential,
  DEMO_IDS.mimRoleCredential,
  ...Array.from({ length: 9 }, (_, i) => `c2000000-0000-4000-8000-00000000000${i + 1}`),
];
const USER_IDS = DEMO_USERS.map((user) => user.id);
const SESSION_NAMES = ['bob', 'kelly', 'maurice', 'alice', 'PRIV.Jen', 'admin'] as const;
type SessionName = (typeof SESSION_NAMES)[number];

interface World {
  server: TestServer;
  sessions: Record<SessionName, Session>;
  /** Checkouts created by the setup and by accepted fuzz calls (for ids that exist). */
  checkoutIds: string[];
  /** Objects the admin fuzzing may patch, re-password and delete without hurting the rest. */
  victimUserId: string;
  victimVaultId: string;
  victimCredentialId: string;
}

async function createWorld(): Promise<World> {
  const server = await startTestServer();
  const sessions = {} as Record<SessionName, Session>;
  for (const name of SESSION_NAMES) sessions[name] = await server.as(name);
  const { admin, kelly, bob, maurice } = sessions;
  const victimUser = await admin.request('POST', '/api/admin/users', {
    username: 'fuzz-victim',
    password: 'fuzz-victim-password',
    roles: ['user', 'approver'],
  });
  const victimVault = await admin.request('POST', '/api/admin/vaults', { name: 'Fuzz victims' });
  const victimCredential = await admin.request('POST', '/api/admin/credentials', {
    vaultID: victimVault.body.id,
    name: 'fuzz victim',
    policy: { approvalMode: 'mandatory', approvers: [DEMO_IDS.alice] },
  });
  const pending = await kelly.request('POST', '/api/pam/checkouts', {
    credentialID: DEMO_IDS.approvedCredential,
    approverID: DEMO_IDS.alice,
    reason: 'fuzz fixture',
  });
  const active = await bob.request('POST', '/api/pam/checkouts', {
    credentialID: 'c2000000-0000-4000-8000-000000000003',
  });
  const self = await maurice.request('POST', '/api/pam/checkouts', {
    credentialID: DEMO_IDS.selfApprovalCredential,
    approverID: DEMO_IDS.maurice,
  });
  const mim = await sessions['PRIV.Jen'].request('POST', `${MIM_PREFIX}/pamrequests`, {
    RoleId: DEMO_IDS.mimRoleCredential,
    RequestedTTL: 3600,
    Justification: 'fuzz fixture',
  });
  for (const response of [victimUser, victimVault, victimCredential, pending, active, self, mim]) {
    expect(response.status, response.text).toBe(201);
  }
  return {
    server,
    sessions,
    checkoutIds: [pending.body.id, active.body.id, self.body.id, mim.body.RequestId],
    victimUserId: victimUser.body.id,
    victimVaultId: victimVault.body.id,
    victimCredentialId: victimCredential.body.id,
  };
}

// ---------------------------------------------------------------------------------------------
// Headers

/** Authentication headers: none, garbage, a real session by either header, and odd spellings. */
function authHeaders(world: World, { sessions = true } = {}): fc.Arbitrary<Record<string, string>> {
  const headerText = fc.string({ maxLength: 80 }).filter((v) => !INVALID_HEADER_CHAR.test(v));
  const token = fc.constantFrom(...SESSION_NAMES).map((name) => world.sessions[name].token);
  const garbage: fc.Arbitrary<Record<string, string>>[] = [
    fc.constant({}),
    headerText.map((v) => ({ tokenId: v })),
    headerText.map((v) => ({ authorization: v })),
    headerText.map((v) => ({ authorization: `Bearer ${v}` })),
    fc.constantFrom(
      { authorization: 'Bearer' },
      { authorization: 'Bearer ' },
      { authorization: 'Basic Ym9iOmNvZmZyZS1kZW1v' },
      { authorization: 'Bearer a b' },
      { tokenId: '' },
      { tokenId: ' ' },
      { tokenid: 'null' },
    ),
  ];
  if (!sessions) return fc.oneof(...garbage);
  return fc.oneof(
    ...garbage,
    { weight: 6, arbitrary: token.map((t) => ({ tokenId: t })) },
    { weight: 3, arbitrary: token.map((t) => ({ authorization: `Bearer ${t}` })) },
    token.map((t) => ({ authorization: `bearer  ${t}` })),
    token.map((t) => ({ tokenId: '', authorization: `Bearer ${t}` })),
    token.map((t) => ({ tokenId: `${t}x` })),
    token.map((t) => ({ tokenId: t.slice(0, -2) })),
    token.map((t) => ({ tokenId: ` ${t} ` })),
    fc.tuple(token, headerText).map(([t, g]) => ({ tokenId: g || 'x', authorization: `Bearer ${t}` })),
  );
}

/** Other headers a client might send, sometimes nonsense. */
const extraHeaders: fc.Arbitrary<Record<string, string>> = fc.oneof(
  { weight: 5, arbitrary: fc.constant<Record<string, string>>({}) },
  fc.constantFrom<Record<string, string>>(
    { accept: 'text/html' },
    { accept: 'application/xml' },
    { 'accept-version': '1.x' },
    { 'last-event-id': '-1' },
    { 'last-event-id': '1e400' },
    { 'x-forwarded-for': '10.0.0.1' },
    { host: 'evil.example' },
    { host: '' },
    { 'content-encoding': 'gzip' },
    { 'content-encoding': 'br' },
    { 'accept-encoding': 'gzip, br' },
    { expect: '100-continue' },
  ),
);

// ---------------------------------------------------------------------------------------------
// Bodies: every field is mostly valid, sometimes not, so that whole bodies often pass validation
// and reach the domain (and the rest still probes one wrong field at a time).

/** `valid` most of the time, `invalid` now and then. */
function mostly<T, U>(valid: fc.Arbitrary<T>, invalid: fc.Arbitrary<U>): fc.Arbitrary<T | U> {
  return fc.oneof({ weight: 6, arbitrary: valid }, { weight: 1, arbitrary: invalid });
}

const APPROVER_IDS = [DEMO_IDS.alice, DEMO_IDS.maurice, DEMO_IDS.admin];
const text = (max: number) => fc.oneof(fc.string({ maxLength: max }), anyText(max));
const nonEmptyName = fc
  .oneof(fc.string({ minLength: 1, maxLength: 40 }), anyText(40))
  .filter((n) => n.trim() !== '');
const shortText = mostly(text(30), fc.oneof(hugeString, fc.constantFrom(null, 1, [], {})));
const strongPassword = fc.string({ minLength: 12, maxLength: 40 });

const policyPatch = mostly(
  fc.record(
    {
      approvalMode: fc.constantFrom('none', 'mandatory'),
      reasonMode: fc.constantFrom('none', 'optional', 'mandatory'),
      approvers: fc.array(fc.constantFrom(...USER_IDS), { maxLength: 3 }),
      selfApproval: fc.boolean(),
      defaultDuration: fc.integer({ min: 1, max: 600 }),
      minDuration: fc.integer({ min: 1, max: 60 }),
      maxDuration: fc.integer({ min: 1, max: 100_000 }),
      maxExtension: fc.integer({ min: 0, max: 1000 }),
      rotateOnCheckin: fc.boolean(),
      exclusive: fc.boolean(),
      passwordLength: fc.integer({ min: 8, max: 128 }),
      passwordClasses: fc.subarray([...CHARACTER_CLASSES], { minLength: 1 }),
    },
    { requiredKeys: [] },
  ),
  fc.record(
    {
      approvalMode: fc.constantFrom('sometimes', 'NONE', ''),
      approvers: fc.array(guidish, { maxLength: 3 }),
      defaultDuration: fc.integer({ min: -5, max: 0 }),
      maxExtension: fc.constantFrom(-1, 1.5, 1e308),
      passwordLength: fc.constantFrom(4, 129, 0),
      passwordClasses: fc.constantFrom([], ['emoji']),
      unknown: fc.constant(true),
    },
    { requiredKeys: [] },
  ),
);

const userName = mostly(
  fc.oneof(
    fc.nat().map((n) => `fuzz-${n}`),
    fc.constantFrom('bob', 'BOB', 'admin', 'fuzz-victim'),
  ),
  fc.oneof(fc.constantFrom('', ' ', 'a:b', 'with space', 'x'.repeat(129)), anyText(20)),
);

interface Pools {
  credential: fc.Arbitrary<string>;
  user: fc.Arbitrary<string>;
  vault: fc.Arbitrary<string>;
}

function nearValidBodies(world: World, pools: Pools) {
  const now = world.server.clock.now();
  const future = fc.integer({ min: 60_000, max: 86_400_000 }).map((ms) => new Date(now + ms).toISOString());
  const credentialId = mostly(fc.constantFrom(...CREDENTIAL_IDS), pools.credential);
  const ttlSeconds = mostly(
    fc.oneof(fc.integer({ min: 600, max: 28_800 }), fc.integer({ min: 600, max: 28_800 }).map(String)),
    fc.oneof(fc.integer({ min: -10, max: 1_000_000 }), numberish, fc.double()),
  );
  return {
    login: fc.record(
      {
        username: mostly(fc.constantFrom(...DEMO_USERS.map((u) => u.username)), userName),
        password: mostly(fc.constant('coffre-demo'), fc.string({ maxLength: 40 })),
      },
      { requiredKeys: [] },
    ),
    createCheckout: fc.record(
      {
        credentialID: credentialId,
        reason: shortText,
        approverID: mostly(fc.constantFrom(...APPROVER_IDS), pools.user),
        duration: mostly(
          fc.integer({ min: 10, max: 480 }),
          fc.oneof(fc.integer({ min: -5, max: 700_000 }), fc.double()),
        ),
        scheduledStart: mostly(future, dateish),
      },
      { requiredKeys: ['credentialID'] },
    ),
    updateCheckout: fc.record(
      {
        status: mostly(
          fc.constantFrom(3, 4, 5, 7, 8),
          fc.oneof(fc.integer({ min: -1, max: 10 }), fc.constantFrom('4', 4.5, null)),
        ),
        approverMessage: shortText,
      },
      { requiredKeys: ['status'] },
    ),
    extend: fc.record({
      minutes: mostly(
        fc.integer({ min: 1, max: 300 }),
        fc.oneof(fc.integer({ min: -5, max: 600_000 }), fc.constantFrom('10', 1.5)),
      ),
    }),
    createUser: fc.record(
      {
        username: userName,
        displayName: mostly(nonEmptyName, shortText),
        password: mostly(strongPassword, fc.string({ maxLength: 11 })),
        roles: mostly(fc.subarray([...ROLES], { minLength: 1 }), fc.constantFrom([], ['root'], 'admin')),
        id: mostly(guid, fc.oneof(fc.constantFrom(...USER_IDS), guidish)),
      },
      { requiredKeys: ['username', 'password', 'roles'] },
    ),
    updateUser: fc.record(
      {
        displayName: mostly(nonEmptyName, shortText),
        password: mostly(strongPassword, fc.string({ maxLength: 11 })),
        roles: mostly(fc.subarray([...ROLES], { minLength: 1 }), fc.constantFrom([], ['root'])),
        disabled: mostly(fc.boolean(), fc.constantFrom('true', 0)),
      },
      { requiredKeys: [] },
    ),
    createVault: fc.record(
      {
        name: mostly(nonEmptyName, shortText),
        description: shortText,
        policy: policyPatch,
        id: mostly(guid, pools.vault),
      },
      { requiredKeys: ['name'] },
    ),
    updateVault: fc.record(
      { name: mostly(nonEmptyName, shortText), description: shortText, policy: policyPatch },
      { requiredKeys: [] },
    ),
    createCredential: fc.record(
      {
        vaultID: mostly(fc.constantFrom(...VAULT_IDS, world.victimVaultId), pools.vault),
        name: mostly(nonEmptyName, shortText),
        username: shortText,
        host: shortText,
        description: shortText,
        policy: policyPatch,
        password: mostly(fc.string({ minLength: 1, maxLength: 30 }), fc.constantFrom('', null, 1)),
        id: mostly(guid, pools.credential),
      },
      { requiredKeys: ['vaultID', 'name'] },
    ),
    updateCredential: fc.record(
      {
        vaultID: mostly(fc.constantFrom(...VAULT_IDS, world.victimVaultId), pools.vault),
        name: mostly(nonEmptyName, shortText),
        username: shortText,
        host: shortText,
        description: shortText,
        policy: policyPatch,
      },
      { requiredKeys: [] },
    ),
    setPassword: fc.record(
      { password: mostly(fc.string({ minLength: 1, maxLength: 30 }), fc.constantFrom('', null, 1)) },
      { requiredKeys: [] },
    ),
    mimCreate: fc.record(
      {
        Justification: mostly(text(30), fc.constant(null)),
        RoleId: mostly(
          fc.oneof(
            fc.constantFrom(...CREDENTIAL_IDS),
            fc.constantFrom(...CREDENTIAL_IDS).map((id) => ({ Value: id })),
            fc.constantFrom(...CREDENTIAL_IDS).map((id) => `guid'${id.toUpperCase()}'`),
          ),
          fc.oneof(pools.credential, fc.constantFrom('', 'x', null, { Value: 1 })),
        ),
        RequestedTTL: ttlSeconds,
        RequestedTime: mostly(fc.oneof(future, fc.constant(null)), dateish),
      },
      { requiredKeys: ['RoleId', 'RequestedTTL'] },
    ),
  };
}

/** A body for an endpoint: near-valid, right keys wrong types, random JSON, or transport garbage. */
function bodyFor(
  valid: fc.Arbitrary<unknown> | undefined,
  keys: string[],
): fc.Arbitrary<Buffer | string | undefined> {
  if (!valid) {
    return fc.oneof(
      { weight: 8, arbitrary: fc.constant(undefined) },
      { weight: 1, arbitrary: fc.jsonValue().map(toJson) },
      { weight: 1, arbitrary: notJson },
    );
  }
  return fc.oneof(
    { weight: 24, arbitrary: valid.map(toJson) },
    { weight: 4, arbitrary: rightKeysWrongTypes(keys).map(toJson) },
    { weight: 2, arbitrary: fc.jsonValue().map(toJson) },
    { weight: 2, arbitrary: fc.anything().map(toJson) },
    { weight: 1, arbitrary: deepJson },
    { weight: 1, arbitrary: invalidUtf8Body },
    { weight: 1, arbitrary: oversizeBody },
    { weight: 1, arbitrary: notJson },
    { weight: 1, arbitrary: hugeString.map((s) => toJson({ [keys[0] ?? 'x']: s })) },
    { weight: 1, arbitrary: fc.constant('') },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
}

// ---------------------------------------------------------------------------------------------
// $filter

const FILTER_PROPERTIES = [
  ...new Set([
    ...Object.keys(MIM_ROLE_FILTER_SCHEMA),
    ...Object.keys(MIM_REQUEST_FILTER_SCHEMA),
    ...Object.keys(MIM_REQUEST_TO_APPROVE_FILTER_SCHEMA),
  ]),
  'FIMRequestID/Value',
  'ApprovalObjectID/Value',
  'RoleId/Value',
  'roleid',
  'Unknown',
  'A/B/C',
];

const filterLiteral = fc.oneof(
  anyText(12).map((s) => `'${s.replaceAll("'", "''")}'`),
  anyText(12).map((s) => `'${s}'`),
  numberish,
  fc.integer().map(String),
  fc.double().map(String),
  dateish.map((d) => `datetime'${d}'`),
  guidish.map((g) => `guid'${g}'`),
  fc.constantFrom('true', 'false', 'null', 'True', 'NULL', "X'00'", "binary'AA'", '1.2.3', '5abc', "''", "'"),
);
const filterOperator = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('eq', 'ne', 'gt', 'ge', 'lt', 'le') },
  fc.constantFrom('EQ', '==', '!=', 'like', 'has', 'in', '<', '&&'),
);

/** Filters from the OData grammar (valid and nearly valid), plus random and hostile ones. */
const filterArb: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.letrec<{ expr: string }>((tie) => ({
      expr: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        fc
          .tuple(fc.constantFrom(...FILTER_PROPERTIES), filterOperator, filterLiteral)
          .map(([p, op, v]) => `${p} ${op} ${v}`),
        fc
          .tuple(filterLiteral, filterOperator, fc.constantFrom(...FILTER_PROPERTIES))
          .map(([v, op, p]) => `${v} ${op} ${p}`),
        tie('expr').map((e) => `(${e})`),
        tie('expr').map((e) => `not ${e}`),
        fc
          .tuple(tie('expr'), fc.constantFrom('and', 'or', 'AND', 'Or'), tie('expr'))
          .map(([a, op, b]) => `${a} ${op} ${b}`),
        fc.constantFrom(
          "substringof('a', RoleName)",
          "startswith(RoleName, 'a')",
          'RoleName',
          'true',
          'not',
          '()',
          ')',
          '(',
          "RoleName eq 'unterminated",
          "datetime'2015-07-11T22:25:00Z' eq CreationTime",
        ),
      ),
    })).expr,
  },
  { weight: 2, arbitrary: anyText(60) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.integer({ min: 1, max: 300 }), fc.constantFrom('(', 'not ', '((not '))
      .map(
        ([n, open]) =>
          `${open.repeat(n)}RequestedTTL eq 1${open.includes('(') ? ')'.repeat(n * (open.split('(').length - 1)) : ''}`,
      ),
  },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 4_000, max: 6_000 }).map((n) => `RoleName eq '${'x'.repeat(n)}'`),
  },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 2, max: 400 })
      .map((n) =>
        Array.from({ length: n }, (_, i) => `RequestedTTL eq ${i}`).join(n % 2 === 0 ? ' or ' : ' and '),
      ),
  },
);

const versionArb = fc.oneof(
  { weight: 3, arbitrary: fc.constant('1') },
  fc.constantFrom('', '2', '01', ' 1', '1.0', 'v1', '1,1', '0', '-1'),
  anyText(6),
);

// ---------------------------------------------------------------------------------------------
// The endpoint catalogue

interface Endpoint {
  name: string;
  method: string;
  /** Builds the path (encoded) from generated parameters. */
  path: fc.Arbitrary<string>;
  /** Query-string keys the endpoint knows. */
  query?: string[];
  /** Known query values for MIM lists ($filter, v). */
  mimQuery?: boolean;
  /** A query string the endpoint accepts (the starting point before perturbation). */
  goodQuery?: fc.Arbitrary<string>;
  body?: fc.Arbitrary<unknown>;
  bodyKeys?: string[];
  /** Never send a live session (logout would end it). */
  noSession?: boolean;
}

/** A query string from some of `values` (each key at most once, encoded). */
function goodQuery(values: Record<string, fc.Arbitrary<string>>): fc.Arbitrary<string> {
  return fc.record(values, { requiredKeys: [] }).map((query) => {
    const text = Object.entries(query)
      .map(([key, value]) => `${encode(key)}=${encode(value as string)}`)
      .join('&');
    return text ? `?${text}` : '';
  });
}

/** A well-typed comparison (or two) on the properties of `schema`. */
function typedFilter(schema: Record<string, string>): fc.Arbitrary<string> {
  const literalOf = (type: string): fc.Arbitrary<string> => {
    switch (type) {
      case 'string':
        return anyText(10).map((text) => `'${text.replaceAll("'", "''")}'`);
      case 'number':
        return fc.integer({ min: -10, max: 100_000 }).map(String);
      case 'datetime':
        return fc
          .date({ min: new Date('1970-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
          .map((d) => `datetime'${d.toISOString()}'`);
      case 'guid':
        return fc.oneof(guid, fc.constantFrom(...CREDENTIAL_IDS, ...USER_IDS)).map((g) => `guid'${g}'`);
      default:
        return fc.constantFrom('true', 'false');
    }
  };
  const ordered = ['gt', 'ge', 'lt', 'le'];
  const comparison = fc
    .constantFrom(...Object.entries(schema))
    .chain(([property, type]) =>
      fc
        .tuple(
          fc.constantFrom('eq', 'ne', ...(type === 'guid' || type === 'boolean' ? [] : ordered)),
          literalOf(type),
        )
        .map(([op, literal]) => `${property} ${op} ${literal}`),
    );
  return fc
    .tuple(
      comparison,
      fc.option(fc.tuple(fc.constantFrom('and', 'or'), comparison), { nil: undefined }),
      fc.boolean(),
    )
    .map(([a, more, not]) => `${not ? 'not ' : ''}(${a}${more ? ` ${more[0]} ${more[1]}` : ''})`);
}

function mimListQuery(schema: Record<string, string>): fc.Arbitrary<string> {
  return goodQuery({ $filter: typedFilter(schema), v: fc.constant('1') });
}

function catalogue(world: World): { endpoints: Endpoint[]; pools: Pools } {
  const dynamicCheckout = fc.nat().map((n) => world.checkoutIds[n % world.checkoutIds.length]!);
  const random = fc.oneof(
    guidish,
    traversal,
    anyText(30),
    fc.constant(''),
    fc.string({ minLength: 201, maxLength: 260 }),
  );
  const pools: Pools = {
    credential: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...CREDENTIAL_IDS) }, guidish),
    user: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...USER_IDS) }, guidish),
    vault: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...VAULT_IDS) }, guidish),
  };
  const id = (known: fc.Arbitrary<string>) =>
    pathParam(fc.oneof({ weight: 8, arbitrary: known }, { weight: 2, arbitrary: random }));
  const credentialParam = id(pools.credential);
  const checkoutParam = id(fc.oneof(dynamicCheckout, guid));
  // Admin writes only touch the victims (or ids that do not exist), so the other properties keep their world.
  const victim = (known: string) => id(fc.oneof(fc.constant(known), guid));
  const bodies = nearValidBodies(world, pools);
  const mimKey = fc.oneof(
    { weight: 4, arbitrary: dynamicCheckout.map((c) => `pamrequests(guid'${c}')`) },
    {
      weight: 4,
      arbitrary: dynamicCheckout.map((c) => `pamrequeststoapprove(guid'${approvalObjectId(c)}')`),
    },
    guidish.map((g) => `pamrequests(guid'${g}')`),
    guidish.map((g) => `pamrequeststoapprove(${g})`),
    fc.constantFrom(
      'pamrequests',
      'pamrequeststoapprove',
      'pamroles',
      'sessioninfo',
      '$metadata',
      '%24metadata',
    ),
    fc
      .tuple(fc.constantFrom('pamroles', 'sessioninfo', 'pamrequests', 'nothing'), anyText(20))
      .map(([set, key]) => `${set}(${key})`),
    guid.map((g) => `pamrequests(guid'${g}')x`),
    guid.map((g) => `pamrequests( guid'${g}' )`),
    random,
  );
  const mimAction = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom('Close', 'Approve', 'Reject') },
    fc.constantFrom('close', 'APPROVE', 'Delete', '', '$value'),
    anyText(10),
  );
  const fixed = (path: string) => fc.constant(path);
  const endpoints: Endpoint[] = [
    {
      name: 'POST login',
      method: 'POST',
      path: fixed('/api/auth/login'),
      body: bodies.login,
      bodyKeys: ['username', 'password'],
    },
    { name: 'POST logout', method: 'POST', path: fixed('/api/auth/logout'), noSession: true },
    { name: 'GET me', method: 'GET', path: fixed('/api/auth/me') },
    { name: 'GET vaults', method: 'GET', path: fixed('/api/pam/vaults') },
    {
      name: 'GET credentials',
      method: 'GET',
      path: fixed('/api/pam/credentials'),
      query: ['vaultID', 'search', 'offset', 'limit'],
      goodQuery: goodQuery({
        vaultID: fc.constantFrom(...VAULT_IDS),
        search: fc.oneof(anyText(10), fc.constantFrom('web', '%', '_', '\\', 'root')),
        offset: fc.nat({ max: 20 }).map(String),
        limit: fc.integer({ min: 1, max: 200 }).map(String),
      }),
    },
    { name: 'GET credential', method: 'GET', path: credentialParam.map((c) => `/api/pam/credentials/${c}`) },
    {
      name: 'GET approvers',
      method: 'GET',
      path: credentialParam.map((c) => `/api/pam/credentials/${c}/approvers`),
    },
    {
      name: 'POST checkout',
      method: 'POST',
      path: fixed('/api/pam/checkouts'),
      body: bodies.createCheckout,
      bodyKeys: ['credentialID', 'reason', 'approverID', 'duration', 'scheduledStart'],
    },
    {
      name: 'GET checkouts',
      method: 'GET',
      path: fixed('/api/pam/checkouts'),
      query: ['activeAndPending', 'toApprove'],
      goodQuery: goodQuery({
        activeAndPending: fc.constantFrom('true', 'false', '1', '0'),
        toApprove: fc.constantFrom('true', 'false', '1', '0'),
      }),
    },
    { name: 'GET checkout', method: 'GET', path: checkoutParam.map((c) => `/api/pam/checkouts/${c}`) },
    {
      name: 'PUT checkout',
      method: 'PUT',
      path: checkoutParam.map((c) => `/api/pam/checkouts/${c}`),
      body: bodies.updateCheckout,
      bodyKeys: ['status', 'approverMessage'],
    },
    {
      name: 'POST extend',
      method: 'POST',
      path: checkoutParam.map((c) => `/api/pam/checkouts/${c}/extend`),
      body: bodies.extend,
      bodyKeys: ['minutes'],
    },
    { name: 'GET password', method: 'GET', path: credentialParam.map((c) => `/api/pam/passwords/${c}`) },
    {
      name: 'GET audit',
      method: 'GET',
      path: fixed('/api/pam/audit'),
      query: ['from', 'to', 'credentialID', 'userID', 'offset', 'limit'],
      goodQuery: goodQuery({
        from: fc
          .date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
          .map((d) => d.toISOString()),
        to: fc
          .date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
          .map((d) => d.toISOString()),
        credentialID: fc.constantFrom(...CREDENTIAL_IDS),
        userID: fc.constantFrom(...USER_IDS),
        offset: fc.nat({ max: 50 }).map(String),
        limit: fc.integer({ min: 1, max: 1000 }).map(String),
      }),
    },
    { name: 'GET users', method: 'GET', path: fixed('/api/admin/users') },
    {
      name: 'POST user',
      method: 'POST',
      path: fixed('/api/admin/users'),
      body: bodies.createUser,
      bodyKeys: ['username', 'displayName', 'password', 'roles', 'id'],
    },
    {
      name: 'PATCH user',
      method: 'PATCH',
      path: victim(world.victimUserId).map((u) => `/api/admin/users/${u}`),
      body: bodies.updateUser,
      bodyKeys: ['displayName', 'password', 'roles', 'disabled'],
    },
    {
      name: 'POST vault',
      method: 'POST',
      path: fixed('/api/admin/vaults'),
      body: bodies.createVault,
      bodyKeys: ['name', 'description', 'policy', 'id'],
    },
    {
      name: 'PATCH vault',
      method: 'PATCH',
      path: victim(world.victimVaultId).map((v) => `/api/admin/vaults/${v}`),
      body: bodies.updateVault,
      bodyKeys: ['name', 'description', 'policy'],
    },
    {
      name: 'POST credential',
      method: 'POST',
      path: fixed('/api/admin/credentials'),
      body: bodies.createCredential,
      bodyKeys: ['vaultID', 'name', 'username', 'host', 'description', 'policy', 'password', 'id'],
    },
    {
      name: 'PATCH credential',
      method: 'PATCH',
      path: victim(world.victimCredentialId).map((c) => `/api/admin/credentials/${c}`),
      body: bodies.updateCredential,
      bodyKeys: ['vaultID', 'name', 'username', 'host', 'description', 'policy'],
    },
    {
      name: 'PUT credential password',
      method: 'PUT',
      path: victim(world.victimCredentialId).map((c) => `/api/admin/credentials/${c}/password`),
      body: bodies.setPassword,
      bodyKeys: ['password'],
    },
    {
      name: 'DELETE credential',
      method: 'DELETE',
      path: victim(world.victimCredentialId).map((c) => `/api/admin/credentials/${c}`),
    },
    {
      name: 'GET events',
      method: 'GET',
      path: fixed('/api/events'),
      query: ['lastEventId'],
      goodQuery: goodQuery({ lastEventId: fc.nat({ max: 100 }).map(String) }),
    },
    {
      name: 'GET pamroles',
      method: 'GET',
      path: fixed(`${MIM_PREFIX}/pamroles`),
      mimQuery: true,
      goodQuery: mimListQuery(MIM_ROLE_FILTER_SCHEMA),
    },
    {
      name: 'GET pamrequests',
      method: 'GET',
      path: fixed(`${MIM_PREFIX}/pamrequests`),
      mimQuery: true,
      goodQuery: mimListQuery(MIM_REQUEST_FILTER_SCHEMA),
    },
    {
      name: 'POST pamrequests',
      method: 'POST',
      path: fixed(`${MIM_PREFIX}/pamrequests`),
      query: ['v', 'Justification', 'RoleId', 'RequestedTTL', 'RequestedTime'],
      goodQuery: goodQuery({ v: fc.constant('1') }),
      body: bodies.mimCreate,
      bodyKeys: ['Justification', 'RoleId', 'RequestedTTL', 'RequestedTime'],
    },
    {
      name: 'GET pamrequeststoapprove',
      method: 'GET',
      path: fixed(`${MIM_PREFIX}/pamrequeststoapprove`),
      mimQuery: true,
      goodQuery: mimListQuery(MIM_REQUEST_TO_APPROVE_FILTER_SCHEMA),
    },
    {
      name: 'POST MIM action',
      method: 'POST',
      path: fc
        .tuple(pathParam(mimKey), pathParam(mimAction))
        .map(([key, action]) => `${MIM_PREFIX}/${key}/${action}`),
      query: ['v'],
    },
    {
      name: 'GET MIM entity',
      method: 'GET',
      path: pathParam(mimKey).map((key) => `${MIM_PREFIX}/${key}`),
      query: ['v'],
    },
    { name: 'GET sessioninfo', method: 'GET', path: fixed(`${MIM_PREFIX}/sessioninfo`), query: ['v'] },
    { name: 'GET $metadata', method: 'GET', path: fixed(`${MIM_PREFIX}/$metadata`), query: ['v'] },
    { name: 'GET health', method: 'GET', path: fixed('/api/health') },
    { name: 'GET openapi', method: 'GET', path: fixed('/api/docs/openapi.json') },
  ];
  return { endpoints, pools };
}

function queryFor(endpoint: Endpoint): fc.Arbitrary<string> {
  if (!endpoint.mimQuery) return queryString(endpoint.query ?? []);
  return fc
    .tuple(
      fc.option(filterArb, { nil: undefined }),
      fc.option(versionArb, { nil: undefined }),
      queryString([]),
    )
    .map(([filter, v, rest]) => {
      const parts = [
        ...(filter === undefined ? [] : [`$filter=${encode(filter)}`]),
        ...(v === undefined ? [] : [`v=${encode(v)}`]),
      ];
      const extra = rest.replace(/^\?/, '');
      if (extra) parts.push(extra);
      return parts.length ? `?${parts.join('&')}` : '';
    });
}

/**
 * A request to `endpoint` that starts out plausible (a live session, JSON, a near-valid body, known
 * ids, a sensible query) with each part independently replaced by garbage now and then, so that
 * the fuzzing reaches the handlers and the domain, not only the validators.
 */
function requestFor(world: World, endpoint: Endpoint): fc.Arbitrary<RawRequest> {
  const takesBody = endpoint.method !== 'GET';
  const liveAuth = fc
    .tuple(fc.constantFrom(...SESSION_NAMES), fc.boolean())
    .map(
      ([name, bearer]): Record<string, string> =>
        bearer
          ? { authorization: `Bearer ${world.sessions[name].token}` }
          : { tokenId: world.sessions[name].token },
    );
  return fc
    .record({
      path: endpoint.path,
      query: fc.oneof(
        { weight: 5, arbitrary: endpoint.goodQuery ?? fc.constant('') },
        { weight: 2, arbitrary: queryFor(endpoint) },
      ),
      auth: endpoint.noSession
        ? authHeaders(world, { sessions: false })
        : fc.oneof({ weight: 6, arbitrary: liveAuth }, { weight: 1, arbitrary: authHeaders(world) }),
      type: fc.oneof(
        {
          weight: 8,
          arbitrary: fc.constantFrom<string | undefined>(
            'application/json',
            'application/json; charset=utf-8',
          ),
        },
        { weight: 1, arbitrary: contentType },
      ),
      body: takesBody ? bodyFor(endpoint.body, endpoint.bodyKeys ?? []) : bodyFor(undefined, []),
      extra: extraHeaders,
    })
    .map(({ path, query, auth, type, body, extra }) => {
      const headers: Record<string, string> = { ...extra, ...auth };
      if (type !== undefined && body !== undefined) headers['content-type'] = type;
      return {
        method: endpoint.method,
        path: path + query,
        headers,
        ...(body === undefined ? {} : { body }),
      };
    });
}

// ---------------------------------------------------------------------------------------------
// Checking one call

interface Tally {
  byEndpoint: Map<string, Map<number, number>>;
}

function record(tally: Tally, name: string, status: number) {
  const statuses = tally.byEndpoint.get(name) ?? new Map<number, number>();
  statuses.set(status, (statuses.get(status) ?? 0) + 1);
  tally.byEndpoint.set(name, statuses);
}

function summary(tally: Tally): string {
  return [...tally.byEndpoint.entries()]
    .map(([name, statuses]) => {
      const counts = [...statuses.entries()]
        .sort(([a], [b]) => a - b)
        .map(([s, n]) => `${s}×${n}`)
        .join(' ');
      return `  ${name.padEnd(26)} ${counts}`;
    })
    .join('\n');
}

/** Which part of a fingerprint differs (for the failure message). */
function fingerprintDiff(before: string, after: string): string {
  const a = JSON.parse(before) as Record<string, unknown>;
  const b = JSON.parse(after) as Record<string, unknown>;
  return Object.keys(a)
    .filter((key) => JSON.stringify(a[key]) !== JSON.stringify(b[key]))
    .join(', ');
}

/**
 * Sends one request and checks every property: below 500, within 2 s, dialect error shape, and
 * (when refused) nothing changed in the store. Remembers created checkouts for later requests.
 */
async function checkCall(world: World, request: RawRequest): Promise<RawResponse> {
  const before = await storeFingerprint(world.server);
  let response: RawResponse;
  try {
    response = await send(world.server.url, request);
  } catch (error) {
    throw new Error(`${describeRequest(request)} → no answer: ${(error as Error).message}`);
  }
  const problems = answerProblems(request, response);
  if (response.status >= 400) {
    const after = await storeFingerprint(world.server);
    if (after !== before) problems.push(`refused, yet changed: ${fingerprintDiff(before, after)}`);
  } else if (response.status === 201) {
    const body = response.json as { id?: string; RequestId?: string } | undefined;
    const created = body?.id ?? body?.RequestId;
    if (created) world.checkoutIds.push(created);
  }
  if (problems.length > 0) {
    throw new Error(
      `${describeRequest(request)}\n→ ${response.status} ${response.text.slice(0, 300)}\n  ${problems.join('\n  ')}`,
    );
  }
  return response;
}

async function expectHealthy(world: World): Promise<void> {
  const health = await send(world.server.url, { method: 'GET', path: '/api/health' });
  expect(health.status).toBe(200);
  expect((health.json as { status: string }).status).toBe('ok');
  const me = await world.sessions.kelly.request('GET', '/api/pam/vaults');
  expect(me.status).toBe(200);
  const errors = world.server.logs.filter((line) => line.includes('"level":50'));
  expect(errors, errors.join('\n')).toEqual([]);
}

// ---------------------------------------------------------------------------------------------

describe('HTTP fuzzing: every endpoint, both dialects', () => {
  let world: World;
  beforeAll(async () => {
    world = await createWorld();
  });
  afterEach(async () => {
    await expectHealthy(world);
  });
  afterAll(async () => {
    await world.server.stop();
  });

  it('logout with a live token and junk bodies or content types: 204 or a 4xx, and only 204 revokes', async () => {
    const cases: Array<{ body?: string | Buffer; type?: string }> = [
      {},
      { body: '', type: 'application/json' },
      { body: '{', type: 'application/json' },
      { body: 'x'.repeat(70_000), type: 'text/plain' },
      { body: Buffer.from([0xff, 0xfe]), type: 'application/json' },
      { body: '--x--', type: 'multipart/form-data; boundary=x' },
      { body: '{}', type: 'application/json' },
    ];
    for (const { body, type } of cases) {
      const session = await world.server.as('kelly');
      const headers: Record<string, string> = { tokenId: session.token };
      if (type) headers['content-type'] = type;
      const response = await checkCall(world, {
        method: 'POST',
        path: '/api/auth/logout',
        headers,
        ...(body === undefined ? {} : { body }),
      });
      const after = await session.request('GET', '/api/auth/me');
      expect(after.status, describeRequest({ method: 'POST', path: '/api/auth/logout', headers })).toBe(
        response.status === 204 ? 401 : 200,
      );
    }
  });

  it('property 1: random and malformed requests to every endpoint are answered < 500, in shape, in time, without side effects when refused', async () => {
    const { endpoints } = catalogue(world);
    const tally: Tally = { byEndpoint: new Map() };
    const arbitrary = fc
      .constantFrom(...endpoints)
      .chain((endpoint) => requestFor(world, endpoint).map((request) => ({ endpoint, request })));
    await runProperty(
      'catalogue',
      0x5eed_0001,
      2000,
      fc.asyncProperty(arbitrary, async ({ endpoint, request }) => {
        const response = await checkCall(world, request);
        record(tally, endpoint.name, response.status);
      }),
    );
    console.info(`[fuzz] catalogue statuses per endpoint:\n${summary(tally)}`);
    // The fuzzing reached past validation: some calls of most endpoints were accepted.
    const accepted = [...tally.byEndpoint.values()].filter((s) => [...s.keys()].some((code) => code < 300));
    expect(accepted.length).toBeGreaterThan(endpoints.length / 2);
  });

  it('property 2: transport garbage on every body-taking endpoint (invalid UTF-8, oversized, deep, not JSON, content-type lies)', async () => {
    const { endpoints } = catalogue(world);
    const withBody = endpoints.filter((endpoint) => endpoint.method !== 'GET');
    const garbage = fc.oneof(
      invalidUtf8Body,
      oversizeBody,
      deepJson,
      notJson,
      fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)),
      fc.constant(''),
      fc.jsonValue().map(toJson),
    );
    const token = fc.constantFrom(...SESSION_NAMES).map((name) => world.sessions[name].token);
    const arbitrary = fc.constantFrom(...withBody).chain((endpoint) =>
      fc.record({
        endpoint: fc.constant(endpoint),
        path: endpoint.path,
        body: garbage,
        type: contentType,
        token: endpoint.noSession ? fc.constant('x') : token,
      }),
    );
    const tally: Tally = { byEndpoint: new Map() };
    await runProperty(
      'transport',
      0x5eed_0002,
      400,
      fc.asyncProperty(arbitrary, async ({ endpoint, path, body, type, token: t }) => {
        const headers: Record<string, string> = { tokenId: t };
        if (type !== undefined) headers['content-type'] = type;
        const response = await checkCall(world, { method: endpoint.method, path, headers, body });
        record(tally, endpoint.name, response.status);
        // Too large is refused unparsed: 413, or earlier for a bad URL (400/404/414) or content type (400/415).
        if (Buffer.byteLength(body) > 64 * 1024 && !endpoint.noSession)
          expect([400, 404, 413, 414, 415]).toContain(response.status);
      }),
    );
    console.info(`[fuzz] transport statuses per endpoint:\n${summary(tally)}`);
  });

  it('property 3: random $filter and v on every MIM list: 200 or a 400 naming the problem, never more', async () => {
    const lists = ['pamroles', 'pamrequests', 'pamrequeststoapprove'];
    const arbitrary = fc.record({
      list: fc.constantFrom(...lists),
      filter: fc.option(filterArb, { nil: undefined }),
      v: fc.option(versionArb, { nil: undefined }),
      who: fc.constantFrom(...SESSION_NAMES),
    });
    let ok = 0;
    let bad = 0;
    await runProperty(
      'mim-filter',
      0x5eed_0003,
      500,
      fc.asyncProperty(arbitrary, async ({ list, filter, v, who }) => {
        const query = [
          ...(filter === undefined ? [] : [`$filter=${encode(filter)}`]),
          ...(v === undefined ? [] : [`v=${encode(v)}`]),
        ].join('&');
        const request = {
          method: 'GET',
          path: `${MIM_PREFIX}/${list}${query ? `?${query}` : ''}`,
          headers: { tokenId: world.sessions[who].token },
        };
        const response = await checkCall(world, request);
        expect([200, 400]).toContain(response.status);
        if (v !== undefined && v !== '1') expect(response.status).toBe(400);
        if (response.status === 200) ok++;
        else bad++;
      }),
    );
    console.info(`[fuzz] mim-filter: ${ok} answered 200, ${bad} refused 400`);
    expect(ok).toBeGreaterThan(20);
  });

  it('property 4: random methods and paths (traversal, unicode, bad escapes, odd prefixes)', async () => {
    const prefixes = [
      '',
      '/api',
      '/api/pam',
      '/api/pamresources',
      '/api/admin',
      '/api/auth',
      '/api/events',
      '//api/pam',
      '/API/PAM',
      '/api/pam/',
    ];
    const segment = fc.oneof(
      fc.constantFrom(
        'vaults',
        'credentials',
        'checkouts',
        'passwords',
        'audit',
        'users',
        'pamroles',
        'pamrequests',
        'login',
        '$metadata',
        'health',
      ),
      pathParam(fc.oneof(traversal, guidish, anyText(15))),
      traversal,
    );
    const arbitrary = fc.record({
      method: fc.constantFrom(
        'GET',
        'POST',
        'PUT',
        'PATCH',
        'DELETE',
        'OPTIONS',
        'PROPFIND',
        'SEARCH',
        'LOCK',
        'MKCOL',
        'REPORT',
        'TRACE',
      ),
      prefix: fc.constantFrom(...prefixes),
      segments: fc.array(segment, { maxLength: 4 }),
      query: queryString([]),
      who: fc.option(fc.constantFrom(...SESSION_NAMES), { nil: undefined }),
      body: fc.option(fc.jsonValue().map(toJson), { nil: undefined }),
    });
    const tally: Tally = { byEndpoint: new Map() };
    await runProperty(
      'paths',
      0x5eed_0004,
      400,
      fc.asyncProperty(arbitrary, async ({ method, prefix, segments, query, who, body }) => {
        const path = `${prefix}/${segments.join('/')}`.replace(/^(?!\/)/, '/') + query;
        const headers: Record<string, string> = who ? { tokenId: world.sessions[who].token } : {};
        if (body !== undefined && method !== 'GET') headers['content-type'] = 'application/json';
        const request: RawRequest = {
          method,
          path,
          headers,
          ...(body !== undefined && method !== 'GET' ? { body } : {}),
        };
        // Never log out a session of this world by accident.
        if (/\/api\/auth\/logout/.test(path)) delete request.headers!.tokenId;
        const response = await checkCall(world, request);
        record(tally, method, response.status);
      }),
    );
    console.info(`[fuzz] paths statuses per method:\n${summary(tally)}`);
  });

  it('the event stream: random lastEventId (query and header) opens a stream or is a 400, at once', async () => {
    const value = fc.oneof(numberish, anyText(10), fc.constantFrom('0', '1', '999999999', '1e300'));
    const arbitrary = fc.record({
      query: fc.option(value, { nil: undefined }),
      header: fc.option(
        value.filter((v) => !INVALID_HEADER_CHAR.test(v)),
        { nil: undefined },
      ),
      who: fc.constantFrom(...SESSION_NAMES),
    });
    await runProperty(
      'events',
      0x5eed_0005,
      100,
      fc.asyncProperty(arbitrary, async ({ query, header, who }) => {
        const headers: Record<string, string> = { tokenId: world.sessions[who].token };
        if (header !== undefined) headers['last-event-id'] = header;
        const path = `/api/events${query === undefined ? '' : `?lastEventId=${encode(query)}`}`;
        const response = await checkCall(world, { method: 'GET', path, headers });
        expect([200, 400]).toContain(response.status);
        expect(response.stream).toBe(response.status === 200);
      }),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Property 5: batches of requests that must all be refused leave the state as it was.

/** The families of refusals, for the summary line. */
const REFUSAL_KINDS = [
  'no session',
  'invalid body',
  'content-type',
  'transport garbage',
  'unknown id',
  'unknown credential',
  'unknown MIM key',
  'malformed id',
  'not an admin',
  'policy',
  'MIM create',
  'transition',
  'extend',
  'MIM',
  'invalid login body',
  'wrong password',
];

interface RejectedSpec {
  why: string;
  request: RawRequest;
  /** Statuses accepted for this refusal (all 4xx). */
  expect: number[];
}

/** The state as an administrator sees it through the API, plus the store's checkouts and secrets. */
async function apiSnapshot(world: World): Promise<Record<string, unknown>> {
  const admin = world.sessions.admin;
  const get = async (url: string) => {
    const response = await admin.request('GET', url);
    expect(response.status, `${url}: ${response.text}`).toBe(200);
    return response.body;
  };
  const audit: Array<{ id: number; action: string }> = [];
  for (let offset = 0; ; offset += 1000) {
    const page = (await get(`/api/pam/audit?offset=${offset}&limit=1000`)) as typeof audit;
    audit.push(...page);
    if (page.length < 1000) break;
  }
  const auditRows = audit.filter(
    (row) => !['login', 'login.failed', 'login.locked', 'logout'].includes(row.action),
  );
  const { store } = world.server.ctx;
  return {
    users: await get('/api/admin/users'),
    vaults: await get('/api/pam/vaults'),
    credentials: await get('/api/pam/credentials?limit=5000'),
    auditRows: auditRows.length,
    lastAuditRow: auditRows.at(-1),
    checkouts: (await store.listAllCheckouts(null)).sort((a, b) => a.id.localeCompare(b.id)),
    // What the API does not show but a refused call must not touch either.
    sealedPasswords: (await store.listCredentials({ offset: 0, limit: 1_000_000 })).data.map((c) => [
      c.id,
      c.passwordSealed,
    ]),
    userSecrets: (await store.listUsers()).map((u) => [u.id, u.passwordHash, u.disabled, u.roles]),
    lastEventId: await store.lastEventId(),
  };
}

/** A value the schema refuses once it went through JSON (what the server would parse). */
function refusedBy(schema: z.ZodType, values: fc.Arbitrary<unknown>): fc.Arbitrary<string> {
  return values.map(toJson).filter((text) => !schema.safeParse(JSON.parse(text)).success);
}
/** Whether the server, decoding `body` as UTF-8 JSON, would get a value the schema accepts. */
function parsesInto(schema: z.ZodType, body: Buffer | string): boolean {
  try {
    return schema.safeParse(JSON.parse(Buffer.isBuffer(body) ? body.toString('utf8') : body)).success;
  } catch {
    return false;
  }
}
/** A value the schema accepts once it went through JSON. */
function acceptedBy(schema: z.ZodType, values: fc.Arbitrary<unknown>): fc.Arbitrary<string> {
  return values.map(toJson).filter((text) => schema.safeParse(JSON.parse(text)).success);
}

interface Fixtures {
  pending: string; // kelly → approvedCredential, alice named
  active: string; // bob → Linux jump host, no approval
  ended: string; // bob → SQL Server sa, checked in
  denied: string; // kelly → PostgreSQL, alice denied
  mimPending: string; // PRIV.Jen → ApprovalRole, for alice or maurice to decide
}

function rejectedSpecs(world: World, fx: Fixtures): fc.Arbitrary<RejectedSpec> {
  const { endpoints, pools } = catalogue(world);
  const bodies = nearValidBodies(world, pools);
  const s = world.sessions;
  const tokenOf = (name: SessionName) => ({ tokenId: s[name].token });
  const json = { 'content-type': 'application/json' };
  const spec = (why: string, request: RawRequest, expectStatus: number[]): RejectedSpec => ({
    why,
    request,
    expect: expectStatus,
  });
  const anyUser = fc.constantFrom(...SESSION_NAMES);
  const nonAdmin = fc.constantFrom('bob', 'kelly', 'maurice', 'alice', 'PRIV.Jen' as const);
  const knownOrRandomGuid = fc.oneof(guid, fc.constantFrom(...CREDENTIAL_IDS, ...USER_IDS, ...VAULT_IDS));

  // Body endpoints with their schemas and fixed (existing) paths.
  const schemaRoutes: Array<{
    method: string;
    path: string;
    schema: z.ZodType;
    valid: fc.Arbitrary<unknown>;
  }> = [
    { method: 'POST', path: '/api/auth/login', schema: loginRequestSchema, valid: bodies.login },
    {
      method: 'POST',
      path: '/api/pam/checkouts',
      schema: createCheckoutRequestSchema,
      valid: bodies.createCheckout,
    },
    {
      method: 'PUT',
      path: `/api/pam/checkouts/${fx.pending}`,
      schema: updateCheckoutRequestSchema,
      valid: bodies.updateCheckout,
    },
    {
      method: 'POST',
      path: `/api/pam/checkouts/${fx.active}/extend`,
      schema: extendCheckoutRequestSchema,
      valid: bodies.extend,
    },
    { method: 'POST', path: '/api/admin/users', schema: createUserRequestSchema, valid: bodies.createUser },
    {
      method: 'PATCH',
      path: `/api/admin/users/${DEMO_IDS.bob}`,
      schema: updateUserRequestSchema,
      valid: bodies.updateUser,
    },
    {
      method: 'POST',
      path: '/api/admin/vaults',
      schema: createVaultRequestSchema,
      valid: bodies.createVault,
    },
    {
      method: 'PATCH',
      path: `/api/admin/vaults/${VAULT_IDS[0]}`,
      schema: updateVaultRequestSchema,
      valid: bodies.updateVault,
    },
    {
      method: 'POST',
      path: '/api/admin/credentials',
      schema: createCredentialRequestSchema,
      valid: bodies.createCredential,
    },
    {
      method: 'PATCH',
      path: `/api/admin/credentials/${DEMO_IDS.autoCredential}`,
      schema: updateCredentialRequestSchema,
      valid: bodies.updateCredential,
    },
    {
      method: 'PUT',
      path: `/api/admin/credentials/${DEMO_IDS.autoCredential}/password`,
      schema: setPasswordRequestSchema,
      valid: bodies.setPassword,
    },
    {
      method: 'POST',
      path: `${MIM_PREFIX}/pamrequests`,
      schema: mimCreateRequestSchema.nullish(),
      valid: bodies.mimCreate,
    },
  ];
  const schemaRoute = fc.constantFrom(...schemaRoutes);
  const anythingAtAll = fc.oneof(
    fc.anything(),
    fc.jsonValue(),
    rightKeysWrongTypes([
      'credentialID',
      'status',
      'minutes',
      'username',
      'password',
      'roles',
      'name',
      'vaultID',
      'policy',
      'RoleId',
    ]),
  );

  const protectedEndpoint = fc.constantFrom(
    ...endpoints.filter(
      (e) => !['POST login', 'GET health', 'GET openapi', 'GET $metadata'].includes(e.name),
    ),
  );

  const kinds: fc.Arbitrary<RejectedSpec>[] = [
    // No session, or a token that is not one.
    fc
      .tuple(
        protectedEndpoint.chain((endpoint) => fc.tuple(fc.constant(endpoint), endpoint.path)),
        authHeaders(world, { sessions: false }),
      )
      .map(([[endpoint, path], auth]) =>
        spec(
          `no session: ${endpoint.name}`,
          { method: endpoint.method, path, headers: { ...auth } },
          [400, 401, 404, 414],
        ),
      ),
    // A body the route's schema refuses, from anyone.
    fc.tuple(schemaRoute, anyUser).chain(([route, who]) =>
      refusedBy(route.schema, fc.oneof(anythingAtAll, route.valid)).map((body) =>
        spec(
          `invalid body: ${route.method} ${route.path}`,
          {
            method: route.method,
            path: route.path,
            headers: { ...tokenOf(who), ...json },
            body,
          },
          [400, 413],
        ),
      ),
    ),
    // Not JSON at all (content-type lies), or transport garbage.
    fc
      .tuple(
        schemaRoute,
        anyUser,
        fc.constantFrom(
          'multipart/form-data; boundary=x',
          'application/octet-stream',
          'application/x-www-form-urlencoded',
          'application/xml',
          'image/png',
        ),
        fc.uint8Array({ minLength: 1, maxLength: 100 }),
      )
      .map(([route, who, type, bytes]) =>
        spec(
          `content-type ${type}`,
          {
            method: route.method,
            path: route.path,
            headers: { ...tokenOf(who), 'content-type': type },
            body: Buffer.from(bytes),
          },
          // The MIM dialect reads form bodies (Microsoft's sample portal sends them): garbage is a 400 there.
          type === 'application/x-www-form-urlencoded' && route.path.startsWith(MIM_PREFIX) ? [400] : [415],
        ),
      ),
    fc
      .tuple(schemaRoute, anyUser, fc.oneof(oversizeBody, deepJson, notJson, invalidUtf8Body))
      // What the server decodes (bad bytes become U+FFFD) must still be refused by the schema.
      .filter(([route, , body]) => Buffer.byteLength(body) > 64 * 1024 || !parsesInto(route.schema, body))
      .map(([route, who, body]) =>
        spec(
          'transport garbage',
          { method: route.method, path: route.path, headers: { ...tokenOf(who), ...json }, body },
          [400, 413],
        ),
      ),
    // Right shape, but the id does not exist.
    fc
      .tuple(
        fc.constantFrom<[string, string, string, z.ZodType, fc.Arbitrary<unknown>]>(
          ['PUT', '/api/pam/checkouts/', '', updateCheckoutRequestSchema, bodies.updateCheckout],
          ['POST', '/api/pam/checkouts/', '/extend', extendCheckoutRequestSchema, bodies.extend],
          ['PATCH', '/api/admin/users/', '', updateUserRequestSchema, bodies.updateUser],
          ['PATCH', '/api/admin/vaults/', '', updateVaultRequestSchema, bodies.updateVault],
          ['PATCH', '/api/admin/credentials/', '', updateCredentialRequestSchema, bodies.updateCredential],
          ['PUT', '/api/admin/credentials/', '/password', setPasswordRequestSchema, bodies.setPassword],
        ),
        guid,
        fc.constantFrom('admin', 'kelly', 'bob' as const),
      )
      .chain(([[method, prefix, suffix, schema, valid], id, who]) =>
        acceptedBy(schema, valid).map((body) => {
          const adminRoute = prefix.startsWith('/api/admin');
          return spec(
            `unknown id: ${method} ${prefix}…${suffix}`,
            {
              method,
              path: `${prefix}${id}${suffix}`,
              headers: { ...tokenOf(who), ...json },
              body,
            },
            // Vault-scoped administration answers 404 for what does not exist to the caller (vault
            // permissions); only the user administration is refused to non-administrators first.
            adminRoute && who !== 'admin' && prefix === '/api/admin/users/' ? [403] : [404],
          );
        }),
      ),
    fc.tuple(guid, fc.constantFrom('admin', 'bob' as const)).map(([id, who]) =>
      spec(
        'unknown credential: DELETE',
        { method: 'DELETE', path: `/api/admin/credentials/${id}`, headers: tokenOf(who) },
        // Not found for everyone: outside the caller's vaults a credential does not exist.
        [404],
      ),
    ),
    fc
      .tuple(acceptedBy(createCheckoutRequestSchema, bodies.createCheckout), guid, anyUser)
      .map(([body, id, who]) => {
        const parsed = JSON.parse(body) as Record<string, unknown>;
        return spec(
          'unknown credential: POST checkout',
          {
            method: 'POST',
            path: '/api/pam/checkouts',
            headers: { ...tokenOf(who), ...json },
            body: toJson({ ...parsed, credentialID: id }),
          },
          [404],
        );
      }),
    fc
      .tuple(
        guid,
        fc.constantFrom(
          `pamrequests(guid'@')/Close`,
          `pamrequeststoapprove(guid'@')/Approve`,
          `pamrequeststoapprove(guid'@')/Reject`,
        ),
        anyUser,
      )
      .map(([id, action, who]) =>
        spec(
          'unknown MIM key',
          { method: 'POST', path: `${MIM_PREFIX}/${action.replace('@', id)}`, headers: tokenOf(who) },
          [404],
        ),
      ),
    // Malformed ids and keys.
    fc
      .tuple(
        fc.oneof(
          guidish.filter((g) => !/^[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}$/.test(g)),
          traversal,
          anyText(20).filter((t) => t.length > 0),
        ),
        fc.constantFrom<[string, string, string, string]>(
          ['PUT', '/api/pam/checkouts/', '', '{"status":5}'],
          ['POST', '/api/pam/checkouts/', '/extend', '{"minutes":10}'],
          ['PATCH', '/api/admin/users/', '', '{"disabled":true}'],
          ['PATCH', '/api/admin/credentials/', '', '{"name":"renamed"}'],
          ['PUT', '/api/admin/credentials/', '/password', '{}'],
          ['DELETE', '/api/admin/credentials/', '', ''],
          ['POST', `${MIM_PREFIX}/`, '/Close', ''],
        ),
        fc.constantFrom('admin', 'kelly' as const),
      )
      .map(([bad, [method, prefix, suffix, body], who]) => {
        const key = prefix.startsWith(MIM_PREFIX) ? `pamrequests(guid'${bad}')` : bad;
        return spec(
          `malformed id ${JSON.stringify(bad)}`,
          {
            method,
            path: `${prefix}${encode(key)}${suffix}`,
            headers: { ...tokenOf(who), ...(body ? json : {}) },
            ...(body ? { body } : {}),
          },
          [400, 404, 414],
        );
      }),
    // Administration by someone who is not an administrator.
    fc
      .tuple(
        fc.constantFrom<[string, string, z.ZodType, fc.Arbitrary<unknown>]>(
          ['POST', '/api/admin/users', createUserRequestSchema, bodies.createUser],
          ['PATCH', `/api/admin/users/${DEMO_IDS.kelly}`, updateUserRequestSchema, bodies.updateUser],
          ['POST', '/api/admin/vaults', createVaultRequestSchema, bodies.createVault],
          ['PATCH', `/api/admin/vaults/${VAULT_IDS[1]}`, updateVaultRequestSchema, bodies.updateVault],
          ['POST', '/api/admin/credentials', createCredentialRequestSchema, bodies.createCredential],
          [
            'PATCH',
            `/api/admin/credentials/${DEMO_IDS.autoCredential}`,
            updateCredentialRequestSchema,
            bodies.updateCredential,
          ],
          [
            'PUT',
            `/api/admin/credentials/${DEMO_IDS.autoCredential}/password`,
            setPasswordRequestSchema,
            bodies.setPassword,
          ],
        ),
        nonAdmin,
      )
      .chain(([[method, path, schema, valid], who]) =>
        acceptedBy(schema, valid).map((body) =>
          spec(
            `not an admin: ${method} ${path}`,
            { method, path, headers: { ...tokenOf(who), ...json }, body },
            // A credential created in a vault the caller may not see (the body's vaultID, any
            // GUID) is 404 like the vault itself (vault permissions); elsewhere the demo's vaults
            // are visible to everyone, so a non-manager gets 403.
            method === 'POST' && path === '/api/admin/credentials' ? [403, 404] : [403],
          ),
        ),
      ),
    nonAdmin.map((who) =>
      spec(
        'not an admin: DELETE',
        {
          method: 'DELETE',
          path: `/api/admin/credentials/${DEMO_IDS.autoCredential}`,
          headers: tokenOf(who),
        },
        [403],
      ),
    ),
    // Policy violations and conflicts on real credentials.
    fc
      .constantFrom<[SessionName, Record<string, unknown>, number[]]>(
        ['bob', { credentialID: DEMO_IDS.autoCredential, duration: 481 }, [422]],
        ['bob', { credentialID: DEMO_IDS.autoCredential, duration: 5 }, [422]],
        ['kelly', { credentialID: DEMO_IDS.approvedCredential, approverID: DEMO_IDS.alice }, [422]],
        ['kelly', { credentialID: 'c2000000-0000-4000-8000-000000000004', reason: 'x' }, [422]],
        [
          'kelly',
          { credentialID: 'c2000000-0000-4000-8000-000000000004', reason: 'x', approverID: DEMO_IDS.bob },
          [422],
        ],
        [
          'kelly',
          { credentialID: 'c2000000-0000-4000-8000-000000000004', reason: 'x', approverID: DEMO_IDS.maurice },
          [422],
        ],
        [
          'alice',
          { credentialID: DEMO_IDS.approvedCredential, approverID: DEMO_IDS.alice, reason: 'x' },
          [422],
        ],
        ['alice', { credentialID: 'c2000000-0000-4000-8000-000000000005' }, [403]],
        ['kelly', { credentialID: 'c2000000-0000-4000-8000-000000000003' }, [409]],
        ['bob', { credentialID: 'c2000000-0000-4000-8000-000000000003' }, [409]],
        [
          'kelly',
          { credentialID: DEMO_IDS.approvedCredential, approverID: DEMO_IDS.alice, reason: 'again' },
          [409],
        ],
      )
      .map(([who, body, expected]) =>
        spec(
          `policy: ${who} ${JSON.stringify(body)}`,
          {
            method: 'POST',
            path: '/api/pam/checkouts',
            headers: { ...tokenOf(who), ...json },
            body: toJson(body),
          },
          expected,
        ),
      ),
    fc
      .constantFrom<[SessionName, Record<string, unknown>, string, number[]]>(
        // Below the role's minimum (a TTL above its maximum is cut to it, as MIM accepts it).
        ['PRIV.Jen', { RoleId: DEMO_IDS.mimRoleCredential, RequestedTTL: 60 }, '', [422]],
        ['PRIV.Jen', { RoleId: DEMO_IDS.mimRoleCredential, RequestedTTL: 3600 }, '?v=2', [400]],
        ['PRIV.Jen', { RoleId: 'not-a-guid', RequestedTTL: 3600 }, '', [400]],
        ['PRIV.Jen', { RoleId: DEMO_IDS.mimRoleCredential }, '', [400]],
        ['PRIV.Jen', { RoleId: DEMO_IDS.mimRoleCredential, RequestedTTL: -5 }, '', [400]],
        [
          'PRIV.Jen',
          { RoleId: DEMO_IDS.mimRoleCredential, RequestedTTL: 3600, RequestedTime: '2020-02-30' },
          '',
          [400],
        ],
        [
          'PRIV.Jen',
          { RoleId: DEMO_IDS.mimRoleCredential, RequestedTTL: 3600, Justification: 'dup' },
          '',
          [409],
        ],
        ['alice', { RoleId: DEMO_IDS.autoCredential, RequestedTTL: 3600 }, '', [403]],
        ['kelly', { RoleId: 'c2000000-0000-4000-8000-000000000003', RequestedTTL: 3600 }, '', [409]],
      )
      .map(([who, body, query, expected]) =>
        spec(
          `MIM create: ${who} ${JSON.stringify(body)}${query}`,
          {
            method: 'POST',
            path: `${MIM_PREFIX}/pamrequests${query}`,
            headers: { ...tokenOf(who), ...json },
            body: toJson(body),
          },
          expected,
        ),
      ),
    // Transitions API.md does not allow, by each kind of caller.
    fc
      .tuple(
        fc.constantFrom<[SessionName, string, CheckoutStatus, number[]]>(
          // pending (kelly requested, alice named)
          ['kelly', fx.pending, CheckoutStatus.Ended, [409]],
          ['kelly', fx.pending, CheckoutStatus.Active, [403]],
          ['kelly', fx.pending, CheckoutStatus.Denied, [403]],
          ['kelly', fx.pending, CheckoutStatus.Aborted, [403]],
          ['kelly', fx.pending, CheckoutStatus.Expired, [409]],
          ['kelly', fx.pending, CheckoutStatus.Invalid, [409]],
          ['kelly', fx.pending, CheckoutStatus.Initial, [409]],
          ['kelly', fx.pending, CheckoutStatus.Granted, [409]],
          ['kelly', fx.pending, CheckoutStatus.Pending, [409]],
          ['alice', fx.pending, CheckoutStatus.Ended, [403]],
          ['alice', fx.pending, CheckoutStatus.RequestCanceled, [403]],
          ['alice', fx.pending, CheckoutStatus.Aborted, [403]],
          ['maurice', fx.pending, CheckoutStatus.Active, [404]],
          ['bob', fx.pending, CheckoutStatus.Denied, [404]],
          ['admin', fx.pending, CheckoutStatus.Active, [403]],
          ['admin', fx.pending, CheckoutStatus.RequestCanceled, [403]],
          // active (bob, no approver)
          ['bob', fx.active, CheckoutStatus.Active, [403]],
          ['bob', fx.active, CheckoutStatus.RequestCanceled, [409]],
          ['bob', fx.active, CheckoutStatus.Aborted, [403]],
          ['kelly', fx.active, CheckoutStatus.Ended, [404]],
          ['admin', fx.active, CheckoutStatus.Ended, [403]],
          ['admin', fx.active, CheckoutStatus.Denied, [403]],
          // final states
          ['bob', fx.ended, CheckoutStatus.Ended, [409]],
          ['bob', fx.ended, CheckoutStatus.RequestCanceled, [409]],
          ['admin', fx.ended, CheckoutStatus.Aborted, [409]],
          ['kelly', fx.denied, CheckoutStatus.RequestCanceled, [409]],
          ['alice', fx.denied, CheckoutStatus.Active, [409]],
          ['admin', fx.denied, CheckoutStatus.Aborted, [409]],
        ),
        fc.option(anyText(30), { nil: undefined }),
      )
      .map(([[who, id, status, expected], message]) =>
        spec(
          `transition ${status} by ${who}`,
          {
            method: 'PUT',
            path: `/api/pam/checkouts/${id}`,
            headers: { ...tokenOf(who), ...json },
            body: toJson({ status, ...(message === undefined ? {} : { approverMessage: message }) }),
          },
          expected,
        ),
      ),
    fc
      .constantFrom<[SessionName, string, number, number[]]>(
        ['bob', fx.active, 241, [422]],
        ['kelly', fx.active, 10, [404]],
        ['admin', fx.active, 10, [403]],
        ['kelly', fx.pending, 10, [409]],
        ['alice', fx.pending, 10, [403]],
        ['bob', fx.ended, 10, [409]],
      )
      .map(([who, id, minutes, expected]) =>
        spec(
          `extend ${minutes} by ${who}`,
          {
            method: 'POST',
            path: `/api/pam/checkouts/${id}/extend`,
            headers: { ...tokenOf(who), ...json },
            body: toJson({ minutes }),
          },
          expected,
        ),
      ),
    fc
      .constantFrom<[SessionName, string, number[]]>(
        ['PRIV.Jen', `pamrequeststoapprove(guid'${approvalObjectId(fx.mimPending)}')/Approve`, [403]],
        ['PRIV.Jen', `pamrequeststoapprove(guid'${approvalObjectId(fx.mimPending)}')/Reject`, [403]],
        ['bob', `pamrequeststoapprove(guid'${approvalObjectId(fx.mimPending)}')/Approve`, [404]],
        ['admin', `pamrequeststoapprove(guid'${approvalObjectId(fx.mimPending)}')/Approve`, [404]],
        ['kelly', `pamrequeststoapprove(guid'${approvalObjectId(fx.mimPending)}')/Reject`, [404]],
        ['alice', `pamrequests(guid'${fx.mimPending}')/Close`, [403]],
        ['alice', `pamrequeststoapprove(guid'${fx.mimPending}')/Approve`, [404]],
        ['alice', `pamrequests(guid'${fx.mimPending}')/Approve`, [404]],
        ['bob', `pamrequests(guid'${fx.mimPending}')/Close`, [404]],
        ['bob', `pamrequests(guid'${fx.ended}')/Close`, [409]],
        ['kelly', `pamrequests(guid'${fx.denied}')/Close`, [409]],
        ['PRIV.Jen', `pamrequests(guid'${fx.mimPending}')/Close?v=2`, [400]],
        ['PRIV.Jen', `pamroles(guid'${DEMO_IDS.mimRoleCredential}')/Close`, [404]],
      )
      .map(([who, action, expected]) =>
        spec(
          `MIM ${action} by ${who}`,
          { method: 'POST', path: `${MIM_PREFIX}/${action}`, headers: tokenOf(who) },
          expected,
        ),
      ),
    // Sign-in with nonsense (a wrong password is refused, and throttled after a few).
    refusedBy(loginRequestSchema, fc.oneof(anythingAtAll, bodies.login)).map((body) =>
      spec(
        'invalid login body',
        { method: 'POST', path: '/api/auth/login', headers: json, body },
        [400, 413],
      ),
    ),
    fc.tuple(anyText(20), knownOrRandomGuid).map(([name, suffix]) =>
      spec(
        'wrong password',
        {
          method: 'POST',
          path: '/api/auth/login',
          headers: json,
          body: toJson({ username: `nobody-${name}`, password: `wrong-${suffix}` }),
        },
        [401, 429],
      ),
    ),
  ];
  return fc.oneof(...kinds);
}

describe('HTTP fuzzing: refused calls change nothing', () => {
  let world: World;
  let fx: Fixtures;
  beforeAll(async () => {
    world = await createWorld();
    const { bob, kelly, alice } = world.sessions;
    const ended = await bob.request('POST', '/api/pam/checkouts', {
      credentialID: 'c2000000-0000-4000-8000-000000000005',
    });
    await bob.request('PUT', `/api/pam/checkouts/${ended.body.id}`, {
      status: CheckoutStatus.Ended,
    });
    const denied = await kelly.request('POST', '/api/pam/checkouts', {
      credentialID: 'c2000000-0000-4000-8000-000000000004',
      approverID: DEMO_IDS.alice,
      reason: 'fuzz fixture',
    });
    await alice.request('PUT', `/api/pam/checkouts/${denied.body.id}`, {
      status: CheckoutStatus.Denied,
    });
    fx = {
      pending: world.checkoutIds[0]!,
      active: world.checkoutIds[1]!,
      ended: ended.body.id,
      denied: denied.body.id,
      mimPending: world.checkoutIds[3]!,
    };
  });
  afterEach(async () => {
    await expectHealthy(world);
  });
  afterAll(async () => {
    await world.server.stop();
  });

  it('property 5: batches of requests built to be refused are all 4xx and leave users, vaults, credentials, audit and checkouts unchanged', async () => {
    const kinds = new Map<string, number>();
    await runProperty(
      'rejected-batches',
      0x5eed_0006,
      60,
      fc.asyncProperty(
        fc.array(rejectedSpecs(world, fx), { minLength: 10, maxLength: 30 }),
        async (batch) => {
          const before = await apiSnapshot(world);
          const wrong: string[] = [];
          for (const { why, request, expect: expected } of batch) {
            const response = await send(world.server.url, request);
            const problems = answerProblems(request, response);
            if (!expected.includes(response.status)) problems.push(`expected ${expected.join('/')}`);
            if (problems.length > 0) {
              wrong.push(
                `${why}: ${describeRequest(request)}\n → ${response.status} ${response.text.slice(0, 200)}\n   ${problems.join('; ')}`,
              );
            }
            const kind = REFUSAL_KINDS.find((k) => why.startsWith(k)) ?? why;
            kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
          }
          expect(wrong, wrong.join('\n')).toEqual([]);
          const after = await apiSnapshot(world);
          expect(after).toEqual(before);
        },
      ),
    );
    console.info(
      `[fuzz] rejected-batch request kinds: ${[...kinds.entries()].map(([k, n]) => `${k}×${n}`).join(', ')}`,
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Regressions: what the fuzzing found, kept as plain cases.

describe('regressions found by fuzzing', () => {
  let server: TestServer;
  let admin: Session;
  beforeAll(async () => {
    server = await startTestServer();
    admin = await server.as('admin');
  });
  afterAll(() => server.stop());

  it('a malformed %-escape or an over-long path parameter answers in the dialect shape (was Fastify’s own body)', async () => {
    const cases: Array<[string, number]> = [
      ['/api/pam/credentials/%E0%A4%A', 400],
      ['/api/pam/%', 400],
      [`${MIM_PREFIX}/%E0%A4%A`, 400],
      [`/api/pam/credentials/${'a'.repeat(201)}`, 414],
      [`${MIM_PREFIX}/${'a'.repeat(201)}/Close`, 414],
    ];
    for (const [path, status] of cases) {
      const response = await send(server.url, {
        method: path.endsWith('Close') ? 'POST' : 'GET',
        path,
        headers: { tokenId: admin.token },
      });
      expect(response.status, path).toBe(status);
      expect(errorShapeProblem(path, response.json), `${path}: ${response.text}`).toBeNull();
    }
  });

  it('re-creating a credential with the id of a deleted one is a 409, not a 500, and changes nothing', async () => {
    const id = 'c2000000-0000-4000-8000-000000000009';
    expect((await admin.request('DELETE', `/api/admin/credentials/${id}`)).status).toBe(204);
    const before = await storeFingerprint(server);
    const again = await admin.request('POST', '/api/admin/credentials', {
      id,
      vaultID: VAULT_IDS[0],
      name: 'again',
    });
    expect(again.status, again.text).toBe(409);
    expect(again.body.error.code).toBe('conflict');
    expect(await storeFingerprint(server)).toBe(before);
  });

  it('concurrent creates of one username or one vault id: one 201, the rest 409 (were 500)', async () => {
    const users = await Promise.all(
      [1, 2, 3, 4].map(() =>
        admin.request('POST', '/api/admin/users', {
          username: 'twin',
          password: 'twin-password-1',
          roles: ['user'],
        }),
      ),
    );
    expect(users.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);
    const vaultId = 'a1000000-0000-4000-8000-0000000000aa';
    const vaults = await Promise.all(
      [1, 2, 3, 4].map(() => admin.request('POST', '/api/admin/vaults', { id: vaultId, name: 'twin' })),
    );
    expect(vaults.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);
    const all = (await admin.request('GET', '/api/admin/users')).body as Array<{ username: string }>;
    expect(all.filter((u) => u.username === 'twin')).toHaveLength(1);
    expect(server.logs.filter((line) => line.includes('"level":50'))).toEqual([]);
  });

  it('malformed HTTP framing is refused and the server keeps serving', async () => {
    const net = await import('node:net');
    const { port } = new URL(server.url);
    for (const raw of [
      'GARBAGE\r\n\r\n',
      'GET /api/health HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n',
      'POST /api/pam/checkouts HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
      'GET /api/health HTTP/9.9\r\n\r\n',
      `GET /${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`,
    ]) {
      const answer = await new Promise<string>((resolve) => {
        const socket = net.connect(Number(port), '127.0.0.1', () => socket.end(raw));
        let text = '';
        socket.on('data', (chunk) => {
          text += chunk.toString('latin1');
        });
        socket.on('close', () => resolve(text));
        socket.on('error', () => resolve(text));
        socket.setTimeout(2_000, () => socket.destroy());
      });
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(answer)?.[1] ?? 0);
      expect(
        status === 0 || (status >= 400 && status < 500),
        `${JSON.stringify(raw.slice(0, 60))} → ${answer.slice(0, 80)}`,
      ).toBe(true);
    }
    expect((await send(server.url, { method: 'GET', path: '/api/health' })).status).toBe(200);
  });
});
