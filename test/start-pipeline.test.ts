// The tracker as `start` runs it: the scheduler polls a feed, and the stories flow through tagging
// and the engine into a snapshot that the API serves, without any manual step.
import { afterAll, describe, expect, it } from 'vitest';
import { startTracker, type Tracker } from '../src/main.ts';
import type { FeedServer } from './helpers/feed-server.ts';
import { startLocalWire, waitFor } from './helpers/local-wire.ts';
import { writeMinimalPack } from './helpers/packs.ts';
import { tempDir } from './helpers/temp-dir.ts';
import { createTestDatabase } from './helpers/test-database.ts';

let feeds: FeedServer | null = null;
let tracker: Tracker | null = null;
afterAll(async () => {
  await tracker?.stop();
  await feeds?.close();
});

describe('bellwether start runs the whole pipeline on schedule', () => {
  it('polls, tags, forecasts and serves the result', async () => {
    feeds = await startLocalWire([
      'Trump and Putin to meet at a summit in Budapest next week',
      'Kyiv and Moscow agree a ceasefire along the front line',
    ]);
    const dir = tempDir();
    // The deal deadline lies 30 days ahead of today, whatever today is: the question is live.
    const pack = writeMinimalPack(dir, {
      feedsYaml: `feeds:\n  - { url: "${feeds.url('/rss.xml')}", name: Local wire, tier: 1, language: en }`,
    });
    tracker = await startTracker({
      handleSignals: false,
      env: {
        DATABASE_URL: (await createTestDatabase(dir, 'bw.db')).url,
        PACK: pack,
        PORT: '0',
        HOST: '127.0.0.1',
        ALLOW_PRIVATE_FEEDS: '1',
        LOG_LEVEL: 'silent',
      },
    });
    const body = await waitFor(async () => {
      const res = await fetch(`${tracker!.url}/api/v1/scenarios`);
      const json = (await res.json()) as { scenarios: { id: string; probability: number | null }[] };
      const deal = json.scenarios.find((s) => s.id === 'deal');
      // Before the first snapshot the probabilities are null (and null - 0.2 would pass for a move).
      return deal && deal.probability !== null && Math.abs(deal.probability - 0.2) > 0.01 ? json : null;
    }, 20_000);
    expect(feeds.hits('/rss.xml')).toBeGreaterThan(0);
    const p = Object.fromEntries(body.scenarios.map((s) => [s.id, s.probability]));
    // A scheduled summit (deal 3 : frozen 1.5 : collapse 0.5) and a ceasefire (1.3 : 2 : 0.5) both push collapse down.
    expect(p.collapse).toBeLessThan(0.5);
    const evidence = (await (await fetch(`${tracker.url}/api/v1/evidence`)).json()) as { items: unknown[] };
    expect(evidence.items.length).toBeGreaterThan(0);
  });
});
