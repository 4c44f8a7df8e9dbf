// `bellwether backup FILE`: SQLite's online backup (better-sqlite3 `db.backup()`), safe while the tracker
// writes; copying the database file itself is not (the WAL holds committed pages the file does not).
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { openDatabase } from '../../db/connect.ts';
import { readConfig } from '../../pipeline/runtime.ts';
import { CliError } from '../errors.ts';

export function registerBackup(program: Command): void {
  program
    .command('backup')
    .description('write a consistent copy of the SQLite database to FILE while the tracker runs')
    .argument('<file>', 'the copy to write (must not exist yet)')
    .option('--db <url>', 'database (default: DATABASE_URL)')
    .option('--json', 'print the result as one JSON document')
    .action(async (file: string, opts: { db?: string; json?: boolean }) => {
      const target = path.resolve(file);
      if (existsSync(target))
        throw new CliError(`bellwether backup: ${target} already exists (choose a new file)`, 'exists');
      const config = readConfig({ databaseUrl: opts.db });
      const handle = openDatabase(config.database);
      try {
        if (!handle.sqlite)
          throw new CliError('bellwether backup: only SQLite databases can be backed up this way', 'unsupported');
        const started = Date.now();
        const progress = await handle.sqlite.backup(target);
        const ms = Date.now() - started;
        const result = {
          source: config.database.kind === 'sqlite' ? config.database.file : '',
          file: target,
          pages: progress.totalPages,
          ms,
        };
        if (opts.json) process.stdout.write(`${JSON.stringify(result)}\n`);
        else process.stdout.write(`backed up ${result.source} to ${target} (${result.pages} pages in ${ms} ms)\n`);
      } catch (error) {
        if (error instanceof CliError) throw error;
        throw new CliError(`bellwether backup: cannot write ${target}: ${(error as Error).message}`, 'backup_failed', {
          cause: error,
        });
      } finally {
        await handle.close();
      }
    });
}
