// RELIABILITY.md 40: child processes ingesting many local feeds (two at a time, racing for the
// same feeds through their leases) are killed with SIGKILL at random points, then restarted: integrity_check stays ok, each feed's transaction is all-or-nothing, no
// committed item is ever lost, nothing is duplicated, and a final run fills every gap.
import { type ChildProcess, spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/connect.ts';
import { type FeedServer, startFeedServer } from './helpers/feed-server.ts';
import { type TempDb, openTempDb } from './helpers/ingest-db.ts';
import { KILLS } from './helpers/crash.ts';
import { localFeedRows, numberedItems, rss } from './helpers/ingest-feeds.ts';

const FEEDS = 40;
const ITEMS = 60;
/** Children started together per round (they also race for the same feeds' leases). */
const PARALLEL = 2;
/** Children started in all: three rounds of two in `npm test`, 20 with `npm run test:soak` (BELLWETHER_CRASH_KILLS). */
const TRIALS = PARALLEL * Math.max(3, Math.ceil(KILLS / PARALLEL));
let server: FeedServer;
let t: TempDb;

beforeAll(async () => {
  server = await startFeedServer();
  for (let f = 0; f < FEEDS; f++)
    server.route(`/crash/${f}.xml`, {
      status: 200,
      headers: { 'content-type': 'application/rss+xml' },
      body: rss(numberedItems(f, ITEMS)),
    });
  t = await openTempDb('bw-ingest-crash-');
  await t.db
    .insertInto('feeds')
    .values(
      localFeedRows(
        Array.from({ length: FEEDS }, (_, f) => `http://crash${f % 10}.test:${server.port}/crash/${f}.xml`),
        new Date(),
      ),
    )
    .execute();
  await t.close();
});
afterAll(async () => {
  await server.close();
  await t.dispose().catch(() => undefined);
});

function startChild(): { child: ChildProcess; started: Promise<void>; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/ingest-crash-child.ts', t.file], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const started = new Promise<void>((resolve) =>
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('start\n')) resolve();
    }),
  );
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, started: Promise.race([started, exited.then(() => undefined)]), exited };
}

interface State {
  rows: Set<string>;
  perFeed: Map<number, number>;
  succeeded: Set<number>;
}

async function inspect(): Promise<State> {
  const h = openDatabase(t.target);
  try {
    if (h.sqlite) expect(h.sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
    const rows = await h.db
      .selectFrom('articles')
      .select(['feed_id', 'guid_hash', 'canonical_url', 'cluster_id'])
      .execute();
    const dupes = await h.db
      .selectFrom('articles')
      .select(['feed_id', 'canonical_url'])
      .groupBy(['feed_id', 'canonical_url'])
      .having((eb) => eb.fn.countAll(), '>', 1)
      .execute();
    expect(dupes).toEqual([]);
    const clusters = new Set((await h.db.selectFrom('story_clusters').select('id').execute()).map((c) => c.id));
    expect(rows.every((r) => r.cluster_id !== null && clusters.has(r.cluster_id))).toBe(true);
    const perFeed = new Map<number, number>();
    for (const r of rows) perFeed.set(r.feed_id!, (perFeed.get(r.feed_id!) ?? 0) + 1);
    const feeds = await h.db.selectFrom('feeds').select(['id', 'last_success_at']).execute();
    const succeeded = new Set(feeds.filter((f) => f.last_success_at !== null).map((f) => f.id));
    // All-or-nothing per feed: its items and its health update commit together.
    for (const f of feeds) expect([f.id, perFeed.get(f.id) ?? 0]).toEqual([f.id, succeeded.has(f.id) ? ITEMS : 0]);
    return { rows: new Set(rows.map((r) => `${r.feed_id}:${r.guid_hash}`)), perFeed, succeeded };
  } finally {
    await h.close();
  }
}

describe('kill -9 during ingestion', () => {
  it(`survives ${TRIALS} SIGKILLs at random points with nothing lost, nothing duplicated, integrity ok`, async () => {
    let previous = await inspect();
    let partial = 0;
    let killed = 0;
    for (let round = 0; round < TRIALS / PARALLEL; round++) {
      const children = Array.from({ length: PARALLEL }, () => startChild());
      await Promise.all(
        children.map(async ({ child, started, exited }) => {
          await started;
          await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 1200)));
          if (child.exitCode === null && child.kill('SIGKILL')) killed++;
          await exited;
        }),
      );
      const state = await inspect();
      for (const key of previous.rows) expect(state.rows.has(key), `committed item ${key} lost`).toBe(true);
      if (state.succeeded.size > previous.succeeded.size && state.succeeded.size < FEEDS) partial++;
      previous = state;
      // Every few rounds, forget half the feeds so later rounds still have work in flight to kill.
      if (round % 2 === 1) {
        const h = openDatabase(t.target);
        await h.db
          .deleteFrom('articles')
          .where('feed_id', '>', FEEDS / 2)
          .execute();
        await h.db
          .updateTable('feeds')
          .set({ last_success_at: null })
          .where('id', '>', FEEDS / 2)
          .execute();
        await h.close();
        previous = await inspect();
      }
    }
    const { exited } = startChild();
    expect(await exited).toBe(0);
    const final = await inspect();
    expect(final.succeeded.size).toBe(FEEDS);
    expect(final.rows.size).toBe(FEEDS * ITEMS);
    process.stdout.write(
      `crash test: ${killed}/${TRIALS} children killed mid-way, ${partial} rounds left some feeds done and others not; final ${final.rows.size} items, no duplicates\n`,
    );
    expect(killed).toBeGreaterThanOrEqual(TRIALS / 2);
  }, 300_000);
});
