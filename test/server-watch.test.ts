// "What to watch" over HTTP: /api/v1/watch equals a full engine recompute from the stored evidence plus
// the probe story, and the overview and scenario pages list the same figures, sorted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/server/app.ts';
import { computeForecast } from '../src/scenarios/engine/compute.ts';
import { probeItem } from '../src/scenarios/engine/watch.ts';
import { loadEvidence, loadResolutions } from '../src/scenarios/evidence.ts';
import type { WatchModel } from '../src/scenarios/watch.ts';
import { openTestDb, type TestDb, testDeps } from './helpers/seed.ts';
import { seedRealistic } from './helpers/seed-realistic.ts';

const now = new Date('2026-11-21T18:00:00Z');
const windowStart = '2026-10-01T00:00:00.000Z';
let t: TestDb;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  t = await openTestDb();
  await t.seed((db) => {
    seedRealistic(db, t.pack.pack, { now, days: 40, perDay: 12 });
    db.prepare(`INSERT INTO meta (key, value) VALUES (?, ?)`).run(`engine.window_start.${t.pack.pack.id}`, windowStart);
  });
  app = createApp(testDeps(t, { now: () => now }));
}, 120_000);
afterAll(() => t?.close());

type WatchBody = Omit<WatchModel, 'at'> & { at: string; scenario: string | null };

describe('/api/v1/watch', () => {
  it('each row is the engine recomputed from scratch with one new tier-1 story added', async () => {
    const res = await app.request('/api/v1/watch');
    expect(res.status).toBe(200);
    const body = (await res.json()) as WatchBody;
    const pack = t.pack.pack;
    const events = pack.indicators.filter((i) => i.kind !== 'level');
    expect(body.rows).toHaveLength(events.length * 2);
    expect(body.probe).toEqual({ tier: 1, confidence: 1, ageDays: 0 });
    expect(body.at).toBe(now.toISOString());

    const evidence = await loadEvidence(t.handle.db, pack.id);
    expect(evidence.length).toBeGreaterThan(100);
    const resolutions = await loadResolutions(t.handle.db, pack.id);
    const base = computeForecast(pack, evidence, resolutions, now, { windowStart }).probabilities;
    expect(body.probabilities).toEqual(base);
    for (const row of body.rows) {
      const full = computeForecast(
        pack,
        [...evidence, probeItem(row.indicatorId, row.polarity, now, 0)],
        resolutions,
        now,
        { windowStart },
      ).probabilities;
      for (const s of pack.scenarios) {
        expect(row.probabilities[s.id]).toBe(full[s.id]);
        expect(row.change[s.id]).toBe(row.probabilities[s.id]! - base[s.id]!);
      }
    }
    // Sorted by each row's largest move, and something moves.
    const mags = body.rows.map((r) => Math.abs(r.largest.change));
    expect(mags).toEqual([...mags].sort((a, b) => b - a));
    expect(mags[0]).toBeGreaterThan(0.005);
  });

  it('?scenario= keeps the rows that visibly move it, sorted by its own change; an unknown one is a 400', async () => {
    const body = (await (await app.request('/api/v1/watch?scenario=deal')).json()) as WatchBody;
    expect(body.scenario).toBe('deal');
    const changes = body.rows.map((r) => Math.abs(r.change['deal']!));
    expect(changes.length).toBeGreaterThan(0);
    expect(changes).toEqual([...changes].sort((a, b) => b - a));
    expect(Math.min(...changes)).toBeGreaterThanOrEqual(0.0005);
    const bad = await app.request('/api/v1/watch?scenario=nope');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toContain('"nope"');
  });

  it('the overview and the scenario page show the same figures, largest first', async () => {
    const body = (await (await app.request('/api/v1/watch')).json()) as WatchBody;
    const html = await (await app.request('/')).text();
    expect(html).toContain('What to watch');
    const shown = [...html.matchAll(/<tr data-probe="([^"]+)">/g)].map((m) => m[1]);
    const visible = body.rows.filter((r) => Math.abs(r.largest.change) >= 0.0005);
    expect(shown).toEqual(visible.slice(0, 12).map((r) => `${r.indicatorId}/${r.polarity}`));

    const forDeal = (await (await app.request('/api/v1/watch?scenario=deal')).json()) as WatchBody;
    const page = await (await app.request('/scenarios/deal')).text();
    expect(page).toContain('What would move it');
    const listed = [...page.matchAll(/<li data-probe="([^"]+)" data-change="([^"]+)"/g)];
    expect(listed.map((m) => m[1])).toEqual(forDeal.rows.map((r) => `${r.indicatorId}/${r.polarity}`));
    expect(listed.map((m) => Number(m[2]))).toEqual(forDeal.rows.map((r) => r.change['deal']));
  });
});
