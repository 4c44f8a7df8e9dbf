// `bellwether db backup FILE` (and its older spelling `bellwether backup FILE`): SQLite's online backup
// (better-sqlite3 `db.backup()`), safe while the tracker writes; copying the database file itself is not (the
// WAL holds committed pages the file does not). PostgreSQL is backed up with its own tools (pg_dump).
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { openDatabase, redactDatabaseUrl } from '../../db/connect.ts';
import { readConfig } from '../../pipeline/runtime.ts';
import { CliError } from '../errors.ts';
import { printJson } from '../json-output.ts';

const DESCRIPTION = 'write a consistent copy of the SQLite database to FILE while the tracker runs';

/** Adds the backup command as `parent`'s sub-command `name`; `shownAs` prefixes its messages. */
export function addBackupCommand(parent: Command, name: string, shownAs: string, description = DESCRIPTION): void {
  parent
    .command(name)
    .description(description)
    .argument('<file>', 'the copy to write (must not exist yet)')
    .option('--db <url>', 'database (default: DATABASE_URL)')
    .option('--json', 'print the result as one JSON document')
    .action(async (file: string, opts: { db?: string; json?: boolean }) => {
      const target = path.resolve(file);
      const config = readConfig({ databaseUrl: opts.db });
      if (config.database.kind === 'postgres')
        throw new CliError(
          `${shownAs}: ${redactDatabaseUrl(config.database.url)} is PostgreSQL, which this command cannot back up: use pg_dump (pg_dump -Fc -d URL -f ${file}; restore with pg_restore), see docs/operations.md`,
          'unsupported',
        );
      if (existsSync(target)) throw new CliError(`${shownAs}: ${target} already exists (choose a new file)`, 'exists');
      const handle = openDatabase(config.database);
      try {
        const started = Date.now();
        const progress = await handle.sqlite!.backup(target);
        const ms = Date.now() - started;
        const result = { source: config.database.file, file: target, pages: progress.totalPages, ms };
        if (opts.json) printJson(result);
        else process.stdout.write(`backed up ${result.source} to ${target} (${result.pages} pages in ${ms} ms)\n`);
      } catch (error) {
        throw new CliError(`${shownAs}: cannot write ${target}: ${(error as Error).message}`, 'backup_failed', {
          cause: error,
        });
      } finally {
        await handle.close();
      }
    });
}

/** `bellwether backup`: kept so scripts and cron lines written before `db backup` keep working. */
export function registerBackup(program: Command): void {
  addBackupCommand(program, 'backup', 'bellwether backup', `${DESCRIPTION} (the same as \`bellwether db backup\`)`);
}
