// Which database the suite runs against: SQLite files (default) or, with BELLWETHER_TEST_DB=postgres,
// a fresh schema per test database on the throwaway cluster test/setup/postgres.ts started. Every
// database-touching helper makes its database here, so one suite runs on both backends.
import path from 'node:path';
import pg from 'pg';
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
  /** Drops the PostgreSQL schema (close every handle on it first); SQLite files go with their directory. */
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

/** A database URL whose connections work in `schema` (search_path set at connect). */
export function withSearchPath(url: string, schema: string): string {
  const u = new URL(url);
  u.searchParams.set('options', `-c search_path=${schema}`);
  return u.toString();
}

/** A new, empty database: `dir/file` on SQLite, a new schema on PostgreSQL. */
export async function createTestDatabase(dir: string, file = 'test.db'): Promise<TestDatabase> {
  if (!onPostgres) {
    const full = path.join(dir, file);
    return { kind: 'sqlite', url: full, target: { kind: 'sqlite', file: full }, drop: async () => undefined };
  }
  const schema = `t_${process.pid}_${++seq}_${Math.random().toString(36).slice(2, 8)}`;
  await (await adminPool()).query(`create schema "${schema}"`);
  const url = withSearchPath(await clusterUrl(), schema);
  return {
    kind: 'postgres',
    url,
    target: { kind: 'postgres', url },
    async drop() {
      await (await adminPool()).query(`drop schema if exists "${schema}" cascade`);
    },
  };
}
