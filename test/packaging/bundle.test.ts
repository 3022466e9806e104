/**
 * The electron-vite build, inspected: what Electron will load must be loadable there. The preload
 * must be one CommonJS file needing nothing but `electron` (a sandboxed preload cannot load anything
 * else), the main bundle may import only Node built-ins, electron and the production dependencies
 * (the only packages electron-builder ships), and the renderer page must run under the CSP.
 */
import fs from 'node:fs';
import { builtinModules } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { build } from 'electron-vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..', '..');
let outDir: string;

function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'));
}

function bareImports(code: string): Set<string> {
  const found = new Set<string>();
  const patterns = [
    /\bfrom\s*["']([^"']+)["']/g,
    /\bimport\s*["']([^"']+)["']/g,
    /\bimport\(\s*["']([^"']+)["']\s*\)/g,
    // A module require, not a method of that name (sessionService.require('unlocked')).
    /(?<![.\w$])require\(\s*["']([^"']+)["']\s*\)/g,
  ];
  for (const pattern of patterns) {
    for (const match of code.matchAll(pattern)) {
      const specifier = match[1] ?? '';
      if (!specifier.startsWith('.') && !specifier.startsWith('/')) found.add(specifier);
    }
  }
  return found;
}

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

beforeAll(async () => {
  outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'coffre-build-'));
  const cwd = process.cwd();
  process.chdir(root);
  try {
    await build({ build: { outDir }, logLevel: 'silent' });
  } finally {
    process.chdir(cwd);
  }
}, 300_000);

afterAll(() => {
  if (outDir) fs.rmSync(outDir, { recursive: true, force: true });
});

describe('preload bundle', () => {
  it('is a single file at the path the window loads', () => {
    expect(filesUnder(path.join(outDir, 'preload'))).toEqual(['index.cjs']);
  });

  it('is CommonJS that requires electron and nothing else', () => {
    const code = fs.readFileSync(path.join(outDir, 'preload', 'index.cjs'), 'utf8');
    expect(code).not.toMatch(/^\s*(import|export)\s/m);
    expect([...bareImports(code)]).toEqual(['electron']);
  });

  it('exposes one global, window.coffre', () => {
    const code = fs.readFileSync(path.join(outDir, 'preload', 'index.cjs'), 'utf8');
    const exposed = [...code.matchAll(/exposeInMainWorld\(\s*["'`]([^"'`]+)["'`]/g)].map((match) => match[1]);
    expect(exposed).toEqual(['coffre']);
  });
});

describe('main bundle', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
  };
  const builtins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));

  it('imports only built-ins, electron and production dependencies', () => {
    const code = fs.readFileSync(path.join(outDir, 'main', 'index.js'), 'utf8');
    const outside = [...bareImports(code)].filter(
      (specifier) =>
        !builtins.has(specifier) &&
        specifier !== 'electron' &&
        !Object.hasOwn(pkg.dependencies, packageName(specifier)),
    );
    expect(outside).toEqual([]);
  });

  it('leaves better-sqlite3 and electron external (loaded from node_modules, not inlined)', () => {
    const code = fs.readFileSync(path.join(outDir, 'main', 'index.js'), 'utf8');
    const imports = bareImports(code);
    expect(imports.has('better-sqlite3')).toBe(true);
    expect(imports.has('electron')).toBe(true);
    expect(code).not.toContain('process.dlopen');
  });

  it('is an ES module (package.json "type": "module")', () => {
    const code = fs.readFileSync(path.join(outDir, 'main', 'index.js'), 'utf8');
    expect(code).toMatch(/^import .* from "electron";$/m);
  });

  it('carries the tray and window icons it refers to', () => {
    const chunks = filesUnder(path.join(outDir, 'main', 'chunks'));
    expect(chunks.some((file) => /^tray-.*\.png$/.test(file))).toBe(true);
    expect(chunks.some((file) => /^trayTemplate@2x-.*\.png$/.test(file))).toBe(true);
    expect(chunks.some((file) => /^icon-.*\.png$/.test(file))).toBe(true);
  });
});

describe('renderer build', () => {
  it('has an index.html whose scripts are files (the CSP forbids inline scripts)', () => {
    const html = fs.readFileSync(path.join(outDir, 'renderer', 'index.html'), 'utf8');
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      expect(attributes).toMatch(/\bsrc=/);
      expect(body?.trim()).toBe('');
    }
  });

  it('references nothing remote', () => {
    const html = fs.readFileSync(path.join(outDir, 'renderer', 'index.html'), 'utf8');
    expect(html).not.toMatch(/(src|href)=["']?(https?:)?\/\//);
  });
});
