/**
 * Issue 16's "done when": two nodes on one PostgreSQL pass the seed scenarios against either
 * node. The same suite as test/server/seedScenarios.test.ts, with each user signed in on one node
 * and every request of every user sent to the nodes in turn, so that each step reads what the
 * step before wrote through the other node.
 */
import { afterAll, beforeAll } from 'vitest';
import { describeSeedScenarios } from '../server/seedScenarioSuite.ts';
import { startTestNodes, type TestNodes } from '../support/testNodes.ts';
import { apiRequest, type Session } from '../support/testServer.ts';

let cluster: TestNodes;
let turn = 0;

beforeAll(async () => {
  cluster = await startTestNodes(2);
});
afterAll(() => cluster?.stop());

/** The next node in turn, over all users' requests. */
const nextNode = () => cluster.nodes[turn++ % cluster.nodes.length]!;

async function spreadSession(username: string): Promise<Session> {
  const session = await nextNode().as(username);
  return {
    ...session,
    request: (method, url, body, headers = {}) =>
      apiRequest(nextNode().url, method, url, body, { tokenId: session.token, ...headers }),
  };
}

describeSeedScenarios('the seeds’ three examples, each request on the other node', spreadSession);
