// Child process for the hostile-feed suite: adds the feeds given in argv, runs one ingest under the
// limits given, and prints one JSON line: per-feed results, the process's peak RSS (worker threads
// included) and the worst event-loop delay seen during the run.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseDatabaseUrl } from '../../src/config/index.ts';
import { openDatabase } from '../../src/db/connect.ts';
import { migrateOrThrow } from '../../src/db/migrate.ts';
import { addFeed, runIngest } from '../../src/ingest/index.ts';
import type { IngestLimits } from '../../src/ingest/limits.ts';
import { testDeps } from './ingest-feeds.ts';

const [file, spec] = process.argv.slice(2);
if (!file || !spec) throw new Error('usage: hostile-ingest-child.ts DB_FILE_OR_URL JSON({feeds, limits})');
const { feeds, limits } = JSON.parse(spec) as { feeds: string[]; limits: Partial<IngestLimits> };
const handle = openDatabase(parseDatabaseUrl(file, process.cwd()));
await migrateOrThrow(handle.db);
const now = new Date();
for (const url of feeds) await addFeed(handle.db, { url, tier: 3 }, now, true);
const lag = monitorEventLoopDelay({ resolution: 10 });
lag.enable();
const run = await runIngest({ ...testDeps(handle.db), limits }, { now, all: true });
lag.disable();
await handle.close();
process.stdout.write(
  `${JSON.stringify({
    now: now.toISOString(),
    feeds: run.feeds,
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    loopMaxMs: Math.round(lag.max / 1e6),
  })}\n`,
);
