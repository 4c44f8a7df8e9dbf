// Runs a read-then-write transaction: BEGIN IMMEDIATE on SQLite (so the busy timeout applies
// instead of SQLITE_BUSY_SNAPSHOT, see RELIABILITY.md), an ordinary transaction elsewhere.
import { type Kysely, SqliteAdapter, sql } from 'kysely';
import type { Database } from '../db/schema.ts';

export async function writeTransaction<T>(db: Kysely<Database>, fn: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) return db.transaction().execute(fn);
  return db.connection().execute(async (conn) => {
    await sql`begin immediate`.execute(conn);
    try {
      const result = await fn(conn);
      await sql`commit`.execute(conn);
      return result;
    } catch (error) {
      await sql`rollback`.execute(conn).catch(() => undefined);
      throw error;
    }
  });
}
