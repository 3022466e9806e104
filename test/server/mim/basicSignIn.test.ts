/**
 * HTTP Basic on the MIM dialect (as IIS offers it in front of MIM's PAM API): verified credentials
 * are remembered for a minute so that a client sending them with every call does not pay a
 * password hash each time, but never past a password change or a disabled account.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_IDS } from '../../../server/demo.ts';
import { apiRequest, type Session, startTestServer, type TestServer } from '../../support/testServer.ts';

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;

let server: TestServer;
let admin: Session;
beforeEach(async () => {
  server = await startTestServer();
  admin = await server.as('admin');
});
afterEach(() => server.stop());

const sessionInfo = (authorization: string) =>
  apiRequest(server.url, 'GET', '/api/pamresources/sessioninfo', undefined, { authorization });

describe('Basic sign-in on the MIM dialect', () => {
  it('takes user:password and COFFRE\\user:password; refuses a wrong password every time', async () => {
    expect((await sessionInfo(basic('PRIV.Jen', 'coffre-demo'))).body.value[0].Username).toBe(
      'COFFRE\\PRIV.Jen',
    );
    expect((await sessionInfo(basic('coffre\\PRIV.Jen', 'coffre-demo'))).status).toBe(200);
    expect((await sessionInfo(basic('OTHER\\PRIV.Jen', 'coffre-demo'))).status).toBe(401);
    expect((await sessionInfo(basic('PRIV.Jen', 'wrong'))).status).toBe(401);
    expect((await sessionInfo(basic('PRIV.Jen', 'wrong'))).status).toBe(401);
    expect((await sessionInfo('Basic not-base64-user-pass')).status).toBe(401);
  });

  it('a remembered sign-in ends with a password change', async () => {
    expect((await sessionInfo(basic('bob', 'coffre-demo'))).status).toBe(200);
    const changed = await admin.request('PATCH', `/api/admin/users/${DEMO_IDS.bob}`, {
      password: 'a brand new password',
    });
    expect(changed.status, changed.text).toBe(200);
    expect((await sessionInfo(basic('bob', 'coffre-demo'))).status).toBe(401);
    expect((await sessionInfo(basic('bob', 'a brand new password'))).status).toBe(200);
  });

  it('a remembered sign-in ends when the account is disabled', async () => {
    expect((await sessionInfo(basic('bob', 'coffre-demo'))).status).toBe(200);
    const disabled = await admin.request('PATCH', `/api/admin/users/${DEMO_IDS.bob}`, { disabled: true });
    expect(disabled.status, disabled.text).toBe(200);
    expect((await sessionInfo(basic('bob', 'coffre-demo'))).status).toBe(401);
  });

  it('the checkout dialect takes no Basic', async () => {
    const response = await apiRequest(server.url, 'GET', '/api/pam/vaults', undefined, {
      authorization: basic('bob', 'coffre-demo'),
    });
    expect(response.status).toBe(401);
  });
});
