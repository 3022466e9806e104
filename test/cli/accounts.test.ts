/**
 * Several accounts at once, as `gh auth` has them: `coffre login` adds an account (per server and
 * user) without logging the others out, `--profile` / `COFFRE_PROFILE` picks one for a command,
 * `coffre switch` changes the current one, `coffre whoami` says which, `coffre logout` ends the
 * current one only. Then the README's approval example works in two terminals: alice signing in
 * does not end bob's session (neither on the server nor in the CLI's store).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cli, type CliDeps } from '../../cli/context.ts';
import { run } from '../../cli/main.ts';
import { MESSAGES } from '../../cli/messages.ts';
import type { KeychainPort } from '../../cli/sessionStore.ts';
import { createPamBackend } from '../../client/createPamBackend.ts';
import { unpackSessionSecret } from '../../client/sessionSecret.ts';
import { startTestServer, type TestServer } from '../support/testServer.ts';
import { Profile } from './support.ts';

let server: TestServer;
const profiles: Profile[] = [];
const profile = (name: string, env: Record<string, string> = {}) => {
  const created = new Profile(name, env);
  profiles.push(created);
  return created;
};
const FR = { LANG: 'fr_FR.UTF-8' };

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  for (const p of profiles) p.remove();
  await server?.stop();
});

const tokensOf = (p: Profile) => JSON.parse(fs.readFileSync(path.join(p.dir, 'tokens.json'), 'utf8'));
/** The stored secret is the token and, after a DVLS handshake, its session key (client/sessionSecret.ts). */
const vaultsStatus = async (secret: string) =>
  (
    await fetch(`${server.url}/api/pam/vaults`, {
      headers: { tokenId: unpackSessionSecret(secret).token },
    })
  ).status;

describe('several accounts', () => {
  it('a second login adds an account; the first stays signed in, here and on the server', async () => {
    const me = profile('two');
    await me.login(server.url, 'bob');
    const alice = await me.run(['login', '--username', 'alice', '--password-stdin'], {
      input: 'coffre-demo\n',
    });
    expect(alice.code).toBe(0);
    expect(alice.stdout).toContain(`alice@${server.url}`);
    expect(alice.stderr).toContain('other account stays logged in');
    const tokens = tokensOf(me);
    expect(Object.keys(tokens).sort()).toEqual([`alice@${server.url}`, `bob@${server.url}`]);
    // The server did not revoke bob's token when alice signed in (a different user).
    expect(await vaultsStatus(tokens[`bob@${server.url}`])).toBe(200);
    expect(await vaultsStatus(tokens[`alice@${server.url}`])).toBe(200);

    expect((await me.run(['accounts'])).stdout).toBe(`* alice@${server.url}\n  bob@${server.url}\n`);
    expect(await me.json(['accounts'])).toMatchObject([
      { account: `alice@${server.url}`, current: true },
      { account: `bob@${server.url}`, current: false },
    ]);
    const whoami = await me.run(['whoami']);
    expect(whoami.stdout).toMatch(new RegExp(`Account:\\s+alice@${server.url}`));
    expect((await me.json(['whoami'])).user.username).toBe('alice');
  });

  it('--profile and COFFRE_PROFILE pick an account for one command; switch changes the current one', async () => {
    const me = profile('pick');
    await me.login(server.url, 'bob');
    await me.login(server.url, 'alice');
    expect((await me.json(['--profile', 'bob', 'whoami'])).user.username).toBe('bob');
    expect((await me.json(['whoami'], { env: { COFFRE_PROFILE: `bob@${server.url}` } })).user.username).toBe(
      'bob',
    );
    // The flag wins over the environment; neither changed the current account.
    expect(
      (await me.json(['--profile', 'alice', 'whoami'], { env: { COFFRE_PROFILE: 'bob' } })).user.username,
    ).toBe('alice');
    expect((await me.json(['whoami'])).user.username).toBe('alice');

    const switched = await me.run(['switch', 'bob']);
    expect(switched).toMatchObject({ code: 0, stdout: `Now using bob@${server.url}.\n` });
    expect((await me.json(['whoami'])).user.username).toBe('bob');
    const fr = await me.run(['switch', 'alice'], { env: FR });
    expect(fr.stdout).toBe(`Compte courant\u00a0: alice@${server.url}.\n`);

    const unknown = await me.run(['--profile', 'kelly', 'whoami']);
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toBe(
      `coffre: no account kelly (you have: alice@${server.url}, bob@${server.url}). Log in with: coffre login --username <name>\n`,
    );
    const unknownSwitch = await me.run(['switch', 'kelly'], { env: FR });
    expect(unknownSwitch.code).toBe(3);
    expect(unknownSwitch.stderr).toMatch(/^coffre\u00a0: aucun compte kelly/);
  });

  it('logout ends the current account only; then no account is current until switch', async () => {
    const me = profile('logout');
    await me.login(server.url, 'bob');
    await me.login(server.url, 'alice');
    const aliceToken = tokensOf(me)[`alice@${server.url}`];
    const bobToken = tokensOf(me)[`bob@${server.url}`];
    expect(await me.json(['logout'])).toEqual({
      loggedOut: true,
      account: `alice@${server.url}`,
      server: server.url,
    });
    expect(await vaultsStatus(aliceToken)).toBe(401);
    expect(await vaultsStatus(bobToken)).toBe(200);
    const none = await me.run(['whoami']);
    expect(none.code).toBe(3);
    expect(none.stderr).toBe(
      `coffre: no current account. Choose one with: coffre switch <account> (bob@${server.url}), or log in with: coffre login\n`,
    );
    await me.run(['switch', 'bob']);
    expect((await me.json(['whoami'])).user.username).toBe('bob');
    expect((await me.run(['--profile', 'bob', 'logout'])).stdout).toBe(`Logged out bob@${server.url}.\n`);
    expect((await me.run(['accounts'])).stdout).toBe(
      'No accounts. Log in with: coffre login --server <url> --username <name>\n',
    );
  });

  it('--server picks the only account on that server', async () => {
    const other = await startTestServer();
    try {
      const me = profile('servers');
      await me.login(server.url, 'bob');
      await me.login(other.url, 'kelly');
      expect((await me.json(['--server', server.url, 'whoami'])).user.username).toBe('bob');
      expect((await me.json(['whoami'])).user.username).toBe('kelly');
    } finally {
      await other.stop();
    }
  });
});

describe('the keychain fallback', () => {
  const failing: KeychainPort = {
    get: async () => null,
    set: async () => {
      throw new Error('no secret service');
    },
    delete: async () => undefined,
  };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coffre-cli-keychain-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function login(
    username: string,
    lang: 'en' | 'fr',
  ): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = '';
    let stderr = '';
    const deps: CliDeps = {
      io: {
        stdout: { write: (text: string) => (stdout += text) },
        stderr: { write: (text: string) => (stderr += text) },
        stdin: Readable.from(['coffre-demo\n']) as unknown as CliDeps['io']['stdin'],
        env: { COFFRE_CONFIG_DIR: dir },
      },
      createBackend: async (options) => createPamBackend(options),
      keychain: async () => failing,
      clipboard: () => null,
    };
    const cli = new Cli(deps, MESSAGES[lang], lang);
    const code = await run(cli, [
      'node',
      'coffre',
      'login',
      '-s',
      server.url,
      '-u',
      username,
      '--password-stdin',
    ]);
    return { code, stdout, stderr };
  }

  it('is explained once, in the user’s language, and the token’s place is said in the login block', async () => {
    const first = await login('bob', 'fr');
    expect(first.code).toBe(0);
    const tokens = path.join(dir, 'tokens.json');
    expect(first.stderr).toBe(
      `coffre\u00a0: Le trousseau du système n’est pas disponible (no secret service)\u00a0; le jeton de session est gardé dans ${tokens} (mode 0600).\n`,
    );
    expect(first.stdout).toMatch(new RegExp(`Jeton gardé dans\u00a0:\\s+${tokens} \\(mode 0600\\)`));
    const second = await login('kelly', 'en');
    expect(second.code).toBe(0);
    expect(second.stderr).not.toContain('keychain');
    expect(second.stdout).toMatch(new RegExp(`Token kept in:\\s+${tokens} \\(mode 0600\\)`));
  });
});

describe('application keys (DVLS)', () => {
  // go-dvls authentication.go: POST /api/v1/login with AppKey/AppSecret; New-DSSession -AsApplication
  it('login --application signs in with the key and secret, and the session works', async () => {
    const me = profile('app');
    const login = await me.run(
      ['login', '-s', server.url, '--username', 'kelly', '--application', '--password-stdin'],
      { input: 'coffre-demo\n' },
    );
    expect(login.code, login.stderr).toBe(0);
    const secret = tokensOf(me)[`kelly@${server.url}`] as string;
    // No handshake, no session key: the stored secret is the bare token.
    expect(unpackSessionSecret(secret)).toEqual({ token: secret });
    expect(await vaultsStatus(secret)).toBe(200);
    const wrong = await profile('app-wrong').run(
      ['login', '-s', server.url, '--username', 'kelly', '--application', '--password-stdin'],
      { input: 'nope\n' },
    );
    expect(wrong.code).toBe(3);
  });
});
