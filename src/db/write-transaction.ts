// Read-then-write transactions. Every writer of the tracker goes through here.
// SQLite: BEGIN IMMEDIATE (a read-then-write must take the write lock up front, else SQLITE_BUSY_SNAPSHOT
// skips the busy timeout) and, optionally, synchronous=FULL so the commit is on disk before we act on it
// (e.g. send email). When another process holds the lock past the busy timeout, the BEGIN is retried after
// an async pause (the event loop keeps serving); past the last retry the caller gets the `busy` error.
// PostgreSQL: a READ COMMITTED transaction that first takes one transaction-scoped advisory lock,
// so writers are serialised exactly as BEGIN IMMEDIATE serialises them on SQLite (the stages rely
// on it: a feed's cluster updates, "write a snapshot unless one moved already"); a deadlock or
// serialization failure (possible against single-statement writers outside this function) rolls
// back and the whole unit is retried. Commits on PostgreSQL are durable (synchronous_commit=on).
import { type Kysely, PostgresAdapter, SqliteAdapter, sql } from 'kysely';
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

/** The advisory lock key every writeTransaction takes on PostgreSQL ("bellwether writer"). */
export const PG_WRITE_LOCK_KEY = 0x6277_7772;
/** Attempts of a PostgreSQL write unit that keeps hitting deadlocks or serialization failures. */
const PG_ATTEMPTS = 5;
/** SQLSTATE codes after which re-running the whole transaction is correct. */
const RETRYABLE = new Set(['40001', '40P01']);

export function isRetryablePgError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && RETRYABLE.has(code);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function writeTransaction<T>(db: Db, fn: (trx: Db) => Promise<T>, options: WriteOptions = {}): Promise<T> {
  const adapter = db.getExecutor().adapter;
  if (adapter instanceof PostgresAdapter) return pgWriteTransaction(db, fn);
  if (!(adapter instanceof SqliteAdapter)) return db.transaction().execute(fn);
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

async function pgWriteTransaction<T>(db: Db, fn: (trx: Db) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().execute(async (trx) => {
        await sql`select pg_advisory_xact_lock(${PG_WRITE_LOCK_KEY})`.execute(trx);
        return fn(trx);
      });
    } catch (error) {
      if (attempt >= PG_ATTEMPTS || !isRetryablePgError(error)) throw error;
      // A short, growing pause lets the other transaction finish (10, 20, 40, 80 ms).
      await new Promise((resolve) => setTimeout(resolve, 10 * 2 ** (attempt - 1)));
    }
  }
}
