// Test helper: a real database in a fresh temporary directory, migrated: a SQLite file, or a fresh
// PostgreSQL database when the suite runs on PostgreSQL (test-database.ts).
import { rmSync } from 'node:fs';
import type { DatabaseTarget } from '../../src/config/index.ts';
import { type DatabaseHandle, openDatabase } from '../../src/db/connect.ts';
import { migrateOrThrow } from '../../src/db/migrate.ts';
import { tempDir } from './temp-dir.ts';
import { createTestDatabase } from './test-database.ts';

export interface TempDb extends DatabaseHandle {
  dir: string;
  /** The SQLite file (on PostgreSQL: the database URL, as `url`). */
  file: string;
  /** The DATABASE_URL value of this database: the file path on SQLite, its URL on PostgreSQL. */
  url: string;
  /** What to pass to openDatabase for another connection (another process) to the same database. */
  target: DatabaseTarget;
  /** Closes the database and deletes its directory (and its PostgreSQL database). */
  dispose(): Promise<void>;
}

export { tempDir };

export async function openTempDb(options: { migrate?: boolean; prefix?: string } = {}): Promise<TempDb> {
  const dir = tempDir(options.prefix);
  const made = await createTestDatabase(dir, 'test.db', { empty: options.migrate === false });
  const handle = openDatabase(made.target);
  if (options.migrate !== false) await migrateOrThrow(handle.db);
  return {
    ...handle,
    dir,
    file: made.url,
    url: made.url,
    target: made.target,
    async dispose() {
      await handle.close();
      await made.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
