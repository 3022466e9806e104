/**
 * PAM folders and checkout policies written as the module's cmdlets write them (psModuleAdmin.ts
 * replays each file of Devolutions/devolutions-server, `Powershell Module/Devolutions.Server/`),
 * against a real coffre-server --demo: what each cmdlet reads back, the audit rows, and what
 * Coffre refuses (with the top-level `message` Invoke-DS reads).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../../server/demo.ts';
import { VaultDeletedError } from '../../../server/store/pamStore.ts';
import { startTestServer, type TestServer } from '../../support/testServer.ts';
import { newDSSessionHandshake, PsSession, prop } from './psModule.ts';
import {
  getDSPamCheckoutPolicies,
  getDSPamFolder,
  getDSPamFolderByQuery,
  newDSPamCheckoutPolicy,
  newDSPamFolder,
  newDSPamTeamFolder,
  removeDSPamCheckoutPolicy,
  removeDSPamFolder,
  updateDSPamCheckoutPolicy,
  updateDSPamFolder,
} from './psModuleAdmin.ts';

const ROOT_FOLDER_ID = '00000000-0000-4000-8000-00000000f01d';
const DEFAULT_POLICY_ID = '00000000-0000-4000-8000-0000000000df';
const SERVERS_VAULT = 'a1000000-0000-4000-8000-000000000001';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

async function signIn(username: string): Promise<PsSession> {
  const ps = new PsSession();
  await newDSSessionHandshake(ps, { baseUri: server.url, username, password: DEMO_PASSWORD });
  return ps;
}

async function auditActions(): Promise<string[]> {
  return (await server.ctx.store.listAudit({ limit: 1000, offset: 0 })).map((entry) => entry.action);
}

describe('PAM folders', () => {
  // Public/Pam/PamFolders/New-DSPamFolder.ps1 -AsNewVault, with Get-DSPamFolder.ps1 -Root (@af09a1b)
  it('New-DSPamFolder -AsNewVault creates a vault under the root; Get-DSPamFolder reads it both ways', async () => {
    const ps = await signIn('admin');
    const created = await newDSPamFolder(ps, { name: 'Lab', asNewVault: true });
    expect(created.isSuccess, created.ErrorMessage).toBe(true);
    const body = JSON.parse(ps.sent.at(-1)!.body!);
    expect(body).toEqual({ folderId: ROOT_FOLDER_ID, name: 'Lab', encryptedOtpSettings: '' });
    expect(created.Body).toMatchObject({ name: 'Lab', folderID: ROOT_FOLDER_ID, isRoot: false });
    const id = prop(created.Body, 'id') as string;
    expect((await server.ctx.store.getVault(id))?.name).toBe('Lab');
    expect((await getDSPamFolder(ps, { folderId: id })).Body).toEqual(created.Body);
    // Get-DSPamFolder.ps1 @860e0ef: `?folderID=$candidFolderID`
    expect((await getDSPamFolderByQuery(ps, id)).Body).toEqual(created.Body);
    expect(await auditActions()).toContain('vault.created');
  });

  // Public/Pam/PamFolders/New-DSPamTeamFolder.ps1 (@beae17e) with Private/PAM/TeamFolders/Get-DSPamRootFolder.ps1
  it('New-DSPamTeamFolder (older modules) creates a vault under the root too', async () => {
    const ps = await signIn('admin');
    const created = await newDSPamTeamFolder(ps, 'Team');
    expect(created.isSuccess, created.ErrorMessage).toBe(true);
    expect(JSON.parse(ps.sent.at(-1)!.body!)).toEqual({ folderID: ROOT_FOLDER_ID, name: 'Team' });
    expect(created.Body).toMatchObject({ name: 'Team', folderID: ROOT_FOLDER_ID });
  });

  // New-DSPamFolder.ps1 with -ParentFolderId: Coffre's folders are one level below the root
  it('New-DSPamFolder inside a vault is refused with a message; without a parent the module throws (its bug)', async () => {
    const ps = await signIn('admin');
    const nested = await newDSPamFolder(ps, { name: 'Nested', parentFolderId: SERVERS_VAULT });
    expect(nested.isSuccess).toBe(false);
    expect(nested.statusCode).toBe(400);
    expect(nested.ErrorMessage).toMatch(/directly under the root folder/);
    // [guid]$ParentFolderId unset is the empty GUID, not $null: the read of it fails, the module throws.
    await expect(newDSPamFolder(ps, { name: 'Orphan' })).rejects.toThrow(/No folder were found/);
  });

  // Public/Pam/PamFolders/Update-DSPamFolder.ps1: GET, overwrite the bound parameters, PUT it all back
  it('Update-DSPamFolder changes the name and the modes; unchanged fields pin nothing', async () => {
    const ps = await signIn('admin');
    const folder = (await newDSPamFolder(ps, { name: 'Staging', asNewVault: true })).Body;
    const id = prop(folder, 'id') as string;
    const updated = await updateDSPamFolder(ps, id, {
      name: 'Staging servers',
      checkoutApprovalMode: 2,
      checkoutReasonMode: 2,
      checkoutTime: 60,
    });
    expect(updated?.isSuccess, updated?.ErrorMessage).toBe(true);
    const sent = JSON.parse(ps.sent.at(-1)!.body!);
    expect(sent).toMatchObject({ id, isRoot: false, name: 'Staging servers', checkoutTime: 60 });
    expect(updated?.Body).toMatchObject({
      name: 'Staging servers',
      checkoutApprovalMode: 2,
      checkoutReasonMode: 2,
      checkoutTime: 60,
      allowCheckoutOwnerAsApprover: 2,
    });
    // The vault's own policy holds what changed, not the inherited values sent back unchanged.
    expect((await server.ctx.store.getVault(id))?.policy).toEqual({
      approvalMode: 'mandatory',
      reasonMode: 'mandatory',
      defaultDuration: 60,
    });
    // 0 (Default) inherits again.
    await updateDSPamFolder(ps, id, { checkoutReasonMode: 0 });
    expect((await server.ctx.store.getVault(id))?.policy).toEqual({
      approvalMode: 'mandatory',
      defaultDuration: 60,
    });
    expect(await auditActions()).toContain('vault.updated');
  });

  // Update-DSPamFolder.ps1: its validation never matches, so out-of-range values reach the server
  it('out-of-range values, admins as approvers and the root folder are refused with a message', async () => {
    const ps = await signIn('admin');
    const outOfRange = await updateDSPamFolder(ps, SERVERS_VAULT, { checkoutApprovalMode: 7 });
    expect(outOfRange?.statusCode).toBe(400);
    expect(outOfRange?.ErrorMessage).toMatch(/checkoutApprovalMode/);
    const admins = await updateDSPamFolder(ps, SERVERS_VAULT, { includeAdminsAsApprovers: 1 });
    expect(admins?.statusCode).toBe(400);
    expect(admins?.ErrorMessage).toMatch(/no includeAdminsAsApprovers/);
    // The cmdlet's own example updates the root folder.
    const root = await updateDSPamFolder(ps, ROOT_FOLDER_ID, { name: 'ROOTTEST' });
    expect(root?.statusCode).toBe(400);
    expect(root?.ErrorMessage).toMatch(/root folder/);
  });

  // Public/Pam/PamFolders/Remove-DSPamFolder.ps1: DELETE /api/pam/folders/{folderID}
  it('Remove-DSPamFolder deletes an empty folder and refuses one holding credentials', async () => {
    const ps = await signIn('admin');
    const id = prop((await newDSPamFolder(ps, { name: 'Scratch', asNewVault: true })).Body, 'id') as string;
    const removed = await removeDSPamFolder(ps, id);
    expect(removed.isSuccess, removed.ErrorMessage).toBe(true);
    expect(removed.Body).toEqual({ result: 1 });
    expect(await server.ctx.store.getVault(id)).toBeUndefined();
    expect((await getDSPamFolder(ps, { folderId: id })).statusCode).toBe(404);
    expect(await auditActions()).toContain('vault.deleted');

    const full = await removeDSPamFolder(ps, SERVERS_VAULT);
    expect(full.statusCode).toBe(409);
    expect(full.ErrorMessage).toMatch(/not empty/);
    expect(await server.ctx.store.getVault(SERVERS_VAULT)).toBeDefined();
  });

  it('a credential cannot be created in a deleted folder', async () => {
    const ps = await signIn('admin');
    const id = prop((await newDSPamFolder(ps, { name: 'Gone', asNewVault: true })).Body, 'id') as string;
    await removeDSPamFolder(ps, id);
    const admin = await server.as('admin');
    const created = await admin.request('POST', '/api/admin/credentials', {
      vaultID: id,
      name: 'ghost',
      username: 'ghost',
      host: 'nowhere',
    });
    expect(created.status).toBe(404);
    // The store refuses too, in the write's own transaction (a deletion between check and write).
    const now = Date.now();
    await expect(
      server.ctx.store.insertCredential(
        {
          id: '0ddba11a-0000-4000-8000-000000000001',
          vaultId: id,
          name: 'ghost',
          username: 'ghost',
          host: 'nowhere',
          description: '',
          policy: {},
          passwordSealed: server.ctx.secretBox.seal('x', '0ddba11a-0000-4000-8000-000000000001'),
          passwordChangedAt: now,
          createdAt: now,
          updatedAt: now,
          version: 1,
        },
        { audit: [], events: [] },
      ),
    ).rejects.toThrow(VaultDeletedError);
  });

  // The deletion checks emptiness in its own transaction, which a credential written into the vault waits for.
  it('credentials created while the folder is deleted: either the delete is refused or none lands in it', async () => {
    const ps = await signIn('admin');
    const admin = await server.as('admin');
    for (let round = 0; round < 3; round++) {
      const id = prop(
        (await newDSPamFolder(ps, { name: `Race ${round}`, asNewVault: true })).Body,
        'id',
      ) as string;
      const creates = Array.from({ length: 6 }, (_, i) =>
        admin.request('POST', '/api/admin/credentials', { vaultID: id, name: `racer ${i}`, username: 'u' }),
      );
      const [removed, ...created] = await Promise.all([removeDSPamFolder(ps, id), ...creates]);
      const landed = created.filter((answer) => answer.status === 201).length;
      const live = (await server.ctx.store.listCredentials({ vaultId: id, offset: 0, limit: 100 })).total;
      expect(live).toBe(landed);
      if (removed.isSuccess) {
        expect(landed).toBe(0);
        expect(await server.ctx.store.getVault(id)).toBeUndefined();
      } else {
        expect(removed.statusCode).toBe(409);
      }
      for (const answer of created) expect([201, 404]).toContain(answer.status);
    }
  });

  it('only an administrator writes folders', async () => {
    const ps = await signIn('bob');
    const created = await newDSPamFolder(ps, { name: 'Bob’s', asNewVault: true });
    expect(created.statusCode).toBe(403);
    expect(created.ErrorMessage).toBe('Only an administrator can do this.');
    expect((await removeDSPamFolder(ps, SERVERS_VAULT)).statusCode).toBe(403);
  });
});

describe('checkout policies', () => {
  // Public/CheckoutPolicies/Get-DSPamCheckoutPolicies.ps1 (the versions with -Count)
  it('the default policy is there from the start, in DVLS’s fields', async () => {
    const ps = await signIn('bob');
    const list = (await getDSPamCheckoutPolicies(ps)).Body as Array<Record<string, unknown>>;
    expect(list[0]).toEqual({
      id: DEFAULT_POLICY_ID,
      name: 'Default',
      isDefault: true,
      checkoutApprovalMode: 1,
      checkoutReasonMode: 3,
      allowCheckoutOwnerAsApprover: 2,
      includeAdminsAsApprovers: 2,
      includeManagersAsApprovers: 2,
      checkoutTime: 120,
    });
    expect((await getDSPamCheckoutPolicies(ps, { count: true })).Body).toBe(list.length);
  });

  // Public/CheckoutPolicies/New-DSPamCheckoutPolicy.ps1 (@236fd3c, HEAD): only `name` survives its switch
  it('New-DSPamCheckoutPolicy: {name} is created; a name in use is refused by the module, and by the server', async () => {
    const ps = await signIn('admin');
    const created = await newDSPamCheckoutPolicy(ps, {
      name: 'Public accounts',
      checkoutTime: 120,
      isDefault: true,
    });
    expect(created.isSuccess, created.ErrorMessage).toBe(true);
    expect(JSON.parse(ps.sent.at(-1)!.body!)).toEqual({ name: 'Public accounts' });
    expect(created.Body).toMatchObject({ name: 'Public accounts', isDefault: false, checkoutTime: 0 });
    const again = await newDSPamCheckoutPolicy(ps, { name: 'Public accounts' });
    expect(again.statusCode).toBe(409);
    const direct = await ps.invokeDS(
      'POST',
      `${server.url}/api/pam/checkout-policies`,
      JSON.stringify({ name: 'public ACCOUNTS' }),
    );
    expect(direct.statusCode).toBe(409);
    expect(direct.ErrorMessage).toBe('Checkout policy with same name already exists.');
    expect(await auditActions()).toContain('checkoutPolicy.created');
  });

  // What the cmdlet's help means to send (its example: checkoutTime, isDefault), as a script or a fixed module would
  it('a full body is kept; making a policy the default takes it from the previous one', async () => {
    const ps = await signIn('admin');
    const created = await ps.invokeDS(
      'POST',
      `${server.url}/api/pam/checkout-policies`,
      JSON.stringify({
        name: 'Private accounts',
        checkoutApprovalMode: 2,
        checkoutReasonMode: 2,
        checkoutTime: 30,
        isDefault: true,
      }),
    );
    expect(created.statusCode).toBe(201);
    const list = (await getDSPamCheckoutPolicies(ps)).Body as Array<Record<string, unknown>>;
    expect(list.filter((policy) => policy.isDefault).map((policy) => policy.name)).toEqual([
      'Private accounts',
    ]);
    expect(list[0]).toMatchObject({ checkoutApprovalMode: 2, checkoutReasonMode: 2, checkoutTime: 30 });
    // Give the default back, so the tests below see the seeded one.
    const restored = await updateDSPamCheckoutPolicy(ps, DEFAULT_POLICY_ID, { isDefault: true });
    expect(restored?.Body).toMatchObject({ id: DEFAULT_POLICY_ID, isDefault: true });
  });

  // Public/CheckoutPolicies/Update-DSPamCheckoutPolicy.ps1: GET, overwrite the valid bound parameters, PUT back
  it('Update-DSPamCheckoutPolicy renames and changes fields; the module drops out-of-range values', async () => {
    const ps = await signIn('admin');
    const created = await newDSPamCheckoutPolicy(ps, { name: 'Contractors' });
    const id = prop(created.Body, 'id') as string;
    const updated = await updateDSPamCheckoutPolicy(ps, id, {
      name: 'Contractor accounts',
      checkoutReasonMode: 2,
      checkoutApprovalMode: 10,
      checkoutTime: -1,
    });
    expect(updated?.isSuccess, updated?.ErrorMessage).toBe(true);
    expect(updated?.Body).toMatchObject({
      id,
      name: 'Contractor accounts',
      checkoutReasonMode: 2,
      checkoutApprovalMode: 0,
      checkoutTime: 0,
    });
    expect((await getDSPamCheckoutPolicies(ps, { policyId: id })).Body).toEqual(updated?.Body);
    expect(await auditActions()).toContain('checkoutPolicy.updated');
  });

  // Public/CheckoutPolicies/Remove-DSPamCheckoutPolicy.ps1: DELETE /api/pam/checkout-policies/{id}
  it('Remove-DSPamCheckoutPolicy deletes a policy, not the default one', async () => {
    const ps = await signIn('admin');
    const id = prop((await newDSPamCheckoutPolicy(ps, { name: 'Temporary' })).Body, 'id') as string;
    const removed = await removeDSPamCheckoutPolicy(ps, id);
    expect(removed.Body).toEqual({ result: 1 });
    expect((await getDSPamCheckoutPolicies(ps, { policyId: id })).statusCode).toBe(404);
    expect(await auditActions()).toContain('checkoutPolicy.deleted');
    const defaultOne = await removeDSPamCheckoutPolicy(ps, DEFAULT_POLICY_ID);
    expect(defaultOne.statusCode).toBe(409);
    expect(defaultOne.ErrorMessage).toMatch(/default checkout policy cannot be deleted/);
  });

  it('only an administrator writes checkout policies', async () => {
    const ps = await signIn('bob');
    expect((await newDSPamCheckoutPolicy(ps, { name: 'Bob’s' })).statusCode).toBe(403);
    expect((await updateDSPamCheckoutPolicy(ps, DEFAULT_POLICY_ID, { checkoutTime: 5 }))?.statusCode).toBe(
      403,
    );
    expect((await removeDSPamCheckoutPolicy(ps, DEFAULT_POLICY_ID)).statusCode).toBe(403);
  });
});
