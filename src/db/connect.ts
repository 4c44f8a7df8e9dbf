// Opens the database named by the config: SQLite (better-sqlite3, WAL) by default.
import { BellwetherError } from '../errors.ts';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteAdapter, SqliteDialect } from 'kysely';
import type { DatabaseTarget } from '../config/index.ts';
import type { Database } from './schema.ts';

export class DatabaseError extends BellwetherError<'unsupported' | 'open_failed' | 'migration_failed' | 'busy'> {
  constructor(
    readonly code: 'unsupported' | 'open_failed' | 'migration_failed' | 'busy',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface DatabaseHandle {
  readonly db: Kysely<Database>;
  readonly kind: 'sqlite' | 'postgres';
  /** The raw SQLite connection, for backups and pragmas; null on PostgreSQL. */
  readonly sqlite: SQLite.Database | null;
  close(): Promise<void>;
}

export interface SqliteSettings {
  /** Milliseconds a writer waits for a lock before SQLITE_BUSY. */
  busyTimeoutMs?: number;
}

/**
 * SQLite settings: WAL so readers (the dashboard) never block the writer (ingestion);
 * synchronous=NORMAL is durable across process crashes in WAL mode (a power loss can lose
 * the last transactions, never corrupt); foreign keys on; a busy timeout for other processes.
 */
export function openSqlite(file: string, settings: SqliteSettings = {}): SQLite.Database {
  let raw: SQLite.Database | null = null;
  try {
    if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
    raw = new SQLite(file);
    // The first pragma reads the file's header: a file that is not a database fails here, at start-up.
    raw.pragma('journal_mode = WAL');
    raw.pragma('synchronous = NORMAL');
    raw.pragma('foreign_keys = ON');
    raw.pragma(`busy_timeout = ${settings.busyTimeoutMs ?? 5000}`);
    return raw;
  } catch (cause) {
    raw?.close();
    const e = cause as NodeJS.ErrnoException;
    const why =
      e.code === 'ENOTDIR' || e.code === 'EEXIST'
        ? `${path.dirname(file)} is not a folder`
        : e.code === 'EACCES'
          ? `permission denied (${e.path ?? file})`
          : e.message;
    throw new DatabaseError('open_failed', `cannot open SQLite database ${file}: ${why}`, { cause });
  }
}

/**
 * SQLite does run DDL inside transactions; Kysely's adapter says it does not, which would make
 * the migrator skip its transaction and leave a half-applied migration behind on failure.
 */
class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

class BellwetherSqliteDialect extends SqliteDialect {
  override createAdapter(): SqliteAdapter {
    return new TransactionalDdlSqliteAdapter();
  }
}

const rawConnections = new WeakMap<Kysely<Database>, SQLite.Database>();

/**
 * The better-sqlite3 connection behind a Kysely instance made by openDatabase (null otherwise):
 * hot paths run cached prepared statements on it, inside a transaction Kysely opened on that
 * same single connection (Kysely's SQLite driver prepares every query afresh).
 */
export function rawSqliteOf(db: Kysely<Database>): SQLite.Database | null {
  return rawConnections.get(db) ?? null;
}

export function openDatabase(target: DatabaseTarget, settings: SqliteSettings = {}): DatabaseHandle {
  if (target.kind === 'postgres') {
    throw new DatabaseError(
      'unsupported',
      'DATABASE_URL: PostgreSQL is not supported yet (expected a SQLite file path or sqlite: URL)',
    );
  }
  const sqlite = openSqlite(target.file, settings);
  const db = new Kysely<Database>({ dialect: new BellwetherSqliteDialect({ database: sqlite }) });
  rawConnections.set(db, sqlite);
  return {
    db,
    kind: 'sqlite',
    sqlite,
    async close() {
      await db.destroy();
    },
  };
}
