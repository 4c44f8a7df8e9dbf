// Read-then-write transactions: BEGIN IMMEDIATE on SQLite (a read-then-write must take the write
// lock up front, else SQLITE_BUSY_SNAPSHOT skips the busy timeout) and, optionally, synchronous=FULL
// so the commit is on disk before we act on it (e.g. send email). Shared by ingest and alerts.
import { type Kysely, SqliteAdapter, sql } from 'kysely';
import type { Database } from './schema.ts';

type Db = Kysely<Database>;

export interface WriteOptions {
  /** fsync the WAL at this commit (and thereby every earlier commit, alert rows included). */
  durable?: boolean;
}

export async function writeTransaction<T>(db: Db, fn: (trx: Db) => Promise<T>, options: WriteOptions = {}): Promise<T> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  if (!sqlite) return db.transaction().execute(fn);
  // One connection for the whole unit: Kysely's SQLite driver serialises users of its connection.
  return db.connection().execute(async (conn) => {
    if (options.durable) await sql`PRAGMA synchronous = FULL`.execute(conn);
    try {
      await sql`BEGIN IMMEDIATE`.execute(conn);
      try {
        const out = await fn(conn);
        await sql`COMMIT`.execute(conn);
        return out;
      } catch (error) {
        await sql`ROLLBACK`.execute(conn).catch(() => undefined);
        throw error;
      }
    } finally {
      if (options.durable) await sql`PRAGMA synchronous = NORMAL`.execute(conn);
    }
  });
}
