// Applies the dated migrations in migrations/; returns the outcome as data instead of throwing midway.
import { type Kysely, type Migration, type MigrationResultSet, Migrator, PostgresAdapter, sql } from 'kysely';
import { migrations as projectMigrations } from '../../migrations/index.ts';
import { isSqliteBusy } from './busy.ts';
import { DatabaseError } from './connect.ts';
import type { Database } from './schema.ts';

export interface MigrationOutcome {
  applied: string[];
  error: { migration: string | null; message: string } | null;
}

async function migratorFor(db: Kysely<Database>, migrations: Record<string, Migration>): Promise<Migrator> {
  return new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableSchema: await currentPgSchema(db),
  });
}

/** How many times a migration run that met another writer's lock is tried, in all. */
const MIGRATE_BUSY_ATTEMPTS = 20;

export async function migrate(
  db: Kysely<Database>,
  migrations: Record<string, Migration> = projectMigrations,
): Promise<MigrationOutcome> {
  let migrator: Migrator;
  try {
    migrator = await migratorFor(db, migrations);
  } catch (error) {
    return { applied: [], error: { migration: null, message: error instanceof Error ? error.message : String(error) } };
  }
  // Kysely's migrator reads its bookkeeping tables, then writes, in one deferred transaction: when another
  // process commits between the two, SQLite answers SQLITE_BUSY(_SNAPSHOT) at once, without waiting out the
  // busy timeout. The failed run was rolled back whole, so run it again (the other writer's lock is brief).
  let run: MigrationResultSet = await migrator.migrateToLatest();
  for (let attempt = 1; attempt < MIGRATE_BUSY_ATTEMPTS && isSqliteBusy(run.error); attempt++) {
    await new Promise((r) => setTimeout(r, 20 * attempt + Math.random() * 50));
    run = await migrator.migrateToLatest();
  }
  const { error, results } = run;
  const applied = (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
  if (error === undefined) return { applied, error: null };
  const failed = (results ?? []).find((r) => r.status === 'Error')?.migrationName ?? null;
  return { applied, error: { migration: failed, message: error instanceof Error ? error.message : String(error) } };
}

/**
 * On PostgreSQL, the schema the tables live in (the first of search_path). Kysely's migrator looks
 * for its bookkeeping tables in every schema unless told which one, so a second Bellwether in
 * another schema of the same database would be taken for this one.
 */
async function currentPgSchema(db: Kysely<Database>): Promise<string | undefined> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return undefined;
  const r = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db);
  return r.rows[0]?.schema ?? 'public';
}

/** Migrates or throws one DatabaseError naming the failed migration (for start-up). */
export async function migrateOrThrow(db: Kysely<Database>, migrations?: Record<string, Migration>): Promise<string[]> {
  const outcome = await migrate(db, migrations);
  // A database migrated by a newer Bellwether: say that, rather than blame a migration of this one.
  const newer = outcome.error && /previously executed migration (\S+) is missing/.exec(outcome.error.message);
  if (newer) {
    throw new DatabaseError(
      'migration_failed',
      `the database was migrated by a newer Bellwether (its migration ${newer[1]} is unknown to this version): upgrade Bellwether, or restore a backup taken before the upgrade`,
    );
  }
  if (outcome.error) {
    throw new DatabaseError(
      'migration_failed',
      `migration ${outcome.error.migration ?? '(unknown)'} failed and was rolled back: ${outcome.error.message}`,
    );
  }
  return outcome.applied;
}

/** The project's migrations this database has not applied (for /readyz: empty when the schema is current). */
export async function pendingMigrations(
  db: Kysely<Database>,
  migrations: Record<string, Migration> = projectMigrations,
): Promise<string[]> {
  const all = await (await migratorFor(db, migrations)).getMigrations();
  return all.filter((m) => m.executedAt === undefined).map((m) => m.name);
}

/**
 * Checks, without applying anything, that every migration of this version has been applied (a web
 * instance: workers or `bellwether migrate` change the schema, web instances only read it); throws a
 * DatabaseError naming the first missing one.
 */
export async function requireMigrated(
  db: Kysely<Database>,
  migrations: Record<string, Migration> = projectMigrations,
): Promise<void> {
  const pending = await pendingMigrations(db, migrations);
  if (pending.length > 0)
    throw new DatabaseError(
      'migrations_pending',
      `the database is not migrated to this version (${pending.length} migration${pending.length === 1 ? '' : 's'} pending, the first ${pending[0]}): start a worker (start --role worker) or run \`bellwether migrate\` first`,
    );
}
