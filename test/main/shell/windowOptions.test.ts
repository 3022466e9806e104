/** The main window's options, one test per item of Electron's security checklist. */
import { describe, expect, it } from 'vitest';
import { mainWindowOptions, WINDOW_BACKGROUND, WINDOW_SIZE } from '../../../main/shell/windowOptions.ts';

const production = mainWindowOptions({
  preloadPath: '/app/out/preload/index.cjs',
  production: true,
  dark: false,
});
const development = mainWindowOptions({
  preloadPath: '/app/out/preload/index.cjs',
  production: false,
  dark: true,
});
const prefs = production.webPreferences ?? {};

describe('main window webPreferences (security checklist)', () => {
  it('isolates the preload’s context from the page (contextIsolation: true)', () => {
    expect(prefs.contextIsolation).toBe(true);
  });
  it('runs the renderer in the OS sandbox (sandbox: true)', () => {
    expect(prefs.sandbox).toBe(true);
  });
  it('gives the page no Node.js (nodeIntegration: false)', () => {
    expect(prefs.nodeIntegration).toBe(false);
  });
  it('gives workers and subframes no Node.js either', () => {
    expect(prefs.nodeIntegrationInWorker).toBe(false);
    expect(prefs.nodeIntegrationInSubFrames).toBe(false);
  });
  it('keeps the same-origin policy (webSecurity: true)', () => {
    expect(prefs.webSecurity).toBe(true);
  });
  it('refuses http content in the secure page (allowRunningInsecureContent: false)', () => {
    expect(prefs.allowRunningInsecureContent).toBe(false);
  });
  it('enables no experimental Blink features (experimentalFeatures: false)', () => {
    expect(prefs.experimentalFeatures).toBe(false);
  });
  it('allows no <webview> (webviewTag: false)', () => {
    expect(prefs.webviewTag).toBe(false);
  });
  it('does not send typed text to a spell-check service (spellcheck: false)', () => {
    expect(prefs.spellcheck).toBe(false);
  });
  it('loads the bundled preload by absolute path', () => {
    expect(prefs.preload).toBe('/app/out/preload/index.cjs');
  });
  it('does not navigate to a file dropped on the window', () => {
    expect(prefs.navigateOnDragDrop).toBe(false);
  });
  it('has no developer tools in production, and has them in development', () => {
    expect(prefs.devTools).toBe(false);
    expect(development.webPreferences?.devTools).toBe(true);
  });
  it('does not weaken any item in development', () => {
    const { devTools: _a, ...prodRest } = prefs;
    const { devTools: _b, ...devRest } = development.webPreferences ?? {};
    expect(devRest).toEqual(prodRest);
  });
});

describe('main window frame', () => {
  it('stays hidden until ready-to-show', () => {
    expect(production.show).toBe(false);
  });
  it('has minimum sizes', () => {
    expect(production.minWidth).toBe(WINDOW_SIZE.minWidth);
    expect(production.minHeight).toBe(WINDOW_SIZE.minHeight);
    expect(production.width).toBeGreaterThanOrEqual(WINDOW_SIZE.minWidth);
    expect(production.height).toBeGreaterThanOrEqual(WINDOW_SIZE.minHeight);
  });
  it('paints the background of the OS theme before the renderer does', () => {
    expect(production.backgroundColor).toBe(WINDOW_BACKGROUND.light);
    expect(development.backgroundColor).toBe(WINDOW_BACKGROUND.dark);
  });
});
