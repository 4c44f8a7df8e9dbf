// `bellwether migrate`: applies pending migrations and reports them.
import type { Command } from 'commander';
import { openDatabase } from '../../db/connect.ts';
import { migrateOrThrow } from '../../db/migrate.ts';
import { readConfig } from '../../pipeline/runtime.ts';

export function registerMigrate(program: Command): void {
  program
    .command('migrate')
    .description('apply pending database migrations (also done by start)')
    .option('--db <url>', 'database (default: DATABASE_URL)')
    .action(async (opts: { db?: string }) => {
      const config = readConfig({ databaseUrl: opts.db });
      const handle = openDatabase(config.database);
      try {
        // A failed migration is rolled back and named (a DatabaseError: one line, exit 1).
        const applied = await migrateOrThrow(handle.db);
        for (const name of applied) process.stdout.write(`applied ${name}\n`);
        if (applied.length === 0) process.stdout.write('database is up to date\n');
      } finally {
        await handle.close();
      }
    });
}
