/** Help, version, shell completion, watch, and human output details. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_IDS } from '../../server/demo.ts';
import { startTestServer, type TestServer } from '../support/testServer.ts';
import { Profile } from './support.ts';

const anon = new Profile('anon');
afterAll(() => anon.remove());

describe('help and completion', () => {
  it('--help documents every command and the exit codes', async () => {
    const result = await anon.run(['--help']);
    expect(result.code).toBe(0);
    for (const command of [
      'login',
      'logout',
      'whoami',
      'vaults',
      'credentials',
      'checkout',
      'checkouts',
      'password',
    ]) {
      expect(result.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    }
    for (const command of [
      'checkin',
      'pending',
      'approve',
      'deny',
      'extend',
      'cancel',
      'watch',
      'completion',
    ]) {
      expect(result.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    }
    expect(result.stdout).toContain('Exit codes:');
    for (const code of ['0', '2', '3', '4', '5', '6', '7', '8', '9', '10', '130']) {
      expect(result.stdout).toMatch(new RegExp(`^\\s+${code}  \\S`, 'm'));
    }
  });

  it('help is in French with --lang fr or LANG=fr_*', async () => {
    const flag = await anon.run(['--lang', 'fr', 'checkout', '--help']);
    expect(flag.code).toBe(0);
    expect(flag.stdout).toMatch(/^Utilisation\u00a0: coffre checkout/m);
    expect(flag.stdout).toContain('Options globales\u00a0:');
    const env = await anon.run(['--help'], { env: { LANG: 'fr_CA.UTF-8' } });
    expect(env.stdout).toContain('Codes de sortie\u00a0:');
  });

  it('--version', async () => {
    const result = await anon.run(['--version']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it.each(['bash', 'zsh', 'fish'])('completion %s prints a script that calls back coffre', async (shell) => {
    const result = await anon.run(['completion', shell]);
    expect(result.code).toBe(0);
    expect(result.stdout.length).toBeGreaterThan(200);
    expect(result.stdout).toContain('coffre');
    expect(result.stdout).toContain('complete');
  });

  it('completion suggestions come from the command tree', async () => {
    const commands = await anon.run(['complete', '--', 'check']);
    expect(commands.stdout.split('\n').map((line) => line.split('\t')[0])).toEqual(
      expect.arrayContaining(['checkout', 'checkouts', 'checkin']),
    );
    const options = await anon.run(['complete', '--', 'checkout', DEMO_IDS.autoCredential, '--']);
    for (const option of ['--reason', '--approver', '--duration', '--wait', '--copy', '--json']) {
      expect(options.stdout).toContain(`${option}\t`);
    }
    const shells = await anon.run(['complete', '--', 'completion', '']);
    expect(shells.stdout).toMatch(/^bash\t/m);
    expect((await anon.run(['completion', 'tcsh'])).code).toBe(2);
  });
});

describe('with a server', () => {
  let server: TestServer;
  let alice: Profile;
  let kelly: Profile;
  beforeAll(async () => {
    server = await startTestServer();
    alice = new Profile('alice');
    kelly = new Profile('kelly');
    await Promise.all([alice.login(server.url, 'alice'), kelly.login(server.url, 'kelly')]);
  });
  afterAll(async () => {
    alice?.remove();
    kelly?.remove();
    await server?.stop();
  });

  it('watch --json prints events as JSON lines until Ctrl-C', async () => {
    const watching = alice.start(['watch', '--json']);
    await watching.waitForStderr(/Connection: live\./);
    const request = await kelly.json([
      'checkout',
      DEMO_IDS.approvedCredential,
      '--approver',
      'alice',
      '--reason',
      'Because',
    ]);
    const [line] = await watching.waitForStdout(/^.*checkout\.created.*$/m);
    const event = JSON.parse(line);
    expect(event).toMatchObject({ type: 'checkout.created', data: { id: request.checkout.id, status: 1 } });
    expect(JSON.stringify(event)).not.toMatch(/password/i);
    watching.child.kill('SIGINT');
    const result = await watching.done;
    expect(result.code).toBe(130);
    for (const text of result.stdout.trim().split('\n')) expect(() => JSON.parse(text)).not.toThrow();
    await kelly.json(['cancel', request.checkout.id]);
  });

  it('watch prints readable lines', async () => {
    const watching = alice.start(['watch']);
    await watching.waitForStderr(/Connection: live\./);
    const request = await kelly.json([
      'checkout',
      DEMO_IDS.approvedCredential,
      '--approver',
      'alice',
      '--reason',
      'R',
    ]);
    await watching.waitForStdout(/new request\s+Pending\s+Kelly — file server admin\s+kelly/);
    watching.child.kill('SIGINT');
    expect((await watching.done).code).toBe(130);
    await kelly.json(['cancel', request.checkout.id]);
  });

  it('--dialect mim: the same commands against the MIM-style API', async () => {
    const jen = new Profile('jen');
    const approver = new Profile('alice-mim');
    try {
      await jen.run(['login', '--dialect', 'mim', '-s', server.url, '-u', 'PRIV.Jen', '--password-stdin'], {
        input: 'coffre-demo\n',
      });
      await approver.run(['--dialect', 'mim', 'login', '-s', server.url, '-u', 'alice', '--password-stdin'], {
        input: 'coffre-demo\n',
      });
      expect(await jen.json(['whoami'])).toMatchObject({ dialect: 'mim', user: { username: 'PRIV.Jen' } });
      const roles = await jen.json(['credentials', '--search', 'ApprovalRole']);
      expect(roles.data.map((c: any) => c.id)).toContain(DEMO_IDS.mimRoleCredential);

      const request = await jen.json(['checkout', DEMO_IDS.mimRoleCredential, '--reason', 'patching']);
      expect(request.checkout).toMatchObject({ status: 1, reason: 'patching' });
      const id = request.checkout.id;

      const password = await jen.run(['password', DEMO_IDS.mimRoleCredential]);
      expect(password.code).toBe(2);
      expect(password.stderr).toMatch(/^coffre: not supported by this server: /);

      const pending = await approver.json(['pending']);
      expect(pending.map((c: any) => c.id)).toContain(id);
      expect((await approver.json(['approve', id])).status).toBe(4);
      expect((await jen.json(['checkout', 'get', id])).status).toBe(4);
      expect((await jen.json(['checkin', id])).status).toBe(5);
    } finally {
      jen.remove();
      approver.remove();
    }
  });

  it('--sign-in basic: MIM behind IIS, DOMAIN\\user and a password on every call, no Coffre token', async () => {
    const jen = new Profile('jen-basic');
    try {
      const login = await jen.run(
        [
          'login',
          '--dialect',
          'mim',
          '--sign-in',
          'basic',
          '-s',
          server.url,
          '-u',
          'COFFRE\\PRIV.Jen',
          '--password-stdin',
        ],
        { input: 'coffre-demo\n' },
      );
      expect(login.code, login.stderr).toBe(0);
      expect(await jen.json(['whoami'])).toMatchObject({
        dialect: 'mim',
        user: { username: 'COFFRE\\PRIV.Jen' },
      });
      const roles = await jen.json(['credentials', '--search', 'Allow AD Access']);
      expect(roles.data.map((c: any) => c.id)).toEqual([DEMO_IDS.mimOpenRoleCredential]);
      const request = await jen.json(['checkout', DEMO_IDS.mimOpenRoleCredential, '--duration', '30']);
      expect(request.checkout.status).toBe(4);
      expect((await jen.json(['checkin', request.checkout.id])).status).toBe(5);
      const wrong = await jen.run(
        [
          'login',
          '--dialect',
          'mim',
          '--sign-in',
          'basic',
          '-s',
          server.url,
          '-u',
          'PRIV.Jen',
          '--password-stdin',
        ],
        { input: 'not-the-password\n' },
      );
      expect(wrong.code).toBe(3);
      const notMim = await jen.run(['login', '--sign-in', 'basic', '-s', server.url, '-u', 'bob']);
      expect(notMim.code).toBe(2);
      expect(notMim.stderr).toMatch(/--dialect mim/);
      const noUser = await jen.run(['login', '--dialect', 'mim', '--sign-in', 'basic', '-s', server.url], {
        env: { LANG: 'fr_FR.UTF-8' },
      });
      expect(noUser.code).toBe(2);
      expect(noUser.stderr).toMatch(/indiquez --username/);
    } finally {
      jen.remove();
    }
  });

  it('human output: local times, status names, aligned columns, in French too', async () => {
    const whoami = await kelly.run(['whoami']);
    expect(whoami.stdout).toMatch(/^User:\s+kelly$/m);
    expect(whoami.stdout).toMatch(/^Session expires:\s+\d{1,2} \w{3,4} \d{4}, \d{2}:\d{2}$/m);
    const fr = await kelly.run(['whoami'], { env: { LANG: 'fr_FR.UTF-8' } });
    expect(fr.stdout).toMatch(/^Utilisateur\u00a0:\s+kelly$/m);

    const active = await kelly.run(['checkout', 'c2000000-0000-4000-8000-000000000009']);
    expect(active.code).toBe(0);
    expect(active.stdout).toMatch(/^Status:\s+Active$/m);
    expect(active.stdout).toMatch(/^Password: \S+$/m);
    const id = /^ID:\s+(\S+)$/m.exec(active.stdout)![1]!;

    const list = await kelly.run(['checkouts', '--active-and-pending'], { env: { LANG: 'fr_FR.UTF-8' } });
    const lines = list.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^Identifiant\s+État\s+Quand\s+Durée\s+Motif$/);
    expect(lines[1]).toMatch(/^─+ {2}─+/);
    expect(lines[2]).toMatch(/^Wi-Fi controller\s+Active\s+encore 2\u00a0h\s+2\u00a0h/);
    // Columns line up: the status column starts at the same place on every line.
    expect(lines[2]!.indexOf('Active')).toBe(lines[0]!.indexOf('État'));
    // IDs only with --wide.
    expect(list.stdout).not.toContain(id);
    const wide = await kelly.run(['checkouts', '--active-and-pending', '--wide']);
    expect(wide.stdout).toContain(id);
    await kelly.json(['checkin', id]);
  });
});
