/** --copy: the clipboard port, the clear-only-if-unchanged rule, and the CLI with a stand-in clipboard. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ClipboardPort,
  commandClipboard,
  copyThenClear,
  parseCommandLine,
  systemClipboard,
} from '../../cli/clipboard.ts';
import { DEMO_IDS } from '../../server/demo.ts';
import { startTestServer, type TestServer } from '../support/testServer.ts';
import { FAKE_CLIPBOARD, Profile } from './support.ts';

/** An in-memory clipboard; `wait` lets the test act while the CLI "waits". */
function fakeClipboard(options: { readable?: boolean } = {}) {
  const state = { value: 'before', writes: [] as string[] };
  const port: ClipboardPort = {
    name: 'fake',
    write: async (text) => {
      state.value = text;
      state.writes.push(text);
    },
    read: async () => (options.readable === false ? null : state.value),
  };
  return { port, state };
}

describe('copyThenClear', () => {
  it('clears after the delay when the clipboard still holds the secret', async () => {
    const { port, state } = fakeClipboard();
    let waited = 0;
    const outcome = await copyThenClear(port, 's3cret', {
      clearAfterMs: 30_000,
      wait: async (ms) => {
        waited = ms;
        expect(state.value).toBe('s3cret');
      },
    });
    expect(waited).toBe(30_000);
    expect(outcome).toBe('cleared');
    expect(state.value).toBe('');
  });

  it('leaves the clipboard alone when something else was copied meanwhile', async () => {
    const { port, state } = fakeClipboard();
    const outcome = await copyThenClear(port, 's3cret', {
      clearAfterMs: 30_000,
      wait: async () => {
        state.value = 'copied by the user';
      },
    });
    expect(outcome).toBe('changed');
    expect(state.value).toBe('copied by the user');
    expect(state.writes).toEqual(['s3cret']);
  });

  it('tolerates a trailing line break added by the paste tool', async () => {
    const { port, state } = fakeClipboard();
    const outcome = await copyThenClear(port, 's3cret', {
      clearAfterMs: 1,
      wait: async () => {
        state.value = 's3cret\r\n';
      },
    });
    expect(outcome).toBe('cleared');
  });

  it('does not clear what it cannot read back', async () => {
    const { port, state } = fakeClipboard({ readable: false });
    expect(await copyThenClear(port, 's3cret', { clearAfterMs: 1, wait: async () => undefined })).toBe(
      'unreadable',
    );
    expect(state.value).toBe('s3cret');
  });

  it('--clear-after 0 copies and returns at once', async () => {
    const { port, state } = fakeClipboard();
    expect(await copyThenClear(port, 's3cret', { clearAfterMs: 0 })).toBe('kept');
    expect(state.value).toBe('s3cret');
  });

  it('an abort (Ctrl-C) clears at once instead of waiting', async () => {
    const { port, state } = fakeClipboard();
    const controller = new AbortController();
    const outcome = copyThenClear(port, 's3cret', {
      clearAfterMs: 3_600_000,
      signal: controller.signal,
      onCopied: () => controller.abort(),
    });
    expect(await outcome).toBe('cleared');
    expect(state.value).toBe('');
  });
});

describe('systemClipboard', () => {
  const none = () => false;
  const all = () => true;
  it('picks the platform tool, and none without a display', () => {
    expect(systemClipboard({}, 'darwin', none)?.name).toBe('pbcopy');
    expect(systemClipboard({}, 'win32', none)?.name).toBe('clip.exe');
    expect(systemClipboard({ WAYLAND_DISPLAY: 'wayland-0' }, 'linux', all)?.name).toBe('wl-copy');
    expect(systemClipboard({ DISPLAY: ':0' }, 'linux', (p) => p === 'xclip')?.name).toBe('xclip');
    expect(systemClipboard({ DISPLAY: ':0' }, 'linux', (p) => p === 'xsel')?.name).toBe('xsel');
    expect(systemClipboard({}, 'linux', (p) => p === 'xclip')).toBeNull();
    expect(systemClipboard({ DISPLAY: ':0' }, 'linux', none)).toBeNull();
  });

  it('takes COFFRE_CLIPBOARD_COPY / _PASTE as command lines', () => {
    expect(parseCommandLine('xclip -selection clipboard')).toEqual(['xclip', '-selection', 'clipboard']);
    expect(parseCommandLine('["/opt/my tools/copy", "-q"]')).toEqual(['/opt/my tools/copy', '-q']);
    expect(parseCommandLine('  ')).toBeNull();
    expect(systemClipboard({ COFFRE_CLIPBOARD_COPY: 'mycopy --in' }, 'linux', none)?.name).toBe('mycopy');
  });

  it('hands the secret to the tool on stdin, not as an argument', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coffre-clip-'));
    const file = path.join(dir, 'clipboard');
    const port = commandClipboard(
      'fake',
      [process.execPath, FAKE_CLIPBOARD, 'copy', file],
      [process.execPath, FAKE_CLIPBOARD, 'paste', file],
    );
    await port.write('pa ss\nword');
    expect(fs.readFileSync(file, 'utf8')).toBe('pa ss\nword');
    expect(await port.read()).toBe('pa ss\nword');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reports a missing tool as a clipboard error', async () => {
    const port = commandClipboard('nope', ['coffre-no-such-clipboard-tool'], null);
    await expect(port.write('x')).rejects.toThrow(/not found/);
  });
});

describe('coffre password/checkout --copy', () => {
  let server: TestServer;
  let bob: Profile;
  let file: string;

  beforeAll(async () => {
    server = await startTestServer();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coffre-clip-'));
    file = path.join(dir, 'clipboard');
    bob = new Profile('bob', {
      COFFRE_CLIPBOARD_COPY: JSON.stringify([process.execPath, FAKE_CLIPBOARD, 'copy', file]),
      COFFRE_CLIPBOARD_PASTE: JSON.stringify([process.execPath, FAKE_CLIPBOARD, 'paste', file]),
    });
    await bob.login(server.url, 'bob');
  });
  afterAll(async () => {
    bob?.remove();
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
    await server?.stop();
  });

  it('checkout --copy: the password goes to the clipboard, not to stdout; Ctrl-C clears it', async () => {
    const running = bob.start(['checkout', DEMO_IDS.autoCredential, '--copy', '--json']);
    await running.waitForStderr(/Password copied to the clipboard; it will be cleared in 30 s/);
    const copied = fs.readFileSync(file, 'utf8');
    const { password } = await bob.json(['password', DEMO_IDS.autoCredential]);
    expect(copied).toBe(password);
    running.child.kill('SIGINT');
    const result = await running.done;
    expect(result.code).toBe(130);
    expect(result.stderr).toContain('Clipboard cleared.');
    expect(fs.readFileSync(file, 'utf8')).toBe('');
    const output = JSON.parse(result.stdout);
    expect(output).toEqual({ checkout: expect.objectContaining({ status: 4 }) });
    expect(result.stdout + result.stderr).not.toContain(password);
    await bob.json(['checkin', output.checkout.id]);
  });

  it('password --copy leaves a clipboard that changed meanwhile', async () => {
    const { checkout } = await bob.json(['checkout', 'c2000000-0000-4000-8000-000000000003']);
    const running = bob.start([
      'password',
      'c2000000-0000-4000-8000-000000000003',
      '--copy',
      '--clear-after',
      '600',
    ]);
    await running.waitForStderr(/cleared in 600 s/);
    fs.writeFileSync(file, 'something the user copied');
    running.child.kill('SIGINT');
    const result = await running.done;
    expect(result.code).toBe(130);
    expect(result.stderr).toContain('The clipboard changed since; left as it is.');
    expect(fs.readFileSync(file, 'utf8')).toBe('something the user copied');
    expect(result.stdout).toBe('');
    await bob.json(['checkin', checkout.id]);
  });

  it('--clear-after 0 copies and exits at once', async () => {
    const { checkout } = await bob.json(['checkout', 'c2000000-0000-4000-8000-000000000003']);
    const result = await bob.run([
      'password',
      'c2000000-0000-4000-8000-000000000003',
      '--copy',
      '--clear-after',
      '0',
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    const { password } = await bob.json(['password', 'c2000000-0000-4000-8000-000000000003']);
    expect(fs.readFileSync(file, 'utf8')).toBe(password);
    await bob.json(['checkin', checkout.id]);
  });

  it('without any clipboard: one clear line, exit 10, and no password anywhere', async () => {
    const bare = new Profile('bare', { PATH: path.dirname(process.execPath) });
    try {
      await bare.login(server.url, 'bob');
      const { checkout } = await bob.json(['checkout', 'c2000000-0000-4000-8000-000000000003']);
      const result = await bare.run(['password', 'c2000000-0000-4000-8000-000000000003', '--copy']);
      expect(result.code).toBe(10);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(/^coffre: no clipboard available .*the password was not shown\n$/);
      const fr = await bare.run(['checkout', DEMO_IDS.autoCredential, '--copy'], {
        env: { LANG: 'fr_FR.UTF-8' },
      });
      expect(fr.code).toBe(10);
      expect(fr.stderr).toMatch(/^coffre\u00a0: aucun presse-papiers disponible/);
      // Asked before anything was requested: no checkout was created.
      expect(await bob.json(['checkouts', '--active-and-pending'])).toEqual([
        expect.objectContaining({ id: checkout.id }),
      ]);
      await bob.json(['checkin', checkout.id]);
    } finally {
      bare.remove();
    }
  });
});
