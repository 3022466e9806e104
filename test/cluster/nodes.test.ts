/**
 * Several server nodes on one PostgreSQL database: what must hold across nodes is enforced by the
 * database, not by a process. Runs in the vitest project `postgres` (its global setup starts a
 * throw-away cluster); each describe gets a fresh database with two or three nodes on it.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPamBackend } from '../../client/createPamBackend.ts';
import { CheckoutStatus } from '../../common/checkout.ts';
import { DEMO_IDS, DEMO_USERS } from '../../server/demo.ts';
import { MIGRATIONS } from '../../server/store/migrations.ts';
import { POSTGRES_MIGRATIONS } from '../../server/store/postgresMigrations.ts';
import { PostgresStore, SchemaVersionError } from '../../server/store/postgresStore.ts';
import {
  type Client,
  clientOf,
  createUsers,
  runSeed,
  seededRandom,
  shuffle,
} from '../reliability/support.ts';
import { openSseStream } from '../support/sseStream.ts';
import { startTestNodes, type TestNodes } from '../support/testNodes.ts';
import { apiRequest, startTestServer, type TestServer } from '../support/testServer.ts';

const SERVERS_VAULT = 'a1000000-0000-4000-8000-000000000001';

async function adminOn(node: TestServer): Promise<Client> {
  const session = await node.as('admin');
  return { username: 'admin', ...session };
}

async function createCredential(
  admin: Client,
  name: string,
  policy: Record<string, unknown>,
): Promise<string> {
  const created = await admin.request('POST', '/api/admin/credentials', {
    vaultID: SERVERS_VAULT,
    name,
    policy,
  });
  expect(created.status, created.text).toBe(201);
  return created.body.id as string;
}

/** The same session (its token) on another node: tokens are valid on every node. */
const on = (node: TestServer, client: Client): Client =>
  clientOf(node.url, client.username, client.userId, client.token);

describe('two nodes started together on one empty database', () => {
  let cluster: TestNodes;
  beforeAll(async () => {
    cluster = await startTestNodes(2);
  });
  afterAll(() => cluster.stop());

  it('migrate once and seed the demo once (one of them seeds, under an advisory lock)', async () => {
    const [a, b] = cluster.nodes as [TestServer, TestServer];
    expect([a.seeded, b.seeded].filter(Boolean)).toHaveLength(1);
    expect(await a.ctx.store.countUsers()).toBe(DEMO_USERS.length);
    expect((await b.ctx.store.listVaults()).length).toBe((await a.ctx.store.listVaults()).length);
    expect(await a.ctx.store.verifyAuditChain()).toBeNull();
  });

  it('a token issued by one node works on the other; logging out on one revokes it on both', async () => {
    const [a, b] = cluster.nodes as [TestServer, TestServer];
    const bob = await a.as('bob');
    const onB = await apiRequest(b.url, 'GET', '/api/auth/me', undefined, { tokenId: bob.token });
    expect(onB.status, onB.text).toBe(200);
    expect((await bob.request('POST', '/api/auth/logout')).status).toBe(204);
    const afterLogout = await apiRequest(b.url, 'GET', '/api/auth/me', undefined, { tokenId: bob.token });
    expect(afterLogout.status).toBe(401);
  });

  it('the sign-in throttle is shared: 40 simultaneous wrong passwords over both nodes, 3 verified, 37 × 429', async () => {
    const [a, b] = cluster.nodes as [TestServer, TestServer];
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        apiRequest(i % 2 === 0 ? a.url : b.url, 'POST', '/api/auth/login', {
          username: 'kelly',
          password: 'wrong',
        }),
      ),
    );
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 401)).toHaveLength(3);
    expect(statuses.filter((status) => status === 429)).toHaveLength(37);
  });

  it('a node with another master key refuses to start (it would seal passwords the others cannot open)', async () => {
    await expect(
      startTestServer({
        logLevel: 'warn',
        node: {
          databaseUrl: cluster.databaseUrl,
          clock: cluster.clock,
          masterKey: randomBytes(32).toString('base64'),
        },
      }),
    ).rejects.toThrow(/master key/);
  });

  it('answers /api/health and /api/ready on every node', async () => {
    for (const node of cluster.nodes) {
      expect((await apiRequest(node.url, 'GET', '/api/health')).status).toBe(200);
      const ready = await apiRequest(node.url, 'GET', '/api/ready');
      expect(ready.status, ready.text).toBe(200);
    }
  });
});

describe('correctness across nodes, enforced by the database', () => {
  let cluster: TestNodes;
  let admin: Client;
  let random: () => number;
  beforeAll(async () => {
    cluster = await startTestNodes(2);
    admin = await adminOn(cluster.nodes[0]!);
    random = seededRandom(runSeed('cluster'));
  });
  afterAll(() => cluster.stop());

  it('exclusive checkout: of 100 simultaneous requests spread over two nodes, exactly one wins', async () => {
    const [a, b] = cluster.nodes as [TestServer, TestServer];
    const users = await createUsers(a.url, admin, 'contender', 100);
    const credentialID = await createCredential(admin, 'Contended across nodes', {
      approvalMode: 'none',
      exclusive: true,
    });
    const results = await Promise.all(
      shuffle(users, random).map((user, index) =>
        on(index % 2 === 0 ? a : b, user).request('POST', '/api/pam/checkouts', {
          credentialID,
          duration: 30,
        }),
      ),
    );
    const statuses = results.map((response) => response.status);
    expect(statuses.filter((status) => status === 201)).toHaveLength(1);
    expect(statuses.filter((status) => status === 409)).toHaveLength(99);
    const holders = (await a.ctx.store.listAllCheckouts([CheckoutStatus.Active])).filter(
      (checkout) => checkout.credentialId === credentialID,
    );
    expect(holders).toHaveLength(1);
  });

  it('compare-and-set: one check-in sent to both nodes at once ends the checkout and rotates the password once', async () => {
    const [a, b] = cluster.nodes as [TestServer, TestServer];
    const bob = await a.as('bob');
    const bobClient: Client = { username: 'bob', ...bob };
    const requestedAt = cluster.clock.now();
    const created = await bob.request('POST', '/api/pam/checkouts', {
      credentialID: DEMO_IDS.autoCredential,
      duration: 30,
    });
    expect(created.status, created.text).toBe(201);
    const id = created.body.id as string;
    const sealedBefore = (await a.ctx.store.getCredential(DEMO_IDS.autoCredential))!.passwordSealed;
    const attempts = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        on(i % 2 === 0 ? a : b, bobClient).request('PUT', `/api/pam/checkouts/${id}`, {
          status: CheckoutStatus.Ended,
        }),
      ),
    );
    expect(attempts.filter((response) => response.status === 200)).toHaveLength(1);
    expect(attempts.every((response) => response.status === 200 || response.status === 409)).toBe(true);
    const rows = (await a.ctx.store.listAudit({ offset: 0, limit: 100_000 })).filter(
      (row) => row.credentialId === DEMO_IDS.autoCredential && row.at >= requestedAt,
    );
    expect(rows.filter((row) => row.action === 'checkout.checkedin')).toHaveLength(1);
    expect(rows.filter((row) => row.action === 'password.rotated')).toHaveLength(1);
    expect((await b.ctx.store.getCredential(DEMO_IDS.autoCredential))!.passwordSealed).not.toBe(sealedBefore);
  });

  it('the audit chain, appended from both nodes at once, has one order and no fork', async () => {
    const [a, b] = cluster.nodes as [TestServer, TestServer];
    // Each sign-out appends one audit row: 100 sessions (opened one after another: sign-ins in
    // flight at once from one address meet its throttle), then all signed out at once over both nodes.
    const sessions: string[] = [];
    for (let i = 0; i < 100; i++)
      sessions.push((await a.as(DEMO_USERS[i % DEMO_USERS.length]!.username)).token);
    const answers = await Promise.all(
      sessions.map((token, i) =>
        apiRequest(i % 2 === 0 ? a.url : b.url, 'POST', '/api/auth/logout', undefined, { tokenId: token }),
      ),
    );
    expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => 204));
    const rows = await a.ctx.store.listAudit({ offset: 0, limit: 1_000_000 });
    expect(rows.filter((row) => row.action === 'logout').length).toBeGreaterThanOrEqual(100);
    expect(rows.map((row) => row.id)).toEqual(rows.map((_, index) => index + 1));
    expect(new Set(rows.map((row) => row.prevHash)).size).toBe(rows.length);
    expect(await b.ctx.store.verifyAuditChain()).toBeNull();
  });
});

describe('events across nodes', () => {
  let cluster: TestNodes;
  beforeAll(async () => {
    cluster = await startTestNodes(2);
  });
  afterAll(() => cluster.stop());

  it('an SSE client on node B receives what happened on node A, in order; Last-Event-ID resumes on either node', async () => {
    const [a, b] = cluster.nodes as [TestServer, TestServer];
    const alice = await a.as('alice');
    const kelly = await a.as('kelly');
    const aliceOnB = await openSseStream(b.url, alice.token);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const created = await kelly.request('POST', '/api/pam/checkouts', {
        credentialID: DEMO_IDS.approvedCredential,
        approverID: DEMO_IDS.alice,
        reason: `request ${i}`,
      });
      expect(created.status, created.text).toBe(201);
      ids.push(created.body.id);
      // Alternate the node that cancels: events of both nodes interleave in one stream.
      const cancel = await apiRequest(
        i % 2 === 0 ? a.url : b.url,
        'PUT',
        `/api/pam/checkouts/${created.body.id}`,
        { status: CheckoutStatus.RequestCanceled },
        { tokenId: kelly.token },
      );
      expect(cancel.status, cancel.text).toBe(200);
    }
    const messages = await aliceOnB.waitFor(10);
    aliceOnB.close();
    expect(messages.map((message) => message.id)).toEqual(
      [...messages.map((message) => message.id)].sort((x, y) => x - y),
    );
    expect(messages.map((message) => message.data.id)).toEqual(ids.flatMap((id) => [id, id]));
    expect(messages.map((message) => message.event)).toEqual(
      ids.flatMap(() => ['checkout.created', 'checkout.updated']),
    );

    // Resume from the third event, on node A this time: exactly the rest, once each.
    const resumed = await openSseStream(a.url, alice.token, messages[2]!.id);
    const replayed = await resumed.waitFor(7);
    resumed.close();
    expect(replayed.map((message) => message.id)).toEqual(messages.slice(3).map((message) => message.id));
  });
});

describe('one sweeper at a time', () => {
  let cluster: TestNodes;
  beforeAll(async () => {
    cluster = await startTestNodes(2);
  });
  afterAll(() => cluster.stop());

  it('exactly one node holds the lease; when its session ends, another node takes it', async () => {
    const [a, b] = cluster.nodes as [TestServer, TestServer];
    const held = [await a.ctx.store.holdSweeperLease(), await b.ctx.store.holdSweeperLease()];
    expect(held.filter(Boolean)).toHaveLength(1);
    const [holder, other] = held[0] ? [a, b] : [b, a];
    expect(await holder.ctx.store.holdSweeperLease()).toBe(true);
    expect(await other.ctx.store.holdSweeperLease()).toBe(false);
    // The holder's node goes away: its database sessions end and the lock frees itself.
    await holder.stop();
    cluster.nodes.splice(cluster.nodes.indexOf(holder), 1);
    let taken = false;
    for (let attempt = 0; attempt < 200 && !taken; attempt++) {
      taken = await other.ctx.store.holdSweeperLease();
      if (!taken) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(taken).toBe(true);
  });

  it('an expiry is written once though both nodes sweep', async () => {
    const c = await cluster.addNode();
    const [b] = cluster.nodes as [TestServer];
    const bob = await c.as('bob');
    const created = await bob.request('POST', '/api/pam/checkouts', {
      credentialID: DEMO_IDS.autoCredential,
      duration: 15,
    });
    expect(created.status, created.text).toBe(201);
    cluster.clock.advance(20 * 60_000);
    await Promise.all([b.ctx.sweeper.sweep(), c.ctx.sweeper.sweep(), b.ctx.sweeper.sweep()]);
    const rows = (await c.ctx.store.listAudit({ offset: 0, limit: 100_000 })).filter(
      (row) => row.checkoutId === created.body.id && row.action === 'checkout.expired',
    );
    expect(rows).toHaveLength(1);
    expect((await c.ctx.store.getCheckout(created.body.id))!.status).toBe(CheckoutStatus.Expired);
  });
});

describe('schema versions', () => {
  it('both stores have the same schema versions (one list of migrations per engine, version for version)', () => {
    expect(POSTGRES_MIGRATIONS).toHaveLength(MIGRATIONS.length);
  });

  it('a node refuses a database whose schema is newer than it knows', async () => {
    const cluster = await startTestNodes(1, { demo: false });
    try {
      const client = new pg.Client({ connectionString: cluster.databaseUrl });
      await client.connect();
      await client.query('UPDATE schema_version SET version = version + 1');
      await client.end();
      await expect(PostgresStore.open({ url: cluster.databaseUrl })).rejects.toThrow(SchemaVersionError);
      await expect(PostgresStore.open({ url: cluster.databaseUrl })).rejects.toThrow(
        /newer than this server/,
      );
      // The running node is no longer ready: its load balancer stops sending it requests.
      const ready = await apiRequest(cluster.nodes[0]!.url, 'GET', '/api/ready');
      expect(ready.status).toBe(503);
    } finally {
      await cluster.stop();
    }
  });
});

describe('graceful shutdown', () => {
  it('a stopping node ends its event streams with a retry hint instead of hanging on them', async () => {
    const cluster = await startTestNodes(1);
    try {
      const node = cluster.nodes[0]!;
      const bob = await node.as('bob');
      const response = await fetch(`${node.url}/api/events`, { headers: { tokenId: bob.token } });
      const text = response.text();
      await node.stop();
      cluster.nodes.length = 0;
      const body = await text;
      expect(body).toMatch(/retry: \d+\n\n$/);
    } finally {
      await cluster.stop();
    }
  });
});

describe('clients fail over', () => {
  it('a client given both nodes keeps working, signed in, when the node it used stops', async () => {
    const cluster = await startTestNodes(2);
    try {
      const [a, b] = cluster.nodes as [TestServer, TestServer];
      const backend = createPamBackend({ dialect: 'checkout', baseUrl: `${a.url},${b.url}` });
      await backend.login('bob', 'coffre-demo');
      const token = backend.session().token;
      const before = await backend.listVaults();
      await a.stop();
      cluster.nodes.splice(0, 1);
      expect(await backend.listVaults()).toEqual(before);
      // A request that waits for approval: no password in the answer. (A password sealed with the
      // DVLS session key of the node that stopped cannot be read through another node yet: that
      // key is kept in the node's memory.)
      const created = await backend.requestCheckout({
        credentialId: DEMO_IDS.approvedCredential,
        approverId: DEMO_IDS.alice,
        reason: 'failover',
      });
      expect(created.checkout.status).toBe(CheckoutStatus.Pending);
      expect(backend.session().token).toBe(token);
    } finally {
      await cluster.stop();
    }
  });
});
