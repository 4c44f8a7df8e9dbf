// /api/v1/market: the pack's recorded series and the polled points, merged in time order, with sources.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/server/app.ts';
import { storeMarketPoint } from '../src/ingest/index.ts';
import { openTestDb, type TestDb, testDeps } from './helpers/seed.ts';

const now = new Date(Date.UTC(2026, 10, 21, 18));
let t: TestDb;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  t = await openTestDb();
  const packId = t.pack.pack.id;
  for (const [at, p] of [
    ['2026-11-20T10:00:00.000Z', 0.3],
    ['2026-11-21T10:00:00.000Z', 0.35],
  ] as const)
    await storeMarketPoint(
      t.handle.db,
      {
        packId,
        scenarioId: 'deal',
        source: 'polymarket:peace-deal',
        at,
        probability: p,
        url: 'https://polymarket.com/market/peace-deal',
      },
      now,
    );
  const pack = {
    ...t.pack,
    pack: {
      ...t.pack.pack,
      market: [
        {
          date: '2026-11-20',
          probability: 0.25,
          scenario: 'deal',
          source: 'Polymarket, per Reuters',
          url: 'https://example.org/r',
        },
      ],
      market_sources: [
        { kind: 'polymarket' as const, market: 'peace-deal', outcome: 'Yes', scenario: 'deal', every_minutes: 60 },
      ],
    },
  };
  app = createApp(testDeps(t, { now: () => now, pack }));
});
afterAll(() => t.close());

describe('GET /api/v1/market', () => {
  it('serves the recorded and polled points oldest first, with their origin, and the polled sources', async () => {
    const res = await app.request('/api/v1/market');
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      sources: unknown[];
      points: { t: string; probability: number; origin: string }[];
    };
    expect(body.sources).toEqual([
      { key: 'polymarket:peace-deal', kind: 'polymarket', scenario: 'deal', everyMinutes: 60 },
    ]);
    expect(body.points.map((p) => [p.t, p.probability, p.origin])).toEqual([
      ['2026-11-20T00:00:00.000Z', 0.25, 'pack'],
      ['2026-11-20T10:00:00.000Z', 0.3, 'polled'],
      ['2026-11-21T10:00:00.000Z', 0.35, 'polled'],
    ]);
  });

  it('filters by from and to, and refuses a bad date', async () => {
    const res = await app.request('/api/v1/market?from=2026-11-20T05:00:00Z&to=2026-11-20T23:00:00Z');
    expect(((await res.json()) as { points: { t: string }[] }).points.map((p) => p.t)).toEqual([
      '2026-11-20T10:00:00.000Z',
    ]);
    const bad = await app.request('/api/v1/market?from=yesterday');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: { code: 'bad_request', message: 'from and to must be ISO-8601 dates' } });
  });

  it('stores a polled point once per source and time', async () => {
    const again = await storeMarketPoint(
      t.handle.db,
      {
        packId: t.pack.pack.id,
        scenarioId: 'deal',
        source: 'polymarket:peace-deal',
        at: '2026-11-20T10:00:00.000Z',
        probability: 0.9,
        url: null,
      },
      now,
    );
    expect(again).toBe(false);
    const body = (await (await app.request('/api/v1/market')).json()) as { points: unknown[] };
    expect(body.points).toHaveLength(3);
  });
});
