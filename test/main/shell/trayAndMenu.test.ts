import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { TRAY_LABELS_EN } from '../../../main/services/i18n/en.ts';
import { TRAY_LABELS_FR } from '../../../main/services/i18n/fr.ts';
import { appMenuTemplate, menuRoles } from '../../../main/shell/appMenu.ts';
import { trayMenuTemplate, trayTitle, trayTooltip } from '../../../main/shell/tray.ts';

function actions() {
  return { open: vi.fn(), openPending: vi.fn(), lock: vi.fn(), quit: vi.fn() };
}

function click(item: MenuItemConstructorOptions | undefined): void {
  (item?.click as (() => void) | undefined)?.();
}

describe('tray menu', () => {
  it('offers Open, Pending requests (n), Lock and Quit, in that order', () => {
    const items = trayMenuTemplate(3, TRAY_LABELS_EN, actions()).filter((item) => item.type !== 'separator');
    expect(items.map((item) => item.label)).toEqual([
      'Open Coffre',
      'Pending requests (3)',
      'Lock',
      'Quit Coffre',
    ]);
  });

  it('shows the pending count and enables the entry only when there is one', () => {
    const none = trayMenuTemplate(0, TRAY_LABELS_EN, actions()).find((item) => item.id === 'pending');
    expect(none).toMatchObject({ label: 'No pending requests', enabled: false });
    const some = trayMenuTemplate(12, TRAY_LABELS_EN, actions()).find((item) => item.id === 'pending');
    expect(some).toMatchObject({ label: 'Pending requests (12)', enabled: true });
  });

  it('treats a nonsensical count as none', () => {
    for (const count of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(
        trayMenuTemplate(count, TRAY_LABELS_EN, actions()).find((item) => item.id === 'pending')?.enabled,
      ).toBe(false);
    }
  });

  it('wires each entry to its action', () => {
    const spy = actions();
    const items = trayMenuTemplate(1, TRAY_LABELS_EN, spy);
    for (const id of ['open', 'pending', 'lock', 'quit']) click(items.find((item) => item.id === id));
    expect(spy.open).toHaveBeenCalledTimes(1);
    expect(spy.openPending).toHaveBeenCalledTimes(1);
    expect(spy.lock).toHaveBeenCalledTimes(1);
    expect(spy.quit).toHaveBeenCalledTimes(1);
  });

  it('speaks French with the French labels', () => {
    const labels = trayMenuTemplate(2, TRAY_LABELS_FR, actions()).map((item) => item.label);
    expect(labels).toContain('Demandes en attente (2)');
    expect(labels).toContain('Verrouiller');
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
