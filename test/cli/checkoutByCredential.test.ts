/**
 * `coffre approve` / `deny` take the pending request's checkout ID, or its credential's ID or name
 * when exactly one request waiting for this approver is on that credential (README: "as alice");
 * `checkin` / `extend` / `cancel` the same among the caller's own open checkouts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_IDS } from '../../server/demo.ts';
import { startTestServer, type TestServer } from '../support/testServer.ts';
import { Profile } from './support.ts';

let server: TestServer;
let alice: Profile;
let kelly: Profile;
let bob: Profile;

beforeAll(async () => {
  server = await startTestServer();
  [alice, kelly, bob] = [new Profile('alice'), new Profile('kelly'), new Profile('bob')];
  await alice.login(server.url, 'alice');
  await kelly.login(server.url, 'kelly');
  await bob.login(server.url, 'bob');
});
afterAll(async () => {
  for (const p of [alice, kelly, bob]) p?.remove();
  await server?.stop();
});

const request = async (who: Profile) =>
  (
    await who.json([
      'checkout',
      DEMO_IDS.approvedCredential,
      '--approver',
      DEMO_IDS.alice,
      '--reason',
      'Because',
    ])
  ).checkout.id as string;

describe('approve by credential', () => {
  it('by the credential ID, or its name, when one request is pending on it', async () => {
    const id = await request(kelly);
    const approved = await alice.json(['approve', DEMO_IDS.approvedCredential, '--message', 'ok']);
    expect(approved).toMatchObject({ id, status: 4, approverMessage: 'ok' });
    await kelly.json(['checkin', id]);

    const again = await request(kelly);
    const name = approved.credentialName as string;
    const denied = await alice.run(['deny', name.toUpperCase()]);
    expect(denied.code).toBe(0);
    expect((await kelly.json(['checkout', 'get', again])).status).toBe(3);
  });

  it('several requests on the credential: lists them and exits 11 (ambiguous)', async () => {
    const fromKelly = await request(kelly);
    const fromBob = await request(bob);
    const ambiguous = await alice.run(['approve', DEMO_IDS.approvedCredential]);
    expect(ambiguous.code).toBe(11);
    expect(ambiguous.stderr).toMatch(/^coffre: "[0-9a-f-]+" matches 2 entries \(listed above\)/m);
    expect(ambiguous.stderr).toContain(fromKelly);
    expect(ambiguous.stderr).toContain(fromBob);
    expect((await alice.json(['approve', fromBob])).status).toBe(4);
    await bob.json(['checkin', fromBob]);
    // Now only kelly's is waiting: the credential names it again.
    expect((await alice.json(['approve', DEMO_IDS.approvedCredential])).id).toBe(fromKelly);
    await kelly.json(['checkin', fromKelly]);
  });

  it('nothing pending under that name: not found (exit 5), in French too', async () => {
    const none = await alice.run(['approve', 'no such credential'], { env: { LANG: 'fr_FR.UTF-8' } });
    expect(none.code).toBe(5);
    expect(none.stderr).toBe(
      'coffre\u00a0: aucune demande en attente ne correspond à «\u00a0no such credential\u00a0» (voir coffre pending)\n',
    );
  });
});

describe('check in by credential', () => {
  it('checkin, extend and cancel take the credential ID or name of your one open checkout', async () => {
    const taken = await bob.json(['checkout', DEMO_IDS.autoCredential]);
    const id = taken.checkout.id as string;
    const extended = await bob.json(['extend', DEMO_IDS.autoCredential, '--minutes', '5']);
    expect(extended).toMatchObject({ id, status: 4 });
    const ended = await bob.json(['checkin', (taken.checkout.credentialName as string).toLowerCase()]);
    expect(ended).toMatchObject({ id, status: 5 });

    const pending = await request(kelly);
    expect((await kelly.json(['cancel', DEMO_IDS.approvedCredential])).id).toBe(pending);

    const none = await bob.run(['checkin', 'web01']);
    expect(none.code).toBe(5);
    expect(none.stderr).toBe(
      'coffre: you have no open checkout of Bob — web01 local admin (see coffre checkouts)\n',
    );
    // A GUID that is none of them goes to the server as a checkout ID, which says what it knows.
    const unknown = await bob.run(['checkin', DEMO_IDS.autoCredential]);
    expect(unknown.code).toBe(5);
    expect(unknown.stderr).toMatch(/^coffre: not found: /);
  });
});
