/**
 * The router enforces the contract's session requirement of each channel (common/ipc.ts
 * `ipcSessionRequirements`) before any handler runs, and refuses calls from sub-frames.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  IPC_CHANNELS,
  type IpcChannel,
  ipcSessionRequirements,
  type SessionRequirement,
} from '../../../common/ipc.ts';
import { createIpcRouter, type IpcHandlers } from '../../../main/ipc/router.ts';
import { AppError } from '../../../main/services/appError.ts';
import { DEMO_IDS } from '../../../server/demo.ts';
import { startTestServer, type TestServer } from '../../support/testServer.ts';
import { APP_URL, type DesktopHarness, startDesktop } from '../app/desktopHarness.ts';

/** An argument each channel's schema accepts, so the session check is what decides. */
const VALID_ARGS: Record<IpcChannel, unknown> = {
  'session:getState': undefined,
  'session:signIn': {
    profile: { id: 'p', name: 'P', url: 'http://127.0.0.1:1', dialect: 'checkout' },
    username: 'bob',
    password: 'x',
  },
  'session:signOut': undefined,
  'session:lock': undefined,
  'session:unlock': { password: 'x' },
  'settings:get': undefined,
  'settings:update': {},
  'server:probe': { url: 'http://127.0.0.1:1' },
  'vaults:list': undefined,
  'credentials:list': {},
  'credentials:get': { id: DEMO_IDS.autoCredential },
  'credentials:approvers': { credentialId: DEMO_IDS.autoCredential },
  'sync:now': undefined,
  'checkouts:request': { credentialId: DEMO_IDS.autoCredential },
  'checkouts:mine': undefined,
  'checkouts:history': undefined,
  'checkouts:extend': { id: DEMO_IDS.autoCredential, minutes: 15 },
  'checkouts:checkIn': { id: DEMO_IDS.autoCredential },
  'checkouts:cancel': { id: DEMO_IDS.autoCredential },
  'approvals:list': undefined,
  'approvals:approve': { id: DEMO_IDS.autoCredential },
  'approvals:deny': { id: DEMO_IDS.autoCredential },
  'password:copy': { credentialId: DEMO_IDS.autoCredential },
  'username:copy': { credentialId: DEMO_IDS.autoCredential },
  'password:reveal': { credentialId: DEMO_IDS.autoCredential },
  'password:hide': { credentialId: DEMO_IDS.autoCredential },
  'audit:list': {},
};

function routerWith(allowed: (requirement: SessionRequirement) => boolean) {
  const called: string[] = [];
  const asked: SessionRequirement[] = [];
  const handlers = Object.fromEntries(
    IPC_CHANNELS.map((channel) => [channel, () => void called.push(channel)]),
  ) as unknown as IpcHandlers;
  const router = createIpcRouter(handlers, {
    isTrustedSender: (url) => url === APP_URL,
    requireSession: (requirement) => {
      asked.push(requirement);
      if (!allowed(requirement)) throw new AppError('locked', 'locked', 'Coffre is locked.');
    },
  });
  return { router, called, asked };
}

describe('the router gates each channel by the contract', () => {
  it('asks for exactly the requirement the contract declares, once per call, before the handler', async () => {
    for (const channel of IPC_CHANNELS) {
      const { router, called, asked } = routerWith(() => true);
      const envelope = await router.handle({ url: APP_URL, topFrame: true }, channel, VALID_ARGS[channel]);
      expect(envelope, channel).toMatchObject({ ok: true });
      expect(asked, channel).toEqual([ipcSessionRequirements[channel]]);
      expect(called).toEqual([channel]);
    }
  });

  it('runs no handler when the session is not in the required state', async () => {
    const { router, called } = routerWith((requirement) => requirement === 'signedOut');
    for (const channel of IPC_CHANNELS) {
      const envelope = await router.handle({ url: APP_URL, topFrame: true }, channel, VALID_ARGS[channel]);
      if (ipcSessionRequirements[channel] === 'signedOut')
        expect(envelope, channel).toMatchObject({ ok: true });
      else expect(envelope, channel).toMatchObject({ ok: false, error: { kind: 'locked', code: 'locked' } });
    }
    expect(called.every((channel) => ipcSessionRequirements[channel as IpcChannel] === 'signedOut')).toBe(
      true,
    );
  });

  it('refuses a sub-frame of our own origin, on every channel, before anything else', async () => {
    const { router, called, asked } = routerWith(() => true);
    for (const channel of IPC_CHANNELS) {
      const envelope = await router.handle({ url: APP_URL, topFrame: false }, channel, VALID_ARGS[channel]);
      expect(envelope, channel).toMatchObject({
        ok: false,
        error: { kind: 'forbidden', code: 'untrusted_frame' },
      });
    }
    expect(called).toEqual([]);
    expect(asked).toEqual([]);
  });
});

describe('session gating in the desktop app, against the real server', () => {
  let server: TestServer;
  const open: DesktopHarness[] = [];
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.stop());
  afterEach(async () => {
    for (const desktop of open.splice(0)) await desktop.close();
  });

  const start = async () => {
    const desktop = await startDesktop();
    open.push(desktop);
    return desktop;
  };
  // Spelled out here, not read from the contract: a channel opened there by mistake fails below.
  const WITHOUT_SESSION = new Set<string>([
    'session:getState',
    'session:signIn',
    'session:signOut',
    'session:lock',
    'settings:get',
    'settings:update',
    'server:probe',
    'password:hide',
  ]);
  const UNLOCKED_ONLY = IPC_CHANNELS.filter(
    (channel) => !WITHOUT_SESSION.has(channel) && channel !== 'session:unlock',
  );

  it('signed out: every call that needs a session is refused as signed out', async () => {
    const desktop = await start();
    for (const channel of [...UNLOCKED_ONLY, 'session:unlock' as const]) {
      expect(await desktop.raw(channel, VALID_ARGS[channel]), channel).toMatchObject({
        ok: false,
        error: { kind: 'unauthorized', code: 'signed_out' },
      });
    }
    expect(await desktop.raw('settings:get', undefined)).toMatchObject({ ok: true });
  });

  it('locked: nothing of the vault answers, not even from the cache (history, the list)', async () => {
    const desktop = await start();
    await desktop.call('session:signIn', {
      profile: { id: 'demo', name: 'Demo', url: server.url, dialect: 'checkout' },
      username: 'bob',
      password: 'coffre-demo',
    });
    await desktop.call('sync:now');
    expect((await desktop.call('checkouts:history')).length).toBeGreaterThanOrEqual(0);
    await desktop.app.lock('user');
    for (const channel of UNLOCKED_ONLY) {
      expect(await desktop.raw(channel, VALID_ARGS[channel]), channel).toMatchObject({
        ok: false,
        error: { kind: 'locked', code: 'locked' },
      });
    }
    expect(await desktop.raw('password:hide', VALID_ARGS['password:hide'])).toMatchObject({ ok: true });
    expect(await desktop.raw('session:unlock', { password: 'coffre-demo' })).toMatchObject({ ok: true });
    expect(await desktop.raw('checkouts:history', undefined)).toMatchObject({ ok: true });
  });
});
