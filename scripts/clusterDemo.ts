/**
 * `npm run cluster:demo`: two Coffre server nodes on one PostgreSQL, on this machine, to try the
 * multi-node setup. Starts a throw-away PostgreSQL cluster (the installed PostgreSQL's binaries,
 * data in a temporary directory), then two `coffre-server --demo` nodes on ports 8086 and 8087
 * sharing it and one master key (scripts/clusterNode.ts, as the kill-a-node test starts them).
 * Ctrl-C stops everything and removes the cluster.
 *
 * Kill one node (its pid is printed) and watch a client given both URLs go on with the other:
 *   coffre login --server http://127.0.0.1:8086,http://127.0.0.1:8087 --username bob
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type ClusterNode, startClusterNode } from './clusterNode.ts';
import { startPostgresCluster } from './postgresCluster.ts';

const PORTS = [8086, 8087];

const cluster = await startPostgresCluster();
const databaseUrl = await cluster.createDatabase();
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'coffre-cluster-demo-'));
const masterKey = randomBytes(32).toString('base64');
console.log(`PostgreSQL: ${databaseUrl}`);

const nodes: ClusterNode[] = PORTS.map((port) => {
  const node: ClusterNode = startClusterNode({
    port,
    databaseUrl,
    dataDir,
    masterKey,
    onLine: (line) => console.log(`[node ${port}, pid ${node.process.pid}] ${line}`),
  });
  node.exited.then(() =>
    console.log(`[node ${port}] exited (${node.process.exitCode ?? node.process.signalCode})`),
  );
  return node;
});
await Promise.all(nodes.map((node) => node.ready)).catch((error: Error) => console.error(error.message));
console.log(
  `Clients: --server ${PORTS.map((port) => `http://127.0.0.1:${port}`).join(',')}   (Ctrl-C stops all)`,
);

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  for (const node of nodes) {
    if (node.process.exitCode === null && node.process.signalCode === null) node.process.kill('SIGTERM');
  }
  await Promise.all(nodes.map((node) => node.exited));
  await cluster.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
  process.exit(0);
}
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
