// vitest globalSetup: when BELLWETHER_TEST_DB=postgres, start a throwaway PostgreSQL cluster (or use
// BELLWETHER_TEST_PG_URL), migrate a template database once (each test's database is a copy of it: ~60 ms
// instead of ~500 ms of migrations), and hand the URL to the test files; stop the cluster when the run ends.
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../src/db/connect.ts';
import { migrateOrThrow } from '../../src/db/migrate.ts';
import { PG_TEMPLATE, startPgCluster } from '../helpers/postgres-cluster.ts';

async function makeTemplate(url: string): Promise<void> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`drop database if exists ${PG_TEMPLATE}`);
    await admin.query(`create database ${PG_TEMPLATE} template template0`);
  } finally {
    await admin.end();
  }
  const u = new URL(url);
  u.pathname = `/${PG_TEMPLATE}`;
  const handle = openDatabase({ kind: 'postgres', url: u.toString() });
  try {
    await migrateOrThrow(handle.db);
  } finally {
    await handle.close();
  }
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<(() => void) | undefined> {
  if (process.env.BELLWETHER_TEST_DB !== 'postgres') return undefined;
  const external = process.env.BELLWETHER_TEST_PG_URL;
  if (external) {
    await makeTemplate(external);
    project.provide('pgUrl', external);
    return undefined;
  }
  const cluster = await startPgCluster();
  try {
    await makeTemplate(cluster.url);
  } catch (error) {
    cluster.stop();
    throw error;
  }
  project.provide('pgUrl', cluster.url);
  return () => cluster.stop();
}
