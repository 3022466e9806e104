/**
 * Reads the imports of the production tree with a real parser (oxc, as rolldown ships it — the
 * parser Vite builds the app with), checks each edge against the layer matrix and finds import
 * cycles (Tarjan's strongly connected components). Regexes would miss multi-line imports, type-only
 * re-exports and dynamic imports; the parser does not.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseSync } from 'rolldown/utils';

/** One import, re-export or literal dynamic import. */
export interface ImportEdge {
  /** The importing file, relative to the repository root (forward slashes). */
  from: string;
  /** As written in the source. */
  specifier: string;
  /** Resolved repository-relative path for a relative specifier; null for a package. */
  target: string | null;
  line: number;
}

export interface Layer {
  name: string;
  /** Why the layer exists, and what it may use (printed with a violation). */
  rule: string;
  owns(file: string): boolean;
  /** The layers (by name) this one may import, besides itself. */
  mayImport: readonly string[];
}

export interface Violation {
  rule: string;
  edge: ImportEdge;
}

const SOURCE_FILE = /\.(ts|tsx|mts|cts|js|mjs|cjs)$/;

export function listSourceFiles(root: string, folders: readonly string[]): string[] {
  const files: string[] = [];
  const walk = (relative: string) => {
    const absolute = path.join(root, relative);
    if (!fs.existsSync(absolute)) return;
    if (fs.statSync(absolute).isFile()) {
      if (SOURCE_FILE.test(relative)) files.push(toPosix(relative));
      return;
    }
    for (const entry of fs.readdirSync(absolute, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name === 'out') continue;
      walk(path.join(relative, entry.name));
    }
  };
  for (const folder of folders) walk(folder);
  return files.sort();
}

/** Every import edge of `files`; throws when a file does not parse or imports a computed path. */
export function readImports(root: string, files: readonly string[]): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const file of files) {
    const source = fs.readFileSync(path.join(root, file), 'utf8');
    const parsed = parseSync(file, source);
    if (parsed.errors.length > 0) throw new Error(`${file} does not parse: ${parsed.errors[0]?.message}`);
    const lineOf = (offset: number) => source.slice(0, offset).split('\n').length;
    const add = (specifier: string, offset: number) =>
      edges.push({ from: file, specifier, target: resolve(file, specifier), line: lineOf(offset) });

    for (const item of parsed.module.staticImports) add(item.moduleRequest.value, item.start);
    for (const item of parsed.module.staticExports)
      for (const entry of item.entries) if (entry.moduleRequest) add(entry.moduleRequest.value, item.start);
    for (const item of parsed.module.dynamicImports) {
      const written = source.slice(item.moduleRequest.start, item.moduleRequest.end);
      const literal = /^(['"`])([^'"`$]*)\1$/.exec(written);
      if (!literal?.[2])
        throw new Error(
          `${file}:${lineOf(item.start)} imports a computed path (${written}); the layers cannot check it`,
        );
      add(literal[2], item.start);
    }
  }
  return edges;
}

function resolve(from: string, specifier: string): string | null {
  if (!specifier.startsWith('.')) return null;
  const withoutQuery = specifier.replace(/\?.*$/, '');
  return toPosix(path.posix.normalize(path.posix.join(path.posix.dirname(from), withoutQuery)));
}

function toPosix(file: string): string {
  return file.split(path.sep).join('/');
}

/** The package name of a bare specifier ('@scope/name/sub' → '@scope/name'; 'node:fs' stays). */
export function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

export function layerOf(layers: readonly Layer[], file: string): Layer | undefined {
  return layers.find((layer) => layer.owns(file));
}

/** Edges between our files that the matrix forbids, plus files that belong to no layer. */
export function checkLayers(layers: readonly Layer[], edges: readonly ImportEdge[]): Violation[] {
  const violations: Violation[] = [];
  for (const edge of edges) {
    const from = layerOf(layers, edge.from);
    if (!from) {
      violations.push({ rule: 'every production file belongs to a layer', edge });
      continue;
    }
    if (edge.target === null || !SOURCE_FILE.test(edge.target)) continue; // a package, or an asset
    const to = layerOf(layers, edge.target);
    if (!to) {
      violations.push({ rule: `${from.name} imports only production code (${from.rule})`, edge });
      continue;
    }
    if (to !== from && !from.mayImport.includes(to.name))
      violations.push({ rule: `${from.name} must not import ${to.name} (${from.rule})`, edge });
  }
  return violations;
}

/** Edges importing `pkg` from a file outside the layers named in `allowed`. */
export function checkPackage(
  layers: readonly Layer[],
  edges: readonly ImportEdge[],
  pkg: string,
  allowed: readonly string[],
  rule: string,
): Violation[] {
  return edges
    .filter((edge) => edge.target === null && packageOf(edge.specifier) === pkg)
    .filter((edge) => !allowed.includes(layerOf(layers, edge.from)?.name ?? ''))
    .map((edge) => ({ rule, edge }));
}

/**
 * The import cycles among our files: each strongly connected component of more than one file (or a
 * file importing itself), as one cycle through it, e.g. ['a.ts', 'b.ts', 'a.ts'].
 */
export function findCycles(edges: readonly ImportEdge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const edge of edges) {
    if (edge.target === null) continue;
    next.set(edge.from, [...(next.get(edge.from) ?? []), edge.target]);
    if (!next.has(edge.target)) next.set(edge.target, []);
  }
  return stronglyConnected(next)
    .filter(
      (component) =>
        component.length > 1 || (next.get(component[0] ?? '') ?? []).includes(component[0] ?? ''),
    )
    .map((component) => cycleWithin(component, next));
}

/** Tarjan's algorithm, iterative so a deep import chain cannot overflow the stack. */
function stronglyConnected(next: ReadonlyMap<string, readonly string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  let counter = 0;
  for (const start of [...next.keys()].sort()) {
    if (index.has(start)) continue;
    const work: { node: string; child: number }[] = [{ node: start, child: 0 }];
    index.set(start, counter);
    low.set(start, counter++);
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const frame = work[work.length - 1] as { node: string; child: number };
      const children = next.get(frame.node) ?? [];
      if (frame.child < children.length) {
        const child = children[frame.child++] as string;
        if (!index.has(child)) {
          index.set(child, counter);
          low.set(child, counter++);
          stack.push(child);
          onStack.add(child);
          work.push({ node: child, child: 0 });
        } else if (onStack.has(child)) {
          low.set(frame.node, Math.min(low.get(frame.node) as number, index.get(child) as number));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent)
        low.set(parent.node, Math.min(low.get(parent.node) as number, low.get(frame.node) as number));
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: string[] = [];
        let member: string | undefined;
        do {
          member = stack.pop() as string;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.node);
        components.push(component.sort());
      }
    }
  }
  return components;
}

/** One concrete cycle inside a strongly connected component (breadth-first back to its first file). */
function cycleWithin(component: readonly string[], next: ReadonlyMap<string, readonly string[]>): string[] {
  const members = new Set(component);
  const start = component[0] as string;
  const cameFrom = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift() as string;
    for (const child of next.get(node) ?? []) {
      if (!members.has(child)) continue;
      if (child === start) {
        const path = [node];
        while (path[0] !== start) path.unshift(cameFrom.get(path[0] as string) as string);
        return [...path, start];
      }
      if (!cameFrom.has(child)) {
        cameFrom.set(child, node);
        queue.push(child);
      }
    }
  }
  return [...component, start];
}

export function describeEdge(edge: ImportEdge): string {
  return `${edge.from}:${edge.line} imports '${edge.specifier}'`;
}
