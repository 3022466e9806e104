/**
 * Time passes while the server is down: on restart, checkouts whose end has come are Expired,
 * their `checkout.updated` event is in the log (replayable with Last-Event-ID), and the password
 * of a rotate-on-checkin credential has been changed. The clock is a ManualClock shared by the
 * two server instances on one data directory, so no test waits for real minutes to pass.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CheckoutStatus } from '../../common/checkout.ts';
import { DEMO_IDS, DEMO_PASSWORD } from '../../server/demo.ts';
import { ManualClock } from '../../server/domain/clock.ts';
import { MINUTE_MS } from '../../server/domain/lifecycle.ts';
import { createLogger } from '../../server/logger.ts';
import { type RunningServer, startServer } from '../../server/startServer.ts';
import type { PamStore } from '../../server/store/pamStore.ts';
import { type Client, clientOf, login, readEvents } from './support.ts';

const SERVERS_VAULT = 'a1000000-0000-4000-8000-000000000001';
const dataDirs: string[] = [];
const running = new Set<RunningServer>();

afterEach(async () => {
  for (const server of running) await server.close();
  running.clear();
  for (const dir of dataDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

async function start(dataDir: string, clock: ManualClock): Promise<RunningServer> {
  const server = await startServer({
    dataDir,
    host: '127.0.0.1',
    port: 0,
    demo: true,
    clock,
    sweepIntervalMs: 0,
    logger: createLogger({ level: 'silent' }),
    masterKeyEnv: undefined,
  });
  running.add(server);
  return server;
}

async function stop(server: RunningServer): Promise<void> {
  running.delete(server);
  await server.close();
}

/** The same session (tokens are stored) against another instance of the server. */
const rebind = (client: Client, url: string) => clientOf(url, client.username, client.userId, client.token);

async function setUp() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'coffre-expiry-'));
  dataDirs.push(dataDir);
  const clock = new ManualClock(Date.parse('2026-03-01T08:00:00.000Z'));
  const first = await start(dataDir, clock);
  const admin = await login(first.url, 'admin', DEMO_PASSWORD);
  const kelly = await login(first.url, 'kelly', DEMO_PASSWORD);
  const credential = await admin.request('POST', '/api/admin/credentials', {
    vaultID: SERVERS_VAULT,
    name: 'Rotated at the end',
    policy: { approvalMode: 'none', rotateOnCheckin: true, exclusive: true },
  });
  expect(credential.status).toBe(201);
  const credentialID = credential.body.id as string;
  const created = await kelly.request('POST', '/api/pam/checkouts', { credentialID, duration: 10 });
  expect(created.status).toBe(201);
  expect(created.body.status).toBe(CheckoutStatus.Active);
  const password = (await kelly.request('GET', `/api/pam/passwords/${credentialID}`)).body.data as string;
  expect(password.length).toBeGreaterThan(0);
  return {
    dataDir,
    clock,
    first,
    admin,
    kelly,
    credentialID,
    checkoutId: created.body.id,
    password,
  };
}

async function expectExpiredAndRotated(
  server: RunningServer,
  admin: Client,
  kelly: Client,
  setup: { credentialID: string; checkoutId: string; password: string },
  lastEventId: number,
) {
  const { credentialID, checkoutId, password } = setup;
  // Written down by the startup sweep, not only computed by readers.
  expect((await server.ctx.store.getCheckout(checkoutId))!.status).toBe(CheckoutStatus.Expired);
  const seen = await kelly.request('GET', `/api/pam/checkouts/${checkoutId}`);
  expect(seen.status).toBe(200);
  expect(seen.body.status).toBe(CheckoutStatus.Expired);

  // The event is in the log: a client that resumes with Last-Event-ID gets it.
  const replayed = await readEvents(server.url, kelly.token, lastEventId, (messages) =>
    messages.some((m) => m.event === 'credential.rotated'),
  );
  const updates = replayed.filter((m) => m.event === 'checkout.updated' && m.data.id === checkoutId);
  expect(updates).toHaveLength(1);
  expect(updates[0]!.data.status).toBe(CheckoutStatus.Expired);
  const rotated = replayed.filter((m) => m.event === 'credential.rotated');
  expect(rotated).toHaveLength(1);
  expect(rotated[0]!.data.credentialID).toBe(credentialID);
  expect(rotated[0]!.id).toBeGreaterThan(updates[0]!.id);

  // The rotation is done: another password is sealed, and the audit trail says so.
  const credential = (await server.ctx.store.getCredential(credentialID))!;
  expect(server.ctx.secretBox.open(credential.passwordSealed, credentialID)).not.toBe(password);
  const audit = await admin.request('GET', `/api/pam/audit?credentialID=${credentialID}`);
  const actions = (audit.body as any[]).map((row) => [row.action, row.actorName]);
  expect(actions.filter(([action]) => action === 'checkout.expired')).toEqual([
    ['checkout.expired', 'system'],
  ]);
  expect(actions.filter(([action]) => action === 'password.rotated')).toEqual([
    ['password.rotated', 'system'],
  ]);
  expect(await server.ctx.store.verifyAuditChain()).toBeNull();

  // Nothing is left to do on the next sweep, and the credential can be checked out again.
  expect(await server.ctx.sweeper.sweep()).toBe(0);
  const again = await kelly.request('POST', '/api/pam/checkouts', { credentialID, duration: 10 });
  expect(again.status).toBe(201);
  const reread = (await kelly.request('GET', `/api/pam/passwords/${credentialID}`)).body.data;
  expect(reread).not.toBe(password);
  expect(reread).toBe(server.ctx.secretBox.open(credential.passwordSealed, credentialID));
}

describe('a checkout that ends while the server is down', () => {
  it('is Expired after restart, with its event in the log and its password rotated', async () => {
    const setup = await setUp();
    const { dataDir, clock, first, checkoutId } = setup;
    const lastEventId = await first.ctx.store.lastEventId();
    const sealedBefore = (await first.ctx.store.getCredential(setup.credentialID))!.passwordSealed;
    await stop(first);

    clock.advance(15 * MINUTE_MS);
    const second = await start(dataDir, clock);
    expect((await second.ctx.store.getCredential(setup.credentialID))!.passwordSealed).not.toBe(sealedBefore);
    const admin = rebind(setup.admin, second.url);
    const kelly = rebind(setup.kelly, second.url);
    await expectExpiredAndRotated(second, admin, kelly, setup, lastEventId);
    expect((await second.ctx.store.getCheckout(checkoutId))!.checkinAt).toBe(
      (await second.ctx.store.getCheckout(checkoutId))!.expiresAt,
    );
  });

  it('a restart before the end changes nothing; the end still comes by the clock', async () => {
    const setup = await setUp();
    const { dataDir, clock, first, checkoutId } = setup;
    const lastEventId = await first.ctx.store.lastEventId();
    await stop(first);

    clock.advance(5 * MINUTE_MS);
    const second = await start(dataDir, clock);
    expect((await second.ctx.store.getCheckout(checkoutId))!.status).toBe(CheckoutStatus.Active);
    const kelly = rebind(setup.kelly, second.url);
    expect((await kelly.request('GET', `/api/pam/passwords/${setup.credentialID}`)).body.data).toBe(
      setup.password,
    );
    await stop(second);

    clock.advance(5 * MINUTE_MS);
    const third = await start(dataDir, clock);
    await expectExpiredAndRotated(
      third,
      rebind(setup.admin, third.url),
      rebind(kelly, third.url),
      setup,
      lastEventId,
    );
  });
});

/**
 * Simulates `kill -9` right after a given write commits: every later write of this instance fails,
 * as if the process were gone. What the next instance finds is what was committed by then.
 */
function dieAfter(store: PamStore, isFatal: (method: string, args: unknown[]) => boolean): void {
  let dead = false;
  const writes = [
    'transitionCheckout',
    'insertCheckout',
    'setCredentialPassword',
    'appendAudit',
    'updateCredential',
  ] as const;
  const target = store as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  for (const method of writes) {
    const original = target[method]!.bind(store);
    target[method] = async (...args: unknown[]) => {
      if (dead) throw new Error('the server process is gone');
      const result = await original(...args);
      if (isFatal(method, args)) dead = true;
      return result;
    };
  }
}

describe('a crash right after a checkout ends', () => {
  it('after the expiry is written: the password is rotated all the same', async () => {
    const setup = await setUp();
    const { dataDir, clock, first } = setup;
    const lastEventId = await first.ctx.store.lastEventId();
    dieAfter(
      first.ctx.store,
      (method, args) =>
        method === 'transitionCheckout' && (args[2] as { status?: number }).status === CheckoutStatus.Expired,
    );
    clock.advance(15 * MINUTE_MS);
    await first.ctx.sweeper.sweep().catch(() => undefined);
    expect((await first.ctx.store.getCheckout(setup.checkoutId))!.status).toBe(CheckoutStatus.Expired);
    await stop(first);

    const second = await start(dataDir, clock);
    await expectExpiredAndRotated(
      second,
      rebind(setup.admin, second.url),
      rebind(setup.kelly, second.url),
      setup,
      lastEventId,
    );
  });

  it('after the check-in is written: the password is rotated all the same', async () => {
    const setup = await setUp();
    const { dataDir, clock, first, kelly, credentialID, checkoutId, password } = setup;
    dieAfter(
      first.ctx.store,
      (method, args) =>
        method === 'transitionCheckout' && (args[2] as { status?: number }).status === CheckoutStatus.Ended,
    );
    const checkin = await kelly.request('PUT', `/api/pam/checkouts/${checkoutId}`, {
      status: CheckoutStatus.Ended,
    });
    // Whether or not the client heard back, the check-in is committed...
    expect((await first.ctx.store.getCheckout(checkoutId))!.status).toBe(CheckoutStatus.Ended);
    expect([200, 500]).toContain(checkin.status);
    await stop(first);

    // ...and so must be the rotation that goes with it.
    const second = await start(dataDir, clock);
    const credential = (await second.ctx.store.getCredential(credentialID))!;
    expect(second.ctx.secretBox.open(credential.passwordSealed, credentialID)).not.toBe(password);
    const audit = await rebind(setup.admin, second.url).request(
      'GET',
      `/api/pam/audit?credentialID=${credentialID}`,
    );
    const actions = (audit.body as any[]).map((row) => row.action);
    expect(actions.filter((action) => action === 'checkout.checkedin')).toHaveLength(1);
    expect(actions.filter((action) => action === 'password.rotated')).toHaveLength(1);
    expect(await second.ctx.store.verifyAuditChain()).toBeNull();
    expect(DEMO_IDS.kelly).toBe(kelly.userId);
  });
});
