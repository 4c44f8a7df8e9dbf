// The scheduled market polling in `start`: one point per source per interval, a failed poll logged and
// retried sooner without stopping anything, and nothing stored twice.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../src/config/index.ts';
import { MARKET_RETRY_MS, marketJobs, marketRetryMs } from '../src/ingest/index.ts';
import { createLogger } from '../src/logger.ts';
import type { Pack } from '../src/pack/schema.ts';
import { startScheduler } from '../src/scheduler/jobs.ts';
import { marketSeries } from '../src/scenarios/market.ts';
import { tempDb, type TempDb } from './helpers/engine-db.ts';
import { type FeedServer, startFeedServer } from './helpers/feed-server.ts';

const fixture = (name: string) => readFileSync(path.join(import.meta.dirname, 'fixtures/market', name), 'utf8');
const ok = (body: string) => ({ status: 200, headers: { 'content-type': 'application/json' }, body });
const MIN = 60_000;
const t0 = new Date(Date.UTC(2026, 10, 21, 9, 0, 0));
const at = (minutes: number) => new Date(t0.getTime() + minutes * MIN);

let t: TempDb;
let api: FeedServer;
let lines: string[];
const pack: Pick<Pack, 'id' | 'market' | 'market_sources'> = {
  id: 'market-test',
  market: [],
  market_sources: [
    {
      kind: 'polymarket',
      market: 'russia-x-ukraine-ceasefire-in-2026',
      outcome: 'Yes',
      scenario: 'deal',
      every_minutes: 60,
    },
    { kind: 'metaculus', question: 31823, scenario: 'frozen', every_minutes: 60 },
  ],
};

beforeEach(async () => {
  t = await tempDb();
  api = await startFeedServer();
  lines = [];
});
afterEach(async () => {
  await api.close();
  await t.close();
});

async function run(minutes: number[]) {
  const config = loadConfig(
    { ALLOW_PRIVATE_FEEDS: '1', POLYMARKET_API_URL: api.url('/gamma'), METACULUS_API_URL: api.url('/mc') },
    '/tmp',
  );
  const log = createLogger('info', (l) => lines.push(l), { format: 'pretty', env: { NO_COLOR: '1' } });
  let current = at(minutes[0]!);
  const scheduler = startScheduler({
    db: t.db,
    jobs: marketJobs({ db: t.db, config, pack, log, timeoutMs: 2000 }),
    log,
    clock: () => current,
    tickCron: '0 0 1 1 *', // the test drives the ticks
  });
  try {
    for (const m of minutes) {
      current = at(m);
      await scheduler.tick(current);
    }
  } finally {
    await scheduler.stop();
  }
  return marketSeries(t.db, pack);
}

describe('market polling job', () => {
  it('stores one point per source per interval, at the poll time', async () => {
    api.route('/gamma/markets', ok(fixture('polymarket-markets-by-slug.json')));
    api.route('/mc/api/posts/31823/', ok(fixture('metaculus-post.json')));
    const points = await run([0, 1, 10, 59, 60, 61, 119, 120]);
    // Same time: ordered by source name.
    expect(points.map((p) => [p.at, p.scenario, p.probability, p.source, p.origin])).toEqual([
      [at(0).toISOString(), 'frozen', 0.18, 'metaculus:31823', 'polled'],
      [at(0).toISOString(), 'deal', 0.235, 'polymarket:russia-x-ukraine-ceasefire-in-2026', 'polled'],
      [at(60).toISOString(), 'frozen', 0.18, 'metaculus:31823', 'polled'],
      [at(60).toISOString(), 'deal', 0.235, 'polymarket:russia-x-ukraine-ceasefire-in-2026', 'polled'],
      [at(120).toISOString(), 'frozen', 0.18, 'metaculus:31823', 'polled'],
      [at(120).toISOString(), 'deal', 0.235, 'polymarket:russia-x-ukraine-ceasefire-in-2026', 'polled'],
    ]);
    expect(api.hits('/gamma/markets')).toBe(3);
    expect(api.hits('/mc/api/posts/31823/')).toBe(3);
  });

  it('logs a failed poll, retries it sooner, and keeps polling the other source', async () => {
    api.route('/gamma/markets', ok(fixture('polymarket-markets-by-slug.json')));
    api.route('/mc/api/posts/31823/', [
      { status: 500, body: 'oops' },
      ok('{"question": {"type": "binary", "aggregations": '), // malformed
      ok(fixture('metaculus-post.json')),
    ]);
    const points = await run([0, 4, 5, 14, 15, 60]);
    // Metaculus: failed at 0 (retry in 5 min), failed at 5 (retry in 10 min), stored at 15; due again at 75.
    expect(points.filter((p) => p.scenario === 'frozen').map((p) => p.at)).toEqual([at(15).toISOString()]);
    expect(points.filter((p) => p.scenario === 'deal').map((p) => p.at)).toEqual([
      at(0).toISOString(),
      at(60).toISOString(),
    ]);
    expect(api.hits('/mc/api/posts/31823/')).toBe(3);
    const warnings = lines.filter((l) => l.includes('WARN'));
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toContain('market metaculus:31823: poll failed, retrying in 5 min');
    expect(warnings[0]).toContain('HTTP 500');
    expect(warnings[1]).toContain('retrying in 10 min');
    expect(warnings[1]).toContain('the response is not JSON');
    expect(lines.some((l) => l.includes('ERROR'))).toBe(false);
  });

  it('honours a Retry-After longer than the backoff', async () => {
    api.route('/gamma/markets', ok(fixture('polymarket-markets-by-slug.json')));
    api.route('/mc/api/posts/31823/', [
      { status: 429, headers: { 'retry-after': '1200' }, body: 'slow down' },
      ok(fixture('metaculus-post.json')),
    ]);
    const points = await run([0, 5, 19, 20]);
    expect(points.filter((p) => p.scenario === 'frozen').map((p) => p.at)).toEqual([at(20).toISOString()]);
    expect(api.hits('/mc/api/posts/31823/')).toBe(2);
    expect(lines.find((l) => l.includes('WARN'))).toContain('retrying in 20 min');
  });

  it('backs off 5, 10, 20, 40 min, never past the interval', () => {
    expect([1, 2, 3, 4, 5, 9].map((n) => marketRetryMs(n, 60 * MIN) / MIN)).toEqual([5, 10, 20, 40, 60, 60]);
    expect(marketRetryMs(1, 60 * MIN)).toBe(MARKET_RETRY_MS);
  });

  it('has no job for a pack without sources', () => {
    const config = loadConfig({}, '/tmp');
    expect(
      marketJobs({ db: t.db, config, pack: { ...pack, market_sources: [] }, log: createLogger('silent') }),
    ).toEqual([]);
  });
});
