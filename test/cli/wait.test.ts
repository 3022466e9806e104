/** checkout --wait: approved, denied, and Ctrl-C, with a second profile deciding meanwhile. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_IDS } from '../../server/demo.ts';
import { startTestServer, type TestServer } from '../support/testServer.ts';
import { Profile } from './support.ts';

let server: TestServer;
let kelly: Profile;
let alice: Profile;

const WAITING = /Request ([0-9a-f-]{36}) is pending approval by Alice Gagnon; waiting/;
const request = [
  'checkout',
  DEMO_IDS.approvedCredential,
  '--approver',
  DEMO_IDS.alice,
  '--reason',
  'Because',
];

beforeAll(async () => {
  server = await startTestServer();
  kelly = new Profile('kelly');
  alice = new Profile('alice');
  await Promise.all([kelly.login(server.url, 'kelly'), alice.login(server.url, 'alice')]);
});
afterAll(async () => {
  kelly?.remove();
  alice?.remove();
  await server?.stop();
});

describe('checkout --wait', () => {
  it('blocks until alice approves, then prints the checkout and the password', async () => {
    const waiting = kelly.start([...request, '--wait', '--json']);
    const [, id] = (await waiting.waitForStderr(WAITING)) as unknown as [string, string];

    const approved = await alice.json(['approve', id, '--message', 'go ahead']);
    expect(approved.status).toBe(4);

    const result = await waiting.done;
    expect(result.code).toBe(0);
    const output = JSON.parse(result.stdout);
    expect(output.checkout).toMatchObject({ id, status: 4, approverMessage: 'go ahead' });
    expect(output.password).toEqual(expect.any(String));
    // Not a terminal: plain lines, no cursor movement.
    expect(result.stderr).not.toContain('\x1b[');

    const password = await kelly.json(['password', DEMO_IDS.approvedCredential]);
    expect(password.password).toBe(output.password);
    await kelly.json(['checkin', id]);
  });

  it('exits non-zero with the approver message when alice denies', async () => {
    const waiting = kelly.start([...request, '--wait']);
    const [, id] = (await waiting.waitForStderr(WAITING)) as unknown as [string, string];
    await alice.json(['deny', id, '--message', 'Not during the freeze']);
    const result = await waiting.done;
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(/^coffre: the request was denied by Alice Gagnon: Not during the freeze$/m);
    expect(result.stdout).not.toMatch(/Password/);
  });

  it('says so in French too', async () => {
    const waiting = kelly.start([...request, '--wait'], { env: { LANG: 'fr_FR.UTF-8' } });
    const [, id] = (await waiting.waitForStderr(/La demande ([0-9a-f-]{36}) attend/)) as unknown as [
      string,
      string,
    ];
    await alice.json(['deny', id, '--message', 'Non']);
    const result = await waiting.done;
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(/^coffre\u00a0: la demande a été refusée par Alice Gagnon\u00a0: Non$/m);
  });

  it('Ctrl-C leaves the request pending, says how to check it, exits 130', async () => {
    const waiting = kelly.start([...request, '--wait']);
    const [, id] = (await waiting.waitForStderr(WAITING)) as unknown as [string, string];
    waiting.child.kill('SIGINT');
    const result = await waiting.done;
    expect(result.code).toBe(130);
    expect(result.stderr).toContain(`The request is still pending; check it with coffre checkout get ${id}`);
    const still = await kelly.json(['checkout', 'get', id]);
    expect(still.status).toBe(1);
    await kelly.json(['cancel', id]);
  });

  it('a request canceled meanwhile ends the wait (exit 6)', async () => {
    const waiting = kelly.start([...request, '--wait']);
    const [, id] = (await waiting.waitForStderr(WAITING)) as unknown as [string, string];
    await kelly.json(['cancel', id]);
    const result = await waiting.done;
    expect(result.code).toBe(6);
    expect(result.stderr).toMatch(/^coffre: the request ended without approval: Canceled$/m);
  });

  it('without --wait, a pending request is printed and the command returns', async () => {
    const result = await kelly.run(request);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^Request for Kelly — file server admin is pending approval by Alice Gagnon\.$/m,
    );
    expect(result.stdout).toMatch(/Status:\s+Pending/);
    const id = /ID:\s+([0-9a-f-]{36})/.exec(result.stdout)![1]!;
    expect(result.stderr).toContain(`coffre checkout get ${id}`);
    await kelly.json(['cancel', id]);
  });
});
