/** Failures: exit codes and one-line messages, in English and in French. */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
const FR = { LANG: 'fr_FR.UTF-8' };
const UNKNOWN = '0badc0de-0000-4000-8000-000000000000';
/** Domain Admin: approval by alice or maurice, so the requester must name one. */
const DOMAIN_ADMIN = 'c2000000-0000-4000-8000-000000000001';

/** One line on stderr, framed, without a stack trace. */
function expectOneLine(stderr: string, start: RegExp) {
  expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(stderr).toMatch(start);
  expect(stderr).not.toMatch(/\n\s+at /);
}

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  for (const p of profiles) p.remove();
  await server?.stop();
});

describe('authentication (exit 3)', () => {
  it('wrong password', async () => {
    const en = await profile('wrong').run(['login', '-s', server.url, '-u', 'bob', '--password-stdin'], {
      input: 'not-the-password\n',
    });
    expect(en.code).toBe(3);
    // DVLS's sign-in refusal (loginResult 2), said in the user's language.
    expectOneLine(en.stderr, /^coffre: login failed: wrong username or password$/m);
    expect(en.stderr).not.toContain('not-the-password');

    const fr = await profile('wrong-fr', FR).run(
      ['login', '-s', server.url, '-u', 'bob', '--password-stdin'],
      {
        input: 'not-the-password\n',
      },
    );
    expect(fr.code).toBe(3);
    expectOneLine(
      fr.stderr,
      /^coffre\u00a0: échec de la connexion\u00a0: nom d’utilisateur ou mot de passe incorrect$/m,
    );
  });

  it('expired token', async () => {
    const bob = profile('expired');
    await bob.login(server.url, 'bob');
    expect((await bob.run(['whoami'])).code).toBe(0);
    server.clock.advance(8 * 60 * 60_000 + 1);
    const en = await bob.run(['checkouts']);
    expect(en.code).toBe(3);
    expectOneLine(en.stderr, /^coffre: not authenticated: .*coffre login/);
    const fr = await bob.run(['checkouts'], { env: FR });
    expect(fr.code).toBe(3);
    expectOneLine(fr.stderr, /^coffre\u00a0: non authentifié\u00a0: .*coffre login/);
  });

  it('not logged in at all, or logged in elsewhere', async () => {
    const nobody = profile('nobody');
    const result = await nobody.run(['credentials']);
    expect(result.code).toBe(3);
    expectOneLine(result.stderr, /^coffre: not logged in\. Log in with: coffre login/);

    const bob = profile('elsewhere');
    await bob.login(server.url, 'bob');
    const other = await bob.run(['vaults', '--server', 'https://pam.example.com']);
    expect(other.code).toBe(3);
    expect(other.stderr).toContain('https://pam.example.com');
  });

  it('refuses to read a password without a terminal or --password-stdin', async () => {
    const result = await profile('notty').run(['login', '-s', server.url, '-u', 'bob']);
    expect(result.code).toBe(2);
    expectOneLine(result.stderr, /^coffre: no terminal to ask for the password; .*--password-stdin/);
    const fr = await profile('notty-fr', FR).run(['login', '-s', server.url, '-u', 'bob']);
    expectOneLine(fr.stderr, /^coffre\u00a0: aucun terminal pour demander le mot de passe/);
  });
});

describe('server answers', () => {
  let bob: Profile;
  let kelly: Profile;
  beforeAll(async () => {
    bob = profile('bob');
    kelly = profile('kelly');
    await Promise.all([bob.login(server.url, 'bob'), kelly.login(server.url, 'kelly')]);
  });

  it('unknown ids (exit 5)', async () => {
    const checkout = await bob.run(['checkout', 'get', UNKNOWN]);
    expect(checkout.code).toBe(5);
    expectOneLine(checkout.stderr, /^coffre: not found: /);
    const credential = await bob.run(['checkout', UNKNOWN], { env: FR });
    expect(credential.code).toBe(5);
    expectOneLine(credential.stderr, /^coffre\u00a0: introuvable\u00a0: /);
    expect((await bob.run(['checkin', UNKNOWN])).code).toBe(5);
    expect((await bob.run(['approvers', UNKNOWN])).code).toBe(5);
  });

  it('exclusive credential already checked out (exit 6)', async () => {
    const first = await bob.json(['checkout', 'c2000000-0000-4000-8000-000000000005']);
    const en = await kelly.run(['checkout', 'c2000000-0000-4000-8000-000000000005']);
    expect(en.code).toBe(6);
    expectOneLine(en.stderr, /^coffre: conflict: The credential is already checked out\.$/m);
    const fr = await kelly.run(['checkout', 'c2000000-0000-4000-8000-000000000005'], { env: FR });
    expect(fr.code).toBe(6);
    expectOneLine(fr.stderr, /^coffre\u00a0: conflit\u00a0: Cet identifiant est déjà extrait\.$/m);
    await bob.json(['checkin', first.checkout.id]);
  });

  it('checking out again what one holds names the open checkout (exit 6), in both languages', async () => {
    const first = await bob.json(['checkout', 'c2000000-0000-4000-8000-000000000005']);
    const id = first.checkout.id as string;
    const en = await bob.run(['checkout', 'c2000000-0000-4000-8000-000000000005']);
    expect(en.code).toBe(6);
    expectOneLine(
      en.stderr,
      new RegExp(
        `^coffre: conflict: You already have an open checkout or request \\(id ${id}\\) on this credential\\.$`,
        'm',
      ),
    );
    const fr = await bob.run(['checkout', 'c2000000-0000-4000-8000-000000000005'], { env: FR });
    expect(fr.code).toBe(6);
    expectOneLine(
      fr.stderr,
      new RegExp(
        `^coffre\u00a0: conflit\u00a0: Vous avez déjà une extraction ou une demande en cours \\(id ${id}\\) sur cet identifiant\\.$`,
        'm',
      ),
    );
    await bob.json(['checkin', id]);
  });

  it('approver required (exit 7) when several may approve, with a hint naming the credential', async () => {
    const en = await kelly.run(['checkout', DOMAIN_ADMIN, '--reason', 'Because']);
    expect(en.code).toBe(7);
    expectOneLine(en.stderr, /^coffre: refused by policy: an approver is required \(--approver\)/);
    expect(en.stderr).toContain("coffre approvers 'Domain Admin'");
    const fr = await kelly.run(['checkout', DOMAIN_ADMIN, '--reason', 'Because'], { env: FR });
    expect(fr.code).toBe(7);
    expectOneLine(fr.stderr, /^coffre\u00a0: refusé par la politique\u00a0: un approbateur est obligatoire/);
    const notAnApprover = await kelly.run([
      'checkout',
      DEMO_IDS.approvedCredential,
      '--reason',
      'Because',
      '--approver',
      'bob',
    ]);
    expect(notAnApprover.code).toBe(7);
  });

  it('forbidden (exit 4): a password without holding the checkout', async () => {
    const result = await kelly.run(['password', DEMO_IDS.autoCredential]);
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(/^coffre: not allowed: /);
    expect(result.stdout).toBe('');
  });
});

describe('network (exit 8)', () => {
  it('names the URL of a server that is down', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = net.createServer().listen(0, '127.0.0.1', () => {
        const address = probe.address() as net.AddressInfo;
        probe.close(() => resolve(address.port));
      });
    });
    const url = `http://127.0.0.1:${port}`;
    const en = await profile('down').run(['login', '--server', url, '-u', 'bob', '--password-stdin'], {
      input: 'coffre-demo\n',
    });
    expect(en.code).toBe(8);
    expectOneLine(en.stderr, /^coffre: network error: /);
    expect(en.stderr).toContain(url);
    const fr = await profile('down-fr', FR).run(['login', '--server', url, '-u', 'bob', '--password-stdin'], {
      input: 'coffre-demo\n',
    });
    expect(fr.code).toBe(8);
    expectOneLine(fr.stderr, /^coffre\u00a0: erreur réseau\u00a0: /);
  });
});

describe('usage (exit 2)', () => {
  const cases: Array<[string[], RegExp, RegExp]> = [
    [['frobnicate'], /^coffre: unknown command frobnicate/, /^coffre\u00a0: commande inconnue frobnicate/],
    [
      ['checkout'],
      /^coffre: missing argument <credential> \(see coffre checkout --help\)/,
      /argument manquant <identifiant>/,
    ],
    [
      ['checkout', DEMO_IDS.autoCredential, '--duration', 'soon'],
      /not a duration \(2h, 90m, 1h30m, or minutes\): soon/,
      /durée invalide/,
    ],
    [['checkouts', '--bogus'], /^coffre: unknown option --bogus/, /^coffre\u00a0: option inconnue --bogus/],
    [['extend', UNKNOWN], /^coffre: say how much longer with --by/, /de combien prolonger/],
    [['--lang', 'de', 'vaults'], /^coffre: invalid value: /, /^coffre\u00a0: valeur invalide/],
    [['login', '-u', 'bob', '--password-stdin'], /^coffre: no server: /, /^coffre\u00a0: aucun serveur/],
    [['login', '-s', 'ftp://x', '-u', 'bob', '--password-stdin'], /^coffre: not a server URL/, /pas une URL/],
    [
      [
        'login',
        '-s',
        'https://pam.example.com',
        '--ca',
        '/nonexistent/ca.pem',
        '-u',
        'bob',
        '--password-stdin',
      ],
      /^coffre: cannot read the CA file \/nonexistent\/ca\.pem: ENOENT/,
      /^coffre\u00a0: impossible de lire le fichier d’AC/,
    ],
  ];
  it.each(cases)('coffre %j', async (args, english, french) => {
    const [en, fr] = await Promise.all([
      profile('usage').run(args, { input: '' }),
      profile('usage-fr', FR).run(args, { input: '' }),
    ]);
    expect(en.code).toBe(2);
    expectOneLine(en.stderr, english);
    expect(fr.code).toBe(2);
    expectOneLine(fr.stderr, french);
  });

  it('--debug shows the stack', async () => {
    const result = await profile('debug').run(['checkout', 'get', UNKNOWN, '--debug']);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/\n\s+at /);
  });

  it('--lang overrides the environment', async () => {
    const result = await profile('lang', FR).run(['--lang', 'en', 'whoami']);
    expect(result.stderr).toMatch(/^coffre: not logged in/);
  });
});
