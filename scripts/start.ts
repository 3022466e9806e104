/**
 * `npm start`: gets the Electron binary when it is missing (Electron's own installer, with its
 * progress bar; see electronBinary.ts), builds main, preload and renderer into out/ (electron-vite)
 * and launches Electron on it. When Electron cannot be had, or there is no display to open it on,
 * it ends with one line (why, and what to do) and exit code 1. Arguments after `--` go to the app (e.g. `npm start -- coffre://approvals/<id>`).
 * COFFRE_ELECTRON_INSTALLER replaces the installer script (tests).
 */
import { spawn } from 'node:child_process';
import { build } from 'electron-vite';
import {
  displayMissing,
  electronBinaryPath,
  electronInstallerPath,
  electronUnavailableMessage,
  electronVersion,
  NO_DISPLAY_MESSAGE,
  runElectronInstaller,
} from './electronBinary.ts';

async function ensureElectron(): Promise<string> {
  const present = electronBinaryPath();
  if (present) return present;
  const version = electronVersion();
  const installer = process.env.COFFRE_ELECTRON_INSTALLER || electronInstallerPath();
  if (!installer) {
    console.error(electronUnavailableMessage('the electron package is not installed: run npm ci', version));
    process.exit(1);
  }
  console.log(
    `coffre: downloading Electron ${version} (once; ELECTRON_MIRROR and the download cache apply)…`,
  );
  const outcome = await runElectronInstaller(installer);
  const binary = electronBinaryPath();
  if (binary) return binary;
  const reason = outcome.ok ? 'the installer finished but left no binary' : outcome.reason;
  console.error(electronUnavailableMessage(reason, version));
  process.exit(1);
}

if (displayMissing()) {
  console.error(NO_DISPLAY_MESSAGE);
  process.exit(1);
}
const binary = await ensureElectron();
await build({ logLevel: 'warn' });

const env = { ...process.env };
// Inherited from a parent Electron tool, it would make this Electron run as plain Node.
delete env.ELECTRON_RUN_AS_NODE;
const child = spawn(binary, ['.', ...process.argv.slice(2)], { stdio: 'inherit', env });
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (!child.killed) child.kill(signal);
  });
}
child.on('exit', (code, signal) => {
  process.exit(code ?? (signal ? 1 : 0));
});
