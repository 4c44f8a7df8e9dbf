// `bellwether db`: moving and keeping a tracker's data. `db copy` moves a whole tracker between databases
// (SQLite ⇄ PostgreSQL); `db backup` is SQLite's online backup (backup.ts).
import { realpathSync } from 'node:fs';
import type { Command } from 'commander';
import { type DatabaseTarget, parseDatabaseUrl } from '../../config/index.ts';
import { ConfigError } from '../../config/config-error.ts';
import { openDatabase, redactDatabaseUrl } from '../../db/connect.ts';
import { copyDatabase } from '../../db/copy.ts';
import { isBellwetherError } from '../../errors.ts';
import { CliError } from '../errors.ts';
import { printJson } from '../json-output.ts';
import { addBackupCommand } from './backup.ts';

const PREFIX = 'bellwether db copy';

function target(flag: string, value: string): DatabaseTarget {
  try {
    return parseDatabaseUrl(value, process.cwd());
  } catch (error) {
    if (error instanceof ConfigError) throw new CliError(`${PREFIX}: ${flag}: ${error.reason}`, 'usage');
    throw error;
  }
}

const shown = (t: DatabaseTarget) => (t.kind === 'sqlite' ? t.file : redactDatabaseUrl(t.url));

/** The same database named twice (the same file, or the same server, database and options). */
function sameDatabase(a: DatabaseTarget, b: DatabaseTarget): boolean {
  if (a.kind === 'sqlite' && b.kind === 'sqlite') {
    const real = (f: string) => {
      try {
        return realpathSync(f);
      } catch {
        return f;
      }
    };
    return real(a.file) === real(b.file);
  }
  if (a.kind === 'postgres' && b.kind === 'postgres') {
    const key = (u: string) => {
      const p = new URL(u);
      return `${p.hostname}:${p.port || '5432'}${p.pathname}${p.search}`;
    };
    return key(a.url) === key(b.url);
  }
  return false;
}

function registerCopy(db: Command): void {
  db.command('copy')
    .description(
      'copy a whole tracker into another database (SQLite ⇄ PostgreSQL): migrates the target, keeps ids, checks row counts',
    )
    .requiredOption('--from <url>', 'the database to copy: a SQLite file, sqlite: URL or postgres:// URL')
    .requiredOption('--to <url>', 'the database to copy into (migrated first; it must hold no rows unless --replace)')
    .option('--replace', "delete the target's rows first instead of refusing a target that holds data")
    .option('--batch <rows>', 'rows per read and per insert', '1000')
    .option('--json', 'print the result as one JSON document')
    .action(async (opts: { from: string; to: string; replace?: boolean; batch: string; json?: boolean }) => {
      const from = target('--from', opts.from);
      const to = target('--to', opts.to);
      const batchRows = Number(opts.batch);
      if (!Number.isInteger(batchRows) || batchRows < 1)
        throw new CliError(`${PREFIX}: --batch: expected a whole number of rows above 0 (got "${opts.batch}")`);
      if (sameDatabase(from, to))
        throw new CliError(`${PREFIX}: --from and --to name the same database (${shown(from)})`, 'same_database');
      const source = openDatabase(from);
      const dest = openDatabase(to);
      try {
        const started = Date.now();
        const result = await copyDatabase(source, dest, { replace: opts.replace, batchRows });
        const ms = Date.now() - started;
        const out = { from: shown(from), to: shown(to), ...result, ms };
        if (opts.json) printJson(out);
        else {
          for (const t of result.tables) process.stdout.write(`  ${t.table.padEnd(24)} ${t.rows}\n`);
          process.stdout.write(
            `copied ${result.rows} rows in ${result.tables.length} tables from ${out.from} to ${out.to} in ${(ms / 1000).toFixed(1)} s (row counts checked)\n`,
          );
        }
      } catch (error) {
        throw isBellwetherError(error) ? CliError.wrap(`${PREFIX}: `, error) : error;
      } finally {
        await source.close();
        await dest.close();
      }
    });
}

export function registerDb(program: Command): void {
  const db = program
    .command('db')
    .description('move and keep the data: copy a tracker between databases (SQLite ⇄ PostgreSQL), back up SQLite');
  registerCopy(db);
  addBackupCommand(db, 'backup', 'bellwether db backup');
}
