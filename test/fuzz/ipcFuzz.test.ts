/**
 * Property-based fuzzing of every IPC channel through the real router of the desktop main process
 * (test/main/app/desktopHarness.ts, `raw(channel, args, senderUrl)`), against a real server
 * (issue 7, §2). Properties, each with a fixed seed (printed; FUZZ_SEED overrides) and numRuns:
 *   1. untrusted senders: any channel, any args, any sender URL but the app's → `forbidden`
 *      (`untrusted_sender`), and nothing happens (session, clipboard, server state unchanged).
 *   2. any args on every channel (and unknown channels), signed in or not: always an envelope,
 *      never a throw; args the contract's schema refuses → `invalid`; never `internal`.
 *   3. near-valid args on every channel, signed in (checkout dialect as bob and admin, MIM dialect
 *      as PRIV.Jen): envelopes, never `internal`.
 * Throughout: no error (message or code) contains a password or token in use (the demo password,
 * every session token seen on the wire, every credential password, passwords passed as args).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  IPC_CHANNELS,
  type IpcChannel,
  type IpcEnvelope,
  ipcCalls,
  type ServerProfile,
} from '../../common/ipc.ts';
import { LANGUAGES, THEMES } from '../../common/settings.ts';
import { DEMO_IDS, DEMO_USERS } from '../../server/demo.ts';
import { APP_URL, type DesktopHarness, startDesktop } from '../main/app/desktopHarness.ts';
import { startTestServer, type TestServer } from '../support/testServer.ts';
import { runProperty } from './runProperty.ts';

const DEMO_PASSWORD = 'coffre-demo';
const CREDENTIAL_IDS = [
  DEMO_IDS.autoCredential,
  DEMO_IDS.selfApprovalCredential,
  DEMO_IDS.approvedCredential,
  DEMO_IDS.mimRoleCredential,
  ...Array.from({ length: 9 }, (_, i) => `c2000000-0000-4000-8000-00000000000${i + 1}`),
];
const USER_IDS = DEMO_USERS.map((user) => user.id);

let server: TestServer;
/** Every session token that crossed the wire (request headers and login answers). */
const tokens = new Set<string>();
/** Passwords passed as IPC arguments (sign-in, unlock), to be found in no error. */
const argPasswords = new Set<string>();
const originalFetch = globalThis.fetch;

/** Watches the desktop's HTTP traffic for session tokens (it uses globalThis.fetch). */
function captureTokens(): void {
  globalThis.fetch = async (input, init) => {
    const headers = new Headers(init?.headers);
    const sent = headers.get('tokenId') ?? headers.get('authorization')?.replace(/^Bearer\s+/i, '');
    if (sent) tokens.add(sent);
    const response = await originalFetch(input, init);
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (url.endsWith('/api/auth/login') && response.ok) {
      const body = (await response.clone().json()) as { tokenId?: string };
      if (body.tokenId) tokens.add(body.tokenId);
    }
    return response;
  };
}

/** The secrets no error may contain: long enough to mean something when found. */
async function secrets(): Promise<string[]> {
  const { store, secretBox } = server.ctx;
  const credentials = (await store.listCredentials({ offset: 0, limit: 10_000 })).data;
  const passwords = credentials.map((c) => secretBox.open(c.passwordSealed, c.id));
  return [DEMO_PASSWORD, ...tokens, ...passwords, ...argPasswords].filter((secret) => secret.length >= 8);
}

async function assertNoSecret(envelope: IpcEnvelope<unknown>, context: string): Promise<void> {
  if (envelope.ok) return;
  const text = JSON.stringify(envelope.error);
  for (const secret of await secrets()) {
    if (text.includes(secret))
      throw new Error(`${context}: the error carries a secret: ${text.slice(0, 300)}`);
  }
}

const describeArgs = (args: unknown) => {
  try {
    const text = JSON.stringify(args, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v)) ?? String(args);
    return text.length > 300 ? `${text.slice(0, 300)}…` : text;
  } catch {
    return String(args);
  }
};

/** Sends one message and checks what every answer must be: an envelope, never a throw, never internal. */
async function call(
  desktop: DesktopHarness,
  channel: string,
  args: unknown,
  url: string | null = APP_URL,
): Promise<IpcEnvelope<unknown>> {
  const context = `${channel}(${describeArgs(args)}) from ${JSON.stringify(url)}`;
  // A password passed in (sign-in, unlock) must not come back in an error either.
  const password = (args as { password?: unknown } | null | undefined)?.password;
  if (typeof password === 'string' && password.length >= 8) argPasswords.add(password);
  let envelope: IpcEnvelope<unknown>;
  try {
    envelope = await desktop.raw(channel, args, url);
  } catch (error) {
    throw new Error(`${context} threw instead of answering: ${(error as Error).message}`);
  }
  if (typeof envelope !== 'object' || envelope === null || typeof envelope.ok !== 'boolean') {
    throw new Error(`${context} answered something that is not an envelope: ${describeArgs(envelope)}`);
  }
  if (!envelope.ok) {
    const { kind, code, message } = envelope.error;
    if (
      typeof kind !== 'string' ||
      typeof code !== 'string' ||
      typeof message !== 'string' ||
      message === ''
    ) {
      throw new Error(`${context}: malformed error ${describeArgs(envelope.error)}`);
    }
    if (kind === 'internal') throw new Error(`${context}: internal error (a bug): ${message}`);
  }
  await assertNoSecret(envelope, context);
  return envelope;
}

const profile = (dialect: 'checkout' | 'mim' = 'checkout'): ServerProfile => ({
  id: `fuzz-${dialect}`,
  name: 'Fuzz',
  url: server.url,
  dialect,
});

/** Puts the desktop back to "signed in as `username`, unlocked" after whatever the last run did. */
async function ensureSignedIn(
  desktop: DesktopHarness,
  username: string,
  dialect: 'checkout' | 'mim' = 'checkout',
) {
  for (let attempt = 0; attempt < 3; attempt++) {
    const state = (await desktop.raw('session:getState', undefined)) as IpcEnvelope<{
      status: string;
      user: { username: string } | null;
      profile: ServerProfile | null;
    }>;
    if (!state.ok) throw new Error(`session:getState failed: ${state.error.message}`);
    const { status, user, profile: current } = state.value;
    if (status === 'signedIn' && user?.username === username && current?.url === server.url) return;
    const answer =
      status === 'locked' && user?.username === username
        ? await desktop.raw('session:unlock', { password: DEMO_PASSWORD })
        : await desktop.raw('session:signIn', {
            profile: profile(dialect),
            username,
            password: DEMO_PASSWORD,
          });
    // Random wrong passwords may have throttled the account: wait the throttle out on the server clock.
    if (!answer.ok && answer.error.kind === 'throttled') server.clock.advance(16 * 60_000);
  }
  throw new Error(`could not sign ${username} in again`);
}

// ---------------------------------------------------------------------------------------------
// Arbitraries

const anyText = (maxLength = 30) =>
  fc.oneof(
    fc.string({ maxLength }),
    fc.string({ unit: 'binary', maxLength }),
    fc.string({ unit: 'grapheme', maxLength }),
  );
const guid = fc.uuid();
const guidish = fc.oneof(
  guid,
  guid.map((g) => g.toUpperCase()),
  guid.map((g) => g.slice(1)),
  anyText(40),
);
const knownCredential = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...CREDENTIAL_IDS) }, guid);
/** A distinctive password-like string (so finding it in a message means it leaked). */
const secretArg = fc.string({ minLength: 4, maxLength: 20 }).map((s) => `Secret-${s}-${s.length}`);

/** Sender URLs that are not the app's own page. */
const untrustedUrl: fc.Arbitrary<string | null> = fc.oneof(
  fc.constant<string | null>(null),
  fc.constantFrom(
    '',
    'app://coffre/index.html#',
    'app://coffre/index.html?x=1',
    'app://coffre/other.html',
    'app://evil/index.html',
    'APP://coffre/index.html',
    'app://coffre/index.html ',
    'file:///etc/passwd',
    'http://127.0.0.1:5173/',
    'https://coffre.example/index.html',
    'devtools://devtools/bundled/inspector.html',
    'about:blank',
    'data:text/html,<script>1</script>',
    'javascript:alert(1)',
    'chrome-extension://abc/index.html',
  ),
  fc.webUrl({ withFragments: true, withQueryParameters: true }),
  anyText(40),
);

/** Valid-looking args for each channel (mostly passing the schema, sometimes one field off). */
function nearValidArgs(checkoutIds: () => string[]): Record<IpcChannel, fc.Arbitrary<unknown>> {
  const checkoutId = fc.oneof(
    {
      weight: 4,
      arbitrary: fc.nat().map((n) => checkoutIds()[n % Math.max(1, checkoutIds().length)] ?? DEMO_IDS.bob),
    },
    guidish,
  );
  const serverUrl = fc.oneof(
    { weight: 3, arbitrary: fc.constant(server.url) },
    fc.constantFrom(
      'http://127.0.0.1:1',
      'http://[::1]:1/',
      `${server.url}/api/pam`,
      'ftp://127.0.0.1/',
      'not a url',
    ),
  );
  const profileArb = fc.record(
    {
      id: fc.oneof(fc.constantFrom('fuzz-checkout', 'fuzz-mim', 'other'), fc.string({ maxLength: 70 })),
      name: fc.oneof(fc.constant('Fuzz'), anyText(110)),
      url: serverUrl,
      dialect: fc.constantFrom('checkout', 'mim', 'soap'),
      username: fc.string({ maxLength: 20 }),
      caPem: fc.constantFrom(
        '-----BEGIN CERTIFICATE-----\nnot a certificate\n-----END CERTIFICATE-----\n',
        '',
      ),
    },
    { requiredKeys: ['id', 'name', 'url', 'dialect'] },
  );
  const password = fc.oneof({ weight: 3, arbitrary: fc.constant(DEMO_PASSWORD) }, secretArg);
  const none = fc.oneof(
    { weight: 6, arbitrary: fc.constant(undefined) },
    fc.constantFrom<unknown>(null, {}, 0, '', []),
  );
  return {
    'session:getState': none,
    'session:signIn': fc.record({
      profile: profileArb,
      username: fc.oneof(fc.constantFrom(...DEMO_USERS.map((u) => u.username)), anyText(20)),
      password,
    }),
    'session:signOut': none,
    'session:lock': none,
    'session:unlock': fc.record({ password }),
    'settings:get': none,
    'settings:update': fc.record(
      {
        clipboardClearSeconds: fc.integer({ min: 0, max: 700 }),
        autoLockMinutes: fc.integer({ min: -1, max: 500 }),
        revealSeconds: fc.integer({ min: 0, max: 130 }),
        language: fc.constantFrom(...LANGUAGES, 'de'),
        theme: fc.constantFrom(...THEMES, 'neon'),
        profiles: fc.array(profileArb, { maxLength: 3 }),
        lastProfileId: fc.oneof(fc.constant(null), fc.constantFrom('fuzz-checkout', 'fuzz-mim'), anyText(10)),
      },
      { requiredKeys: [] },
    ),
    // Loopback only (refused at once): the fuzzer must not send the probe anywhere else.
    'server:probe': fc.record({
      url: fc.constantFrom(
        'http://127.0.0.1:1',
        'ftp://127.0.0.1',
        'javascript:alert(1)',
        '',
        'x'.repeat(3000),
      ),
    }),
    'vaults:list': none,
    'credentials:list': fc.record(
      {
        vaultId: fc.oneof(fc.constant('a1000000-0000-4000-8000-000000000001'), guidish),
        search: fc.oneof(anyText(20), fc.constantFrom('web', '%', '_', '"', '*', 'NEAR(', "'", '\\')),
        status: fc.constantFrom('available', 'mine', 'pending', 'taken', 'bogus'),
        sort: fc.constantFrom('name', 'vault', 'random'),
        offset: fc.integer({ min: -1, max: 50 }),
        limit: fc.integer({ min: 0, max: 1001 }),
      },
      { requiredKeys: [] },
    ),
    'credentials:get': fc.record({ id: knownCredential }),
    'credentials:approvers': fc.record({ credentialId: knownCredential }),
    'sync:now': none,
    'checkouts:request': fc.record(
      {
        credentialId: knownCredential,
        reason: anyText(40),
        approverId: fc.oneof(fc.constantFrom(DEMO_IDS.alice, DEMO_IDS.maurice, ...USER_IDS), guid),
        duration: fc.integer({ min: -1, max: 600 }),
      },
      { requiredKeys: ['credentialId'] },
    ),
    'checkouts:mine': none,
    'checkouts:history': none,
    'checkouts:extend': fc.record({ id: checkoutId, minutes: fc.integer({ min: -1, max: 1500 }) }),
    'checkouts:checkIn': fc.record({ id: checkoutId }),
    'checkouts:cancel': fc.record({ id: checkoutId }),
    'approvals:list': none,
    'approvals:approve': fc.record(
      { id: checkoutId, message: anyText(40), duration: fc.integer({ min: -1, max: 600 }) },
      { requiredKeys: ['id'] },
    ),
    'approvals:deny': fc.record({ id: checkoutId, message: anyText(40) }, { requiredKeys: ['id'] }),
    'password:copy': fc.record({ credentialId: knownCredential }),
    'username:copy': fc.record({ credentialId: knownCredential }),
    'password:reveal': fc.record({ credentialId: knownCredential }),
    'password:hide': fc.record({ credentialId: knownCredential }),
    'audit:list': fc.record(
      {
        from: fc.oneof(
          {
            weight: 4,
            arbitrary: fc
              .date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
              .map((d) => d.toISOString()),
          },
          anyText(10),
        ),
        to: fc.oneof({ weight: 4, arbitrary: fc.constant('2100-01-01T00:00:00Z') }, anyText(10)),
        credentialId: knownCredential,
        userId: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...USER_IDS) }, guidish),
      },
      { requiredKeys: [] },
    ),
  };
}

/** Anything at all, including the shapes of other channels' args and objects with odd keys. */
const anyArgs = fc.oneof(
  fc.anything({
    withBigInt: true,
    withDate: true,
    withMap: true,
    withSet: true,
    withTypedArray: true,
    withNullPrototype: true,
  }),
  fc.jsonValue(),
  fc.constantFrom(undefined, null, 0, '', [], {}, Number.NaN, Symbol('x'), () => 1, new Error('boom')),
  fc.dictionary(
    fc.constantFrom('id', 'credentialId', 'password', 'profile', 'minutes', '__proto__', 'constructor'),
    fc.anything(),
  ),
);

const channelName = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...IPC_CHANNELS) },
  fc.constantFrom(
    '__proto__',
    'constructor',
    'toString',
    'hasOwnProperty',
    'session:',
    ':',
    'session:getstate',
    'coffre:event',
    '',
  ),
  anyText(20),
);

// ---------------------------------------------------------------------------------------------

describe('IPC fuzzing: every channel through the real router', () => {
  const desktops: DesktopHarness[] = [];
  let signedOut: DesktopHarness;
  let bob: DesktopHarness;
  let admin: DesktopHarness;
  let jen: DesktopHarness;
  let checkoutIds: string[] = [];
  const refreshCheckoutIds = async () => {
    checkoutIds = (await server.ctx.store.listAllCheckouts(null)).map((c) => c.id);
  };

  beforeAll(async () => {
    captureTokens();
    server = await startTestServer();
    signedOut = await startDesktop();
    bob = await startDesktop();
    admin = await startDesktop();
    jen = await startDesktop();
    desktops.push(signedOut, bob, admin, jen);
    await ensureSignedIn(bob, 'bob');
    await ensureSignedIn(admin, 'admin');
    await ensureSignedIn(jen, 'PRIV.Jen', 'mim');
    // Something to act on: a pending request for alice, an active checkout of bob's.
    const kelly = await server.as('kelly');
    await kelly.request('POST', '/api/pam/checkouts', {
      credentialID: DEMO_IDS.approvedCredential,
      approverID: DEMO_IDS.alice,
      reason: 'ipc fuzz',
    });
    expect((await bob.raw('checkouts:request', { credentialId: DEMO_IDS.autoCredential })).ok).toBe(true);
    await refreshCheckoutIds();
  });

  afterAll(async () => {
    for (const desktop of desktops) await desktop.close();
    await server.stop();
    globalThis.fetch = originalFetch;
  });

  it('property 1: an untrusted sender is refused on every channel, whatever the args, and nothing happens', async () => {
    const args = nearValidArgs(() => checkoutIds);
    // The args are sometimes exactly what the channel would accept: the sender check comes first.
    const arbitrary = channelName.chain((channel) =>
      fc.record({
        channel: fc.constant(channel),
        args: Object.hasOwn(ipcCalls, channel) ? fc.oneof(args[channel as IpcChannel], anyArgs) : anyArgs,
        url: untrustedUrl,
        desktop: fc.constantFrom(signedOut, bob),
      }),
    );
    const serverState = async () => JSON.stringify(await server.ctx.store.listAllCheckouts(null));
    const bobBefore = JSON.stringify((await bob.raw('session:getState', undefined)) as unknown);
    const checkoutsBefore = await serverState();
    const clipboardWrites = bob.clipboard.writes.length;
    const eventsBefore = signedOut.events.length;
    await runProperty(
      'ipc-untrusted',
      0x1bc0_0001,
      400,
      fc
        .asyncProperty(arbitrary, async ({ channel, args: value, url, desktop }) => {
          const envelope = await call(desktop, channel, value, url);
          expect(envelope.ok).toBe(false);
          if (!envelope.ok)
            expect(envelope.error).toMatchObject({ kind: 'forbidden', code: 'untrusted_sender' });
        })
        .beforeEach(async (previous) => {
          await previous();
        }),
      3_000,
    );
    expect(JSON.stringify((await bob.raw('session:getState', undefined)) as unknown)).toBe(bobBefore);
    expect(await serverState()).toBe(checkoutsBefore);
    expect(bob.clipboard.writes.length).toBe(clipboardWrites);
    expect(signedOut.events.length).toBe(eventsBefore);
  });

  it('property 2: any args on any channel, signed out or in: an envelope; schema failures are `invalid`; never `internal`', async () => {
    const arbitrary = fc.record({
      channel: channelName,
      args: fc.oneof(anyArgs, fc.oneof(...Object.values(nearValidArgs(() => checkoutIds)))),
      who: fc.constantFrom('signedOut', 'bob', 'admin', 'jen'),
    });
    const byKind = new Map<string, number>();
    await runProperty(
      'ipc-any-args',
      0x1bc0_0002,
      600,
      fc
        .asyncProperty(arbitrary, async ({ channel, args, who }) => {
          const desktop = { signedOut, bob, admin, jen }[who];
          const envelope = await call(desktop, channel, args);
          const known = Object.hasOwn(ipcCalls, channel);
          if (!known) {
            expect(envelope).toMatchObject({
              ok: false,
              error: { kind: 'invalid', code: 'unknown_channel' },
            });
          } else if (!ipcCalls[channel as IpcChannel].args.safeParse(args).success) {
            expect(envelope).toMatchObject({
              ok: false,
              error: { kind: 'invalid', code: 'invalid_arguments' },
            });
          }
          const kind = envelope.ok ? 'ok' : `${envelope.error.kind}/${envelope.error.code}`;
          byKind.set(kind, (byKind.get(kind) ?? 0) + 1);
        })
        .beforeEach(async (previous) => {
          await previous();
          await ensureSignedIn(bob, 'bob');
          await ensureSignedIn(admin, 'admin');
          await ensureSignedIn(jen, 'PRIV.Jen', 'mim');
          await signedOut.raw('session:signOut', undefined);
        }),
      3_000,
    );
    console.info(
      `[fuzz] ipc-any-args outcomes: ${[...byKind.entries()].map(([k, n]) => `${k}×${n}`).join(', ')}`,
    );
  });

  it('property 3: sequences of near-valid calls on every channel, signed in on both dialects: never `internal`, no secret in errors', async () => {
    const args = nearValidArgs(() => checkoutIds);
    // Short sequences, so that lock → unlock, sign-out → calls, request → check-in… happen.
    const step = fc
      .constantFrom(...IPC_CHANNELS)
      .chain((channel) => args[channel].map((value) => ({ channel, value })));
    // …and, now and then, a call made while locked followed by an unlock (right or wrong password).
    const whileLocked = fc
      .tuple(step, args['session:unlock'])
      .map(([inner, unlock]) => [
        { channel: 'session:lock' as IpcChannel, value: undefined as unknown },
        inner,
        { channel: 'session:unlock' as IpcChannel, value: unlock },
      ]);
    const arbitrary = fc.record({
      who: fc.constantFrom('bob', 'admin', 'jen'),
      steps: fc
        .array(
          fc.oneof({ weight: 6, arbitrary: step.map((one) => [one]) }, { weight: 1, arbitrary: whileLocked }),
          {
            minLength: 1,
            maxLength: 4,
          },
        )
        .map((groups) => groups.flat()),
    });
    const byChannel = new Map<string, Map<string, number>>();
    await runProperty(
      'ipc-near-valid',
      0x1bc0_0003,
      250,
      fc
        .asyncProperty(arbitrary, async ({ who, steps }) => {
          const desktop = { bob, admin, jen }[who];
          for (const { channel, value } of steps) {
            const envelope = await call(desktop, channel, value);
            const outcome = envelope.ok ? 'ok' : envelope.error.kind;
            const counts = byChannel.get(channel) ?? new Map<string, number>();
            counts.set(outcome, (counts.get(outcome) ?? 0) + 1);
            byChannel.set(channel, counts);
          }
        })
        .beforeEach(async (previous) => {
          await previous();
          await ensureSignedIn(bob, 'bob');
          await ensureSignedIn(admin, 'admin');
          await ensureSignedIn(jen, 'PRIV.Jen', 'mim');
          await refreshCheckoutIds();
        }),
      3_000,
    );
    console.info(
      `[fuzz] ipc-near-valid outcomes per channel:\n${[...byChannel.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(
          ([channel, counts]) =>
            `  ${channel.padEnd(24)} ${[...counts.entries()].map(([k, n]) => `${k}×${n}`).join(' ')}`,
        )
        .join('\n')}`,
    );
    // The fuzzing got past validation on most channels, and saw the tokens it checks for.
    const accepted = [...byChannel.values()].filter((counts) => counts.has('ok')).length;
    expect(accepted).toBeGreaterThan(IPC_CHANNELS.length / 2);
    expect(tokens.size).toBeGreaterThan(0);
    expect(argPasswords.size).toBeGreaterThan(0);
  }, 120_000); // a hang guard: 250 sequences with argon2 sign-ins take ~30 s on a loaded 2-core machine
});
