/**
 * The layers point down (README, "rooms"): contract (common) → client core (client) → cache →
 * services → IPC router → shell and composition root; the server and the CLI beside them; the
 * renderer and the preload on the contract only. Every import of the production tree is checked
 * against this matrix, only the Electron-bound files import electron, and no import cycle exists.
 * VS Code enforces the same idea with its `code-layering` lint rule. A failure names the rule and
 * the import that breaks it.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  checkLayers,
  checkPackage,
  describeEdge,
  findCycles,
  type ImportEdge,
  type Layer,
  listSourceFiles,
  readImports,
  type Violation,
} from './importGraph.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const PRODUCTION = ['common', 'client', 'main', 'preload', 'renderer', 'server', 'cli', 'bin', 'scripts'];

const under = (folder: string) => (file: string) => file.startsWith(`${folder}/`);
const exactly = (name: string) => (file: string) => file === name;

/** First match wins: the more specific entries come first. */
const LAYERS: readonly Layer[] = [
  {
    name: 'common',
    rule: 'the contract shared by every process; imports nothing of ours',
    owns: under('common'),
    mayImport: [],
  },
  {
    name: 'client',
    rule: 'the client core, shared by the desktop and the CLI; the contract only',
    owns: under('client'),
    mayImport: ['common'],
  },
  {
    name: 'main/cache',
    rule: 'the encrypted local cache; below the services',
    owns: under('main/cache'),
    mayImport: ['client', 'common'],
  },
  {
    name: 'main/services',
    rule: 'desktop policy on ports; never the router, the shell or the composition root',
    owns: under('main/services'),
    mayImport: ['main/cache', 'client', 'common'],
  },
  {
    name: 'main/ipc',
    rule: 'the validated IPC router; calls services, knows no Electron',
    owns: under('main/ipc'),
    mayImport: ['main/services', 'main/cache', 'client', 'common'],
  },
  {
    name: 'main/app',
    rule: 'the composition root; wires what is below it, never the shell',
    owns: under('main/app'),
    mayImport: ['main/ipc', 'main/services', 'main/cache', 'client', 'common'],
  },
  {
    name: 'main/shell',
    rule: 'the Electron adapters behind the ports; never the composition root',
    owns: under('main/shell'),
    mayImport: ['main/ipc', 'main/services', 'main/cache', 'client', 'common'],
  },
  {
    name: 'main/index.ts',
    rule: 'the Electron entry point: wires the shell to the composition root and starts the embedded demo server',
    owns: exactly('main/index.ts'),
    mayImport: [
      'main/shell',
      'main/app',
      'main/ipc',
      'main/services',
      'main/cache',
      'client',
      'common',
      'server',
    ],
  },
  {
    name: 'preload',
    rule: 'exposes the contract to the renderer; the contract only',
    owns: under('preload'),
    mayImport: ['common'],
  },
  {
    name: 'renderer build config',
    rule: "the renderer's Vite config runs at build time and injects the shell's CSP",
    owns: exactly('renderer/vite.config.ts'),
    mayImport: ['main/shell', 'common'],
  },
  {
    name: 'renderer',
    rule: 'the UI talks to the main process through the contract only',
    owns: under('renderer'),
    mayImport: ['common'],
  },
  {
    name: 'server',
    rule: 'the reference PAM server; beside the apps, the contract only',
    owns: under('server'),
    mayImport: ['common'],
  },
  {
    name: 'cli',
    rule: 'the command line, on the client core',
    owns: under('cli'),
    mayImport: ['client', 'common'],
  },
  {
    name: 'bin',
    rule: 'the npm entry points start the CLI or the server',
    owns: under('bin'),
    mayImport: ['cli', 'server'],
  },
  {
    name: 'scripts',
    rule: 'developer tools; they may run the products but not the Electron main process or the renderer',
    owns: under('scripts'),
    mayImport: ['common', 'client', 'server', 'cli'],
  },
];

/** Electron's API exists in the main process and the preload only; the rest stays testable in Node. */
const ELECTRON_LAYERS = ['main/shell', 'main/index.ts', 'preload'];
const ELECTRON_RULE = 'only main/shell/, main/index.ts and the preload import electron';

function report(violations: readonly Violation[]): string[] {
  return violations.map((violation) => `${violation.rule}: ${describeEdge(violation.edge)}`);
}

describe('layering of the production tree', () => {
  const files = listSourceFiles(ROOT, PRODUCTION);
  const edges = readImports(ROOT, files);

  it('reads the whole tree', () => {
    // Guards against a silently empty walk (a renamed folder) passing every check below.
    for (const folder of PRODUCTION)
      expect(
        files.some((file) => file.startsWith(`${folder}/`)),
        folder,
      ).toBe(true);
    expect(edges.some((edge) => edge.from.startsWith('main/') && edge.target?.startsWith('client/'))).toBe(
      true,
    );
  });

  it('every import points down the layer matrix', () => {
    expect(report(checkLayers(LAYERS, edges))).toEqual([]);
  });

  it('only the Electron-bound files import electron', () => {
    expect(report(checkPackage(LAYERS, edges, 'electron', ELECTRON_LAYERS, ELECTRON_RULE))).toEqual([]);
  });

  it('has no import cycle', () => {
    expect(findCycles(edges).map((cycle) => `import cycle: ${cycle.join(' → ')}`)).toEqual([]);
  });
});

describe('the layering checks themselves', () => {
  const edge = (from: string, specifier: string): ImportEdge => ({
    from,
    specifier,
    target: specifier.startsWith('.')
      ? path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier))
      : null,
    line: 1,
  });

  it('names the rule and the edge of a back-edge', () => {
    const backEdge = edge('main/cache/credentialCache.ts', '../services/ports.ts');
    expect(report(checkLayers(LAYERS, [backEdge]))).toEqual([
      "main/cache must not import main/services (the encrypted local cache; below the services): main/cache/credentialCache.ts:1 imports '../services/ports.ts'",
    ]);
  });

  it('refuses a file outside every layer and production code importing tests', () => {
    const rules = checkLayers(LAYERS, [
      edge('tools/x.ts', './y.ts'),
      edge('cli/main.ts', '../test/support/fakes.ts'),
    ]);
    expect(rules.map((violation) => violation.rule)).toEqual([
      'every production file belongs to a layer',
      'cli imports only production code (the command line, on the client core)',
    ]);
  });

  it('allows packages, assets and imports inside a layer', () => {
    const fine = [
      edge('main/index.ts', '../build/icon.png?asset'),
      edge('client/httpClient.ts', 'undici'),
      edge('server/http/app.ts', '../domain/pamError.ts'),
    ];
    expect(checkLayers(LAYERS, fine)).toEqual([]);
  });

  it('refuses electron outside the Electron-bound files', () => {
    const edges = [edge('main/services/x.ts', 'electron'), edge('main/shell/tray.ts', 'electron')];
    expect(
      checkPackage(LAYERS, edges, 'electron', ELECTRON_LAYERS, ELECTRON_RULE).map((v) => v.edge.from),
    ).toEqual(['main/services/x.ts']);
  });

  it('finds a cycle, however long, and only real ones', () => {
    const edges = [
      edge('client/pamBackend.ts', './checkoutDialect.ts'),
      edge('client/checkoutDialect.ts', './authSession.ts'),
      edge('client/authSession.ts', './pamBackend.ts'),
      edge('client/errors.ts', '../common/errors.ts'),
      edge('common/a.ts', './a.ts'),
    ];
    expect(findCycles(edges)).toEqual([
      ['client/authSession.ts', 'client/pamBackend.ts', 'client/checkoutDialect.ts', 'client/authSession.ts'],
      ['common/a.ts', 'common/a.ts'],
    ]);
  });
});
