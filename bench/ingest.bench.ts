// Ingest benchmark: 200 feeds × 50 items served from 127.0.0.1 → cold ingest (wall time, new
// items/s end to end), an all-304 re-poll, peak RSS, and bare rss-parser parseString on the same
// bytes for comparison. Prints figures; asserts nothing. Run: npx tsx bench/ingest.bench.ts
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Parser from 'rss-parser';
import { openDatabase } from '../src/db/connect.ts';
import { migrateOrThrow } from '../src/db/migrate.ts';
import { runIngest } from '../src/ingest/index.ts';
import { startFeedServer } from '../test/helpers/feed-server.ts';
import { localFeedRows, numberedItems, rss, testDeps } from '../test/helpers/ingest-feeds.ts';

const FEEDS = Number(process.env.BENCH_FEEDS ?? 200);
const ITEMS = Number(process.env.BENCH_ITEMS ?? 50);
const HOSTS = 50;

function feedBodies(): string[] {
  return Array.from({ length: FEEDS }, (_, f) =>
    rss(numberedItems(f, ITEMS, `https://site${f % HOSTS}.example`), `Feed ${f}`),
  );
}

/** The feed server runs in a child process, so the figures are the ingesting process's own. */
async function serveFeeds(): Promise<void> {
  const server = await startFeedServer();
  for (const [f, body] of feedBodies().entries()) {
    const etag = `"f${f}-v1"`;
    server.route(`/feeds/${f}.xml`, (req, res) => {
      if (req.headers['if-none-match'] === etag) res.writeHead(304, { etag }).end();
      else res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', etag }).end(body);
    });
  }
  process.send?.({ port: server.port });
  process.on('disconnect', () => void server.close().then(() => process.exit(0)));
}

async function main(): Promise<void> {
  const child = fork(new URL(import.meta.url).pathname, [], {
    env: { ...process.env, BENCH_ROLE: 'server' },
    execArgv: ['--import', 'tsx'],
  });
  const port = await new Promise<number>((resolve) => child.once('message', (m: { port: number }) => resolve(m.port)));
  const dir = mkdtempSync(path.join(tmpdir(), 'bw-bench-'));
  const handle = openDatabase({ kind: 'sqlite', file: path.join(dir, 'bench.db') });
  await migrateOrThrow(handle.db);
  const now = new Date();
  await handle.db
    .insertInto('feeds')
    .values(
      localFeedRows(
        Array.from({ length: FEEDS }, (_, f) => `http://feeds${f % HOSTS}.bench:${port}/feeds/${f}.xml`),
        now,
      ),
    )
    .execute();

  global.gc?.();
  const baseRss = process.memoryUsage.rss();
  let peakRss = baseRss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 20);
  const deps = testDeps(handle.db);

  let t = performance.now();
  const cpu0 = process.cpuUsage();
  const cold = await runIngest(deps, { now, all: true });
  const coldMs = performance.now() - t;
  const cpu = process.cpuUsage(cpu0);
  const coldCpuMs = (cpu.user + cpu.system) / 1000;
  const newItems = cold.feeds.reduce((n, f) => n + f.new, 0);
  const failed = cold.feeds.filter((f) => f.status !== 'ok');

  t = performance.now();
  const warm = await runIngest(deps, { now: new Date(now.getTime() + 20 * 60_000), all: true });
  const warmMs = performance.now() - t;
  const notModified = warm.feeds.filter((f) => f.status === 'not_modified').length;
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage.rss());

  // Generated only now: 7.4 MB of strings held through the run would count as the ingest's RSS.
  const bodies = feedBodies();
  const parser = new Parser();
  t = performance.now();
  let parsedItems = 0;
  for (const b of bodies) parsedItems += (await parser.parseString(b)).items.length;
  const bareMs = performance.now() - t;

  const clusters = await handle.db
    .selectFrom('story_clusters')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const mb = (n: number) => (n / 1024 / 1024).toFixed(0);
  const lines = [
    `feeds × items          ${FEEDS} × ${ITEMS} (${(bodies.reduce((n, b) => n + b.length, 0) / 1024 / 1024).toFixed(1)} MB of RSS, ${HOSTS} host names on 127.0.0.1)`,
    `cold ingest            ${coldMs.toFixed(0)} ms, ${newItems} new items (${failed.length} feeds not ok), ${Number(clusters.n)} clusters`,
    `cold items/s           ${(newItems / (coldMs / 1000)).toFixed(0)}  (target ≥ 4000)`,
    `cold CPU               ${coldCpuMs.toFixed(0)} ms in this process (${(newItems / (coldCpuMs / 1000)).toFixed(0)} items per CPU-second)`,
    `all-304 re-poll        ${warmMs.toFixed(0)} ms for ${notModified}/${FEEDS} feeds answering 304  (target < 500 ms)`,
    `peak RSS               ${mb(peakRss)} MB (process maxRSS ${mb(process.resourceUsage().maxRSS * 1024)} MB, feed server in a child process; ${mb(baseRss)} MB before ingesting)  (target < 200 MB)`,
    `bare parseString       ${bareMs.toFixed(0)} ms for ${parsedItems} items (${(parsedItems / (bareMs / 1000)).toFixed(0)} items/s)`,
    `ingest / parseString   ${(coldMs / bareMs).toFixed(2)}× the time of parsing alone`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  await handle.close();
  child.disconnect();
  rmSync(dir, { recursive: true, force: true });
}

if (process.env.BENCH_ROLE === 'server') await serveFeeds();
else await main();
