/**
 * `npm start`: builds main, preload and renderer into out/ (electron-vite) and launches Electron on
 * it. Where the Electron binary is missing it says so in one line and exits 1. Arguments after
 * `--` go to the app (e.g. `npm start -- coffre://approvals/<id>`).
 */
import { spawn } from 'node:child_process';
import { build } from 'electron-vite';
import { electronBinaryPath, MISSING_ELECTRON_MESSAGE } from './electronBinary.ts';

await build({ logLevel: 'warn' });

const binary = electronBinaryPath();
if (!binary) {
  console.error(MISSING_ELECTRON_MESSAGE);
  process.exit(1);
}

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
