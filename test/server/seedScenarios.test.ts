import { afterAll, beforeAll } from 'vitest';
import { startTestServer, type TestServer } from '../support/testServer.ts';
import { describeSeedScenarios } from './seedScenarioSuite.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

describeSeedScenarios('the seeds’ three examples over HTTP', (username) => server.as(username));
