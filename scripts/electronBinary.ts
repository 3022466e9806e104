/**
 * The Electron executable, and getting it the way Electron 45 intends: its package has no install
 * script any more; its own installer (`node_modules/electron/install.js`, the `install-electron`
 * bin) downloads the binary with @electron/get, which honours ELECTRON_MIRROR, the download cache
 * (electron_config_cache) and ELECTRON_OVERRIDE_DIST_PATH, and shows a progress bar on a terminal.
 * This module finds the binary without requiring `electron` (requiring it when the binary is
 * missing starts a download with no way to report a failure in one line).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Readable } from 'node:stream';

const RUN_INSTALLER = path.join(import.meta.dirname, 'runElectronInstaller.ts');

function electronModuleDir(root: string): string | null {
  try {
    return path.dirname(createRequire(path.join(root, 'package.json')).resolve('electron/package.json'));
  } catch {
    return null;
  }
}

/** Where node_modules/electron/index.js would look, or null when nothing is there. */
export function electronBinaryPath(root: string = process.cwd()): string | null {
  const moduleDir = electronModuleDir(root);
  if (!moduleDir) return null;
  const pathFile = path.join(moduleDir, 'path.txt');
  const relative = fs.existsSync(pathFile) ? fs.readFileSync(pathFile, 'utf8').trim() : '';
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const binary = override
    ? path.join(override, relative || 'electron')
    : relative
      ? path.join(moduleDir, 'dist', relative)
      : null;
  return binary && fs.existsSync(binary) ? binary : null;
}

/** Electron's own installer script, or null when the electron package is not installed. */
export function electronInstallerPath(root: string = process.cwd()): string | null {
  const moduleDir = electronModuleDir(root);
  return moduleDir && fs.existsSync(path.join(moduleDir, 'install.js'))
    ? path.join(moduleDir, 'install.js')
    : null;
}

export function electronVersion(root: string = process.cwd()): string {
  const moduleDir = electronModuleDir(root);
  if (!moduleDir) return '';
  return (JSON.parse(fs.readFileSync(path.join(moduleDir, 'package.json'), 'utf8')) as { version: string })
    .version;
}

export type InstallOutcome = { ok: true } | { ok: false; reason: string };

/**
 * Runs `installer` (Electron's install.js, or a stand-in in tests) as its own process, its output
 * on this terminal (the progress bar), through runElectronInstaller.ts, which hands back the
 * installer's error as one line on file descriptor 3 instead of a stack on stderr.
 */
export function runElectronInstaller(installer: string): Promise<InstallOutcome> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [RUN_INSTALLER, installer], {
      stdio: ['ignore', 'inherit', 'inherit', 'pipe'],
      env: process.env,
    });
    let reason = '';
    (child.stdio[3] as Readable).setEncoding('utf8').on('data', (chunk: string) => {
      reason += chunk;
    });
    child.on('error', (error) => resolve({ ok: false, reason: error.message }));
    child.on('close', (code, signal) => {
      if (code === 0) resolve({ ok: true });
      else
        resolve({
          ok: false,
          reason: reason.trim() || `the installer ended with ${signal ?? `exit code ${code}`}`,
        });
    });
  });
}

/** The one line `npm start` ends with when Electron could not be had: why, and what to do. */
export function electronUnavailableMessage(reason: string, version: string): string {
  const single = reason.replace(/\s+/g, ' ').trim();
  return (
    `coffre: could not download Electron ${version} (${single}); set ELECTRON_MIRROR to a reachable ` +
    `mirror or ELECTRON_OVERRIDE_DIST_PATH to an unpacked Electron ${version}, then npm start again, ` +
    'or without the desktop app: npm run server -- --demo, and npx coffre in another terminal.'
  );
}

/** Linux without an X or Wayland display: Electron could not open a window. */
export function displayMissing(env: NodeJS.ProcessEnv = process.env, platform = process.platform): boolean {
  return platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY;
}

export const NO_DISPLAY_MESSAGE =
  'coffre: no display to open the desktop app on (DISPLAY and WAYLAND_DISPLAY are empty); run npm start in a ' +
  'graphical session (or under xvfb-run), or without the desktop app: npm run server -- --demo, and npx coffre in another terminal.';
