// Property tests: probabilities form a distribution; order and batching never matter.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeForecast, evaluate } from './compute.ts';
import { EngineState } from './state.ts';
import { testPack } from '../../../test/helpers/engine.ts';
import type { EvidenceItem } from './types.ts';

const pack = testPack({
  scenarios: [
    { id: 'a', name: 'A', prior: 0.2, deadline: '2026-11-10', resolution: 'a' },
    { id: 'b', name: 'B', prior: 0.3, resolution: 'b' },
    { id: 'c', name: 'C', prior: 0.5, resolution: 'c' },
  ],
  indicators: [
    {
      id: 'diag',
      name: 'D',
      half_life_days: 3,
      likelihoods: { a: 1e-6, b: 1, c: 1e6 },
      when: { held: { a: 5, b: 1, c: 0.1 } },
    },
    { id: 'other', name: 'O', likelihoods: { a: 2, b: 1, c: 0.5 }, when: { negated: { a: 0.1, b: 1, c: 3 } } },
    {
      id: 'level',
      name: 'L',
      kind: 'level',
      likelihoods: { a: 1, b: 1, c: 1 },
      numbers: { units: { drones: ['drone'] } },
      level: {
        units: ['drones'],
        min_baseline_days: 3,
        bands: [
          { above_z: 1, likelihoods: { a: 1, b: 2, c: 3 } },
          { below_z: -1, likelihoods: { a: 3, b: 1, c: 1 } },
        ],
      },
    },
  ],
});

const START = Date.UTC(2026, 9, 1);
const arbItem = (tagId: number) =>
  fc
    .record({
      articleId: fc.integer({ min: 1, max: 40 }),
      clusterId: fc.option(fc.integer({ min: 1, max: 10 }), { nil: null }),
      feedId: fc.option(fc.integer({ min: 1, max: 6 }), { nil: null }),
      contentHash: fc.option(fc.constantFrom('x', 'y', 'z'), { nil: null }),
      indicatorId: fc.constantFrom('diag', 'other', 'level', 'unknown'),
      polarity: fc.constantFrom('affirmed' as const, 'negated' as const),
      modality: fc.constantFrom(null, 'held' as const, 'cancelled' as const),
      confidence: fc.double({ min: 0, max: 1, noNaN: true }),
      tier: fc.integer({ min: 1, max: 5 }),
      publishedAt: fc.integer({ min: 0, max: 60 * 24 }).map((h) => new Date(START + h * 3_600_000).toISOString()),
      numbers: fc.option(
        fc.array(fc.record({ value: fc.integer({ min: 0, max: 500 }), unit: fc.constantFrom('drones', 'tanks') }), {
          maxLength: 2,
        }),
        { nil: null },
      ),
    })
    .map((r): EvidenceItem => ({ tagId, ...r }));
const arbEvidence = fc
  .array(fc.integer(), { maxLength: 60 })
  .chain((xs) => fc.tuple(...xs.map((_, i) => arbItem(i + 1))));
const arbNow = fc.integer({ min: 0, max: 70 * 24 }).map((h) => new Date(START + h * 3_600_000).toISOString());
const resolutions = fc.constantFrom(
  [],
  [{ scenarioId: 'b', outcome: 'no' as const, resolvedAt: '2026-10-20T00:00:00.000Z' }],
);

describe('engine properties', () => {
  it('probabilities are in [0, 1] and sum to 1', () => {
    fc.assert(
      fc.property(arbEvidence, arbNow, resolutions, (evidence, now, res) => {
        const p = Object.values(
          computeForecast(pack, evidence, res, new Date(now), { windowStart: '2026-10-01T00:00:00.000Z' })
            .probabilities,
        );
        for (const x of p) expect(x >= 0 && x <= 1).toBe(true);
        expect(Math.abs(p.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-12);
      }),
      { numRuns: 300 },
    );
  });

  it('the same evidence in any order and batching gives identical probabilities and contributions', () => {
    fc.assert(
      fc.property(
        arbEvidence,
        arbNow,
        fc.array(fc.nat()),
        fc.integer({ min: 1, max: 7 }),
        (evidence, now, keys, batch) => {
          const shuffled = evidence
            .map((e, i) => ({ e, k: keys[i] ?? i }))
            .sort((x, y) => x.k - y.k)
            .map((x) => x.e);
          const state = new EngineState(pack);
          for (let i = 0; i < shuffled.length; i += batch) state.add(shuffled.slice(i, i + batch));
          const once = computeForecast(pack, evidence, [], new Date(now));
          const batched = evaluate(state, new Date(now));
          expect(batched.probabilities).toEqual(once.probabilities);
          expect(batched.contributions).toEqual(once.contributions);
        },
      ),
      { numRuns: 300 },
    );
  });
});
