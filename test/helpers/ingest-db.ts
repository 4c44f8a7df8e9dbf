// A migrated SQLite database in a fresh temp dir for ingest tests (a real file, WAL like production).
import { openTempDb as openMigratedTempDb, type TempDb } from './temp-db.ts';

export type { TempDb };

export function openTempDb(prefix = 'bw-ingest-'): Promise<TempDb> {
  return openMigratedTempDb({ prefix });
}
