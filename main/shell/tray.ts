/**
 * The tray (menu-bar on macOS, notification area on Windows, StatusNotifier/AppIndicator on Linux):
 * the pending-approvals count and a context menu on every platform, its content the pure model of
 * main/services/trayMenu.ts (open; the user's active checkouts with time left, Copy password and
 * Check in; pending requests; lock; quit). This file only turns that model into Electron's menu.
 */
import type { MenuItemConstructorOptions, Menu as MenuType, NativeImage, Tray as TrayType } from 'electron';
import type { TrayLabels, TrayPort } from '../services/ports.ts';
import {
  normalisedCount,
  type TrayCheckout,
  type TrayCommand,
  type TrayEntry,
  type TrayState,
  trayMenuModel,
  trayTitle,
  trayTooltip,
} from '../services/trayMenu.ts';

/** The time left in the menu is re-read this often while a checkout is listed. */
export const TRAY_REFRESH_MS = 30_000;

export function trayMenuTemplate(
  state: TrayState,
  labels: TrayLabels,
  run: (command: TrayCommand) => void,
): MenuItemConstructorOptions[] {
  return trayMenuModel(state, labels).map((entry) => menuItem(entry, run));
}

function menuItem(entry: TrayEntry, run: (command: TrayCommand) => void): MenuItemConstructorOptions {
  if (entry.type === 'separator') return { type: 'separator' };
  if (entry.type === 'submenu') {
    return { id: entry.id, label: entry.label, submenu: entry.entries.map((item) => menuItem(item, run)) };
  }
  const command = entry.command;
  return {
    id: entry.id,
    label: entry.label,
    enabled: entry.enabled,
    ...(command ? { click: () => run(command) } : {}),
  };
}

export interface ElectronTrayDeps {
  Tray: typeof TrayType;
  Menu: typeof MenuType;
  image: NativeImage;
  /** Read at each render: the texts in the language in effect now. */
  labels: () => TrayLabels;
  run: (command: TrayCommand) => void;
  platform: NodeJS.Platform;
  now?: () => number;
}

export interface AppTray extends TrayPort {
  /** Renders again with the current labels (after a language change). */
  relabel(): void;
  destroy(): void;
}

export function createTray(deps: ElectronTrayDeps): AppTray {
  const tray = new deps.Tray(deps.image);
  const now = deps.now ?? Date.now;
  let count = 0;
  let checkouts: readonly TrayCheckout[] = [];
  let ticking: ReturnType<typeof setInterval> | null = null;
  const render = () => {
    const labels = deps.labels();
    tray.setToolTip(trayTooltip(count, labels));
    if (deps.platform === 'darwin') tray.setTitle(trayTitle(count));
    const template = trayMenuTemplate({ pendingCount: count, checkouts, now: now() }, labels, deps.run);
    tray.setContextMenu(deps.Menu.buildFromTemplate(template));
  };
  // A menu is built once and shown as built: while a checkout is listed, its time left is re-read.
  const tick = () => {
    if (checkouts.length > 0 && ticking === null) {
      ticking = setInterval(render, TRAY_REFRESH_MS);
      ticking.unref?.();
    } else if (checkouts.length === 0 && ticking !== null) {
      clearInterval(ticking);
      ticking = null;
    }
  };
  // Windows and Linux: a left click opens the window; the context menu stays on right click.
  if (deps.platform !== 'darwin') tray.on('click', () => deps.run({ kind: 'open' }));
  render();
  return {
    setPendingCount(next) {
      const normalised = normalisedCount(next);
      if (normalised === count) return;
      count = normalised;
      render();
    },
    setCheckouts(next) {
      if (JSON.stringify(next) === JSON.stringify(checkouts)) return;
      checkouts = [...next];
      tick();
      render();
    },
    relabel: render,
    destroy() {
      if (ticking !== null) clearInterval(ticking);
      tray.destroy();
    },
  };
}
