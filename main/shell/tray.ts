/**
 * The tray (menu-bar on macOS, notification area on Windows, StatusNotifier/AppIndicator on Linux)
 * with the pending-approvals count and a context menu on every platform: Open, Pending requests
 * (n), Lock, Quit. The menu template is pure; `createTray` wires it to Electron's Tray.
 */
import type { MenuItemConstructorOptions, Menu as MenuType, NativeImage, Tray as TrayType } from 'electron';
import type { TrayLabels, TrayPort } from '../services/ports.ts';

export interface TrayActions {
  open(): void;
  openPending(): void;
  lock(): void;
  quit(): void;
}

function normalisedCount(count: number): number {
  return Number.isFinite(count) && count > 0 ? Math.floor(count) : 0;
}

export function trayMenuTemplate(
  pendingCount: number,
  labels: TrayLabels,
  actions: TrayActions,
): MenuItemConstructorOptions[] {
  const count = normalisedCount(pendingCount);
  return [
    { id: 'open', label: labels.open, click: () => actions.open() },
    {
      id: 'pending',
      label: count > 0 ? labels.pending.replace('{count}', String(count)) : labels.noPending,
      enabled: count > 0,
      click: () => actions.openPending(),
    },
    { type: 'separator' },
    { id: 'lock', label: labels.lock, click: () => actions.lock() },
    { type: 'separator' },
    { id: 'quit', label: labels.quit, click: () => actions.quit() },
  ];
}

export function trayTooltip(pendingCount: number, labels: TrayLabels): string {
  const count = normalisedCount(pendingCount);
  return count > 0
    ? `${labels.tooltip} — ${labels.pending.replace('{count}', String(count))}`
    : labels.tooltip;
}

/** macOS shows text next to the menu-bar icon: the count, or nothing. */
export function trayTitle(pendingCount: number): string {
  const count = normalisedCount(pendingCount);
  return count > 0 ? String(count) : '';
}

export interface ElectronTrayDeps {
  Tray: typeof TrayType;
  Menu: typeof MenuType;
  image: NativeImage;
  /** Read at each render: the texts in the language in effect now. */
  labels: () => TrayLabels;
  actions: TrayActions;
  platform: NodeJS.Platform;
}

export interface AppTray extends TrayPort {
  /** Renders again with the current labels (after a language change). */
  relabel(): void;
  destroy(): void;
}

export function createTray(deps: ElectronTrayDeps): AppTray {
  const tray = new deps.Tray(deps.image);
  let count = 0;
  const render = () => {
    const labels = deps.labels();
    tray.setToolTip(trayTooltip(count, labels));
    if (deps.platform === 'darwin') tray.setTitle(trayTitle(count));
    tray.setContextMenu(deps.Menu.buildFromTemplate(trayMenuTemplate(count, labels, deps.actions)));
  };
  // Windows and Linux: a left click opens the window; the context menu stays on right click.
  if (deps.platform !== 'darwin') tray.on('click', () => deps.actions.open());
  render();
  return {
    setPendingCount(next) {
      const normalised = normalisedCount(next);
      if (normalised === count) return;
      count = normalised;
      render();
    },
    relabel: render,
    destroy() {
      tray.destroy();
    },
  };
}
