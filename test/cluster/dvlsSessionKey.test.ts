/**
 * New-DSSession's handshake on one node, Get-DSPamPassword on another: the session key is stored
 * sealed beside the token, and every node publishes the same handshake public key (the key pair is
 * sealed in server_meta). Sources: Public/Authentication/New-DSSession.ps1 (2021.6–2022.2, commit
 * 0d5c2c3), Public/Pam/Passwords/Get-DSPamPassword.ps1 -Decrypted (2022.2, commit b8023ee).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_IDS, DEMO_PASSWORD } from '../../server/demo.ts';
import {
  getDSPamPassword,
  invokeDSPamCheckout,
  newDSSessionHandshake,
  PsSession,
  prop,
} from '../compat/dvls/psModule.ts';
import { startTestNodes, type TestNodes } from '../support/testNodes.ts';
import type { TestServer } from '../support/testServer.ts';

describe('the DVLS session key across two nodes', () => {
  let cluster: TestNodes;
  beforeAll(async () => {
    cluster = await startTestNodes(2);
  });
  afterAll(() => cluster.stop());

  it('both nodes publish one public key, whichever answers first', async () => {
    const [a, b] = cluster.nodes as [TestServer, TestServer];
    const keys = await Promise.all(
      [a, b].map(async (node) => {
        const info = await fetch(`${node.url}/api/server-information`);
        return prop(((await info.json()) as any).data, 'publicKey');
      }),
    );
    expect(keys[0]).toEqual(keys[1]);
  });

  it('signed in on node A, the password read on node B comes encrypted under the session key', async () => {
    const [a, b] = cluster.nodes as [TestServer, TestServer];
    const ps = new PsSession();
    await newDSSessionHandshake(ps, { baseUri: a.url, username: 'bob', password: DEMO_PASSWORD });
    const checkout = await invokeDSPamCheckout(ps, { pamCredentialId: DEMO_IDS.autoCredential });
    expect(prop(checkout.Body.CheckoutInfo, 'status')).toBe(4);

    ps.DSBaseURI = b.url;
    const credential = await b.ctx.store.getCredential(DEMO_IDS.autoCredential);
    const expected = b.ctx.secretBox.open(credential!.passwordSealed, DEMO_IDS.autoCredential);
    const onWire = await getDSPamPassword(ps, DEMO_IDS.autoCredential);
    expect(onWire.Body).toEqual({ data: expect.stringMatching(/^[0-9a-f]+$/), result: 1 });
    expect(onWire.raw).not.toContain(expected);
    expect((await getDSPamPassword(ps, DEMO_IDS.autoCredential, { decrypted: true })).Body).toBe(expected);
  });
});
