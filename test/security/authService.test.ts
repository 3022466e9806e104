/**
 * AuthService (server/domain/authService.ts) called directly on a real store: what a sign-in
 * returns and records, what each refusal says and records, and who a token, a Basic pair or an
 * integrated principal stands for. Written against the mutants that survived the HTTP-level
 * tests (docs/mutation.md, scope auth-service).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_IDS, DEMO_USERS } from '../../server/demo.ts';
import type { PamError } from '../../server/domain/pamError.ts';
import { startTestServer, type TestServer } from '../support/testServer.ts';

const PASSWORD = 'coffre-demo';
const HOUR = 60 * 60_000;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({
    logLevel: 'warn',
    auth: {
      freeFailuresPerPair: 2,
      maxFailuresPerUser: 4,
      maxFailuresPerAddress: 6,
      throttleBaseDelayMs: 4000,
    },
  });
});
afterAll(() => server.stop());

const auth = () => server.ctx.auth;
let nextAddress = 1;
/** A fresh address for each test: the throttle counts per address too. */
const newAddress = () => `198.51.100.${nextAddress++}`;

async function refusal(attempt: Promise<unknown>): Promise<PamError> {
  try {
    await attempt;
  } catch (error) {
    return error as PamError;
  }
  throw new Error('it was accepted');
}

async function auditSince(count: number) {
  const rows = await server.ctx.store.listAudit({ offset: 0, limit: 100_000 });
  return rows.slice(count);
}
const auditCount = async () => (await server.ctx.store.listAudit({ offset: 0, limit: 100_000 })).length;

describe('login', () => {
  it('returns a token good for 8 hours, the user, and one audit row naming the address', async () => {
    const address = newAddress();
    const before = await auditCount();
    const now = server.clock.now();
    const login = await auth().login('bob', PASSWORD, address);
    expect(login.user).toEqual({
      id: DEMO_IDS.bob,
      username: 'bob',
      displayName: expect.any(String),
      roles: ['user'],
    });
    expect(login.expiresAt).toBe(new Date(now + 8 * HOUR).toISOString());
    expect((await auth().authenticate(login.tokenId)).id).toBe(DEMO_IDS.bob);
    const rows = await auditSince(before);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      action: 'login',
      actorId: DEMO_IDS.bob,
      actorName: 'bob',
      details: address,
    });

    server.clock.advance(8 * HOUR - 1);
    expect((await auth().authenticate(login.tokenId)).id).toBe(DEMO_IDS.bob);
    server.clock.advance(1);
    expect((await refusal(auth().authenticate(login.tokenId))).code).toBe('unauthorized');
  });

  it('a wrong password: "incorrect", one login.failed row with the user and the address', async () => {
    const address = newAddress();
    const before = await auditCount();
    const error = await refusal(auth().login('kelly', 'not the password', address));
    expect(error.code).toBe('unauthorized');
    expect(error.message).toBe('The username or password is incorrect.');
    const rows = await auditSince(before);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      action: 'login.failed',
      actorId: DEMO_IDS.kelly,
      actorName: 'kelly',
      details: address,
    });
  });

  it('an unknown user: the same answer, a row with no actor id and the name cut at 256 characters', async () => {
    const before = await auditCount();
    const long = 'x'.repeat(300);
    const error = await refusal(auth().login(long, PASSWORD, newAddress()));
    expect(error.message).toBe('The username or password is incorrect.');
    const [row] = await auditSince(before);
    expect(row).toMatchObject({ action: 'login.failed', actorId: null });
    expect(row!.actorName).toBe('x'.repeat(256));
  });

  it('past the free attempts: 429 with the wait in the message and in retryAfterSeconds', async () => {
    const address = newAddress();
    for (let i = 0; i < 2; i++) await refusal(auth().login('alice', 'wrong', address));
    await refusal(auth().login('alice', 'wrong', address));
    const throttled = await refusal(auth().login('alice', PASSWORD, address));
    expect(throttled.code).toBe('throttled');
    expect(throttled.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(throttled.message).toBe(
      `Too many failed sign-ins. Try again in ${throttled.retryAfterSeconds} seconds.`,
    );
    server.clock.advance(HOUR);
    expect((await auth().login('alice', PASSWORD, address)).user.username).toBe('alice');
  });

  it('the failure that reaches the per-user ceiling, and the one that reaches the address limit, each add a lockout row', async () => {
    const before = await auditCount();
    // 4 failures for maurice, each from an address of its own: the 4th reaches the user ceiling.
    for (let i = 0; i < 4; i++) await refusal(auth().login('maurice', 'wrong', newAddress()));
    const userRows = (await auditSince(before)).filter((row) => row.action === 'login.locked');
    expect(userRows).toHaveLength(1);
    expect(userRows[0]!.details).toMatch(/^user, last from 198\.51\.100\.\d+$/);
    expect(userRows[0]!.actorName).toBe('maurice');

    // 6 failures from one address, each for another (unknown) user: the 6th reaches the address limit.
    const address = newAddress();
    const middle = await auditCount();
    for (let i = 0; i < 6; i++) await refusal(auth().login(`nobody-${i}`, 'wrong', address));
    const addressRows = (await auditSince(middle)).filter((row) => row.action === 'login.locked');
    expect(addressRows).toHaveLength(1);
    expect(addressRows[0]!.details).toBe(`address ${address}`);
    server.clock.advance(HOUR);
  });
});

describe('who a request comes from', () => {
  it('no token, an empty one or an unknown one: "sign in again"', async () => {
    for (const token of [undefined, '', 'not-a-token']) {
      const error = await refusal(auth().authenticate(token));
      expect(error.code).toBe('unauthorized');
      expect(error.message).toBe('Sign in again: the session is missing, expired or revoked.');
    }
  });

  it('logout revokes the token and records who left', async () => {
    const login = await auth().login('bob', PASSWORD, newAddress());
    const actor = await auth().authenticate(login.tokenId);
    const before = await auditCount();
    await auth().logout(login.tokenId, actor);
    expect((await refusal(auth().authenticate(login.tokenId))).code).toBe('unauthorized');
    const rows = await auditSince(before);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ action: 'logout', actorId: DEMO_IDS.bob, actorName: 'bob' });
  });

  it('Basic: the user and roles of the pair, no audit row for a success; a wrong pair is refused', async () => {
    const before = await auditCount();
    const actor = await auth().authenticateBasic('kelly', PASSWORD, newAddress());
    expect(actor).toEqual({
      id: DEMO_IDS.kelly,
      username: 'kelly',
      displayName: expect.any(String),
      roles: DEMO_USERS.find((user) => user.username === 'kelly')!.roles,
    });
    expect(await auth().authenticateBasic('kelly', PASSWORD, newAddress())).toEqual(actor);
    expect(await auditCount()).toBe(before);
    expect((await refusal(auth().authenticateBasic('kelly', 'wrong', newAddress()))).code).toBe(
      'unauthorized',
    );
  });

  it('an integrated principal: the user it names, unless unknown or disabled', async () => {
    expect((await auth().authenticatePrincipal('kelly')).id).toBe(DEMO_IDS.kelly);
    expect((await refusal(auth().authenticatePrincipal('nobody'))).code).toBe('unauthorized');
    const admin = await server.as('admin');
    const created = await admin.request('POST', '/api/admin/users', {
      username: 'leaver',
      password: 'a long enough password',
      roles: ['user'],
    });
    expect((await auth().authenticatePrincipal('leaver')).username).toBe('leaver');
    await admin.request('PATCH', `/api/admin/users/${created.body.id}`, { disabled: true });
    expect((await refusal(auth().authenticatePrincipal('leaver'))).code).toBe('unauthorized');
  });
});
