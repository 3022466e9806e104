#!/usr/bin/env node
// Node 22.18+ runs the TypeScript sources directly (type stripping): no build step for the CLI.
import module from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { ensureRecentNode } from './nodeVersion.js';

// On an older Node (a new terminal on Node 20), this re-runs itself under the project's Node 24.
await ensureRecentNode('coffre');

// Shell completion runs coffre at every Tab press: cache the compiled (and type-stripped) modules.
// In the user's own cache directory, never a shared one like /tmp: it holds code that will run.
function compileCacheDir() {
  const base =
    process.env.XDG_CACHE_HOME ||
    (process.platform === 'win32' && process.env.LOCALAPPDATA) ||
    path.join(os.homedir(), '.cache');
  return path.join(base, 'coffre', 'compile-cache');
}
try {
  module.enableCompileCache?.(compileCacheDir());
} catch {
  // A cache is only a speed-up.
}

const { main } = await import('../cli/main.ts');
await main();
