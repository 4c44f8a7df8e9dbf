// Builds what every command needs (config, logger, migrated database, loaded pack) and tears it down.
import type { Kysely } from 'kysely';
import { type Config, loadConfig, loadDotEnv } from '../config/index.ts';
import { type DatabaseHandle, openDatabase } from '../db/connect.ts';
import { migrateOrThrow, requireMigrated } from '../db/migrate.ts';
import type { Database } from '../db/schema.ts';
import { type Clock, systemClock } from '../clock.ts';
import { createLogger, type Logger } from '../logger.ts';
import { type LoadedPack, formatProblem } from '../pack/load.ts';
import { loadPacks } from '../pack/load-packs.ts';

export interface Runtime {
  config: Config;
  log: Logger;
  handle: DatabaseHandle;
  db: Kysely<Database>;
  /** The default question (the first of `packs`): what single-question commands work on. */
  pack: LoadedPack;
  /** Every question this instance tracks (PACKS), the default first; pack ids are unique. */
  packs: readonly LoadedPack[];
  /** The clock every command reads "now" from (the system's, unless a test or replay injects one). */
  now: Clock;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Override the pack file (CLI --pack). */
  packFile?: string;
  /** Override PACKS (CLI --packs): pack files and folders, comma-separated, the default question first. */
  packs?: string;
  /** Override the database (CLI --db). */
  databaseUrl?: string;
  /** Override the clock (tests). */
  now?: Clock;
  /** Override the role (CLI `start --role`). */
  role?: string;
}

export function readConfig(options: RuntimeOptions = {}): Config {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  if (!options.env) loadDotEnv(cwd, env);
  const merged = {
    ...env,
    ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
    // --pack names the one question a command works on, in place of PACKS.
    ...(options.packFile ? { PACK: options.packFile, PACKS: undefined } : {}),
    // --packs lists every question in place of PACKS (and of PACK, which may not be set beside it).
    ...(options.packs ? { PACKS: options.packs, PACK: undefined } : {}),
    ...(options.role ? { ROLE: options.role } : {}),
  };
  return loadConfig(merged, cwd);
}

export async function openRuntime(options: RuntimeOptions = {}): Promise<Runtime> {
  const config = readConfig(options);
  const log = createLogger(config.logLevel, undefined, { format: config.logFormat });
  const packs = loadPacks(config.packFiles, options.cwd ?? process.cwd());
  for (const p of packs) for (const w of p.warnings) log.warn(`pack warning: ${formatProblem(p.file, w)}`);
  const pack = packs[0]!;
  const handle = openDatabase(config.database, { busyTimeoutMs: config.dbBusyTimeoutMs });
  try {
    await handle.check();
    if (config.role === 'web') {
      // A web instance reads: it checks the schema is current and leaves changing it to workers.
      await requireMigrated(handle.db);
    } else {
      const applied = await migrateOrThrow(handle.db);
      if (applied.length > 0) log.info(`applied migrations: ${applied.join(', ')}`);
    }
  } catch (error) {
    await handle.close();
    throw error;
  }
  if (handle.sqlite) {
    // The settings durability rests on, as the database reports them (RELIABILITY.md 44); logged once the
    // database is known good, so a start-up that fails says one line and nothing else.
    const pragma = (name: string) => String(handle.sqlite!.pragma(name, { simple: true }));
    log.info(
      `database: SQLite ${config.database.kind === 'sqlite' ? config.database.file : ''} (journal_mode=${pragma('journal_mode')}, synchronous=${['off', 'normal', 'full', 'extra'][Number(pragma('synchronous'))] ?? pragma('synchronous')} (FULL for outbox commits), busy_timeout=${pragma('busy_timeout')} ms, foreign_keys=${pragma('foreign_keys')})`,
    );
  }
  // Closing twice (a command's finally after a failed start already closed it) is harmless.
  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => (closing ??= handle.close());
  return { config, log, handle, db: handle.db, pack, packs, now: options.now ?? systemClock, close };
}
