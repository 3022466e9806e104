/**
 * Vitest global setup of the `postgres` project: one throw-away cluster for the whole run (each
 * test server then gets a database of its own on it), stopped and removed at the end.
 */
import type { TestProject } from 'vitest/node';
import { startPostgresCluster } from '../../scripts/postgresCluster.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The cluster's maintenance database URL; test databases are created through it. */
    postgresAdminUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const cluster = await startPostgresCluster();
  project.provide('postgresAdminUrl', cluster.url());
  return () => cluster.stop();
}
