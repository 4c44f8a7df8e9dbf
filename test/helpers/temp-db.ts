// Test helper: a real SQLite database file in a fresh temporary directory, migrated.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type DatabaseHandle, openDatabase } from '../../src/db/connect.ts';
import { migrateOrThrow } from '../../src/db/migrate.ts';

export interface TempDb extends DatabaseHandle {
  dir: string;
  file: string;
  /** Closes the database and deletes its directory. */
  dispose(): Promise<void>;
}

export function tempDir(prefix = 'bellwether-test-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

export async function openTempDb(options: { migrate?: boolean; prefix?: string } = {}): Promise<TempDb> {
  const dir = tempDir(options.prefix);
  const file = path.join(dir, 'test.db');
  const handle = openDatabase({ kind: 'sqlite', file });
  if (options.migrate !== false) await migrateOrThrow(handle.db);
  return {
    ...handle,
    dir,
    file,
    async dispose() {
      await handle.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
