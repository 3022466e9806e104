/** The three examples of Invoke-DSPamCheckout (seeds 000/001), done with `coffre` against a real server. */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_IDS } from '../../server/demo.ts';
import { startTestServer, type TestServer } from '../support/testServer.ts';
import { Profile } from './support.ts';

let server: TestServer;
const profiles: Profile[] = [];
const profile = (name: string) => {
  const created = new Profile(name);
  profiles.push(created);
  return created;
};

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  for (const p of profiles) p.remove();
  await server?.stop();
});

describe('seed examples', () => {
  it('example 1: bob checks out at once, reads the password, checks in', async () => {
    const bob = profile('bob');
    const login = await bob.login(server.url, 'bob');
    expect(login.stdout).toContain('Bob Martin');

    const result = await bob.json(['checkout', DEMO_IDS.autoCredential]);
    expect(Object.keys(result).sort()).toEqual(['checkout', 'password']);
    expect(result.password).toEqual(expect.any(String));
    expect(result.password.length).toBeGreaterThan(0);
    expect(result.checkout).toMatchObject({
      credentialID: DEMO_IDS.autoCredential,
      status: 4,
      username: 'bob',
    });

    const password = await bob.run(['password', DEMO_IDS.autoCredential]);
    expect(password.code).toBe(0);
    expect(password.stdout).toBe(`${result.password}\n`);

    const ended = await bob.json(['checkin', result.checkout.id]);
    expect(ended).toMatchObject({ id: result.checkout.id, status: 5 });
    const fetched = await bob.json(['checkout', 'get', result.checkout.id]);
    expect(fetched.status).toBe(5);
    // The password of that checkout is never in the server's logs.
    expect(server.logs.join('')).not.toContain(result.password);
  });

  it('example 2: maurice names himself as approver and gets the password at once', async () => {
    const maurice = profile('maurice');
    await maurice.login(server.url, 'maurice');
    const result = await maurice.json([
      'checkout',
      DEMO_IDS.selfApprovalCredential,
      '--reason',
      'Because',
      '--approver',
      DEMO_IDS.maurice,
    ]);
    expect(result.password).toEqual(expect.any(String));
    expect(result.checkout).toMatchObject({ status: 4, approverID: DEMO_IDS.maurice, reason: 'Because' });
    const ended = await maurice.json(['checkin', result.checkout.id]);
    expect(ended.status).toBe(5);
  });

  it('example 3: kelly asks, alice approves, kelly reads the password and checks in', async () => {
    const kelly = profile('kelly');
    const alice = profile('alice');
    await Promise.all([kelly.login(server.url, 'kelly'), alice.login(server.url, 'alice')]);

    const request = await kelly.json([
      'checkout',
      DEMO_IDS.approvedCredential,
      '--approver',
      DEMO_IDS.alice,
      '--reason',
      'Because',
    ]);
    expect(request).toEqual({ checkout: expect.objectContaining({ status: 1, approverID: DEMO_IDS.alice }) });
    const id = request.checkout.id as string;

    const pending = await alice.json(['pending']);
    expect(pending.map((c: any) => c.id)).toContain(id);

    const human = await alice.run(['pending']);
    // Who asks, for how long and since when; no Status column that would always say "Pending".
    expect(human.stdout).toMatch(/^Credential\s+Requested by\s+Duration\s+Waiting\s+Reason$/m);
    expect(human.stdout).toMatch(/^Kelly — file server admin\s+kelly\s+2\u00a0h\s+\d+\u00a0min\s+Because$/m);
    expect(human.stdout).not.toContain('Pending');

    const approved = await alice.json(['approve', id, '--message', 'ok']);
    expect(approved).toMatchObject({ id, status: 4, approverMessage: 'ok' });

    const fetched = await kelly.json(['checkout', 'get', id]);
    expect(fetched).toMatchObject({ id, status: 4, credentialID: DEMO_IDS.approvedCredential });

    const password = await kelly.json(['password', fetched.credentialID]);
    expect(password).toEqual({ credentialID: DEMO_IDS.approvedCredential, password: expect.any(String) });

    const mine = await kelly.json(['checkouts', '--active-and-pending']);
    expect(mine.map((c: any) => c.id)).toContain(id);

    const ended = await kelly.json(['checkin', id]);
    expect(ended.status).toBe(5);
    expect(await kelly.json(['checkouts', '--active-and-pending'])).toEqual([]);
  });

  it('lists vaults, credentials (filtered) and approvers, as JSON and as tables', async () => {
    const bob = profile('lists');
    await bob.login(server.url, 'bob');
    const vaults = await bob.json(['vaults']);
    expect(vaults.map((v: any) => v.name)).toContain('Servers');
    const servers = vaults.find((v: any) => v.name === 'Servers').id;

    const page = await bob.json(['credentials', '--vault', servers, '--search', 'web01']);
    expect(page.total).toBe(1);
    expect(page.data[0].id).toBe(DEMO_IDS.autoCredential);
    expect(JSON.stringify(page)).not.toMatch(/"password"/);

    const table = await bob.run(['credentials', '--search', 'kelly']);
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('Kelly — file server admin');
    expect(table.stdout).toContain('Servers');

    const approvers = await bob.json(['approvers', DEMO_IDS.approvedCredential]);
    expect(approvers.map((a: any) => a.username)).toEqual(['alice']);

    const who = await bob.json(['whoami']);
    expect(who).toMatchObject({ server: server.url, user: { username: 'bob' } });
  });

  it('extends and cancels, and takes an approver by user name', async () => {
    const kelly = profile('kelly2');
    await kelly.login(server.url, 'kelly');
    const request = await kelly.json([
      'checkout',
      'c2000000-0000-4000-8000-000000000004',
      '--approver',
      'alice',
      '--reason',
      'maintenance',
      '--duration',
      '30',
    ]);
    expect(request.checkout).toMatchObject({ status: 1, approverID: DEMO_IDS.alice, duration: 30 });
    const canceled = await kelly.json(['cancel', request.checkout.id]);
    expect(canceled.status).toBe(8);

    const active = await kelly.json(['checkout', 'c2000000-0000-4000-8000-000000000003', '--duration', '30']);
    const before = Date.parse(active.checkout.expiresAt);
    const extended = await kelly.json(['extend', active.checkout.id, '--minutes', '15']);
    expect(Date.parse(extended.expiresAt) - before).toBe(15 * 60_000);
    const human = await kelly.run(['checkin', active.checkout.id]);
    expect(human.stdout).toBe('Checked in Linux jump host root.\n');
  });

  it('COFFRE_SERVER chooses the server; logging in again revokes the session it replaces', async () => {
    const bob = profile('env-server');
    const first = await bob.run(['login', '-u', 'bob', '--password-stdin'], {
      input: 'coffre-demo\n',
      env: { COFFRE_SERVER: server.url },
    });
    expect(first.code).toBe(0);
    const tokenOf = () => JSON.parse(fs.readFileSync(`${bob.dir}/tokens.json`, 'utf8'))[`bob@${server.url}`];
    const oldToken = tokenOf();
    await bob.login(server.url, 'bob');
    const newToken = tokenOf();
    expect(newToken).not.toBe(oldToken);
    const old = await fetch(`${server.url}/api/pam/vaults`, { headers: { tokenId: oldToken } });
    expect(old.status).toBe(401);
    expect((await bob.json(['whoami'])).user.username).toBe('bob');
  });

  it('logs out: the server forgets the token and so does the config directory', async () => {
    const bob = profile('logout');
    await bob.login(server.url, 'bob');
    const out = await bob.json(['logout']);
    expect(out).toEqual({ loggedOut: true, account: `bob@${server.url}`, server: server.url });
    const after = await bob.run(['whoami']);
    expect(after.code).toBe(3);
    expect(after.stderr).toMatch(/^coffre: not logged in/);
  });
});
