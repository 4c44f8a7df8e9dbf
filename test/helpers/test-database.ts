// Which database the suite runs against: SQLite files (default) or, with BELLWETHER_TEST_DB=postgres,
// a fresh database per test database on the throwaway cluster test/setup/postgres.ts started (a copy
// of its migrated template, or an empty one). Every database-touching helper makes its database here,
// so one suite runs on both backends.
import path from 'node:path';
import pg from 'pg';
import { PG_TEMPLATE } from './postgres-cluster.ts';
import type { DatabaseTarget } from '../../src/config/index.ts';

export type TestDbKind = 'sqlite' | 'postgres';
export const TEST_DB_KIND: TestDbKind = process.env.BELLWETHER_TEST_DB === 'postgres' ? 'postgres' : 'sqlite';
/** True in the PostgreSQL pass: tests of SQLite-only behaviour (pragmas, files, WAL) skip themselves. */
export const onPostgres = TEST_DB_KIND === 'postgres';

export interface TestDatabase {
  kind: TestDbKind;
  /** The DATABASE_URL value naming it (a file path on SQLite), for child processes and loadConfig. */
  url: string;
  target: DatabaseTarget;
  /** Drops the PostgreSQL database (closing its connections); SQLite files go with their directory. */
  drop(): Promise<void>;
}

let admin: pg.Pool | null = null;
let seq = 0;

/** The cluster's URL from the globalSetup; vitest is imported only here, so child processes can load this file. */
async function clusterUrl(): Promise<string> {
  const { inject } = await import('vitest');
  return inject('pgUrl');
}

async function adminPool(): Promise<pg.Pool> {
  admin ??= new pg.Pool({ connectionString: await clusterUrl(), max: 2, allowExitOnIdle: true });
  return admin;
}

/**
 * A new database: `dir/file` on SQLite (created empty by whoever opens it); on PostgreSQL a new database,
 * already migrated (a copy of the template) unless `empty` (then the first migration does it all).
 */
export async function createTestDatabase(
  dir: string,
  file = 'test.db',
  options: { empty?: boolean } = {},
): Promise<TestDatabase> {
  if (!onPostgres) {
    const full = path.join(dir, file);
    return { kind: 'sqlite', url: full, target: { kind: 'sqlite', file: full }, drop: async () => undefined };
  }
  const name = `t_${process.pid}_${++seq}_${Math.random().toString(36).slice(2, 8)}`;
  await (await adminPool()).query(`create database "${name}" template ${options.empty ? 'template0' : PG_TEMPLATE}`);
  const u = new URL(await clusterUrl());
  u.pathname = `/${name}`;
  const url = u.toString();
  return {
    kind: 'postgres',
    url,
    target: { kind: 'postgres', url },
    async drop() {
      await (await adminPool()).query(`drop database if exists "${name}" with (force)`);
    },
  };
}
