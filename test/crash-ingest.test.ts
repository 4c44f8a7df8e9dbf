// Crash suite (issue 18, deliverable 3): `bellwether ingest --once --all` killed with SIGKILL at random
// points while it polls local feeds. After each kill integrity_check is ok, each feed's items are all
// stored or none (one transaction per feed), nothing committed is lost and nothing is stored twice;
// the rerun stores exactly the ground truth (every item of every feed, once). BELLWETHER_CRASH_KILLS
// sets the number of kills (npm run test:soak: 20+).
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KILLS, cli, expectIntegrity, killAtRandom, query, runToEnd } from './helpers/crash.ts';
import { type FeedServer, startFeedServer } from './helpers/feed-server.ts';
import { numberedItems, rss } from './helpers/ingest-feeds.ts';
import { writeMinimalPack } from './helpers/packs.ts';
import { tempDir } from './helpers/temp-dir.ts';

const FEEDS = 24;
const ITEMS = 30;
let server: FeedServer;
let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
  server = await startFeedServer();
  const feeds: string[] = [];
  for (let f = 0; f < FEEDS; f++) {
    // Slow answers (50-150 ms) keep several feeds in flight, so kills land between feed transactions.
    server.route(`/crash/${f}.xml`, {
      headers: { 'content-type': 'application/rss+xml' },
      body: rss(numberedItems(f, ITEMS)),
      delayMs: 50 + ((f * 37) % 100),
    });
    feeds.push(`  - { url: "${server.url(`/crash/${f}.xml`)}", name: Feed ${f}, tier: ${1 + (f % 5)} }`);
  }
  dir = tempDir('bw-crash-ingest-');
  const pack = writeMinimalPack(dir, { feedsYaml: `feeds:\n${feeds.join('\n')}` });
  env = { PACK: pack };
});
afterAll(async () => {
  await server.close();
});

const args = (db: string) => ['ingest', '--once', '--all', '--db', db];
/** The work has begun once the first feed was requested (after start-up and migrations). */
const polling = () => server.hits() > 0;

function state(file: string) {
  const rows = query<{ feed: string; guid: string; n: number }>(
    file,
    'SELECT f.url AS feed, a.guid AS guid, count(*) AS n FROM articles a JOIN feeds f ON f.id = a.feed_id GROUP BY f.url, a.guid',
  );
  const perFeed = new Map<string, number>();
  for (const r of rows) perFeed.set(r.feed, (perFeed.get(r.feed) ?? 0) + 1);
  return { rows, keys: new Set(rows.map((r) => `${r.feed}|${r.guid}`)), perFeed };
}

describe('crash suite: ingest', () => {
  it(`survives ${KILLS} SIGKILLs at random points; the rerun stores every item exactly once`, async () => {
    const clean = path.join(dir, 'clean.db');
    server.reset();
    const duration = await runToEnd(args(clean), env, polling);
    const truth = state(clean);
    expect(truth.rows).toHaveLength(FEEDS * ITEMS);

    const db = path.join(dir, 'killed.db');
    let previous = new Set<string>();
    let midWay = 0;
    let partial = 0;
    // A kill drawn after the run's end does not land. Under a varying load the clean run's duration can overstate
    // the next runs' (four kills once all came too late); so a late draw shortens the window, and kills go on
    // (up to three times as many) until a quarter of them landed mid-run.
    let window = duration;
    let tries = 0;
    for (let k = 0; k < KILLS || (midWay < Math.ceil(KILLS / 4) && k < 3 * KILLS); k++) {
      server.reset();
      tries++;
      if (await killAtRandom(cli(args(db), env), polling, window)) midWay++;
      else window = Math.max(50, window / 2);
      expectIntegrity(db);
      const s = state(db);
      expect(s.rows.filter((r) => r.n > 1)).toEqual([]);
      for (const [feed, n] of s.perFeed) expect([feed, n]).toEqual([feed, ITEMS]); // all or nothing per feed
      for (const key of previous) expect(s.keys.has(key), `committed item ${key} lost`).toBe(true);
      if (s.perFeed.size > 0 && s.perFeed.size < FEEDS) partial++;
      previous = s.keys;
      // Forget every article now and then, so later kills still find work in flight.
      if (s.perFeed.size === FEEDS || k % 2 === 1) {
        const { default: Database } = await import('better-sqlite3');
        const raw = new Database(db);
        raw.exec('DELETE FROM articles; DELETE FROM story_clusters;');
        raw.close();
        previous = new Set();
      }
    }
    server.reset();
    await runToEnd(args(db), env, polling);
    expectIntegrity(db);
    const after = state(db);
    expect(after.rows.filter((r) => r.n > 1)).toEqual([]);
    expect(after.keys).toEqual(truth.keys);
    process.stdout.write(
      `crash suite (ingest): ${midWay}/${tries} kills landed mid-run, ${partial} left some feeds stored and others not (clean run ${duration} ms)\n`,
    );
    expect(midWay).toBeGreaterThanOrEqual(Math.ceil(KILLS / 4));
  }, 600_000);
});
