/**
 * Secret hygiene, clipboard (issue 7 §3): a copied password is cleared on its timer, at lock,
 * check-in, expiry, sign-out and quit, and in each case left alone if the user copied something
 * else meanwhile. The real desktop main process under plain Node against the real server; the
 * clock and the timers are the test's, so "30 s later" and "past the expiry" take no time.
 * docs/security.md is generated from this file's results (npm run report:security).
 */
import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CheckoutStatus } from '../../common/checkout.ts';
import type { AppEvent } from '../../common/ipc.ts';
import { DEMO_IDS } from '../../server/demo.ts';
import { type DesktopHarness, startDesktop } from '../main/app/desktopHarness.ts';
import { startTestServer, type TestServer } from '../support/testServer.ts';

/** Timers that fire when the test moves the clock, in due order. */
class ManualTime {
  private offset = 0;
  private next = 1;
  private readonly pending = new Map<number, { due: number; callback: () => void }>();
  readonly clock = { now: () => Date.now() + this.offset };
  readonly timers = {
    setTimeout: (callback: () => void, ms: number) => {
      const handle = this.next++;
      this.pending.set(handle, { due: this.clock.now() + ms, callback });
      return handle;
    },
    clearTimeout: (handle: unknown) => {
      this.pending.delete(handle as number);
    },
  };
  /** The wall clock moves, the timers do not (a laptop asleep). */
  jump(ms: number): void {
    this.offset += ms;
  }
  advance(ms: number): void {
    this.offset += ms;
    for (;;) {
      const due = [...this.pending.entries()]
        .filter(([, timer]) => timer.due <= this.clock.now())
        .sort((a, b) => a[1].due - b[1].due)[0];
      if (!due) return;
      this.pending.delete(due[0]);
      due[1].callback();
    }
  }
}

// A fresh server per test: each starts from bob's demo state (no open checkout).
let server: TestServer;
const open: Array<{ desktop: DesktopHarness; closed: boolean }> = [];
beforeEach(async () => {
  server = await startTestServer({ logLevel: 'silent' });
});
afterEach(async () => {
  for (const entry of open.splice(0)) {
    if (!entry.closed) await entry.desktop.close();
    else fs.rmSync(entry.desktop.dataDir, { recursive: true, force: true });
  }
  await server.stop();
});

interface SetUp {
  minutes: number;
  clearSeconds?: number;
  grantedMinutesAgo?: number;
}

interface Copied {
  desktop: DesktopHarness;
  time: ManualTime;
  checkoutId: string;
  password: string;
  markClosed(): void;
}

/**
 * bob checks out the auto-approved credential for `minutes` (granted `grantedMinutesAgo` by the
 * server's clock) and copies its password (cleared after the default 30 s, or `clearSeconds`).
 */
async function copiedPassword({ minutes, clearSeconds, grantedMinutesAgo = 0 }: SetUp): Promise<Copied> {
  const time = new ManualTime();
  const desktop = await startDesktop({ clock: time.clock, timers: time.timers });
  const entry = { desktop, closed: false };
  open.push(entry);
  await desktop.call('session:signIn', {
    profile: { id: 'demo', name: 'Demo', url: server.url, dialect: 'checkout' },
    username: 'bob',
    password: 'coffre-demo',
  });
  if (clearSeconds) await desktop.call('settings:update', { clipboardClearSeconds: clearSeconds });
  server.clock.set(Date.now() - grantedMinutesAgo * 60_000);
  const { checkout } = await desktop.call('checkouts:request', {
    credentialId: DEMO_IDS.autoCredential,
    duration: minutes,
  });
  expect(checkout.status).toBe(CheckoutStatus.Active);
  await desktop.call('checkouts:mine');
  await desktop.call('password:copy', { credentialId: DEMO_IDS.autoCredential });
  const password = desktop.clipboard.value;
  expect(password.length).toBeGreaterThan(0);
  return { desktop, time, checkoutId: checkout.id, password, markClosed: () => (entry.closed = true) };
}

function released(desktop: DesktopHarness, from: number): Promise<AppEvent> {
  return desktop.waitForEvent((e) => e.type === 'clipboard.changed' && e.state === 'cleared', from);
}

/** Each way a copied password must leave the clipboard; resolves once the guard has let go. */
const triggers: Array<{
  name: string;
  /** Checkout minutes and clipboard seconds, when the trigger needs its own. */
  setUp?: SetUp;
  fire(copied: Copied): Promise<void>;
}> = [
  {
    name: 'its timer (30 s)',
    async fire({ desktop, time }) {
      const from = desktop.events.length;
      time.advance(29_000);
      expect(desktop.events.slice(from).some((e) => e.type === 'clipboard.changed')).toBe(false);
      time.advance(1_000);
      await released(desktop, from);
    },
  },
  {
    name: 'lock (screen lock, suspend, idle)',
    async fire({ desktop }) {
      await desktop.app.lock('screen');
    },
  },
  {
    name: 'check-in',
    async fire({ desktop, checkoutId }) {
      await desktop.call('checkouts:checkIn', { id: checkoutId });
    },
  },
  {
    name: 'expiry of the checkout',
    // A 10-minute checkout granted 5 minutes ago by the server's clock, a 10-minute clipboard
    // delay: the checkout ends first.
    setUp: { minutes: 10, clearSeconds: 600, grantedMinutesAgo: 5 },
    async fire({ desktop, time }) {
      const from = desktop.events.length;
      // Past the checkout's end, well before the clipboard's own deadline; as after a sleep
      // (timers paused), the app is told to re-check every deadline.
      time.jump(5 * 60_000 + 1_000);
      desktop.app.resumed();
      await released(desktop, from);
    },
  },
  {
    name: 'sign-out',
    async fire({ desktop }) {
      await desktop.call('session:signOut');
    },
  },
  {
    name: 'quit',
    async fire(copied) {
      copied.markClosed();
      await copied.desktop.app.quit();
    },
  },
];

const DEFAULT_SETUP: SetUp = { minutes: 60 };

describe('Clipboard: a copied password is cleared', () => {
  for (const trigger of triggers) {
    it(`on ${trigger.name}`, async () => {
      const copied = await copiedPassword(trigger.setUp ?? DEFAULT_SETUP);
      await trigger.fire(copied);
      expect(copied.desktop.clipboard.value).toBe('');
      expect(copied.desktop.clipboard.clears).toHaveLength(1);
    });
  }
});

describe('Clipboard: left alone if the user copied something else meanwhile', () => {
  for (const trigger of triggers) {
    it(`on ${trigger.name}`, async () => {
      const copied = await copiedPassword(trigger.setUp ?? DEFAULT_SETUP);
      copied.desktop.clipboard.value = 'a note the user copied';
      await trigger.fire(copied);
      expect(copied.desktop.clipboard.value).toBe('a note the user copied');
      expect(copied.desktop.clipboard.clears).toHaveLength(0);
    });
  }
});
