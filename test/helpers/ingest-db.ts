// A migrated SQLite database in a fresh temp dir for ingest tests (a real file, WAL like production), and the
// usual set-up of an ingest test file: one local feed server, a fresh database per test.
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { type FeedServer, startFeedServer } from './feed-server.ts';
import { openTempDb as openMigratedTempDb, type TempDb } from './temp-db.ts';

export type { TempDb };

export function openTempDb(prefix = 'bw-ingest-'): Promise<TempDb> {
  return openMigratedTempDb({ prefix });
}

/**
 * Registers the hooks of an ingest test file: a local feed server for the whole file (its routes and counts reset
 * before each test) and a freshly migrated database for each test, disposed after it. Read `server` and `t` inside
 * tests and hooks: they are set by the hooks.
 */
export function useFeedServerAndDb(): { server: FeedServer; t: TempDb } {
  const ctx = {} as { server: FeedServer; t: TempDb };
  beforeAll(async () => {
    ctx.server = await startFeedServer();
  });
  afterAll(async () => ctx.server.close());
  beforeEach(async () => {
    ctx.t = await openTempDb();
    ctx.server.reset();
  });
  afterEach(async () => ctx.t.dispose());
  return ctx;
}
