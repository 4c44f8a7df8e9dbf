// Opens the database named by the config: SQLite (better-sqlite3, WAL) by default.
import { BellwetherError } from '../errors.ts';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteAdapter, SqliteDialect, sql } from 'kysely';
import type pgModule from 'pg';
import type { DatabaseTarget } from '../config/index.ts';
import type { Database } from './schema.ts';

export class DatabaseError extends BellwetherError<
  'unsupported' | 'open_failed' | 'migration_failed' | 'migrations_pending' | 'busy'
> {
  constructor(
    readonly code: 'unsupported' | 'open_failed' | 'migration_failed' | 'migrations_pending' | 'busy',
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
  /** Fails with a DatabaseError naming the database if it cannot be reached (a no-op on SQLite). */
  check(): Promise<void>;
}

export interface SqliteSettings {
  /** Milliseconds a writer waits for a lock before SQLITE_BUSY. */
  busyTimeoutMs?: number;
}

/** A scheme and `//` (`postgres://`, `sqlite://`): a URL, never a SQLite file path. */
const URL_SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

/**
 * SQLite settings: WAL so readers (the dashboard) never block the writer (ingestion);
 * synchronous=NORMAL is durable across process crashes in WAL mode (a power loss can lose
 * the last transactions, never corrupt); foreign keys on; a busy timeout for other processes.
 */
export function openSqlite(file: string, settings: SqliteSettings = {}): SQLite.Database {
  // A URL here was never parsed as one (parseDatabaseUrl sends postgres:// to PostgreSQL): opening it as a
  // path would create `postgres:/user@host:port/` beside the caller and a SQLite file in it.
  if (URL_SCHEME.test(file)) {
    throw new DatabaseError(
      'open_failed',
      `cannot open SQLite database ${redactDatabaseUrl(file)}: that is a URL, not a file path (give DATABASE_URL or --db a postgres:// URL to use PostgreSQL)`,
    );
  }
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

// pg returns int8 (count(*), sum() of integers) and numeric as strings, to keep precision past 2^53.
// Bellwether's ids and counts stay far below that, and the code (like SQLite's driver) expects numbers.
const PG_INT8 = 20;
const PG_NUMERIC = 1700;
const pgTypes = (pg: typeof pgModule) => ({
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === PG_INT8 || oid === PG_NUMERIC) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format);
  },
});

/**
 * pg, loaded the first time a PostgreSQL database is opened: a SQLite tracker (the default, and every CLI
 * command on it) never pays the ~0.1 s of CPU that loading pg costs. pg is CommonJS, so a synchronous require
 * keeps openDatabase synchronous.
 */
let pgLoaded: typeof pgModule | null = null;
function loadPg(): typeof pgModule {
  pgLoaded ??= createRequire(import.meta.url)('pg') as typeof pgModule;
  return pgLoaded;
}

/** Connection pool size for PostgreSQL (web requests and the scheduler share it). */
const PG_POOL_SIZE = 10;

/**
 * PostgreSQL through a pg Pool. Connections are opened lazily, so a bad URL or a down server is
 * reported by the first query (the migration at start-up), wrapped as open_failed.
 */
function openPostgres(url: string): DatabaseHandle {
  try {
    new URL(url);
  } catch (cause) {
    throw new DatabaseError('open_failed', `DATABASE_URL: not a valid PostgreSQL URL: ${redactDatabaseUrl(url)}`, {
      cause,
    });
  }
  const pg = loadPg();
  const pool = new pg.Pool({ connectionString: url, max: PG_POOL_SIZE, types: pgTypes(pg) });
  // An idle client losing its server (restart, network) emits 'error' on the pool; without a
  // listener that would crash the process. The next query gets a fresh connection.
  pool.on('error', () => undefined);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    kind: 'postgres',
    sqlite: null,
    async close() {
      await db.destroy();
    },
    async check() {
      try {
        await sql`select 1`.execute(db);
      } catch (cause) {
        throw new DatabaseError(
          'open_failed',
          `cannot connect to PostgreSQL at ${redactDatabaseUrl(url)}: ${(cause as Error).message}`,
          { cause },
        );
      }
    },
  };
}

/** The URL with its password replaced, for messages and logs. */
export function redactDatabaseUrl(url: string): string {
  return url.replace(/^(postgres(?:ql)?:\/\/[^:/@]*:)[^@]*@/i, '$1***@');
}

export function openDatabase(target: DatabaseTarget, settings: SqliteSettings = {}): DatabaseHandle {
  if (target.kind === 'postgres') return openPostgres(target.url);
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
    async check() {},
  };
}
