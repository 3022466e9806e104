/**
 * Ending sessions (issue 14, findings 4, 5 and 6): what an admin takes away (password, role,
 * account) takes the sessions with it, event streams end with their session, and a former
 * approver no longer sees the queue.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CheckoutStatus } from '../../common/checkout.ts';
import { DEMO_IDS } from '../../server/demo.ts';
import { apiRequest, type Session, startTestServer, type TestServer } from '../support/testServer.ts';

let server: TestServer;
let admin: Session;

beforeEach(async () => {
  server = await startTestServer({ logLevel: 'warn' });
  admin = await server.as('admin');
});
afterEach(() => server.stop());

const me = (session: Session) => session.request('GET', '/api/auth/me');
const patchUser = (id: string, patch: Record<string, unknown>) =>
  admin.request('PATCH', `/api/admin/users/${id}`, patch);

describe('an admin change ends the sessions it concerns (finding 4)', () => {
  it("setting a user's password revokes the user's tokens", async () => {
    const bob = await server.as('bob');
    expect((await patchUser(DEMO_IDS.bob, { password: 'a-brand-new-password-1' })).status).toBe(200);
    expect((await me(bob)).status).toBe(401);
    const again = await apiRequest(server.url, 'POST', '/api/auth/login', {
      username: 'bob',
      password: 'a-brand-new-password-1',
    });
    expect(again.status).toBe(200);
  });

  it('removing a role revokes the tokens; adding one does not', async () => {
    const maurice = await server.as('maurice');
    expect((await patchUser(DEMO_IDS.maurice, { roles: ['user', 'approver', 'admin'] })).status).toBe(200);
    expect((await me(maurice)).status).toBe(200);
    expect((await patchUser(DEMO_IDS.maurice, { roles: ['user'] })).status).toBe(200);
    expect((await me(maurice)).status).toBe(401);
  });

  it('changing only the display name keeps the sessions', async () => {
    const bob = await server.as('bob');
    expect((await patchUser(DEMO_IDS.bob, { displayName: 'Robert Martin' })).status).toBe(200);
    expect((await me(bob)).status).toBe(200);
  });
});

/** An open /api/events stream: what it received, and whether the server ended it. */
async function openStream(token: string) {
  const controller = new AbortController();
  const response = await fetch(`${server.url}/api/events`, {
    headers: { tokenId: token },
    signal: controller.signal,
  });
  expect(response.status).toBe(200);
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = '';
  let ended = false;
  const finished = (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        text += value;
      }
      ended = true;
    } catch {
      // aborted by the test
    }
  })();
  return {
    get text() {
      return text;
    },
    /** Resolves true when the server ends the stream, false if it is still open after `ms`. */
    async endsWithin(ms = 20_000): Promise<boolean> {
      await Promise.race([finished, new Promise((resolve) => setTimeout(resolve, ms))]);
      return ended;
    },
    abort: () => controller.abort(),
  };
}

async function until(condition: () => boolean, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('event streams end with their session (finding 5)', () => {
  it('logout ends the stream', async () => {
    const bob = await server.as('bob');
    const stream = await openStream(bob.token);
    expect((await bob.request('POST', '/api/auth/logout')).status).toBe(204);
    expect(await stream.endsWithin()).toBe(true);
    expect(server.ctx.streams.count()).toBe(0);
  });

  it("disabling the user, or changing the user's password, ends the user's streams", async () => {
    const bob = await server.as('bob');
    const kelly = await server.as('kelly');
    const bobStream = await openStream(bob.token);
    const kellyStream = await openStream(kelly.token);
    expect((await patchUser(DEMO_IDS.bob, { disabled: true })).status).toBe(200);
    expect(await bobStream.endsWithin()).toBe(true);
    expect((await patchUser(DEMO_IDS.kelly, { password: 'another-password-42' })).status).toBe(200);
    expect(await kellyStream.endsWithin()).toBe(true);
  });

  it('a stream whose token has expired delivers nothing more and ends', async () => {
    const bob = await server.as('bob');
    const stream = await openStream(bob.token);
    await until(() => server.ctx.streams.count() === 1);
    server.clock.advance(8 * 60 * 60_000 + 1);
    // An event for bob after the expiry (a fresh session of his makes one).
    const fresh = await apiRequest(server.url, 'POST', '/api/auth/login', {
      username: 'bob',
      password: 'coffre-demo',
    });
    const created = await apiRequest(
      server.url,
      'POST',
      '/api/pam/checkouts',
      { credentialID: DEMO_IDS.autoCredential },
      { tokenId: fresh.body.tokenId },
    );
    expect(created.status).toBe(201);
    expect(await stream.endsWithin()).toBe(true);
    expect(stream.text).not.toContain('checkout.created');
  });

  it('at most 4 streams per session: a fifth ends the oldest', async () => {
    const bob = await server.as('bob');
    const streams = [];
    for (let i = 0; i < 5; i++) {
      streams.push(await openStream(bob.token));
      await until(() => server.ctx.streams.count() === Math.min(i + 1, 4));
    }
    expect(await streams[0]!.endsWithin()).toBe(true);
    expect(server.ctx.streams.count()).toBe(4);
    for (const stream of streams) stream.abort();
  });
});

describe('the approval queue follows who may approve now (finding 6)', () => {
  async function pendingForMaurice(): Promise<string> {
    const bob = await server.as('bob');
    const created = await bob.request('POST', '/api/pam/checkouts', {
      credentialID: DEMO_IDS.selfApprovalCredential,
      approverID: DEMO_IDS.maurice,
      reason: 'patch night',
    });
    expect(created.status).toBe(201);
    expect(created.body.status).toBe(CheckoutStatus.Pending);
    return created.body.id;
  }

  it('a former approver sees nothing: not the queue, not the request, not in MIM either', async () => {
    const id = await pendingForMaurice();
    expect(
      (await (await server.as('maurice')).request('GET', '/api/pam/checkouts?toApprove=true')).body,
    ).toHaveLength(1);
    expect((await patchUser(DEMO_IDS.maurice, { roles: ['user'] })).status).toBe(200);
    const maurice = await server.as('maurice');
    const queue = await maurice.request('GET', '/api/pam/checkouts?toApprove=true');
    expect(queue.status).toBe(200);
    expect(queue.body).toEqual([]);
    expect((await maurice.request('GET', `/api/pam/checkouts/${id}`)).status).toBe(404);
    const mim = await maurice.request('GET', '/api/pamresources/pamrequeststoapprove');
    expect(mim.status).toBe(200);
    expect(JSON.stringify(mim.body)).not.toContain('patch night');
  });

  it('a disabled approver is not offered as an approver', async () => {
    const listed = await admin.request(
      'GET',
      `/api/pam/credentials/${DEMO_IDS.selfApprovalCredential}/approvers`,
    );
    expect(listed.body.map((user: { id: string }) => user.id)).toContain(DEMO_IDS.maurice);
    expect((await patchUser(DEMO_IDS.maurice, { disabled: true })).status).toBe(200);
    const after = await admin.request(
      'GET',
      `/api/pam/credentials/${DEMO_IDS.selfApprovalCredential}/approvers`,
    );
    expect(after.body.map((user: { id: string }) => user.id)).not.toContain(DEMO_IDS.maurice);
    const bob = await server.as('bob');
    const refused = await bob.request('POST', '/api/pam/checkouts', {
      credentialID: DEMO_IDS.selfApprovalCredential,
      approverID: DEMO_IDS.maurice,
    });
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('approver_not_eligible');
  });
});
