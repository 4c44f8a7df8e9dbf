// Scale benchmark helper (not a benchmark itself): a cold ingest of FEEDS × ITEMS new items from local feed
// XML (a feed server in a child process, 50 host names on 127.0.0.1) through the real ingest path into the
// database given as DATABASE_URL, then bare rss-parser parseString of the same bytes. Prints one JSON line.
import { fork } from 'node:child_process';
import Parser from 'rss-parser';
import { loadConfig } from '../src/config/index.ts';
import { openDatabase } from '../src/db/connect.ts';
import { runIngest } from '../src/ingest/index.ts';
import { startFeedServer } from '../test/helpers/feed-server.ts';
import { localFeedRows, numberedItems, rss, testDeps } from '../test/helpers/ingest-feeds.ts';

const FEEDS = Number(process.env.BENCH_INGEST_FEEDS ?? 2000);
const ITEMS = 50;
const HOSTS = 50;

const feedBodies = () =>
  Array.from({ length: FEEDS }, (_, f) =>
    rss(numberedItems(900_000 + f, ITEMS, `https://scale${f % HOSTS}.example`), `Bench feed ${f}`),
  );

async function serveFeeds(): Promise<void> {
  const server = await startFeedServer();
  for (const [f, body] of feedBodies().entries())
    server.route(`/feeds/${f}.xml`, (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' }).end(body);
    });
  process.send?.({ port: server.port });
  process.on('disconnect', () => void server.close().then(() => process.exit(0)));
}

async function main(databaseUrl: string, nowIso: string): Promise<void> {
  const child = fork(new URL(import.meta.url).pathname, [], {
    env: { ...process.env, BENCH_ROLE: 'server' },
    execArgv: ['--import', 'tsx'],
  });
  const port = await new Promise<number>((resolve) => child.once('message', (m: { port: number }) => resolve(m.port)));
  const handle = openDatabase(loadConfig({ DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent' }).database);
  const now = new Date(nowIso);
  const rows = localFeedRows(
    Array.from({ length: FEEDS }, (_, f) => `http://feeds${f % HOSTS}.scale:${port}/feeds/${f}.xml`),
    now,
  );
  for (let i = 0; i < rows.length; i += 500)
    await handle.db
      .insertInto('feeds')
      .values(rows.slice(i, i + 500))
      .execute();
  const t = performance.now();
  const cpu0 = process.cpuUsage();
  const cold = await runIngest(testDeps(handle.db), { now });
  const ingestMs = performance.now() - t;
  const cpu = process.cpuUsage(cpu0);
  const bodies = feedBodies();
  const parser = new Parser();
  await parser.parseString(bodies[0]!);
  const p = performance.now();
  let parsed = 0;
  for (const b of bodies) parsed += (await parser.parseString(b)).items.length;
  const parseMs = performance.now() - p;
  process.stdout.write(
    `${JSON.stringify({
      feeds: FEEDS,
      items: FEEDS * ITEMS,
      megabytes: bodies.reduce((n, b) => n + b.length, 0) / 1048576,
      newItems: cold.feeds.reduce((n, f) => n + f.new, 0),
      feedsNotOk: cold.feeds.filter((f) => f.status !== 'ok').length,
      polled: cold.feeds.length,
      ingestMs,
      ingestCpuMs: (cpu.user + cpu.system) / 1000,
      parseMs,
      parsed,
    })}\n`,
  );
  await handle.close();
  child.disconnect();
}

if (process.env.BENCH_ROLE === 'server') await serveFeeds();
else await main(process.argv[2]!, process.argv[3]!);
