/**
 * The client core signs in the way Devolutions Server's clients do (docs/wire/dvls.md): against
 * Coffre's server over real HTTP, and against answers shaped like a real DVLS's refusals
 * (ServerLoginResult, Private/Types/enums/ServerLoginResult.generated.psm1) through a fake transport.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPamBackend } from '../../client/createPamBackend.ts';
import type { FetchLike } from '../../client/pamBackend.ts';
import { CheckoutStatus } from '../../common/checkout.ts';
import { DEMO_IDS } from '../../server/demo.ts';
import { startTestServer, type TestServer } from '../support/testServer.ts';
import { caught, DEMO_PASSWORD } from './support.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

/** Every request the backend sent, and the answers of a fake server. */
function recordingFetch(answer: (url: string, init: RequestInit) => Response | Promise<Response>) {
  const sent: Array<{ url: string; init: RequestInit }> = [];
  const fetch: FetchLike = async (input, init = {}) => {
    sent.push({ url: String(input), init });
    return answer(String(input), init);
  };
  return { sent, fetch };
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('against Coffre’s server', () => {
  it('signs in through the session-key handshake; passwords travel encrypted and are read in clear', async () => {
    const wire: string[] = [];
    const spy: FetchLike = async (input, init) => {
      const response = await fetch(input, init);
      wire.push(
        `${init?.method ?? 'GET'} ${new URL(String(input)).pathname} ${await response.clone().text()}`,
      );
      return response;
    };
    const bob = createPamBackend({ baseUrl: server.url, dialect: 'checkout', fetch: spy });
    const login = await bob.login('bob', DEMO_PASSWORD);
    expect(login.user.username).toBe('bob');
    expect(bob.session().sessionKey).toMatch(/^[0-9a-f]{64}$/);
    expect(wire[0]).toMatch(/^GET \/api\/public-instance-information /);
    expect(wire[1]).toMatch(/^POST \/api\/login\/partial /);

    const { checkout, password } = await bob.requestCheckout({ credentialId: DEMO_IDS.autoCredential });
    expect(checkout.status).toBe(CheckoutStatus.Active);
    const stored = await server.ctx.store.getCredential(DEMO_IDS.autoCredential);
    const clear = server.ctx.secretBox.open(stored!.passwordSealed, DEMO_IDS.autoCredential);
    expect(password).toBe(clear);
    // On the wire only the encrypted form.
    expect(wire.some((line) => line.includes(clear))).toBe(false);
    expect(await bob.readPassword(DEMO_IDS.autoCredential)).toBe(clear);
    await bob.checkIn(checkout.id);

    await bob.logout();
    expect(bob.session()).toMatchObject({ token: null, sessionKey: null });
    expect(wire.at(-1)).toMatch(/^GET \/api\/logout /);
  });

  it('resumes a saved session with its session key', async () => {
    const first = createPamBackend({ baseUrl: server.url, dialect: 'checkout' });
    await first.login('maurice', DEMO_PASSWORD);
    const saved = first.session();
    const resumed = createPamBackend({
      baseUrl: server.url,
      dialect: 'checkout',
      token: saved.token!,
      sessionKey: saved.sessionKey!,
    });
    const { checkout } = await resumed.requestCheckout({
      credentialId: DEMO_IDS.selfApprovalCredential,
      approverId: DEMO_IDS.maurice,
      reason: 'resume',
    });
    const stored = await server.ctx.store.getCredential(DEMO_IDS.selfApprovalCredential);
    expect(await resumed.readPassword(DEMO_IDS.selfApprovalCredential)).toBe(
      server.ctx.secretBox.open(stored!.passwordSealed, DEMO_IDS.selfApprovalCredential),
    );
    // Without the key the encrypted form cannot be read: the client says to sign in again.
    const keyless = createPamBackend({ baseUrl: server.url, dialect: 'checkout', token: saved.token! });
    expect(await keyless.readPassword(DEMO_IDS.selfApprovalCredential)).toMatch(/^[0-9a-f]+$/);
    await resumed.checkIn(checkout.id);
  });

  it('an application key signs in with POST /api/v1/login (go-dvls)', async () => {
    const backend = createPamBackend({ baseUrl: server.url, dialect: 'checkout' });
    const result = await backend.loginWithApplicationKey!('kelly', DEMO_PASSWORD);
    expect(result.user.username).toBe('kelly');
    expect(backend.session().sessionKey).toBeNull();
    const refused = await caught(() => backend.loginWithApplicationKey!('kelly', 'nope'));
    expect(refused.kind).toBe('unauthorized');
    expect(refused.message).toBe('The username or password is incorrect.');
  });
});

describe('against a real DVLS’s answers', () => {
  const info = { result: 1, data: { version: '2024.1.0.0' } };
  const refusal = (loginResult: number, message: string, result = 0) =>
    recordingFetch((url) =>
      url.endsWith('/api/public-instance-information')
        ? json(info)
        : json({ result, data: { message, loginResult } }),
    );

  it('signs in with the plain form when no public key is published, and reads the token', async () => {
    const fake = recordingFetch((url) =>
      url.endsWith('/api/public-instance-information')
        ? json(info)
        : json({ result: 1, data: { tokenId: '7f0c1e5e-token', message: '' } }),
    );
    const backend = createPamBackend({
      baseUrl: 'https://dvls.example',
      dialect: 'checkout',
      fetch: fake.fetch,
    });
    const result = await backend.login('jdoe', 's3cret');
    expect(result.user.username).toBe('jdoe');
    expect(backend.session()).toMatchObject({ token: '7f0c1e5e-token', sessionKey: null });
    const body = JSON.parse(String(fake.sent[1]!.init.body));
    expect(body).toMatchObject({ userName: 'jdoe', LoginParameters: { Password: 's3cret' } });
  });

  it.each([
    [2, 'dvls_wrong_password', 'unauthorized'],
    [11, 'dvls_locked', 'unauthorized'],
    [9, 'dvls_disabled', 'unauthorized'],
    [7, 'dvls_license', 'unauthorized'],
    [21, 'dvls_two_factor', 'unsupported'],
    [23, 'dvls_two_factor', 'unsupported'],
  ])('ServerLoginResult %i is refused with code %s (%s)', async (loginResult, code, kind) => {
    const fake = refusal(loginResult, 'Refused by DVLS.');
    const backend = createPamBackend({
      baseUrl: 'https://dvls.example',
      dialect: 'checkout',
      fetch: fake.fetch,
    });
    const error = await caught(() => backend.login('jdoe', 's3cret-pw'));
    expect(error.code).toBe(code);
    expect(error.kind).toBe(kind);
    expect(error.message).toBe('Refused by DVLS.');
    expect(JSON.stringify(error)).not.toContain('s3cret-pw');
    expect(backend.session().token).toBeNull();
  });

  it('SaveResult LicenseExpired without a loginResult is an expired licence', async () => {
    const fake = refusal(undefined as unknown as number, 'License expired.', 7);
    const backend = createPamBackend({
      baseUrl: 'https://dvls.example',
      dialect: 'checkout',
      fetch: fake.fetch,
    });
    expect((await caught(() => backend.login('jdoe', 'x'))).code).toBe('dvls_license');
  });

  it('a DVLS error with only a top-level message keeps that message', async () => {
    const fake = recordingFetch((url) =>
      url.endsWith('/api/pam/checkouts')
        ? json({ message: 'The credential is already checked out.' }, 400)
        : json({}),
    );
    const backend = createPamBackend({
      baseUrl: 'https://dvls.example',
      dialect: 'checkout',
      fetch: fake.fetch,
      token: 't',
    });
    const error = await caught(() => backend.requestCheckout({ credentialId: DEMO_IDS.autoCredential }));
    expect(error.message).toBe('The credential is already checked out.');
  });
});
