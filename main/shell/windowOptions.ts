/**
 * The main window's options: Electron's security checklist, all of it, in one pure function so each
 * item is asserted by a test (test/main/shell/windowOptions.test.ts).
 */
import type { BrowserWindowConstructorOptions } from 'electron';

export const WINDOW_SIZE = { width: 1200, height: 780, minWidth: 880, minHeight: 600 } as const;
export const WINDOW_BACKGROUND = { light: '#f8fafc', dark: '#0f172a' } as const;

export interface WindowOptionsInput {
  /** Absolute path of the bundled (CommonJS) preload. */
  preloadPath: string;
  /** Packaged build: no devtools. */
  production: boolean;
  /** Matches the OS theme so the window does not flash white before the renderer paints. */
  dark: boolean;
  /** Window icon (Linux/Windows; macOS uses the bundle's). */
  iconPath?: string;
}

export function mainWindowOptions(input: WindowOptionsInput): BrowserWindowConstructorOptions {
  return {
    title: 'Coffre',
    width: WINDOW_SIZE.width,
    height: WINDOW_SIZE.height,
    minWidth: WINDOW_SIZE.minWidth,
    minHeight: WINDOW_SIZE.minHeight,
    // Shown on 'ready-to-show', once the first paint is ready.
    show: false,
    backgroundColor: input.dark ? WINDOW_BACKGROUND.dark : WINDOW_BACKGROUND.light,
    autoHideMenuBar: true,
    ...(input.iconPath ? { icon: input.iconPath } : {}),
    webPreferences: {
      preload: input.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      spellcheck: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      devTools: !input.production,
    },
  };
}
