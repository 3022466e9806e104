/**
 * Races on one server: many requests fired at once, then the outcome checked against the rules of
 * API.md — one winner per conflict, the losers refused with the right status, one audit row and
 * one event per change that happened, and an intact audit chain.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckoutStatus } from '../../common/checkout.ts';
import { DEMO_IDS } from '../../server/demo.ts';
import { MINUTE_MS } from '../../server/domain/lifecycle.ts';
import { startTestServer, type TestServer } from '../support/testServer.ts';
import { type Client, createUsers, runSeed, seededRandom, shuffle } from './support.ts';

const SERVERS_VAULT = 'a1000000-0000-4000-8000-000000000001';

let server: TestServer;
let admin: Client;
let random: () => number;

beforeAll(async () => {
  server = await startTestServer({ logLevel: 'warn' });
  const session = await server.as('admin');
  admin = { username: 'admin', ...session };
  random = seededRandom(runSeed('races'));
});
afterAll(() => server.stop());

async function createCredential(name: string, policy: Record<string, unknown>): Promise<string> {
  const created = await admin.request('POST', '/api/admin/credentials', {
    vaultID: SERVERS_VAULT,
    name,
    policy,
  });
  expect(created.status).toBe(201);
  return created.body.id as string;
}

describe('exclusive checkouts under contention', () => {
  it('100 users × 5 exclusive credentials, all at once: per credential exactly 1 Active and 99 × 409', async () => {
    const users = await createUsers(server.url, admin, 'racer', 100);
    const credentials = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        createCredential(`Contended ${i}`, { approvalMode: 'none', exclusive: true }),
      ),
    );
    const attempts = shuffle(
      credentials.flatMap((credentialID) => users.map((user) => ({ user, credentialID }))),
      random,
    );
    const results = await Promise.all(
      attempts.map(async ({ user, credentialID }) => ({
        credentialID,
        user,
        response: await user.request('POST', '/api/pam/checkouts', { credentialID }),
      })),
    );

    const active = await server.ctx.store.listAllCheckouts([CheckoutStatus.Active]);
    for (const credentialID of credentials) {
      const mine = results.filter((result) => result.credentialID === credentialID);
      const winners = mine.filter((result) => result.response.status === 201);
      const losers = mine.filter((result) => result.response.status === 409);
      expect(winners).toHaveLength(1);
      expect(losers).toHaveLength(99);
      for (const loser of losers) {
        expect(loser.response.body.error).toEqual({
          code: 'already_checked_out',
          message: 'The credential is already checked out.',
        });
      }
      const winner = winners[0]!;
      expect(winner.response.body.status).toBe(CheckoutStatus.Active);
      const read = await winner.user.request('GET', `/api/pam/passwords/${credentialID}`);
      expect(typeof read.body.data).toBe('string');
      const held = active.filter((checkout) => checkout.credentialId === credentialID);
      expect(held.map((checkout) => checkout.id)).toEqual([winner.response.body.id]);
      expect(held[0]!.userId).toBe(winner.user.userId);
      // The losers left nothing behind: one checkout row, one request in the audit trail.
      const rows = await admin.request('GET', `/api/pam/audit?credentialID=${credentialID}&limit=1000`);
      const requested = rows.body.filter((row: any) => row.action === 'checkout.requested');
      expect(requested).toHaveLength(1);
      expect(requested[0].checkoutID).toBe(winner.response.body.id);
    }
    expect(await server.ctx.store.verifyAuditChain()).toBeNull();
  }, 300_000);
});

// ---------------------------------------------------------------------------------------------
// Transitions racing on one checkout

type Kind =
  | 'approve'
  | 'deny'
  | 'cancel'
  | 'checkin'
  | 'abort'
  | 'extend30'
  | 'extend45'
  | 'extend60'
  | 'selfApprove'
  | 'approverCheckin'
  | 'approverExtend'
  | 'adminApprove';

interface Rule {
  /** Who sends it. */
  actor: 'requester' | 'approver' | 'admin';
  /** States it may leave; empty: never allowed for this actor (403 whatever the state). */
  from: CheckoutStatus[];
  to?: CheckoutStatus;
  audit?: string;
  details?: string;
  minutes?: number;
}

const { Pending, Active, Denied, Ended, Aborted, RequestCanceled, Granted } = CheckoutStatus;

const RULES: Record<Kind, Rule> = {
  approve: { actor: 'approver', from: [Pending], to: Active, audit: 'checkout.approved' },
  deny: { actor: 'approver', from: [Pending], to: Denied, audit: 'checkout.denied' },
  cancel: { actor: 'requester', from: [Pending, Granted], to: RequestCanceled, audit: 'checkout.canceled' },
  checkin: { actor: 'requester', from: [Active], to: Ended, audit: 'checkout.checkedin' },
  abort: { actor: 'admin', from: [Pending, Granted, Active], to: Aborted, audit: 'checkout.aborted' },
  extend30: { actor: 'requester', from: [Active], to: Active, audit: 'checkout.extended', minutes: 30 },
  extend45: { actor: 'requester', from: [Active], to: Active, audit: 'checkout.extended', minutes: 45 },
  extend60: { actor: 'requester', from: [Active], to: Active, audit: 'checkout.extended', minutes: 60 },
  // Refused by role whatever the state: 403.
  selfApprove: { actor: 'requester', from: [] },
  approverCheckin: { actor: 'approver', from: [] },
  approverExtend: { actor: 'approver', from: [] },
  adminApprove: { actor: 'admin', from: [] },
};

function send(kind: Kind, checkoutId: string, actors: Record<Rule['actor'], Client>) {
  const actor = actors[RULES[kind].actor];
  const put = (status: number) => actor.request('PUT', `/api/pam/checkouts/${checkoutId}`, { status });
  const extend = (minutes: number) =>
    actor.request('POST', `/api/pam/checkouts/${checkoutId}/extend`, { minutes });
  switch (kind) {
    case 'approve':
    case 'selfApprove':
    case 'adminApprove':
      return put(Active);
    case 'deny':
      return put(Denied);
    case 'cancel':
      return put(RequestCanceled);
    case 'checkin':
    case 'approverCheckin':
      return put(Ended);
    case 'abort':
      return put(Aborted);
    case 'extend30':
    case 'approverExtend':
      return extend(30);
    case 'extend45':
      return extend(45);
    case 'extend60':
      return extend(60);
  }
}

/** The transitions that leave `state` for another state (they conflict: at most one can win). */
function exits(kinds: Kind[], state: CheckoutStatus): Kind[] {
  return kinds.filter((kind) => RULES[kind].from.includes(state) && RULES[kind].to !== state);
}

interface Scenario {
  name: string;
  start: typeof Pending | typeof Active;
  kinds: Kind[];
}

const SCENARIOS: Scenario[] = [
  {
    name: 'pending: approve / deny / cancel / check-in / extends',
    start: Pending,
    kinds: ['approve', 'deny', 'cancel', 'checkin', 'extend30', 'extend45', 'selfApprove', 'approverCheckin'],
  },
  {
    name: 'pending: the same, twice each, with an admin abort',
    start: Pending,
    kinds: ['approve', 'approve', 'deny', 'deny', 'cancel', 'cancel', 'checkin', 'extend30', 'abort'],
  },
  {
    name: 'active: check-in / extends / late approve, deny and cancel',
    start: Active,
    kinds: [
      'checkin',
      'extend30',
      'extend45',
      'extend60',
      'approve',
      'deny',
      'cancel',
      'approverExtend',
      'adminApprove',
    ],
  },
  {
    name: 'active: two check-ins, an abort and extends',
    start: Active,
    kinds: ['checkin', 'checkin', 'abort', 'extend30', 'extend45', 'approverCheckin'],
  },
];
const ORDERS_PER_SCENARIO = 6;

describe('transitions racing on one checkout end in one consistent state', () => {
  for (const scenario of SCENARIOS) {
    it(`${scenario.name} (${ORDERS_PER_SCENARIO} firing orders)`, async () => {
      const requester = { username: 'kelly', ...(await server.as('kelly')) };
      const approver = { username: 'alice', ...(await server.as('alice')) };
      const actors = { requester, approver, admin };
      for (let round = 0; round < ORDERS_PER_SCENARIO; round++) {
        // A fresh credential per round: nothing left over from the previous one.
        const credentialID = await createCredential(`Race ${scenario.name} #${round}`, {
          approvalMode: 'mandatory',
          approvers: [DEMO_IDS.alice],
          exclusive: true,
          rotateOnCheckin: true,
          maxExtension: 240,
        });
        const created = await requester.request('POST', '/api/pam/checkouts', {
          credentialID,
          approverID: DEMO_IDS.alice,
          duration: 60,
        });
        expect(created.status).toBe(201);
        const id = created.body.id as string;
        if (scenario.start === Active) {
          const approved = await approver.request('PUT', `/api/pam/checkouts/${id}`, { status: Active });
          expect(approved.status).toBe(200);
        }
        const before = (await server.ctx.store.getCheckout(id))!;
        expect(before.status).toBe(scenario.start);
        const sealedBefore = (await server.ctx.store.getCredential(credentialID))!.passwordSealed;
        const lastEvent = await server.ctx.store.lastEventId();
        const lastAudit = (await admin.request('GET', `/api/pam/audit?credentialID=${credentialID}`)).body
          .length as number;

        const order = shuffle(scenario.kinds, random);
        const responses = await Promise.all(order.map((kind) => send(kind, id, actors)));
        const label = `${scenario.name}, order ${order.join(',')}: ${responses.map((r) => r.status).join(',')}`;

        // Refused by role: 403 whatever happened meanwhile. Allowed by role: 200, or 409 when the
        // state no longer (or not yet) allowed it.
        order.forEach((kind, index) => {
          const { status, body } = responses[index]!;
          if (RULES[kind].from.length === 0) {
            expect(status, label).toBe(403);
            expect(body.error.code).toBe('forbidden');
          } else {
            expect([200, 409], label).toContain(status);
            if (status === 409) expect(body.error.code, `${label}: ${kind}`).toBe('invalid_transition');
          }
        });
        const succeeded = order.filter((_, index) => responses[index]!.status === 200);

        // The audit trail: exactly one row per successful transition, and replaying those rows
        // in order through the rules of API.md gives the stored state.
        const rows = (
          (await admin.request('GET', `/api/pam/audit?credentialID=${credentialID}`)).body as any[]
        ).slice(lastAudit);
        const transitionRows = rows.filter((row) => row.action !== 'password.rotated');
        expect(transitionRows.every((row) => row.checkoutID === id)).toBe(true);
        expect(transitionRows, label).toHaveLength(succeeded.length);
        const unmatched = [...succeeded];
        let state: CheckoutStatus = scenario.start;
        let extended = 0;
        let leftStart = 0;
        let endedActive = false;
        for (const row of transitionRows) {
          const index = unmatched.findIndex(
            (kind) =>
              RULES[kind].audit === row.action &&
              (RULES[kind].minutes === undefined || row.details === `+${RULES[kind].minutes} min`),
          );
          expect(
            index,
            `${label}: audit row ${row.action} ${row.details} without a 200`,
          ).toBeGreaterThanOrEqual(0);
          const [kind] = unmatched.splice(index, 1) as [Kind];
          expect(RULES[kind].from, `${label}: ${kind} from ${state}`).toContain(state);
          if (state === scenario.start && RULES[kind].to !== state) leftStart++;
          if (state === Active && (RULES[kind].to === Ended || RULES[kind].to === Aborted))
            endedActive = true;
          state = RULES[kind].to!;
          extended += RULES[kind].minutes ?? 0;
        }
        expect(unmatched).toEqual([]);

        // Every request read the starting state, so at least one of the transitions leaving it
        // won; and only one can have, since it is left once.
        expect(exits(order, scenario.start).length).toBeGreaterThan(0);
        expect(leftStart, label).toBe(1);

        const after = (await server.ctx.store.getCheckout(id))!;
        expect(after.status, label).toBe(state);
        expect((await requester.request('GET', `/api/pam/checkouts/${id}`)).body.status).toBe(state);
        // Extensions add up: no lost update between two extends read from the same state.
        const approvedExpiry = before.expiresAt ?? server.clock.now() + 60 * MINUTE_MS;
        if (scenario.start === Active || succeeded.includes('approve')) {
          expect(after.extendedMinutes, label).toBe(extended);
          expect(after.expiresAt, label).toBe(approvedExpiry + extended * MINUTE_MS);
        }

        // One checkout.updated event per transition, for the requester.
        const events = await server.ctx.store.eventsSince(requester.userId, lastEvent, 1000);
        const updates = events.filter(
          (event) => event.type === 'checkout.updated' && (event.data as { id: string }).id === id,
        );
        expect(updates, label).toHaveLength(succeeded.length);

        // The password is rotated once when an Active checkout ends, never otherwise.
        const rotations = rows.filter((row) => row.action === 'password.rotated');
        expect(rotations, label).toHaveLength(endedActive ? 1 : 0);
        const sealedAfter = (await server.ctx.store.getCredential(credentialID))!.passwordSealed;
        expect(sealedAfter !== sealedBefore, label).toBe(endedActive);
        expect(
          events.filter(
            (event) =>
              event.type === 'credential.rotated' &&
              (event.data as { credentialID: string }).credentialID === credentialID,
          ),
        ).toHaveLength(endedActive ? 1 : 0);

        // Leave nothing open for the next round.
        if (state === Active) {
          expect((await requester.request('PUT', `/api/pam/checkouts/${id}`, { status: Ended })).status).toBe(
            200,
          );
        }
      }
      expect(await server.ctx.store.verifyAuditChain()).toBeNull();
    }, 300_000);
  }
});

describe('extensions racing each other', () => {
  it('two extensions read from the same state: both add up, or the second is refused (never lost)', async () => {
    const kelly = await server.as('kelly');
    const kellyActor = {
      id: kelly.userId,
      username: 'kelly',
      displayName: 'Kelly Nguyen',
      roles: ['user' as const],
    };
    for (let round = 0; round < 5; round++) {
      const credentialID = await createCredential(`Extended twice #${round}`, {
        approvalMode: 'none',
        maxExtension: 240,
      });
      const created = await kelly.request('POST', '/api/pam/checkouts', { credentialID, duration: 60 });
      const id = created.body.id as string;
      const base = (await server.ctx.store.getCheckout(id))!.expiresAt!;
      // Over HTTP, then straight through the service (both calls queued in one turn of the loop).
      const outcomes =
        round % 2 === 0
          ? (
              await Promise.all(
                [30, 45].map((minutes) =>
                  kelly.request('POST', `/api/pam/checkouts/${id}/extend`, { minutes }),
                ),
              )
            ).map((response) => response.status)
          : await Promise.all(
              [30, 45].map((minutes) =>
                server.ctx.checkouts.extend(kellyActor, id, minutes).then(
                  () => 200,
                  (error: { statusCode?: number }) => error.statusCode ?? 500,
                ),
              ),
            );
      const granted = [30, 45].filter((_, index) => outcomes[index] === 200);
      expect(outcomes.every((status) => status === 200 || status === 409)).toBe(true);
      expect(granted.length).toBeGreaterThan(0);
      const total = granted.reduce((sum, minutes) => sum + minutes, 0);
      const stored = (await server.ctx.store.getCheckout(id))!;
      expect({ extendedMinutes: stored.extendedMinutes, expiresAt: stored.expiresAt }).toEqual({
        extendedMinutes: total,
        expiresAt: base + total * MINUTE_MS,
      });
      const rows = await admin.request('GET', `/api/pam/audit?credentialID=${credentialID}`);
      expect(rows.body.filter((row: any) => row.action === 'checkout.extended')).toHaveLength(granted.length);
      await kelly.request('PUT', `/api/pam/checkouts/${id}`, { status: Ended });
    }
  });
});

describe('the sweeper racing a request', () => {
  it('the T-5 min warning written for an expiry that an extension just moved is dropped, not kept', async () => {
    const kelly = {
      id: DEMO_IDS.kelly,
      username: 'kelly',
      displayName: 'Kelly Nguyen',
      roles: ['user' as const],
    };
    const ids: string[] = [];
    for (const [index, duration] of [10, 11].entries()) {
      const credentialID = await createCredential(`Sweeper race ${index}`, { approvalMode: 'none' });
      const created = await server.ctx.checkouts.createCheckout(kelly, { credentialID, duration });
      ids.push(created.checkout.id);
    }
    const [first, second] = ids as [string, string];
    // Both are inside their last 5 minutes: one sweep warns about both, the first one first.
    server.clock.advance(6.5 * MINUTE_MS);
    const sweeping = server.ctx.sweeper.sweep();
    // Meanwhile the second one is extended, after the sweeper read it and before it writes it.
    const extended = await server.ctx.checkouts.extend(kelly, second, 30);
    await sweeping;
    const stored = (await server.ctx.store.getCheckout(second))!;
    expect(stored.expiresAt).toBe(Date.parse(extended.expiresAt!));
    expect(stored.extendedMinutes).toBe(30);
    // The extension re-armed the warning: it comes 5 minutes before the new end.
    const lastEvent = await server.ctx.store.lastEventId();
    server.clock.set(stored.expiresAt! - 4 * MINUTE_MS);
    await server.ctx.sweeper.sweep();
    const warnings = (await server.ctx.store.eventsSince(kelly.id, lastEvent, 100)).filter(
      (event) => event.type === 'checkout.expiring' && (event.data as { id: string }).id === second,
    );
    expect(warnings).toHaveLength(1);
    for (const id of [first, second]) {
      await server.ctx.checkouts
        .changeStatus(kelly, id, { status: CheckoutStatus.Ended })
        .catch(() => undefined);
    }
  });
});
