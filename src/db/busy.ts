// SQLITE_BUSY and friends: another process holds the lock we need. Recognised here once, retried by
// writeTransaction, and turned into the `busy` error (exit 75, HTTP 503) when the retries run out, so a
// raw "SqliteError: database is locked" never reaches a user.
import { DatabaseError } from './connect.ts';

/** SQLITE_BUSY, SQLITE_BUSY_SNAPSHOT, SQLITE_BUSY_RECOVERY, SQLITE_BUSY_TIMEOUT, SQLITE_LOCKED, ... */
export function isSqliteBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^SQLITE_(BUSY|LOCKED)(_|$)/.test(code);
}

/** The user-facing error for a lock that stayed taken: what happened and what to do. */
export function busyError(cause: unknown, waitedMs?: number): DatabaseError {
  const waited = waitedMs ? ` for ${(waitedMs / 1000).toFixed(1)} s` : '';
  return new DatabaseError(
    'busy',
    `the database is busy: another process holds its write lock${waited} (${(cause as Error).message}); try again in a moment`,
    { cause },
  );
}

/** The error as the user should see it: a SQLITE_BUSY becomes the `busy` DatabaseError; anything else is kept. */
export function userFacingDbError(error: unknown): unknown {
  return isSqliteBusy(error) ? busyError(error) : error;
}
