/**
 * Issue 15, CLI: credentials by name, ambiguity (exit 11), checkin/password/get by credential,
 * `checkout get --wait`, tables that fit, -o formats, --reveal on a terminal, durations, and every
 * policy problem reported at once.
 */
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { Cli, type CliDeps } from '../../cli/context.ts';
import { run } from '../../cli/main.ts';
import { MESSAGES } from '../../cli/messages.ts';
import { createPamBackend } from '../../client/createPamBackend.ts';
import { DEMO_IDS } from '../../server/demo.ts';
import { startTestServer, type TestServer } from '../support/testServer.ts';
import { Profile } from './support.ts';

let server: TestServer;
const profiles: Profile[] = [];
const profile = (name: string, env: Record<string, string> = {}) => {
  const created = new Profile(name, env);
  profiles.push(created);
  return created;
};
let bob: Profile;
let kelly: Profile;
let alice: Profile;

const LINUX_ROOT = 'c2000000-0000-4000-8000-000000000003';
const ORACLE_SYS = 'c2000000-0000-4000-8000-000000000006';

beforeAll(async () => {
  server = await startTestServer();
  bob = profile('bob');
  kelly = profile('kelly');
  alice = profile('alice');
  await Promise.all([
    bob.login(server.url, 'bob'),
    kelly.login(server.url, 'kelly'),
    alice.login(server.url, 'alice'),
  ]);
});
afterAll(async () => {
  for (const p of profiles) p.remove();
  await server?.stop();
});

describe('credentials by name', () => {
  it('checks out by exact name, by account, and by a unique part of the name', async () => {
    const exact = await bob.json(['checkout', 'Oracle SYS']);
    expect(exact.checkout.credentialID).toBe(ORACLE_SYS);
    // checkin takes the credential too: the caller's open checkout of it.
    expect(await bob.json(['checkin', 'oracle sys'])).toMatchObject({ id: exact.checkout.id, status: 5 });

    const byAccount = await bob.json(['checkout', 'SYS@ora01.corp.example']);
    expect(byAccount.checkout.credentialID).toBe(ORACLE_SYS);
    await bob.json(['checkin', ORACLE_SYS]);

    const byPart = await bob.json(['checkout', 'jump host']);
    expect(byPart.checkout.credentialID).toBe(LINUX_ROOT);
    const password = await bob.run(['password', 'Linux jump']);
    expect(password.stdout).toBe(`${byPart.password}\n`);
    const got = await bob.json(['checkout', 'get', 'Linux jump host root']);
    expect(got.id).toBe(byPart.checkout.id);
    await bob.json(['checkin', 'Linux jump']);
  });

  it('lists the candidates and exits 11 when a name matches several', async () => {
    const result = await bob.run(['checkout', 'admin']);
    expect(result.code).toBe(11);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^Name\s+Account\s+ID$/m);
    expect(result.stderr).toMatch(/^Domain Admin\s+CORP\\da-admin@dc01\.corp\.example\s+c2000000-/m);
    expect(result.stderr).toMatch(/^coffre: "admin" matches \d+ entries \(listed above\)/m);
    const help = await bob.run(['--help']);
    expect(help.stdout).toMatch(/^\s+11 {2}ambiguous/m);
  });

  it('exits 5 when nothing matches, and when the caller holds no checkout of the credential', async () => {
    const none = await bob.run(['checkout', 'no such thing']);
    expect(none.code).toBe(5);
    expect(none.stderr).toBe('coffre: no credential matches "no such thing" (see coffre credentials)\n');
    const notHeld = await bob.run(['checkin', 'Oracle SYS']);
    expect(notHeld.code).toBe(5);
    expect(notHeld.stderr).toContain('you have no open checkout of Oracle SYS');
  });
});

describe('checkout get', () => {
  it('--wait waits for the decision, then prints the password', async () => {
    const request = await kelly.json([
      'checkout',
      DEMO_IDS.approvedCredential,
      '--approver',
      'alice',
      '--reason',
      'Because',
    ]);
    expect(request.checkout.status).toBe(1);
    const waiting = kelly.start(['checkout', 'get', request.checkout.id, '--wait', '--json']);
    await waiting.waitForStderr(/waiting for the decision/);
    await alice.json(['approve', 'kelly']);
    const result = await waiting.done;
    expect(result.code).toBe(0);
    const answer = JSON.parse(result.stdout);
    expect(answer.checkout).toMatchObject({ id: request.checkout.id, status: 4 });
    expect(answer.password).toEqual(expect.any(String));
    await kelly.json(['checkin', request.checkout.id]);
  });

  it('its help lists its own options, and only the program options as global ones', async () => {
    const help = await kelly.run(['checkout', 'get', '--help']);
    const [own, global] = help.stdout.split('Global Options:');
    expect(own).toMatch(/^\s+--wait\b/m);
    expect(own).toMatch(/^\s+--reveal\b/m);
    expect(global).not.toMatch(/--reason|--approver|--duration/);
    expect(global).toMatch(/^\s+--json\b/m);
    expect(help.stdout).toContain('unless you add --reveal');
  });
});

describe('tables and formats', () => {
  it('credentials: name, account, status and vault first; fitted to $COLUMNS; IDs with --wide', async () => {
    const narrow = await bob.run(['credentials'], { env: { COLUMNS: '70' } });
    const lines = narrow.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^Name\s+Account\s+Status\s+Vault\s+Approval$/);
    for (const line of lines) expect([...line].length).toBeLessThanOrEqual(70);
    expect(narrow.stdout).toContain('…');
    expect(narrow.stdout).not.toContain(ORACLE_SYS);
    const wide = await bob.run(['credentials', '--wide']);
    expect(wide.stdout).toMatch(
      new RegExp(`^Oracle SYS\\s+SYS@ora01\\.corp\\.example\\s+available\\s+Databases.*${ORACLE_SYS}$`, 'm'),
    );
  });

  it('-o ids, -o yaml and -o json', async () => {
    const ids = await bob.run(['credentials', '--search', 'Oracle', '-o', 'ids']);
    expect(ids.stdout).toBe(`${ORACLE_SYS}\n`);
    const yaml = await bob.run(['credentials', '--search', 'Oracle', '-o', 'yaml']);
    expect(YAML.parse(yaml.stdout).data[0]).toMatchObject({ id: ORACLE_SYS, name: 'Oracle SYS' });
    const json = await bob.run(['vaults', '-o', 'json']);
    expect(JSON.parse(json.stdout).map((v: { name: string }) => v.name)).toContain('Databases');
    const bad = await bob.run(['vaults', '-o', 'xml']);
    expect(bad.code).toBe(2);
  });
});

describe('durations and policy', () => {
  it('accepts 1h30m, 90m and plain minutes', async () => {
    for (const [text, minutes] of [
      ['1h30m', 90],
      ['90m', 90],
      ['45', 45],
    ] as const) {
      const result = await bob.json(['checkout', 'Oracle SYS', '--duration', text]);
      expect(result.checkout.duration).toBe(minutes);
      await bob.json(['checkin', 'Oracle SYS']);
    }
  });

  it('reports every policy problem of a request at once (exit 7), in both languages', async () => {
    const en = await kelly.run(['checkout', 'Domain Admin', '--duration', '20h']);
    expect(en.code).toBe(7);
    expect(en.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(en.stderr).toContain('a reason is required (--reason)');
    expect(en.stderr).toContain('the duration 20\u00a0h is outside 10\u00a0min to 8\u00a0h (--duration)');
    expect(en.stderr).toContain('an approver is required (--approver)');
    const fr = await kelly.run(['checkout', 'Domain Admin', '--duration', '20h'], {
      env: { LANG: 'fr_FR.UTF-8' },
    });
    expect(fr.stderr).toContain('un motif est obligatoire (--reason)\u00a0; la durée 20\u00a0h sort');
  });
});

/** An in-process `coffre` whose stdout claims to be a terminal (the subprocesses' is a pipe). */
async function onTerminal(
  profileDir: string,
  args: string[],
): Promise<{ code: number; out: string; err: string }> {
  const stdout = Object.assign(new PassThrough(), { isTTY: true, columns: 100 });
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk) => (out += chunk));
  stderr.on('data', (chunk) => (err += chunk));
  const deps: CliDeps = {
    io: {
      stdout,
      stderr,
      stdin: new PassThrough(),
      env: { COFFRE_CONFIG_DIR: profileDir, COFFRE_KEYCHAIN: 'off', NO_COLOR: '1' },
    },
    createBackend: async (options) => createPamBackend(options),
    keychain: async () => null,
    clipboard: () => null,
  };
  const code = await run(new Cli(deps, MESSAGES.en, 'en'), ['node', 'coffre', ...args]);
  return { code, out, err };
}

describe('secrets stay out of the scrollback', () => {
  it('on a terminal, checkout and password print the password only with --reveal', async () => {
    const hidden = await onTerminal(bob.dir, ['checkout', 'Oracle SYS']);
    expect(hidden.code).toBe(0);
    expect(hidden.out).toMatch(/^Status:\s+Active$/m);
    expect(hidden.out).not.toMatch(/Password/);
    expect(hidden.err).toContain('add --reveal to show it, or --copy to copy it');
    const piped = await bob.run(['password', 'Oracle SYS']);
    const secret = piped.stdout.trim();
    expect(secret.length).toBeGreaterThan(8);

    const password = await onTerminal(bob.dir, ['password', 'Oracle SYS']);
    expect(password.out).toBe('');
    const revealed = await onTerminal(bob.dir, ['password', 'Oracle SYS', '--reveal']);
    expect(revealed.out).toBe(`${secret}\n`);
    const json = await onTerminal(bob.dir, ['password', 'Oracle SYS', '--json']);
    expect(JSON.parse(json.out).password).toBe(secret);
    await bob.json(['checkin', 'Oracle SYS']);
  });

  it('colours the status on a terminal, never with NO_COLOR', async () => {
    const plain = await onTerminal(bob.dir, ['credentials']);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for escape codes
    expect(plain.out).not.toMatch(/\u001b\[/);
    const stdout = Object.assign(new PassThrough(), { isTTY: true, columns: 100 });
    const cli = new Cli(
      {
        io: { stdout, stderr: new PassThrough(), stdin: new PassThrough(), env: {} },
        createBackend: async (options) => createPamBackend(options),
        keychain: async () => null,
        clipboard: () => null,
      },
      MESSAGES.en,
      'en',
    );
    expect(cli.color).toBe(true);
    cli.deps.io.env.NO_COLOR = '1';
    expect(cli.color).toBe(false);
  });
});
