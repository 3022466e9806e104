/**
 * electron-vite builds the three parts into out/:
 *   out/main/index.js       ESM (package.json "type": "module"; Electron ≥ 28 loads ESM mains).
 *                           Our TypeScript (main/, common/, server/) is bundled; the npm
 *                           dependencies (better-sqlite3, fastify, zod, …) stay external and load
 *                           from node_modules (in the asar; better-sqlite3's .node unpacked).
 *   out/preload/index.cjs   one self-contained CommonJS file: a sandboxed preload can only
 *                           require('electron'), so zod and common/ipc.ts are bundled in.
 *   out/renderer/           the renderer build (renderer/vite.config.ts: React, the CSP meta tag,
 *                           no inline scripts), served on app://coffre/ (main/shell/appProtocol.ts).
 */
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import { rendererConfig } from './renderer/vite.config.ts';

const root = import.meta.dirname;

export default defineConfig({
  main: {
    build: {
      outDir: resolve(root, 'out/main'),
      sourcemap: true,
      externalizeDeps: true,
      rolldownOptions: {
        input: { index: resolve(root, 'main/index.ts') },
        output: { format: 'es', entryFileNames: '[name].js' },
      },
    },
  },
  preload: {
    build: {
      outDir: resolve(root, 'out/preload'),
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: resolve(root, 'preload/index.ts') },
        external: ['electron'],
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    ...rendererConfig,
    root: resolve(root, 'renderer'),
    base: './',
    build: {
      ...rendererConfig.build,
      outDir: resolve(root, 'out/renderer'),
      rolldownOptions: {
        input: { index: resolve(root, 'renderer/index.html') },
      },
    },
  },
});
