// A migrated SQLite database in a fresh temp dir for ingest tests (a real file, WAL like production).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type DatabaseHandle, openDatabase } from '../../src/db/connect.ts';
import { migrateOrThrow } from '../../src/db/migrate.ts';

export interface TempDb extends DatabaseHandle {
  dir: string;
  file: string;
  /** Closes the database and deletes the temp dir. */
  dispose(): Promise<void>;
}

export async function openTempDb(prefix = 'bw-ingest-'): Promise<TempDb> {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  const file = path.join(dir, 'bellwether.db');
  const handle = openDatabase({ kind: 'sqlite', file });
  await migrateOrThrow(handle.db);
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
