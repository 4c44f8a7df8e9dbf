// vitest globalSetup: when BELLWETHER_TEST_DB=postgres, start a throwaway PostgreSQL cluster (or use
// BELLWETHER_TEST_PG_URL) and hand its URL to the test files; stop it when the run ends.
import type { TestProject } from 'vitest/node';
import { startPgCluster } from '../helpers/postgres-cluster.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<(() => void) | undefined> {
  if (process.env.BELLWETHER_TEST_DB !== 'postgres') return undefined;
  const external = process.env.BELLWETHER_TEST_PG_URL;
  if (external) {
    project.provide('pgUrl', external);
    return undefined;
  }
  const cluster = await startPgCluster();
  project.provide('pgUrl', cluster.url);
  return () => cluster.stop();
}
