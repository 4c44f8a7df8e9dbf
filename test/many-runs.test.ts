// RELIABILITY.md 29: 1000 scheduler runs under an injected clock (each tick an hour later): the ingest
// job polls a local feed (a 304 after the first fetch, a new item every 50 runs) and the forecast job
// runs its cycle. Heap growth between run 200 and run 1000 stays under 10% after a full GC, and the
// process's active handles stay flat: nothing accumulates per run.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestJob, syncPackFeeds } from '../src/ingest/index.ts';
import { silentLogger } from '../src/logger.ts';
import { loadPack } from '../src/pack/load.ts';
import { runForecastCycle } from '../src/pipeline/pipeline.ts';
import { startScheduler } from '../src/scheduler/jobs.ts';
import { type FeedServer, startFeedServer } from './helpers/feed-server.ts';
import { rss, testDeps } from './helpers/ingest-feeds.ts';
import { writeMinimalPack } from './helpers/packs.ts';
import { type TempDb, openTempDb, tempDir } from './helpers/temp-db.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const RUNS = 1000;
let server: FeedServer;
let t: TempDb;
let items = 1;

beforeAll(async () => {
  server = await startFeedServer();
  // 304 when the client already has this version, else the feed with `items` items.
  server.route('/wire.xml', (req, res) => {
    const etag = `"v${items}"`;
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304).end();
      return;
    }
    const body = rss(
      Array.from({ length: items }, (_, i) => ({
        guid: `wire-${i}`,
        title: i % 2 ? `Trump and Putin to meet at a summit, report ${i}` : `Ceasefire talks, day ${i}`,
        pubDate: new Date(Date.now() - i * 60_000).toUTCString(),
      })),
    );
    res.writeHead(200, { 'content-type': 'application/rss+xml', etag }).end(body);
  });
  t = await openTempDb({ prefix: 'bw-many-runs-' });
});
afterAll(async () => {
  await server.close();
  await t.dispose();
});

describe(`${RUNS} scheduler runs`, () => {
  it('keep the heap and the active handles flat', async () => {
    const pack = loadPack(
      writeMinimalPack(tempDir('bw-many-runs-'), {
        feedsYaml: `feeds:\n  - { url: "${server.url('/wire.xml')}", tier: 1 }`,
      }),
    );
    await syncPackFeeds(t.db, pack.pack.feeds, new Date(), { intervalMinutes: 15 });
    const deps = testDeps(t.db);
    const cycle = { db: t.db, pack, log: silentLogger };
    let clock = Date.now();
    const scheduler = startScheduler({
      db: t.db,
      log: silentLogger,
      clock: () => new Date(clock),
      tickCron: '0 0 1 1 *',
      jobs: [
        ingestJob({
          ...deps,
          everyMs: 60_000,
          onRun: async () => void (await runForecastCycle(cycle, new Date(clock))),
        }),
        { name: 'forecast', everyMs: 3_600_000, run: async (now) => void (await runForecastCycle(cycle, now)) },
      ],
    });
    let heapAt200 = 0;
    let handlesAt200 = 0;
    for (let run = 1; run <= RUNS; run++) {
      clock += 3_600_000;
      if (run % 50 === 0) items++;
      await scheduler.tick(new Date(clock));
      if (run === 200) {
        gc();
        heapAt200 = process.memoryUsage().heapUsed;
        handlesAt200 = process.getActiveResourcesInfo().length;
      }
    }
    gc();
    const heap = process.memoryUsage().heapUsed;
    const handles = process.getActiveResourcesInfo().length;
    await scheduler.stop();
    const polled = server.hits('/wire.xml');
    const { n: stored } = await t.db
      .selectFrom('articles')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    process.stdout.write(
      `${RUNS} runs: ${polled} polls, ${stored} articles; heap ${(heapAt200 / 1e6).toFixed(1)} MB at run 200, ${(heap / 1e6).toFixed(1)} MB at run ${RUNS}; active handles ${handlesAt200} → ${handles}\n`,
    );
    expect(polled).toBeGreaterThanOrEqual(RUNS);
    expect(stored).toBe(items);
    expect(heap).toBeLessThan(heapAt200 * 1.1);
    expect(handles).toBeLessThanOrEqual(handlesAt200 + 2);
  }, 300_000);
});
