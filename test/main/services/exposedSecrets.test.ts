import { describe, expect, it } from 'vitest';
import { type Checkout, CheckoutStatus } from '../../../common/checkout.ts';
import { ClipboardGuard, type ClipboardRelease } from '../../../main/services/clipboardGuard.ts';
import { ExposedSecrets } from '../../../main/services/exposedSecrets.ts';
import { PasswordAccess } from '../../../main/services/passwordAccess.ts';
import type { ServerCaller } from '../../../main/services/serverCalls.ts';
import type { SettingsService } from '../../../main/services/settingsService.ts';
import { FakeClipboard, fakeTime, RecordingSink, settle } from '../../support/fakes.ts';

const WEB01 = '11111111-2222-4333-8444-555555555557';
const DB02 = '11111111-2222-4333-8444-555555555558';

function setUp() {
  const { clock, timers } = fakeTime();
  const events = new RecordingSink();
  const port = new FakeClipboard();
  const releases: ClipboardRelease[] = [];
  const clipboard = new ClipboardGuard({
    clipboard: port,
    clock,
    timers,
    events,
    onReleased: (release) => releases.push(release),
  });
  const callServer = (async (work: (backend: unknown) => Promise<unknown>) =>
    work({
      capabilities: { passwordRead: true },
      readPassword: async (id: string) => `password of ${id}`,
    })) as unknown as ServerCaller;
  const settings = { get: () => ({ clipboardClearSeconds: 30, revealSeconds: 20 }) } as SettingsService;
  const accountOf = (id: string) => (id === WEB01 ? 'Administrator' : undefined);
  const passwords = new PasswordAccess({ callServer, accountOf, clipboard, settings, events, clock, timers });
  const exposed = new ExposedSecrets({ clipboard, passwords });
  const hidden = () => events.ofType('password.hidden').map((event) => event.credentialId);
  return { port, passwords, exposed, hidden, releases, events, clock };
}

const open = (credentialID: string, status: CheckoutStatus) => ({ credentialID, status }) as Checkout;

describe('ExposedSecrets', () => {
  it('withdraws one credential: its password leaves the clipboard and the window, the others stay', async () => {
    const { port, passwords, exposed, hidden } = setUp();
    await passwords.reveal(WEB01);
    await passwords.reveal(DB02);
    await passwords.copy(WEB01);
    await exposed.withdraw(WEB01, 'checkin');
    expect(port.value).toBe('');
    expect(hidden()).toEqual([WEB01]);
  });

  it('leaves a clipboard alone that holds another credential’s password', async () => {
    const { port, passwords, exposed } = setUp();
    await passwords.copy(DB02);
    await exposed.withdraw(WEB01, 'expiry');
    expect(port.value).toBe(`password of ${DB02}`);
  });

  it('keeps the copied password while its checkout is active, withdraws it once it is not', async () => {
    const { port, passwords, exposed, hidden } = setUp();
    await passwords.copy(WEB01);
    await passwords.reveal(WEB01);
    await exposed.keepActiveOnly([open(WEB01, CheckoutStatus.Active)]);
    expect(port.value).toBe(`password of ${WEB01}`);
    await exposed.keepActiveOnly([open(WEB01, CheckoutStatus.Pending), open(DB02, CheckoutStatus.Active)]);
    expect(port.value).toBe('');
    expect(hidden()).toEqual([WEB01]);
  });

  it('withdraws every revealed password and our clipboard, never what the user copied since', async () => {
    const { port, passwords, exposed, hidden } = setUp();
    await passwords.reveal(WEB01);
    await passwords.reveal(DB02);
    await passwords.copy(WEB01);
    port.userCopies('a note of the user');
    await exposed.withdrawAll('lock');
    await settle();
    expect(port.value).toBe('a note of the user');
    expect(hidden().sort()).toEqual([WEB01, DB02].sort());
  });

  it('finds the active checkout of the copied password anywhere in the list, among other credentials', async () => {
    const { port, passwords, exposed, releases } = setUp();
    await passwords.copy(WEB01);
    await exposed.keepActiveOnly([open(DB02, CheckoutStatus.Active), open(WEB01, CheckoutStatus.Active)]);
    expect(port.value).toBe(`password of ${WEB01}`);
    expect(releases).toEqual([]);
  });

  it('a checkout that ended elsewhere lets the password go as a check-in (the reason the log gets)', async () => {
    const { port, passwords, exposed, releases } = setUp();
    await passwords.copy(WEB01);
    await exposed.keepActiveOnly([]);
    expect(port.value).toBe('');
    expect(releases).toEqual([{ credentialId: WEB01, reason: 'checkin', wiped: true }]);
  });

  it('copies the account name unconcealed; it replaces the guarded password and is never cleared', async () => {
    const { port, passwords, events, clock } = setUp();
    await passwords.copy(WEB01);
    await passwords.copyUsername(WEB01);
    expect(port.writes.at(-1)).toMatchObject({ text: 'Administrator', concealed: false });
    // The window stops its "clears in" countdown: no password of ours is on the clipboard now.
    expect(events.ofType('clipboard.changed').at(-1)).toMatchObject({
      state: 'cleared',
      credentialId: WEB01,
    });
    clock.advance(60_000);
    await settle();
    expect(port.value).toBe('Administrator');
    expect(port.clears).toHaveLength(0);
    await expect(passwords.copyUsername(DB02)).rejects.toMatchObject({ kind: 'not_found' });
  });
});
