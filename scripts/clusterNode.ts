/**
 * One `coffre-server` node of a cluster on one PostgreSQL database, as its own process: the
 * command line and environment every node of `npm run cluster:demo` and of the kill-a-node test
 * (test/cluster/killNode.test.ts) is started with, so both start nodes the same way.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';

const BIN = path.resolve(import.meta.dirname, '../bin/coffre-server.js');
const READY = /ready at (http:\/\/[\d.]+:\d+)/;

export interface ClusterNodeOptions {
  /** 0: any free port. A node restarted after a crash is given its old port back. */
  port: number;
  databaseUrl: string;
  /** `--data`: where a node keeps what is not in the database (SQLite is not used with --database). */
  dataDir: string;
  /** Base64, the same on every node: secrets sealed by one node are read by the others. */
  masterKey: string;
  /** Seeds the demo once in an empty database (nodes started together race, one wins). */
  demo?: boolean;
  logLevel?: 'error' | 'warn' | 'info';
  /** Each line the node prints on its standard output (the ready line included). */
  onLine?: (line: string) => void;
}

export interface ClusterNode {
  process: ChildProcess;
  /** Resolves with the node's URL when it printed its ready line; rejects if it exits first. */
  ready: Promise<string>;
  /** Resolves when the process has exited, however. */
  exited: Promise<void>;
}

/** The arguments after `node`: the server's binary and its options. */
export function clusterNodeArgs(options: ClusterNodeOptions): string[] {
  return [
    BIN,
    ...(options.demo === false ? [] : ['--demo']),
    '--port',
    String(options.port),
    '--data',
    options.dataDir,
    '--database',
    options.databaseUrl,
    '--log-level',
    options.logLevel ?? 'warn',
  ];
}

export function startClusterNode(options: ClusterNodeOptions): ClusterNode {
  const child = spawn(process.execPath, clusterNodeArgs(options), {
    stdio: ['ignore', 'pipe', 'pipe'],
    // The master key by environment, never on a command line other users can read (ps).
    env: { ...process.env, COFFRE_MASTER_KEY: options.masterKey },
  });
  const stderr: string[] = [];
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr.push(chunk);
    if (options.onLine) process.stderr.write(chunk);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = new Promise<string>((resolve, reject) => {
    child.once('exit', (code, signal) =>
      reject(new Error(`node exited (${code ?? signal}) before it was ready: ${stderr.join('').trim()}`)),
    );
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      options.onLine?.(line);
      const match = line.match(READY);
      if (match) resolve(match[1]!);
    });
  });
  // A node killed later must not leave an unhandled rejection behind.
  ready.catch(() => undefined);
  return { process: child, ready, exited };
}
