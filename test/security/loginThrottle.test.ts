/**
 * Password guessing (issue 14, findings 1 and 10): the sign-in throttle counts an attempt before
 * verifying it, per (username, address), per username and per address, and slows the attacker
 * down instead of locking the victim out.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { apiRequest, startTestServer, type TestServer } from '../support/testServer.ts';

const WINDOW_MS = 15 * 60_000;
let server: TestServer;

beforeEach(async () => {
  server = await startTestServer({ logLevel: 'warn', trustProxy: true });
});
afterEach(() => server.stop());

function signIn(username: string, password: string, from = '203.0.113.1') {
  return apiRequest(
    server.url,
    'POST',
    '/api/auth/login',
    { username, password },
    { 'x-forwarded-for': from },
  );
}

async function auditActions(): Promise<Array<{ action: string; details: string }>> {
  return server.ctx.store.listAudit({ limit: 1000, offset: 0 });
}

describe('parallel guesses (finding 1)', () => {
  it('40 simultaneous wrong passwords for one user: only the free attempts are verified, the rest are 429', async () => {
    const answers = await Promise.all(Array.from({ length: 40 }, () => signIn('kelly', 'wrong')));
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 401)).toHaveLength(3);
    expect(statuses.filter((status) => status === 429)).toHaveLength(37);
    // Only verified attempts leave a login.failed row: the throttled ones never reached the hash.
    const failed = (await auditActions()).filter((row) => row.action === 'login.failed');
    expect(failed).toHaveLength(3);
  });

  it('counts another spelling of the username as the same user ("BOB" after failures as "bob")', async () => {
    for (let i = 0; i < 3; i++) expect((await signIn('bob', 'wrong')).status).toBe(401);
    const other = await signIn('BOB', 'wrong');
    expect(other.status).toBe(429);
    expect((await signIn('Bob', 'coffre-demo')).status).toBe(429);
  });

  it('a success clears the pair: the user gets the free attempts again', async () => {
    for (let i = 0; i < 2; i++) expect((await signIn('bob', 'wrong')).status).toBe(401);
    expect((await signIn('bob', 'coffre-demo')).status).toBe(200);
    for (let i = 0; i < 3; i++) expect((await signIn('bob', 'wrong')).status).toBe(401);
    expect((await signIn('bob', 'wrong')).status).toBe(429);
  });
});

describe('slowing the attacker, not locking the victim (finding 10)', () => {
  it('each failure past the free ones doubles the wait of the (user, address) pair', async () => {
    for (let i = 0; i < 3; i++) expect((await signIn('kelly', 'wrong')).status).toBe(401);
    const waits: number[] = [];
    for (let i = 0; i < 4; i++) {
      const refused = await signIn('kelly', 'wrong');
      expect(refused.status).toBe(429);
      const wait = Number(refused.headers.get('retry-after'));
      waits.push(wait);
      server.clock.advance(wait * 1000);
      expect((await signIn('kelly', 'wrong')).status).toBe(401);
    }
    expect(waits).toEqual([1, 2, 4, 8]);
  });

  it('failures from one address do not slow the same user down from another address', async () => {
    for (let i = 0; i < 3; i++) expect((await signIn('kelly', 'wrong', '198.51.100.7')).status).toBe(401);
    expect((await signIn('kelly', 'coffre-demo', '198.51.100.7')).status).toBe(429);
    expect((await signIn('kelly', 'coffre-demo', '203.0.113.50')).status).toBe(200);
  });

  it('past the per-user ceiling, the right password still signs in from an address with no failures', async () => {
    // Ten attacker addresses, one guess each: the ceiling (10) is reached without any pair slowing down.
    for (let i = 0; i < 10; i++) {
      expect((await signIn('kelly', 'wrong', `198.51.100.${i + 1}`)).status).toBe(401);
    }
    // A second guess from an address that already failed is refused, even with the right password…
    const again = await signIn('kelly', 'coffre-demo', '198.51.100.1');
    expect(again.status).toBe(429);
    expect(Number(again.headers.get('retry-after'))).toBeGreaterThan(60);
    // …the victim, from an address that never failed, signs in.
    expect((await signIn('kelly', 'coffre-demo', '203.0.113.99')).status).toBe(200);
    // And a clean address gets one guess only while the ceiling holds.
    expect((await signIn('kelly', 'wrong', '192.0.2.1')).status).toBe(401);
    // (the success above cleared the user's counter: the ceiling is reached again only after 10 more)
    const rows = await auditActions();
    const lockouts = rows.filter((row) => row.action === 'login.locked');
    expect(lockouts).toHaveLength(1);
    expect(lockouts[0]!.details).toContain('user');
  });

  it('30 failures from one address with different usernames throttle that address, with one audit row', async () => {
    for (let i = 0; i < 30; i++)
      expect((await signIn(`nobody${i}`, 'wrong', '198.51.100.200')).status).toBe(401);
    const sprayed = await signIn('bob', 'coffre-demo', '198.51.100.200');
    expect(sprayed.status).toBe(429);
    expect(sprayed.body.error.code).toBe('throttled');
    // Other addresses are not affected.
    expect((await signIn('bob', 'coffre-demo', '198.51.100.201')).status).toBe(200);
    const lockouts = (await auditActions()).filter((row) => row.action === 'login.locked');
    expect(lockouts.map((row) => row.details)).toEqual(['address 198.51.100.200']);
    // The window passes: the address may try again.
    server.clock.advance(WINDOW_MS);
    expect((await signIn('bob', 'coffre-demo', '198.51.100.200')).status).toBe(200);
  });

  it('successful sign-ins never count against their address', async () => {
    for (let i = 0; i < 35; i++) expect((await signIn('bob', 'coffre-demo')).status).toBe(200);
  });

  it("a disabled user's right password is refused like a wrong one", async () => {
    const admin = await server.as('admin');
    const kelly = (await admin.request('GET', '/api/admin/users')).body.find(
      (user: { username: string }) => user.username === 'kelly',
    );
    expect((await admin.request('PATCH', `/api/admin/users/${kelly.id}`, { disabled: true })).status).toBe(
      200,
    );
    const refused = await signIn('kelly', 'coffre-demo');
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe('unauthorized');
  });
});

describe('--trust-proxy', () => {
  it('without it, X-Forwarded-For is ignored: a client cannot choose the address it is counted under', async () => {
    const plain = await startTestServer({ logLevel: 'warn' });
    try {
      const attempt = (from: string) =>
        apiRequest(
          plain.url,
          'POST',
          '/api/auth/login',
          { username: 'kelly', password: 'wrong' },
          { 'x-forwarded-for': from },
        );
      for (let i = 0; i < 3; i++) expect((await attempt(`198.51.100.${i}`)).status).toBe(401);
      expect((await attempt('198.51.100.77')).status).toBe(429);
    } finally {
      await plain.stop();
    }
  });
});
