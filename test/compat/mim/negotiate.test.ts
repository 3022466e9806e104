/**
 * Integrated Windows Authentication as IIS offers it in front of MIM's PAM API
 * (MIMDocs/reference/privileged-access-management-rest-api-service-details.md, "Security":
 * "Access to the API requires Integrated Windows Authentication"), proven with real Kerberos: a
 * throw-away MIT realm on loopback (test/support/kerberosRealm.ts), the server's Negotiate adapter
 * (server/http/kerberosAuth.ts) holding the HTTP/localhost key, and Coffre's client signing in with
 * the user's ticket (client/negotiateFetch.ts), as the CLI does with `--sign-in windows`.
 *
 * Needs the Debian packages krb5-kdc, krb5-admin-server, krb5-user and the optional `kerberos`
 * module (built against libkrb5-dev): skipped, and said so, where they are missing.
 */
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPamBackend } from '../../../client/createPamBackend.ts';
import { createNegotiateFetch } from '../../../client/negotiateFetch.ts';
import { CheckoutStatus } from '../../../common/checkout.ts';
import { DEMO_IDS } from '../../../server/demo.ts';
import { createKerberosAuth } from '../../../server/http/kerberosAuth.ts';
import { Profile } from '../../cli/support.ts';
import { type KerberosRealm, kerberosUnavailable, REALM, startRealm } from '../../support/kerberosRealm.ts';
import { apiRequest, startTestServer, type TestServer } from '../../support/testServer.ts';

function moduleMissing(): string | null {
  try {
    createRequire(import.meta.url)('kerberos');
    return null;
  } catch (error) {
    return `the optional kerberos module is not built: ${(error as Error).message}`;
  }
}
const unavailable = kerberosUnavailable() ?? moduleMissing();
if (unavailable) console.warn(`Negotiate tests skipped: ${unavailable}`);

describe.skipIf(unavailable !== null)('Negotiate (Kerberos) sign-in on the MIM dialect', () => {
  let realm: KerberosRealm;
  let server: TestServer;
  /** The server as clients name it: the service principal is HTTP/localhost. */
  let url: string;

  beforeAll(async () => {
    realm = await startRealm();
    realm.addUser('PRIV.Jen', 'jen-kerberos-pass');
    realm.addUser('stranger', 'stranger-pass');
    realm.kinit('PRIV.Jen', 'jen-kerberos-pass');
    server = await startTestServer({
      integratedAuth: await createKerberosAuth({ service: 'HTTP@localhost', realm: REALM }),
      mim: { domain: 'PRIV' },
    });
    url = server.url.replace('127.0.0.1', 'localhost');
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    realm?.stop();
  });

  it('a 401 offers Negotiate before Basic, as IIS does', async () => {
    const response = await apiRequest(url, 'GET', '/api/pamresources/pamroles');
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Negotiate, Basic realm="PRIV"/);
  });

  it("the client signs in with the user's ticket, and works through the dialect", async () => {
    const backend = createPamBackend({
      baseUrl: url,
      dialect: 'mim',
      signIn: 'integrated',
      fetch: await createNegotiateFetch(),
    });
    const { user } = await backend.login('', '');
    expect(user.username).toBe('PRIV\\PRIV.Jen');
    expect(backend.session().signIn).toBe('integrated');
    const roles = await backend.listCredentials();
    expect(roles.data.map((role) => role.id)).toContain(DEMO_IDS.mimOpenRoleCredential);
    const { checkout } = await backend.requestCheckout({
      credentialId: DEMO_IDS.mimOpenRoleCredential,
      duration: 30,
    });
    expect(checkout.status).toBe(CheckoutStatus.Active);
  });

  it('answers with the mutual-authentication token', async () => {
    const negotiate = await createNegotiateFetch();
    const response = await negotiate(`${url}/api/pamresources/sessioninfo`);
    expect(response.status).toBe(200);
    expect(response.headers.get('www-authenticate')).toMatch(/^Negotiate [A-Za-z0-9+/=]+$/);
    const body = (await response.json()) as { value: Array<{ Username: string }> };
    expect(body.value[0]?.Username).toBe('PRIV\\PRIV.Jen');
  });

  it('coffre login --dialect mim --sign-in windows: no username, no password, the ticket signs in', async () => {
    const jen = new Profile('jen-windows');
    try {
      const login = await jen.run(['login', '--dialect', 'mim', '--sign-in', 'windows', '-s', url]);
      expect(login.code, login.stderr).toBe(0);
      expect(await jen.json(['whoami'])).toMatchObject({ user: { username: 'PRIV\\PRIV.Jen' } });
      const roles = await jen.json(['credentials', '--search', 'ApprovalRole']);
      expect(roles.data.map((role: { id: string }) => role.id)).toEqual([DEMO_IDS.mimRoleCredential]);
    } finally {
      jen.remove();
    }
  });

  it('refuses a token that is not one, and a principal Coffre does not know', async () => {
    const garbage = await apiRequest(url, 'GET', '/api/pamresources/sessioninfo', undefined, {
      authorization: 'Negotiate YIIBBgYGKwYBBQUCoIH7MIH4',
    });
    expect(garbage.status).toBe(401);
    expect(garbage.body['odata.error'].message.value).toMatch(/Negotiate/);
    realm.kinit('stranger', 'stranger-pass');
    const negotiate = await createNegotiateFetch();
    const stranger = await negotiate(`${url}/api/pamresources/sessioninfo`);
    expect(stranger.status).toBe(401);
  });
});
