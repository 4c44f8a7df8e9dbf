// Applies the dated migrations in migrations/; returns the outcome as data instead of throwing midway.
import { type Kysely, type Migration, type MigrationResultSet, Migrator } from 'kysely';
import { migrations as projectMigrations } from '../../migrations/index.ts';
import { DatabaseError } from './connect.ts';
import type { Database } from './schema.ts';

export interface MigrationOutcome {
  applied: string[];
  error: { migration: string | null; message: string } | null;
}

export async function migrate(
  db: Kysely<Database>,
  migrations: Record<string, Migration> = projectMigrations,
): Promise<MigrationOutcome> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
  });
  const { error, results }: MigrationResultSet = await migrator.migrateToLatest();
  const applied = (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
  if (error === undefined) return { applied, error: null };
  const failed = (results ?? []).find((r) => r.status === 'Error')?.migrationName ?? null;
  return { applied, error: { migration: failed, message: error instanceof Error ? error.message : String(error) } };
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
