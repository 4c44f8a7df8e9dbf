// `bellwether migrate`: applies pending migrations and reports them.
import type { Command } from 'commander';
import { openDatabase } from '../../db/connect.ts';
import { migrate } from '../../db/migrate.ts';
import { readConfig } from '../../pipeline/runtime.ts';
import { CliError } from '../errors.ts';

export function registerMigrate(program: Command): void {
  program
    .command('migrate')
    .description('apply pending database migrations (also done by start)')
    .option('--db <url>', 'database (default: DATABASE_URL)')
    .action(async (opts: { db?: string }) => {
      const config = readConfig({ databaseUrl: opts.db });
      const handle = openDatabase(config.database);
      try {
        const outcome = await migrate(handle.db);
        for (const name of outcome.applied) process.stdout.write(`applied ${name}\n`);
        if (outcome.error)
          throw new CliError(
            `migration ${outcome.error.migration ?? '(unknown)'} failed and was rolled back: ${outcome.error.message}`,
            'migration_failed',
          );
        if (outcome.applied.length === 0) process.stdout.write('database is up to date\n');
      } finally {
        await handle.close();
      }
    });
}
