import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { TRAY_LABELS_EN } from '../../../main/services/i18n/en.ts';
import { TRAY_LABELS_FR } from '../../../main/services/i18n/fr.ts';
import {
  type TrayCheckout,
  type TrayCommand,
  timeLeftText,
  trayTitle,
  trayTooltip,
} from '../../../main/services/trayMenu.ts';
import { appMenuTemplate, menuRoles } from '../../../main/shell/appMenu.ts';
import { trayMenuTemplate } from '../../../main/shell/tray.ts';

const NOW = Date.parse('2026-12-05T09:00:00Z');
const ORACLE: TrayCheckout = {
  checkoutId: 'c1',
  credentialId: 'k1',
  credentialName: 'Oracle SYS',
  expiresAt: '2026-12-05T09:25:00Z',
  canCopyPassword: true,
};
const state = (pendingCount: number, checkouts: TrayCheckout[] = []) => ({
  pendingCount,
  checkouts,
  now: NOW,
});
const labelsOf = (items: MenuItemConstructorOptions[]) =>
  items.filter((item) => item.type !== 'separator').map((item) => item.label);

function click(item: MenuItemConstructorOptions | undefined): void {
  (item?.click as (() => void) | undefined)?.();
}

describe('tray menu', () => {
  it('offers Open, the checkouts, Pending requests (n), Lock and Quit, in that order', () => {
    expect(labelsOf(trayMenuTemplate(state(3), TRAY_LABELS_EN, vi.fn()))).toEqual([
      'Open Coffre',
      'No active checkouts',
      'Pending requests (3)',
      'Lock',
      'Quit Coffre',
    ]);
  });

  it('lists the user’s active checkouts with the time left, each with Copy password and Check in (issue 15, item 8)', () => {
    const long = {
      ...ORACLE,
      checkoutId: 'c2',
      credentialId: 'k2',
      credentialName: 'web01',
      expiresAt: '2026-12-05T10:05:00Z',
    };
    const items = trayMenuTemplate(state(0, [ORACLE, long]), TRAY_LABELS_EN, vi.fn());
    expect(labelsOf(items)).toEqual([
      'Open Coffre',
      'Your checkouts (2)',
      'Oracle SYS — 25\u00a0min left',
      'web01 — 1\u00a0h\u00a005 left',
      'No pending requests',
      'Lock',
      'Quit Coffre',
    ]);
    const oracle = items.find((item) => item.id === 'checkout:c1');
    expect(labelsOf(oracle?.submenu as MenuItemConstructorOptions[])).toEqual([
      'Copy password',
      'Check in',
      'Show in Coffre',
    ]);
    // Where the server gives no password to this client (MIM), no Copy password.
    const mim = trayMenuTemplate(state(0, [{ ...ORACLE, canCopyPassword: false }]), TRAY_LABELS_EN, vi.fn());
    expect(
      labelsOf(mim.find((item) => item.id === 'checkout:c1')?.submenu as MenuItemConstructorOptions[]),
    ).toEqual(['Check in', 'Show in Coffre']);
  });

  it('runs each entry’s command', () => {
    const run = vi.fn<(command: TrayCommand) => void>();
    const items = trayMenuTemplate(state(1, [ORACLE]), TRAY_LABELS_EN, run);
    for (const id of ['open', 'pending', 'lock', 'quit']) click(items.find((item) => item.id === id));
    const actions = items.find((item) => item.id === 'checkout:c1')?.submenu as MenuItemConstructorOptions[];
    for (const id of ['copy:c1', 'checkin:c1', 'show:c1']) click(actions.find((item) => item.id === id));
    expect(run.mock.calls.map(([command]) => command)).toEqual([
      { kind: 'open' },
      { kind: 'openPending' },
      { kind: 'lock' },
      { kind: 'quit' },
      { kind: 'copyPassword', credentialId: 'k1' },
      { kind: 'checkIn', checkoutId: 'c1' },
      { kind: 'openCheckout', checkoutId: 'c1' },
    ]);
  });

  it('shows the pending count and enables the entry only when there is one; a nonsensical count is none', () => {
    const pending = (count: number) =>
      trayMenuTemplate(state(count), TRAY_LABELS_EN, vi.fn()).find((item) => item.id === 'pending');
    expect(pending(0)).toMatchObject({ label: 'No pending requests', enabled: false });
    expect(pending(12)).toMatchObject({ label: 'Pending requests (12)', enabled: true });
    for (const count of [-1, Number.NaN, Number.POSITIVE_INFINITY])
      expect(pending(count)?.enabled).toBe(false);
  });

  it('speaks the app’s language: French with the French labels', () => {
    const labels = labelsOf(trayMenuTemplate(state(2, [ORACLE]), TRAY_LABELS_FR, vi.fn()));
    expect(labels).toContain('Demandes en attente (2)');
    expect(labels).toContain('Vos extractions (1)');
    expect(labels).toContain('Oracle SYS — encore 25\u00a0min');
    expect(labels).toContain('Verrouiller');
  });

  it('rounds the time left up to the minute, and says when it has run out', () => {
    expect(timeLeftText('2026-12-05T09:00:30Z', NOW, TRAY_LABELS_EN)).toBe('1\u00a0min left');
    expect(timeLeftText('2026-12-05T11:00:00Z', NOW, TRAY_LABELS_EN)).toBe('2\u00a0h\u00a000 left');
    expect(timeLeftText('2026-12-05T08:59:00Z', NOW, TRAY_LABELS_EN)).toBe('expired');
    expect(timeLeftText(null, NOW, TRAY_LABELS_EN)).toBe('');
  });

  it('puts the count in the tooltip and the macOS title', () => {
    expect(trayTooltip(0, TRAY_LABELS_EN)).toBe('Coffre');
    expect(trayTooltip(4, TRAY_LABELS_EN)).toBe('Coffre — Pending requests (4)');
    expect(trayTitle(0)).toBe('');
    expect(trayTitle(4)).toBe('4');
  });
});

describe('application menu', () => {
  for (const platform of ['darwin', 'win32', 'linux'] as const) {
    it(`has no devtools and no reload in production (${platform})`, () => {
      const roles = menuRoles(appMenuTemplate({ platform, production: true, appName: 'Coffre' }));
      expect(roles).not.toContain('toggleDevTools');
      expect(roles).not.toContain('reload');
      expect(roles).not.toContain('forceReload');
    });

    it(`keeps copy and paste for the fields (${platform})`, () => {
      const roles = menuRoles(appMenuTemplate({ platform, production: true, appName: 'Coffre' }));
      for (const role of ['editMenu', 'undo', 'redo', 'cut', 'copy', 'paste', 'selectAll', 'quit']) {
        expect(roles).toContain(role);
      }
    });
  }

  it('has the devtools in development', () => {
    const roles = menuRoles(appMenuTemplate({ platform: 'linux', production: false, appName: 'Coffre' }));
    expect(roles).toContain('toggleDevTools');
  });

  it('puts the app menu first on macOS only', () => {
    expect(appMenuTemplate({ platform: 'darwin', production: true, appName: 'Coffre' })[0]?.label).toBe(
      'Coffre',
    );
    expect(appMenuTemplate({ platform: 'win32', production: true, appName: 'Coffre' })[0]?.role).toBe(
      'fileMenu',
    );
  });
});
