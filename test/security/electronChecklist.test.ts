/**
 * Electron's security checklist (electronjs.org/docs/latest/tutorial/security), one test per item,
 * numbered as the checklist numbers them. Each asserts the code Coffre runs: the window options,
 * the app:// protocol, the CSP, the guards, the preload, the IPC bridge, the packaging fuses, and
 * for the wiring only the Electron entry does, the entry's source. docs/security.md is generated
 * from this file's results (npm run report:security).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { IPC_CHANNELS, IPC_EVENT_CHANNEL, ipcCalls } from '../../common/ipc.ts';
import { createIpcRouter } from '../../main/ipc/router.ts';
import {
  APP_ENTRY_URL,
  APP_ORIGIN,
  APP_SCHEME_PRIVILEGES,
  appResponseHeaders,
  resolveAppRequest,
} from '../../main/shell/appProtocol.ts';
import { CONTENT_SECURITY_POLICY, CSP_DIRECTIVES } from '../../main/shell/contentSecurityPolicy.ts';
import { registerIpcHandlers } from '../../main/shell/ipcBridge.ts';
import {
  decideNavigation,
  decideWindowOpen,
  EXTERNAL_LINK_HOSTS,
  externalLinkTarget,
  guardWebContents,
} from '../../main/shell/navigationGuard.ts';
import { ALLOWED_PERMISSIONS, isPermissionAllowed } from '../../main/shell/permissions.ts';
import { isTrustedSender } from '../../main/shell/senderValidation.ts';
import { mainWindowOptions } from '../../main/shell/windowOptions.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');
const entrySource = read('main/index.ts');
const preferences = (production: boolean) =>
  mainWindowOptions({ preloadPath: '/app/out/preload/index.cjs', production, dark: false }).webPreferences!;
const policy = { allowedHosts: EXTERNAL_LINK_HOSTS };
const FOREIGN = [
  'https://example.com/',
  'http://127.0.0.1:8080/',
  'file:///etc/passwd',
  'app://evil/index.html',
];

afterEach(() => {
  vi.doUnmock('electron');
  vi.resetModules();
});

describe('Electron security checklist', () => {
  it('1. Only load secure content', () => {
    // The window loads app://coffre only, a standard secure scheme served from the app's files.
    expect([...entrySource.matchAll(/\.loadURL\(([^)]*)\)/g)].map((m) => m[1])).toEqual(['APP_ENTRY_URL']);
    expect(entrySource).not.toMatch(/\.loadFile\(/);
    expect(APP_ENTRY_URL).toBe('app://coffre/index.html');
    expect(APP_SCHEME_PRIVILEGES.privileges).toMatchObject({ standard: true, secure: true });
    // Nothing outside the renderer's directory is served, whatever the path says.
    for (const sneaky of [
      'app://coffre/../../etc/passwd',
      'app://coffre/%2e%2e/%2e%2e/etc/passwd',
      'app://coffre/..%2f..%2fetc/passwd',
      'app://coffre/%5c..%5c..%5cetc/passwd',
    ]) {
      const resolved = resolveAppRequest(sneaky, '/app/out/renderer');
      expect(!resolved.ok || resolved.file.startsWith('/app/out/renderer/'), sneaky).toBe(true);
    }
    // The renderer itself reaches no network origin (CSP connect-src 'self', no http: anywhere).
    expect(CSP_DIRECTIVES['connect-src']).toEqual(["'self'"]);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/https?:/);
  });

  it('2. Do not enable Node.js integration for remote content', () => {
    for (const production of [true, false]) {
      expect(preferences(production)).toMatchObject({
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        nodeIntegrationInSubFrames: false,
      });
    }
  });

  it('3. Enable context isolation', () => {
    expect(preferences(true).contextIsolation).toBe(true);
    expect(preferences(false).contextIsolation).toBe(true);
  });

  it('4. Enable process sandboxing', () => {
    expect(preferences(true).sandbox).toBe(true);
    expect(preferences(false).sandbox).toBe(true);
    // A sandboxed preload cannot load modules: it is bundled into one CommonJS file.
    expect(read('electron.vite.config.ts')).toMatch(/preload[\s\S]*format: 'cjs'/);
  });

  it('5. Handle session permission requests from remote content', () => {
    expect([...ALLOWED_PERMISSIONS]).toEqual(['clipboard-sanitized-write']);
    for (const permission of ['media', 'geolocation', 'notifications', 'openExternal', 'clipboard-read']) {
      expect(isPermissionAllowed(permission, APP_ENTRY_URL)).toBe(false);
    }
    for (const url of FOREIGN) expect(isPermissionAllowed('clipboard-sanitized-write', url)).toBe(false);
    expect(entrySource).toMatch(/installPermissionHandlers\(/);
  });

  it('6. Do not disable webSecurity', () => {
    expect(preferences(true).webSecurity).toBe(true);
    expect(preferences(false).webSecurity).toBe(true);
  });

  it('7. Define a Content-Security-Policy', () => {
    expect(CSP_DIRECTIVES['default-src']).toEqual(["'self'"]);
    expect(CSP_DIRECTIVES['script-src']).toEqual(["'self'"]);
    expect(CSP_DIRECTIVES['object-src']).toEqual(["'none'"]);
    expect(CSP_DIRECTIVES['frame-ancestors']).toEqual(["'none'"]);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-(eval|inline)/);
    // Sent as a header on every app:// response, not only in a <meta> tag.
    expect(appResponseHeaders('text/html')['Content-Security-Policy']).toBe(CONTENT_SECURITY_POLICY);
  });

  it('8. Do not enable allowRunningInsecureContent', () => {
    expect(preferences(true).allowRunningInsecureContent).toBe(false);
    expect(preferences(false).allowRunningInsecureContent).toBe(false);
  });

  it('9. Do not enable experimental features', () => {
    expect(preferences(true).experimentalFeatures).toBe(false);
    expect(preferences(false).experimentalFeatures).toBe(false);
  });

  it('10. Do not use enableBlinkFeatures', () => {
    expect(preferences(true)).not.toHaveProperty('enableBlinkFeatures');
    expect(preferences(false)).not.toHaveProperty('enableBlinkFeatures');
    expect(entrySource).not.toMatch(/enableBlinkFeatures|enable-blink-features/);
  });

  it('11. <webview>: Do not use allowpopups (no webview at all)', () => {
    expect(preferences(true).webviewTag).toBe(false);
    const renderer = fs
      .readdirSync(path.join(ROOT, 'renderer/src'), { recursive: true, encoding: 'utf8' })
      .filter((file) => /\.tsx?$/.test(file))
      .map((file) => read(path.join('renderer/src', file)))
      .join('\n');
    expect(renderer).not.toMatch(/<webview|allowpopups/i);
  });

  it('12. <webview>: Verify options and params (every attach is refused)', () => {
    const handlers = new Map<string, (...args: any[]) => void>();
    const contents = {
      on: (name: string, handler: (...args: any[]) => void) => handlers.set(name, handler),
      setWindowOpenHandler: () => undefined,
    };
    guardWebContents(contents as never, { policy, openExternal: async () => undefined });
    const event = { preventDefault: vi.fn() };
    handlers.get('will-attach-webview')!(event, { preload: '/evil.js' }, { src: 'https://example.com' });
    expect(event.preventDefault).toHaveBeenCalled();
    expect(entrySource).toMatch(/web-contents-created[\s\S]*guardWebContents/);
  });

  it('13. Disable or limit navigation', () => {
    expect(decideNavigation(`${APP_ORIGIN}/index.html#/checkouts`, policy)).toEqual({ action: 'allow' });
    for (const url of FOREIGN) expect(decideNavigation(url, policy).action).toBe('deny');
  });

  it('14. Disable or limit the creation of new windows', () => {
    for (const url of [APP_ENTRY_URL, ...FOREIGN]) {
      expect(decideWindowOpen(url, policy).action).toBe('deny');
    }
  });

  it('15. Do not use shell.openExternal with untrusted content', () => {
    // Only https links to hosts on a reviewed allow-list (empty today), without credentials or port.
    expect(EXTERNAL_LINK_HOSTS).toEqual([]);
    const allowDocs = { allowedHosts: ['docs.example.org'] };
    expect(externalLinkTarget('https://docs.example.org/a', allowDocs)).toBe('https://docs.example.org/a');
    for (const url of [
      'http://docs.example.org/a',
      'https://user:pw@docs.example.org/',
      'https://docs.example.org:8443/',
      'https://evil.docs.example.org/',
      'file:///C:/Windows/System32/calc.exe',
      'smb://attacker/share',
    ]) {
      expect(externalLinkTarget(url, allowDocs)).toBeNull();
    }
    // The entry calls shell.openExternal in exactly one place: the guard's decision.
    expect(entrySource.match(/shell\.openExternal/g)).toHaveLength(1);
  });

  it('16. Use a current version of Electron', () => {
    const installed = JSON.parse(read('node_modules/electron/package.json')).version as string;
    const wanted = JSON.parse(read('package.json')).devDependencies.electron as string;
    const lock = JSON.parse(read('package-lock.json')).packages['node_modules/electron'].version;
    expect(wanted).toBe(`^${installed}`);
    expect(lock).toBe(installed);
    // Electron supports its latest three majors; report:security compares with the registry's latest.
    expect(Number(installed.split('.')[0])).toBeGreaterThanOrEqual(45);
  });

  it('17. Validate the sender of all IPC messages', async () => {
    const handlers = new Map<string, (event: unknown, args: unknown) => Promise<unknown>>();
    const ipcMain = { handle: (channel: string, handler: any) => handlers.set(channel, handler) };
    const called = vi.fn(async () => ({}));
    const router = createIpcRouter(
      Object.fromEntries(IPC_CHANNELS.map((channel) => [channel, called])) as never,
      { isTrustedSender, requireSession: () => undefined },
    );
    registerIpcHandlers(ipcMain as never, router);
    expect([...handlers.keys()].sort()).toEqual([...IPC_CHANNELS].sort());
    for (const url of [...FOREIGN, undefined]) {
      for (const channel of IPC_CHANNELS) {
        const envelope = await handlers.get(channel)!(
          { senderFrame: url ? { url, parent: null } : null },
          {},
        );
        expect(envelope).toMatchObject({ ok: false, error: { code: 'untrusted_sender' } });
      }
    }
    // Our own origin in a frame inside the window (Electron's WebFrameMain.parent is set) is refused too.
    for (const channel of IPC_CHANNELS) {
      const framed = { senderFrame: { url: APP_ENTRY_URL, parent: { url: APP_ENTRY_URL } } };
      expect(await handlers.get(channel)!(framed, undefined)).toMatchObject({
        ok: false,
        error: { code: 'untrusted_frame' },
      });
    }
    expect(called).not.toHaveBeenCalled();
    const trusted = await handlers.get('settings:get')!(
      { senderFrame: { url: APP_ENTRY_URL, parent: null } },
      undefined,
    );
    expect(trusted).toMatchObject({ ok: true });
  });

  it('18. Avoid usage of the file:// protocol and prefer usage of custom protocols', () => {
    expect(new URL(APP_ENTRY_URL).protocol).toBe('app:');
    expect(entrySource).toMatch(/registerAppProtocol\(/);
    expect(isTrustedSender('file:///app/out/renderer/index.html')).toBe(false);
    const builder = parseYaml(read('electron-builder.yml'));
    expect(builder.electronFuses.grantFileProtocolExtraPrivileges).toBe(false);
  });

  it('19. Check which fuses you can change', () => {
    expect(parseYaml(read('electron-builder.yml')).electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('20. Do not expose Electron APIs to untrusted web content', async () => {
    const exposed = new Map<string, unknown>();
    const listeners = new Map<string, (...args: unknown[]) => void>();
    const ipcRenderer = {
      invoke: vi.fn(async () => ({ ok: true, value: null })),
      on: vi.fn((channel: string, listener: (...args: unknown[]) => void) =>
        listeners.set(channel, listener),
      ),
      removeListener: vi.fn(),
    };
    vi.doMock('electron', () => ({
      contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) },
      ipcRenderer,
    }));
    await import('../../preload/index.ts');
    expect([...exposed.keys()]).toEqual(['coffre']);

    // Every leaf is a function bound to one channel of the contract; no Electron object crosses.
    const leaves: Array<[string, unknown]> = [];
    const walk = (value: unknown, at: string) => {
      if (typeof value === 'object' && value !== null)
        for (const [key, inner] of Object.entries(value)) walk(inner, at ? `${at}.${key}` : key);
      else leaves.push([at, value]);
    };
    walk(exposed.get('coffre'), '');
    expect(leaves.every(([, value]) => typeof value === 'function')).toBe(true);
    expect(leaves.map(([at]) => at)).not.toContain('invoke');
    for (const [at, fn] of leaves) {
      if (at === 'onEvent') continue;
      ipcRenderer.invoke.mockClear();
      await (fn as (args?: unknown) => Promise<unknown>)({}).catch(() => undefined);
      const channel = (ipcRenderer.invoke.mock.calls[0] as unknown[] | undefined)?.[0];
      expect(Object.hasOwn(ipcCalls, channel as string), `${at} calls ${String(channel)}`).toBe(true);
    }
    // Events reach the page without Electron's event object (it holds `sender`).
    const received: unknown[] = [];
    (exposed.get('coffre') as { onEvent(listener: (event: unknown) => void): () => void }).onEvent((event) =>
      received.push(event),
    );
    listeners.get(IPC_EVENT_CHANNEL)!({ sender: { send: () => undefined } }, { type: 'checkouts.changed' });
    expect(received).toEqual([{ type: 'checkouts.changed' }]);
  });
});
