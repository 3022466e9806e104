/**
 * `npm run cluster:demo`: two Coffre server nodes on one PostgreSQL, on this machine, to try the
 * multi-node setup. Starts a throw-away PostgreSQL cluster (the installed PostgreSQL's binaries,
 * data in a temporary directory), then two `coffre-server --demo` nodes on ports 8086 and 8087
 * sharing it and one master key. Ctrl-C stops everything and removes the cluster.
 *
 * Kill one node (its pid is printed) and watch a client given both URLs go on with the other:
 *   coffre login --server http://127.0.0.1:8086,http://127.0.0.1:8087 --username bob
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startPostgresCluster } from './postgresCluster.ts';

const PORTS = [8086, 8087];
const bin = path.resolve(import.meta.dirname, '../bin/coffre-server.js');

const cluster = await startPostgresCluster();
const databaseUrl = await cluster.createDatabase();
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'coffre-cluster-demo-'));
const masterKey = randomBytes(32).toString('base64');
console.log(`PostgreSQL: ${databaseUrl}`);

const nodes: ChildProcess[] = PORTS.map((port) => {
  const child = spawn(
    process.execPath,
    [
      bin,
      '--demo',
      '--port',
      String(port),
      '--data',
      dataDir,
      '--database',
      databaseUrl,
      '--log-level',
      'warn',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, COFFRE_MASTER_KEY: masterKey } },
  );
  child.stdout!.on('data', (chunk: Buffer) =>
    process.stdout.write(`[node ${port}, pid ${child.pid}] ${chunk}`),
  );
  child.once('exit', (code, signal) => console.log(`[node ${port}] exited (${code ?? signal})`));
  return child;
});
console.log(
  `Clients: --server ${PORTS.map((port) => `http://127.0.0.1:${port}`).join(',')}   (Ctrl-C stops all)`,
);

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await Promise.all(
    nodes.map(
      (node) =>
        new Promise<void>((resolve) => {
          if (node.exitCode !== null || node.signalCode !== null) return resolve();
          node.once('exit', () => resolve());
          node.kill('SIGTERM');
        }),
    ),
  );
  await cluster.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
  process.exit(0);
}
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
