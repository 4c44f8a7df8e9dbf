// `start` polls the pack's market sources on schedule: a working source's point reaches /api/v1/market,
// and a failing one is logged and retried without stopping the tracker.
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { startTracker, type Tracker } from '../src/main.ts';
import { type FeedServer, startFeedServer } from './helpers/feed-server.ts';
import { waitFor } from './helpers/local-wire.ts';
import { writeMinimalPack } from './helpers/packs.ts';
import { tempDir } from './helpers/temp-dir.ts';

let api: FeedServer | null = null;
let tracker: Tracker | null = null;
afterAll(async () => {
  await tracker?.stop();
  await api?.close();
});

describe('bellwether start polls market sources', () => {
  it('stores a working source and survives a failing one', async () => {
    api = await startFeedServer();
    api.route('/gamma/markets', {
      headers: { 'content-type': 'application/json' },
      body: readFileSync(path.join(import.meta.dirname, 'fixtures/market/polymarket-markets-by-slug.json')),
    });
    api.route('/mc/api/posts/31823/', { status: 500, body: 'down for maintenance' });
    const dir = tempDir();
    const pack = writeMinimalPack(dir, {
      feedsYaml: [
        'feeds: []',
        'market_sources:',
        '  - { kind: polymarket, market: russia-x-ukraine-ceasefire-in-2026, scenario: frozen }',
        '  - { kind: metaculus, question: 31823, scenario: deal }',
      ].join('\n'),
    });
    tracker = await startTracker({
      handleSignals: false,
      env: {
        DATABASE_URL: path.join(dir, 'bw.db'),
        PACK: pack,
        PORT: '0',
        HOST: '127.0.0.1',
        ALLOW_PRIVATE_FEEDS: '1',
        LOG_LEVEL: 'silent',
        POLYMARKET_API_URL: api.url('/gamma'),
        METACULUS_API_URL: api.url('/mc'),
      },
    });
    const body = await waitFor(async () => {
      const res = await fetch(`${tracker!.url}/api/v1/market`);
      const json = (await res.json()) as { points: { scenario: string; probability: number; origin: string }[] };
      return json.points.length > 0 ? json : null;
    }, 20_000);
    expect(body.points).toEqual([
      expect.objectContaining({ scenario: 'frozen', probability: 0.235, origin: 'polled' }),
    ]);
    await waitFor(async () => (api!.hits('/mc/api/posts/31823/') > 0 ? true : null), 20_000);
    expect((await fetch(`${tracker.url}/api/v1/scenarios`)).status).toBe(200);
  });
});
