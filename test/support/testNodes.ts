import { randomBytes } from 'node:crypto';
import { ManualClock } from '../../server/domain/clock.ts';
import { startTestServer, type TestServer, testDatabase } from './testServer.ts';

export interface TestNodes {
  nodes: TestServer[];
  databaseUrl: string;
  /** The one hand-set clock of all nodes (one process, so "the same time" is exact). */
  clock: ManualClock;
  masterKey: string;
  /** Starts one more node on the same database. */
  addNode(options?: { sweepIntervalMs?: number }): Promise<TestServer>;
  stop(): Promise<void>;
}

/**
 * Several server nodes on one fresh PostgreSQL database, started together (so they race to
 * migrate and to seed the demo, as real nodes would), sharing the master key.
 */
export async function startTestNodes(
  count: number,
  options: { demo?: boolean; sweepIntervalMs?: number } = {},
): Promise<TestNodes> {
  const database = await testDatabase();
  const clock = new ManualClock(Date.now());
  const masterKey = randomBytes(32).toString('base64');
  const nodes: TestServer[] = [];
  const addNode = async (nodeOptions: { sweepIntervalMs?: number } = {}) => {
    const node = await startTestServer({
      demo: options.demo ?? true,
      logLevel: 'warn',
      node: {
        databaseUrl: database.url,
        clock,
        masterKey,
        sweepIntervalMs: nodeOptions.sweepIntervalMs ?? options.sweepIntervalMs ?? 0,
      },
    });
    nodes.push(node);
    return node;
  };
  await Promise.all(Array.from({ length: count }, () => addNode()));
  return {
    nodes,
    databaseUrl: database.url,
    clock,
    masterKey,
    addNode,
    async stop() {
      await Promise.all(nodes.map((node) => node.stop().catch(() => undefined)));
      await database.drop();
    },
  };
}
