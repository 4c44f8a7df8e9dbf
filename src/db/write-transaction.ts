// Read-then-write transactions: BEGIN IMMEDIATE on SQLite (a read-then-write must take the write
// lock up front, else SQLITE_BUSY_SNAPSHOT skips the busy timeout) and, optionally, synchronous=FULL
// so the commit is on disk before we act on it (e.g. send email). Every writer of the tracker goes
// through here. When another process holds the lock past the busy timeout, the BEGIN is retried after
// an async pause (the event loop keeps serving); past the last retry the caller gets the `busy` error.
import { type Kysely, SqliteAdapter, sql } from 'kysely';
import { busyError, isSqliteBusy } from './busy.ts';
import type { Database } from './schema.ts';

type Db = Kysely<Database>;

export interface RetryOptions {
  /** BEGIN IMMEDIATE attempts (each waits up to the connection's busy timeout). Default 4. */
  attempts?: number;
  /** Pause before the second attempt, doubled for each next one. Default 200 ms. */
  delayMs?: number;
}

export interface WriteOptions {
  /** fsync the WAL at this commit (and thereby every earlier commit, alert rows included). */
  durable?: boolean;
  retry?: RetryOptions;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function writeTransaction<T>(db: Db, fn: (trx: Db) => Promise<T>, options: WriteOptions = {}): Promise<T> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  if (!sqlite) return db.transaction().execute(fn);
  const attempts = Math.max(1, options.retry?.attempts ?? 4);
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    // One connection for the whole unit: Kysely's SQLite driver serialises users of its connection.
    const outcome = await db.connection().execute(async (conn): Promise<{ out: T } | { busy: unknown }> => {
      if (options.durable) await sql`PRAGMA synchronous = FULL`.execute(conn);
      try {
        try {
          await sql`BEGIN IMMEDIATE`.execute(conn);
        } catch (error) {
          if (isSqliteBusy(error)) return { busy: error };
          throw error;
        }
        try {
          const out = await fn(conn);
          await sql`COMMIT`.execute(conn);
          return { out };
        } catch (error) {
          await sql`ROLLBACK`.execute(conn).catch(() => undefined);
          throw isSqliteBusy(error) ? busyError(error, Date.now() - started) : error;
        }
      } finally {
        if (options.durable) await sql`PRAGMA synchronous = NORMAL`.execute(conn);
      }
    });
    if ('out' in outcome) return outcome.out;
    // The connection is released while we wait, so this process's own readers go on meanwhile.
    if (attempt >= attempts) throw busyError(outcome.busy, Date.now() - started);
    await sleep((options.retry?.delayMs ?? 200) * 2 ** (attempt - 1));
  }
}
