/**
 * Secret hygiene (issue 7 §3). Every e2e test already ends with the scan of secretHygiene.ts
 * (fixtures.ts), with the server and the desktops logging at debug level. This file proves that the
 * scan finds a secret wherever one could be left (so its silence means something), and walks the
 * paths where a careless app leaks: a wrong password typed at sign-in, a reveal, a copy, a password
 * asked for after check-in, arguments the router refuses.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { setupWorld } from './fixtures.ts';
import { waitUntil } from './harness.ts';
import { scanWorld } from './secretHygiene.ts';
import { activeCard, openCheckoutDialog, signIn } from './ui.ts';

const ctx = setupWorld();
const WEB01 = 'Bob — web01 local admin';

/** Calls the main process as the page does, through the bridge, and returns the envelope. */
function invoke(page: import('playwright-core').Page, channel: string, args: unknown) {
  return page.evaluate(async ([c, a]) => JSON.parse(await (globalThis as any).coffreInvoke(c, a)), [
    channel,
    args,
  ] as const);
}

describe('secret hygiene, with every log at debug level', () => {
  it('the scan finds a planted secret in a log, a data file, page storage and an IPC error', async () => {
    const bob = await ctx.user({ label: 'bob' });
    await signIn(bob.page, 'bob');
    const planted = { label: 'the planted secret', value: 'Planted-Secret-7f3a9c' };
    const scan = async () => (await scanWorld(ctx.world, [bob], [planted])).leaks;
    expect(await scan()).toEqual([]);

    // A desktop log line, as a careless `log.debug({ password })` would write it.
    fs.appendFileSync(bob.logFile, `${JSON.stringify({ level: 20, password: planted.value })}\n`);
    expect(await scan()).toContainEqual({ secret: planted.label, where: bob.logFile, form: 'utf-8' });
    fs.writeFileSync(bob.logFile, '');

    // The server's log, base64-encoded.
    fs.appendFileSync(
      ctx.world.server.logFile,
      `${JSON.stringify({ body: Buffer.from(planted.value).toString('base64') })}\n`,
    );
    expect(await scan()).toContainEqual({
      secret: planted.label,
      where: ctx.world.server.logFile,
      form: 'base64',
    });
    fs.writeFileSync(ctx.world.server.logFile, '');

    // A file of the desktop's data directory, UTF-16 (as a Windows API would write it).
    const file = path.join(bob.dataDir, 'planted.bin');
    fs.writeFileSync(file, Buffer.from(`x${planted.value}x`, 'utf16le'));
    expect(await scan()).toContainEqual({ secret: planted.label, where: file, form: 'utf-16le' });
    fs.rmSync(file);

    // The page's storage: localStorage, then IndexedDB.
    await bob.page.evaluate(
      (value) => (globalThis as any).localStorage.setItem('draft', value),
      planted.value,
    );
    expect(await scan()).toContainEqual({
      secret: planted.label,
      where: 'bob: renderer storage',
      form: 'utf-8',
    });
    await bob.page.evaluate(() => (globalThis as any).localStorage.removeItem('draft'));
    await bob.page.evaluate(
      (value) =>
        new Promise<void>((resolve) => {
          const open = (globalThis as any).indexedDB.open('planted', 1);
          open.onupgradeneeded = () => open.result.createObjectStore('drafts');
          open.onsuccess = () => {
            const tx = open.result.transaction('drafts', 'readwrite');
            tx.objectStore('drafts').put({ text: value }, 1);
            tx.oncomplete = () => {
              open.result.close();
              resolve();
            };
          };
        }),
      planted.value,
    );
    expect(await scan()).toContainEqual({
      secret: planted.label,
      where: 'bob: renderer storage',
      form: 'utf-8',
    });
    await bob.page.evaluate(
      () =>
        new Promise((resolve) => {
          const request = (globalThis as any).indexedDB.deleteDatabase('planted');
          request.onsuccess = resolve;
        }),
    );

    // An IPC error that quotes what it was given.
    bob.ipcErrors.push({
      channel: 'session:unlock',
      error: { kind: 'invalid', code: 'x', message: `bad password ${planted.value}` },
    });
    expect(await scan()).toContainEqual({
      secret: planted.label,
      where: 'bob: IPC error of session:unlock',
      form: 'utf-8',
    });
    bob.ipcErrors.pop();
    expect(await scan()).toEqual([]);
  });

  it('a wrong password, a reveal, a copy, a read after check-in, refused arguments: no secret anywhere', async () => {
    const bob = await ctx.user({ label: 'bob' });
    const { page } = bob;
    const wrongPassword = { label: 'the wrong password bob typed', value: 'Wrong-Password-4a1d!' };

    // A mistyped password: refused with a message, which does not quote it.
    await page.getByTestId('use-demo-server').click();
    await page.getByTestId('signin-username').fill('bob');
    await page.getByTestId('signin-password').fill(wrongPassword.value);
    await page.getByTestId('signin-submit').click();
    await waitUntil(() => bob.ipcErrors.find((e) => e.channel === 'session:signIn'), 'the refused sign-in');
    await page.getByTestId('signin-password').fill('');
    await signIn(page, 'bob');

    // Check out web01, reveal its password, copy it, check in.
    const dialog = await openCheckoutDialog(page, WEB01, 'web01');
    await dialog.getByRole('button', { name: 'Check out', exact: true }).click();
    const card = activeCard(page, WEB01);
    await card.getByRole('button', { name: 'Reveal' }).click();
    await waitUntil(() => bob.revealed[0], 'the revealed password');
    await card.getByRole('button', { name: 'Copy password' }).click();
    const copied = await waitUntil(() => bob.clipboard.writes[0]?.text, 'the copied password');
    expect(copied).toBe(bob.revealed[0]);
    await card.getByRole('button', { name: 'Check in' }).click();
    await card.waitFor({ state: 'detached' });

    // Asked again after check-in (a stale window): refused, and the refusal carries no password.
    const credentialId = (await invoke(page, 'credentials:list', { search: 'web01' })).value.data[0].id;
    const refused = await invoke(page, 'password:reveal', { credentialId });
    expect(refused.ok).toBe(false);
    // Arguments the router refuses, one of them a password where a number belongs.
    const tooLong = `${copied}${'x'.repeat(2000)}`;
    expect((await invoke(page, 'session:unlock', { password: tooLong })).ok).toBe(false);
    expect((await invoke(page, 'settings:update', { revealSeconds: copied })).ok).toBe(false);

    const report = await scanWorld(
      ctx.world,
      [bob],
      [wrongPassword, { label: 'a refused argument', value: tooLong }],
    );
    expect(report.leaks).toEqual([]);
    // The scan had something to read: debug lines of both sides, the refusals, the page's storage.
    const desktopLog = fs.readFileSync(bob.logFile, 'utf8');
    expect(desktopLog).toMatch(/"level":20,.*"msg":"ipc call"/);
    expect(desktopLog).toContain('"channel":"password:reveal"');
    expect(fs.readFileSync(ctx.world.server.logFile, 'utf8')).toContain('"msg":"request completed"');
    expect(bob.ipcErrors.map((e) => e.channel)).toEqual(
      expect.arrayContaining(['session:signIn', 'password:reveal', 'session:unlock', 'settings:update']),
    );
    expect(report.files).toBeGreaterThanOrEqual(4);
    expect(report.texts).toBeGreaterThanOrEqual(5);
  });
});
