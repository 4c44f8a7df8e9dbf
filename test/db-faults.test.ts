// RELIABILITY.md 23 (DB faults) and 43 (backups while ingestion writes), on real SQLite files:
// - another process holds BEGIN IMMEDIATE past the busy timeout: the feed's run fails cleanly with the
//   `busy` message, no partial rows, and the next run stores everything;
// - the disk is full (PRAGMA max_page_count): the feed's transaction rolls back, the process lives on,
//   and the run after the space comes back stores everything;
// - db.backup() and VACUUM INTO while ingestion writes: both copies pass integrity_check, and a fresh
//   instance on the restored copy serves the API.
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/connect.ts';
import { runIngest } from '../src/ingest/index.ts';
import { createApp } from '../src/server/app.ts';
import { type FeedServer, startFeedServer } from './helpers/feed-server.ts';
import { numberedItems, rss, testDeps } from './helpers/ingest-feeds.ts';
import { loadPack } from '../src/pack/load.ts';
import { PACK_FILE, testDeps as serverDeps } from './helpers/seed.ts';
import { type TempDb, openTempDb } from './helpers/temp-db.ts';

const root = path.resolve(import.meta.dirname, '..');
const FEEDS = 6;
const ITEMS = 40;
let server: FeedServer;
let t: TempDb;
const children: ChildProcess[] = [];

beforeAll(async () => {
  server = await startFeedServer();
  for (let f = 0; f < FEEDS; f++)
    server.route(`/f/${f}.xml`, {
      headers: { 'content-type': 'application/rss+xml' },
      body: rss(numberedItems(f, ITEMS)),
    });
});
afterAll(async () => {
  await server.close();
});
afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
  await t?.dispose();
});

async function withFeeds(busyTimeoutMs?: number): Promise<TempDb> {
  t = await openTempDb({ prefix: 'bw-db-faults-' });
  const now = new Date().toISOString();
  await t.db
    .insertInto('feeds')
    .values(
      Array.from({ length: FEEDS }, (_, f) => ({
        url: server.url(`/f/${f}.xml`),
        tier: 2,
        poll_interval_minutes: 15,
        full_text: 0,
        origin: 'cli' as const,
        status: 'active' as const,
        consecutive_failures: 0,
        next_check_at: now,
        created_at: now,
      })),
    )
    .execute();
  if (busyTimeoutMs !== undefined) t.sqlite!.pragma(`busy_timeout = ${busyTimeoutMs}`);
  return t;
}

const count = (db: TempDb) => (db.sqlite!.prepare('SELECT count(*) AS n FROM articles').get() as { n: number }).n;

describe('another process holds the write lock past the busy timeout', () => {
  it('the run reports each feed as busy, stores no partial rows, and the next run stores everything', async () => {
    const db = await withFeeds(100);
    const holder = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/busy-writer.ts', db.file, '600000', '0'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(holder);
    await new Promise<void>((resolve) =>
      holder.stdout!.on('data', (d: Buffer) => (String(d).includes('writing') ? resolve() : undefined)),
    );
    const blocked = await runIngest(testDeps(db.db), { now: new Date(), all: true });
    expect(blocked.feeds.every((f) => f.status === 'error')).toBe(true);
    expect(blocked.feeds[0]!.error).toMatch(/database is busy/);
    expect(blocked.feeds.map((f) => f.error).join('\n')).not.toMatch(/SQLITE_BUSY/);
    holder.kill('SIGKILL');
    await new Promise((r) => holder.on('exit', r));
    expect(count(db)).toBe(0);
    const next = await runIngest(testDeps(db.db), { now: new Date(), all: true });
    expect(next.feeds.map((f) => f.status)).toEqual(Array(FEEDS).fill('ok'));
    expect(count(db)).toBe(FEEDS * ITEMS);
    expect(db.sqlite!.pragma('integrity_check', { simple: true })).toBe('ok');
  }, 60_000);
});

describe('the disk is full (max_page_count)', () => {
  it("rolls back the feed's transaction, keeps the process alive, and stores everything once there is room", async () => {
    const db = await withFeeds();
    const pages = db.sqlite!.pragma('page_count', { simple: true }) as number;
    db.sqlite!.pragma(`max_page_count = ${pages + 2}`);
    const full = await runIngest(testDeps(db.db), { now: new Date(), all: true });
    expect(full.feeds.some((f) => f.status === 'error' && /full/i.test(f.error ?? ''))).toBe(true);
    // All or nothing per feed: a feed has all its items or none.
    const perFeed = db.sqlite!.prepare('SELECT feed_id, count(*) AS n FROM articles GROUP BY feed_id').all() as {
      n: number;
    }[];
    for (const r of perFeed) expect(r.n).toBe(ITEMS);
    db.sqlite!.pragma('max_page_count = 1073741823');
    const next = await runIngest(testDeps(db.db), { now: new Date(), all: true });
    expect(next.feeds.every((f) => f.status === 'ok')).toBe(true);
    expect(count(db)).toBe(FEEDS * ITEMS);
    expect(db.sqlite!.pragma('integrity_check', { simple: true })).toBe('ok');
  }, 60_000);
});

describe('backups while ingestion writes', () => {
  it('db.backup() and VACUUM INTO copies pass integrity_check, and a restored copy serves the API', async () => {
    const db = await withFeeds();
    const writing = runIngest(testDeps(db.db), { now: new Date(), all: true });
    const copy = path.join(db.dir, 'backup.db');
    const vacuumed = path.join(db.dir, 'vacuum.db');
    await db.sqlite!.backup(copy);
    db.sqlite!.exec(`VACUUM INTO '${vacuumed}'`);
    await writing;
    for (const file of [copy, vacuumed]) {
      const restored = openDatabase({ kind: 'sqlite', file });
      try {
        expect(restored.sqlite!.pragma('integrity_check', { simple: true })).toBe('ok');
        const app = createApp(
          serverDeps({
            dir: path.dirname(file),
            url: file,
            handle: restored,
            sqlite: restored.sqlite!,
            pack: loadPack(PACK_FILE),
            close: async () => undefined,
          } as unknown as Parameters<typeof serverDeps>[0]),
        );
        for (const route of ['/api/v1/feeds', '/api/v1/scenarios', '/healthz'])
          expect((await app.request(route)).status, `${file} ${route}`).toBe(200);
      } finally {
        await restored.close();
      }
    }
  }, 60_000);
});
