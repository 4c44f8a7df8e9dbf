// Calibration guard: the demo corpus replayed through the 2025 pack with the REAL tagger stays in
// sane bounds every day and, once resolved as history went, scores better than the baselines.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCorpus } from '../src/pipeline/corpus.ts';
import { loadPack } from '../src/pack/load.ts';
import { replayCorpus } from '../src/pipeline/replay.ts';
import { scorePack } from '../src/scenarios/score.ts';
import { tempDb, type TempDb } from './helpers/engine-db.ts';

const root = path.join(import.meta.dirname, '..');
const loaded = loadPack(path.join(root, 'packs/ukraine-peace-2025.yaml'));
const ids = loaded.pack.scenarios.map((s) => s.id);

let t: TempDb;
let days: { day: string; probabilities: Record<string, number> }[] = [];

beforeAll(async () => {
  t = await tempDb();
  const items = await readCorpus(path.join(root, 'demo/corpus'));
  await replayCorpus({
    db: t.db,
    loadedPack: loaded,
    items,
  });
  const snaps = await t.db
    .selectFrom('snapshots')
    .select(['at', 'probabilities'])
    .where('pack_id', '=', loaded.pack.id)
    .orderBy('at')
    .orderBy('id')
    .execute();
  const byDay = new Map<string, Record<string, number>>();
  for (const s of snaps) byDay.set(s.at.slice(0, 10), JSON.parse(s.probabilities) as Record<string, number>);
  days = [...byDay].map(([day, probabilities]) => ({ day, probabilities }));
}, 60_000);

afterAll(async () => {
  await t?.close();
});

describe('calibration on the demo corpus (2025 pack, real tagger)', () => {
  it('covers the whole window, one forecast a day', () => {
    expect(days.length).toBeGreaterThanOrEqual(90);
    expect(days[0]!.day).toBe('2025-11-01');
  });

  it('never puts an open scenario above 97 % or below 1 % while two or more are open', () => {
    const outside: string[] = [];
    for (const { day, probabilities } of days) {
      // Spent (deadline passed) and resolved scenarios are exactly 0; the rest share the mass.
      const open = ids.filter((s) => probabilities[s]! > 0);
      if (open.length < 2) continue;
      for (const s of open) {
        const p = probabilities[s]!;
        if (p > 0.97 || p < 0.01) outside.push(`${day} ${s} ${(100 * p).toFixed(1)} %`);
      }
    }
    expect(outside).toEqual([]);
  });

  it('moves readably: no scenario moves more than 35 points in one day (same open set)', () => {
    let largest = 0;
    for (let i = 1; i < days.length; i++) {
      const [a, b] = [days[i - 1]!.probabilities, days[i]!.probabilities];
      if (ids.some((s) => a[s]! > 0 !== b[s]! > 0)) continue; // a deadline passed: mass is redistributed by definition
      for (const s of ids) largest = Math.max(largest, Math.abs(b[s]! - a[s]!));
    }
    expect(largest).toBeLessThan(0.35);
  });

  it('scores better than the uniform and the static-prior baselines once resolved', async () => {
    const now = new Date().toISOString();
    await t.db
      .insertInto('resolutions')
      .values([
        {
          pack_id: loaded.pack.id,
          scenario_id: 'deal',
          outcome: 'no',
          resolved_at: '2025-11-27T00:00:00.000Z',
          note: null,
          created_at: now,
        },
        {
          pack_id: loaded.pack.id,
          scenario_id: 'frozen',
          outcome: 'no',
          resolved_at: '2026-01-31T00:00:00.000Z',
          note: null,
          created_at: now,
        },
        {
          pack_id: loaded.pack.id,
          scenario_id: 'collapse',
          outcome: 'yes',
          resolved_at: '2026-01-31T00:00:00.000Z',
          note: null,
          created_at: now,
        },
      ])
      .execute();
    const report = await scorePack(t.db, loaded.pack);
    expect(report.outcome).toBe('collapse');
    expect(report.days).toBeGreaterThanOrEqual(90);
    expect(report.brier).toBeLessThan(report.baselines.uniform.brier);
    expect(report.logScore).toBeGreaterThan(report.baselines.uniform.logScore);
    expect(report.brier).toBeLessThan(report.baselines.prior.brier);
    expect(report.logScore).toBeGreaterThan(report.baselines.prior.logScore);
  });
});
