/**
 * Replays what the Devolutions.Server PowerShell module sends (psModule.ts names each cmdlet file)
 * against a real coffre-server --demo, and asserts what the cmdlets read. The seeds' three examples
 * are Samples/PAMExamples.ps1 and the Invoke-DSPamCheckout help (seeds 000 and 001, 2024 module).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_IDS, DEMO_PASSWORD } from '../../../server/demo.ts';
import { startTestServer, type TestServer } from '../../support/testServer.ts';
import {
  closeDSSession,
  getDSPamCheckout,
  getDSPamPassword,
  hasExactlyDataAndResult,
  invokeDSPamCheckin,
  invokeDSPamCheckout,
  invokeDSPamCheckoutPending,
  newDSSessionAsApplication,
  newDSSessionHandshake,
  PsSession,
  pamCheckout,
  prop,
} from './psModule.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

async function storedPassword(credentialId: string): Promise<string> {
  const credential = await server.ctx.store.getCredential(credentialId);
  return server.ctx.secretBox.open(credential!.passwordSealed, credentialId);
}

/** A 2021 Gallery release: its Get-DSPamPassword and Invoke-DSPamCheckout decrypt a bare-string answer. */
const MODULE_2021 = '2021.6.4';

async function signIn(
  username: string,
  form: 'handshake' | 'application' = 'handshake',
  moduleVersion?: string,
) {
  const ps = new PsSession();
  const options = {
    baseUri: server.url,
    username,
    password: DEMO_PASSWORD,
    ...(moduleVersion ? { moduleVersion } : {}),
  };
  const response =
    form === 'handshake'
      ? await newDSSessionHandshake(ps, options)
      : await newDSSessionAsApplication(ps, options);
  return { ps, response };
}

describe('New-DSSession', () => {
  // Public/Authentication/New-DSSession.ps1 (2021.6–2022.2, commit 0d5c2c3) and Deprecate/Get-DSServerInfo-old.ps1
  it('the session-key handshake: server information with exactly {data, result}, SafePassword under SafeSessionKey', async () => {
    const { ps, response } = await signIn('bob');
    const info = ps.sent[0]!;
    expect(info).toMatchObject({ method: 'GET', url: `${server.url}/api/server-information` });
    expect(hasExactlyDataAndResult(response.Body)).toBe(true);
    // PAMExamples.ps1: `if ($null -eq $Response.Body.data.tokenId) { Write-Error ... }`
    expect(prop(response.Body.data, 'tokenId')).toEqual(expect.any(String));
    const login = JSON.parse(ps.sent[1]!.body!);
    expect(login.RDMOLoginParameters.SafePassword).not.toContain(DEMO_PASSWORD);
    expect(login.RDMOLoginParameters.SafePassword).toMatch(/^[0-9a-f]+$/);
    // The token now rides on every request of the web session.
    const me = await ps.webRequest('GET', `${server.url}/api/is-logged`);
    expect(me.json).toBe(true);
  });

  // Public/Authentication/New-DSSession.ps1 at HEAD (2022.3+), -AsApplication
  it('-AsApplication: public-instance-information, then the password in LoginParameters', async () => {
    const { ps, response } = await signIn('kelly', 'application');
    expect(ps.sent[0]!.url).toBe(`${server.url}/api/public-instance-information`);
    expect(response.Body.result).toBe(1);
    expect(prop(response.Body.data, 'tokenId')).toEqual(expect.any(String));
  });

  // New-DSSession.ps1: `if ($LoginContent.result -ne [SaveResult]::Success) { throw $LoginContent.data.message }`
  it('a wrong password throws data.message, in the {data, result} envelope', async () => {
    const ps = new PsSession();
    await expect(
      newDSSessionHandshake(ps, { baseUri: server.url, username: 'bob', password: 'not-the-password' }),
    ).rejects.toThrow('The username or password is incorrect.');
    const answer = await ps.webRequest('POST', `${server.url}/api/login/partial`, {
      body: JSON.stringify({ userName: 'bob', LoginParameters: { Password: 'wrong' } }),
    });
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({
      result: 0,
      data: { message: 'The username or password is incorrect.', loginResult: 2 },
    });
    expect(ps.DSSessionToken).toBeUndefined();
  });

  // New-DSSession.ps1 (2021.6–2022.2): a SafeSessionKey the server cannot open is refused, not a 500
  it('a forged SafeSessionKey or SafePassword is refused in the envelope', async () => {
    const ps = new PsSession();
    const answer = await ps.webRequest('POST', `${server.url}/api/login/partial`, {
      body: JSON.stringify({
        userName: 'bob',
        RDMOLoginParameters: { SafePassword: 'ab'.repeat(32), SafeSessionKey: 'cd'.repeat(256) },
      }),
    });
    expect(answer.status).toBe(200);
    expect(answer.json.result).toBe(0);
    expect(answer.json.data.message).toMatch(/session key/);
  });
});

describe('the seeds’ three examples (Samples/PAMExamples.ps1), end to end', () => {
  // Samples/PAMExamples.ps1 "Auto checkout" with a 2021 module: Public/Pam/Checkout/Invoke-DSPamCheckout.ps1
  // (@0d5c2c3, Decrypt-String of the answer), Get-DSPamCheckout.ps1, Passwords/Get-DSPamPassword.ps1 -Decrypted
  // (@0d5c2c3: the answer is a bare string), Invoke-DSPamCheckin.ps1
  it('example 1: bob checks out at once, gets the password, checks in', async () => {
    const { ps } = await signIn('bob', 'handshake', MODULE_2021);
    const expected = await storedPassword(DEMO_IDS.autoCredential);
    const response = await invokeDSPamCheckout(ps, { pamCredentialId: DEMO_IDS.autoCredential }, 'decrypt');
    expect(response.isSuccess).toBe(true);
    // Mode 1 (no approval) and 3 (optional reason): no approverID, reason "".
    expect(
      JSON.parse(ps.sent.find((r) => r.method === 'POST' && r.url.endsWith('/checkouts'))!.body!),
    ).toEqual({
      duration: 240,
      credentialID: DEMO_IDS.autoCredential,
      reason: '',
    });
    const bobPassword = response.Body.Password;
    const bobCheckoutInfo = response.Body.CheckoutInfo;
    expect(bobPassword).toBe(expected);
    expect(prop(bobCheckoutInfo, 'Status')).toBe(4);
    // The encrypted form on the wire is not the password; a 2021 module reads a bare JSON string.
    const onWire = await getDSPamPassword(ps, DEMO_IDS.autoCredential);
    expect(onWire.Body).toEqual(expect.stringMatching(/^[0-9a-f]+$/));
    expect(onWire.raw).toBe(JSON.stringify(onWire.Body));
    expect(onWire.raw).not.toContain(expected);
    expect((await getDSPamPassword(ps, DEMO_IDS.autoCredential, { decrypted: true })).Body).toBe(expected);

    const got = await getDSPamCheckout(ps, prop(bobCheckoutInfo, 'id'));
    expect(prop(got.Body, 'credentialID')).toBe(DEMO_IDS.autoCredential);

    const checkin = await invokeDSPamCheckin(ps, pamCheckout(bobCheckoutInfo));
    expect(checkin.isSuccess).toBe(true);
    expect(prop(checkin.Body, 'status')).toBe(5);
    expect(prop(checkin.Body, 'checkInDateTime')).not.toBeNull();
    // Rotated at check-in (the demo's behaviour for this credential).
    expect(await storedPassword(DEMO_IDS.autoCredential)).not.toBe(expected);
  });

  // Samples/PAMExamples.ps1 "Self checkout"; Invoke-DSPamCheckout.ps1 at HEAD (`Password = $Password.data`)
  it('example 2: maurice names himself approver and gets the password at once (2022.3 module)', async () => {
    const { ps } = await signIn('maurice', 'application');
    const expected = await storedPassword(DEMO_IDS.selfApprovalCredential);
    const response = await invokeDSPamCheckout(ps, {
      pamCredentialId: DEMO_IDS.selfApprovalCredential,
      reason: 'Because',
      approverId: DEMO_IDS.maurice,
    });
    const sent = JSON.parse(ps.sent.find((r) => r.method === 'POST' && r.url.endsWith('/checkouts'))!.body!);
    expect(sent).toEqual({
      credentialID: DEMO_IDS.selfApprovalCredential,
      duration: 240,
      approverID: DEMO_IDS.maurice,
      reason: 'Because',
    });
    // Signed in without a session key: the password comes in clear, as that module reads it.
    expect(response.Body.Password).toBe(expected);
    const info = response.Body.CheckoutInfo;
    expect(prop(info, 'approverID')).toBe(DEMO_IDS.maurice);
    const checkin = await invokeDSPamCheckin(ps, pamCheckout(info));
    expect(prop(checkin.Body, 'status')).toBe(5);
  });

  // Samples/PAMExamples.ps1 "Approver checkout"; Invoke-DSPamCheckoutPending.ps1 -Accept; seeds 000/001 example 3
  it('example 3: kelly requests, alice accepts with Invoke-DSPamCheckoutPending, kelly reads and checks in', async () => {
    const kelly = (await signIn('kelly')).ps;
    const alice = (await signIn('alice')).ps;
    const expected = await storedPassword(DEMO_IDS.approvedCredential);
    const response = await invokeDSPamCheckout(kelly, {
      pamCredentialId: DEMO_IDS.approvedCredential,
      approverId: DEMO_IDS.alice,
      reason: 'Because',
    });
    expect(response.isSuccess).toBe(true);
    // Pending: the body is the checkout itself, which the sample hands to Invoke-DSPamCheckoutPending.
    expect(prop(response.Body, 'status')).toBe(1);
    expect(response.Body.Password).toBeUndefined();
    const checkoutId = prop(response.Body, 'ID') as string;
    expect(checkoutId).toMatch(/^[0-9a-f-]{36}$/);

    const seenByAlice = await getDSPamCheckout(alice, checkoutId);
    const accepted = await invokeDSPamCheckoutPending(alice, pamCheckout(seenByAlice.Body), {
      accept: true,
      approverMessage: 'Approved',
    });
    expect(accepted.isSuccess).toBe(true);
    expect(prop(accepted.Body, 'status')).toBe(4);
    expect(prop(accepted.Body, 'approverMessage')).toBe('Approved');
    // PAMExamples.ps1: Get-DSPamPassword -PamCredentialID $CheckoutResponse.Body.credentialID -Decrypted
    const credentialId = prop(accepted.Body, 'credentialID');
    const kellyPassword = await getDSPamPassword(kelly, credentialId, { decrypted: true });
    expect(kellyPassword.Body).toBe(expected);

    const kellyCheckoutInfo = (await getDSPamCheckout(kelly, checkoutId)).Body;
    expect(prop(kellyCheckoutInfo, 'status')).toBe(4);
    const checkin = await invokeDSPamCheckin(kelly, pamCheckout(kellyCheckoutInfo));
    expect(prop(checkin.Body, 'status')).toBe(5);
  });

  // Invoke-DSPamCheckoutPending.ps1 without -Accept: Status "3" (Denied)
  it('Invoke-DSPamCheckoutPending without -Accept denies (Status "3", ApproverMessage "")', async () => {
    const kelly = (await signIn('kelly')).ps;
    const alice = (await signIn('alice')).ps;
    const response = await invokeDSPamCheckout(kelly, {
      pamCredentialId: DEMO_IDS.approvedCredential,
      approverId: DEMO_IDS.alice,
      reason: 'Once more',
    });
    const denied = await invokeDSPamCheckoutPending(alice, pamCheckout(response.Body), { accept: false });
    expect(denied.isSuccess).toBe(true);
    expect(prop(denied.Body, 'status')).toBe(3);
  });

  // Invoke-DSPamCheckout.ps1: `if ($_.Exception.Message -eq 'The credential is already checked out.')`
  it('a second user gets the module’s own “already checked out” message with the credential label', async () => {
    const bob = (await signIn('bob', 'handshake', MODULE_2021)).ps;
    const kelly = (await signIn('kelly')).ps;
    const held = await invokeDSPamCheckout(bob, { pamCredentialId: DEMO_IDS.autoCredential }, 'decrypt');
    const refused = await invokeDSPamCheckout(kelly, { pamCredentialId: DEMO_IDS.autoCredential });
    expect(refused.statusCode).toBe(409);
    expect(refused.ErrorMessage).toBe('The credential is already checked out.');
    expect(refused.writeError).toBe("The credential 'Bob — web01 local admin' is already checked out.");
    await invokeDSPamCheckin(bob, pamCheckout(held.Body.CheckoutInfo));
  });

  // Invoke-DSPamCheckout.ps1 with mode 2 and no -ApproverID: the empty GUID is sent
  it('an unset -ApproverID (the empty GUID) on a mandatory-approval credential is refused with a message', async () => {
    const kelly = (await signIn('kelly')).ps;
    const refused = await invokeDSPamCheckout(kelly, {
      pamCredentialId: DEMO_IDS.approvedCredential,
      reason: 'x',
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.ErrorMessage).toBe('An approver is required for this credential.');
  });
});

describe('Get-DSPamCredential', () => {
  // Public/Pam/Credentials/Get-DSPamCredential.ps1; the fields Invoke-DSPamCheckout reads
  it('answers label and the integer approval and reason modes of each seed credential', async () => {
    const { ps } = await signIn('kelly');
    const modes = async (id: string) => {
      const body = (await ps.invokeDS('GET', `${server.url}/api/pam/credentials/${id}`)).Body;
      return [prop(body, 'label'), prop(body, 'checkoutApprovalMode'), prop(body, 'checkoutReasonMode')];
    };
    expect(await modes(DEMO_IDS.autoCredential)).toEqual(['Bob — web01 local admin', 1, 3]);
    expect(await modes(DEMO_IDS.selfApprovalCredential)).toEqual(['Maurice — app02 root', 2, 3]);
    expect(await modes(DEMO_IDS.approvedCredential)).toEqual(['Kelly — file server admin', 2, 2]);
  });
});

describe('PAM folders and checkout policies', () => {
  // Public/Pam/PamFolders/Get-DSPamFolders.ps1 (LegacyResponse: Body.data, the root has isRoot)
  it('Get-DSPamFolders, Get-DSPamFolder -Root and -FolderID', async () => {
    const { ps } = await signIn('bob');
    const all = await ps.invokeDS('GET', `${server.url}/api/pam/folders`);
    const folders = prop(all.Body, 'data') as Array<Record<string, unknown>>;
    expect(folders.filter((folder) => folder.isRoot === true)).toHaveLength(1);
    expect(folders.map((folder) => folder.name)).toEqual(expect.arrayContaining(['Servers', 'Domain']));
    // Public/Pam/PamFolders/Get-DSPamFolder.ps1 -Root: `?folderID=null`
    const root = await ps.invokeDS('GET', `${server.url}/api/pam/folders?folderID=null`);
    expect(prop(root.Body, 'isRoot')).toBe(true);
    const domain = folders.find((folder) => folder.name === 'Domain')!;
    const one = await ps.invokeDS('GET', `${server.url}/api/pam/folders/${domain.id}`);
    expect(one.Body).toMatchObject({ id: domain.id, checkoutApprovalMode: 2, checkoutReasonMode: 2 });
  });

  // Public/CheckoutPolicies/Get-DSPamCheckoutPolicies.ps1 (and -Count, commit 57e4fd8)
  it('Get-DSPamCheckoutPolicies, -Count and by id', async () => {
    const { ps } = await signIn('bob');
    const list = (await ps.invokeDS('GET', `${server.url}/api/pam/checkout-policies`)).Body as any[];
    expect(list.filter((policy) => policy.isDefault)).toHaveLength(1);
    const count = await ps.invokeDS('GET', `${server.url}/api/pam/checkout-policies/count`);
    expect(count.Body).toBe(list.length);
    const one = await ps.invokeDS('GET', `${server.url}/api/pam/checkout-policies/${list[0].id}`);
    expect(one.Body).toEqual(list[0]);
  });
});

describe('Close-DSSession and the go-dvls sign-in', () => {
  // Public/Authentication/Close-DSSession.ps1
  it('Close-DSSession revokes the token', async () => {
    const { ps } = await signIn('bob');
    const token = ps.DSSessionToken!;
    const closed = await closeDSSession(ps);
    expect(closed.status).toBe(200);
    const after = await fetch(`${server.url}/api/is-logged`, { headers: { tokenId: token } });
    expect(await after.json()).toBe(false);
  });

  // go-dvls authentication.go: POST /api/v1/login form-encoded AppKey/AppSecret → TokenId; GET /api/is-logged
  it('application login and is-logged, then the token as tokenId or as Authorization: Bearer', async () => {
    const login = await fetch(`${server.url}/api/v1/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ AppKey: 'bob', AppSecret: DEMO_PASSWORD }).toString(),
    });
    expect(login.status).toBe(200);
    const answer = await login.json();
    const token = prop(answer, 'TokenId') as string;
    expect(token).toEqual(expect.any(String));
    expect(prop(answer, 'result')).toBe(1);
    const logged = await fetch(`${server.url}/api/is-logged`, { headers: { tokenId: token } });
    expect(await logged.text()).toBe('true');
    const anonymous = await fetch(`${server.url}/api/is-logged`);
    expect(await anonymous.text()).toBe('false');
    const bearer = await fetch(`${server.url}/api/pam/credentials/${DEMO_IDS.autoCredential}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(bearer.status).toBe(200);
    const wrong = await fetch(`${server.url}/api/v1/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'AppKey=bob&AppSecret=nope',
    });
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as { message: string }).message).toBe(
      'The username or password is incorrect.',
    );
  });
});

describe('the OpenAPI document', () => {
  it('describes the DVLS sign-in, folder and policy routes', async () => {
    const document = (await (await fetch(`${server.url}/api/docs/openapi.json`)).json()) as {
      paths: Record<string, unknown>;
    };
    for (const path of [
      '/api/server-information',
      '/api/public-instance-information',
      '/api/login/partial',
      '/api/logout',
      '/api/is-logged',
      '/api/v1/login',
      '/api/pam/folders',
      '/api/pam/checkout-policies',
      '/api/pam/checkout-policies/{id}',
      '/api/pam/folders/{id}',
      '/api/pam/credentials/{id}/ping',
      '/api/pam/providers',
    ]) {
      expect(Object.keys(document.paths)).toContain(path);
    }
  });
});
