// What to watch: each probe equals a full recompute with the probe story added, and changes nothing.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { item, testPack } from '../../../test/helpers/engine.ts';
import { computeForecast, evaluate } from './compute.ts';
import { EngineState } from './state.ts';
import type { EvidenceItem } from './types.ts';
import { probeItem, whatToWatch } from './watch.ts';

const NOW = new Date('2026-11-20T12:00:00.000Z');
const pack = testPack();
const windowStart = '2026-10-01T00:00:00.000Z';

/** The probe's result recomputed from scratch: the pack, the evidence plus the probe story, the engine. */
function fullRecompute(evidence: EvidenceItem[], indicatorId: string, polarity: 'affirmed' | 'negated') {
  return computeForecast(pack, [...evidence, probeItem(indicatorId, polarity, NOW, 0)], [], NOW, { windowStart })
    .probabilities;
}

describe('whatToWatch', () => {
  it('on no evidence: one tier-1 story of "diag" moves a from 50% to 75% (3:1), negated to 25%', () => {
    const w = whatToWatch(new EngineState(pack), NOW);
    const diag = w.probes.find((p) => p.indicatorId === 'diag' && p.polarity === 'affirmed')!;
    expect(diag.probabilities['a']).toBeCloseTo(0.75, 14);
    expect(diag.change['a']).toBeCloseTo(0.25, 14);
    expect(diag.change['b']).toBeCloseTo(-0.25, 14);
    const negated = w.probes.find((p) => p.indicatorId === 'diag' && p.polarity === 'negated')!;
    expect(negated.probabilities['a']).toBeCloseTo(0.25, 14);
    // The non-diagnostic indicator moves nothing; the level indicator is not probed.
    expect(w.probes.find((p) => p.indicatorId === 'flat')!.change['a']).toBe(0);
    expect(w.probes.some((p) => p.indicatorId === 'level')).toBe(false);
    expect(w.probes.map((p) => `${p.indicatorId}/${p.polarity}`)).toEqual([
      'diag/affirmed',
      'diag/negated',
      'flat/affirmed',
      'flat/negated',
      'neg/affirmed',
      'neg/negated',
    ]);
  });

  it('a new story saturates against its signal: two stories already there, the third adds less', () => {
    const evidence = [item(), item()];
    const w = whatToWatch(new EngineState(pack).add(evidence), NOW);
    const diag = w.probes.find((p) => p.indicatorId === 'diag' && p.polarity === 'affirmed')!;
    // Cap 2: W goes from 2·(1 − ½²) = 1.5 to 2·(1 − ½³) = 1.75, so the odds go from 3^1.5 to 3^1.75.
    expect(diag.probabilities['a']).toBeCloseTo(3 ** 1.75 / (1 + 3 ** 1.75), 14);
    expect(diag.change['a']).toBeCloseTo(3 ** 1.75 / (1 + 3 ** 1.75) - 3 ** 1.5 / (1 + 3 ** 1.5), 14);
  });

  it('equals a full recompute with the probe added, to the last bit, on random evidence', () => {
    const arb = fc.array(
      fc.record({
        indicatorId: fc.constantFrom('diag', 'flat', 'neg', 'level'),
        polarity: fc.constantFrom('affirmed' as const, 'negated' as const),
        modality: fc.constantFrom(null, 'cancelled' as const, 'held' as const),
        tier: fc.integer({ min: 1, max: 5 }),
        confidence: fc.double({ min: 0.1, max: 1, noNaN: true }),
        ageHours: fc.integer({ min: 0, max: 24 * 40 }),
        cluster: fc.option(fc.integer({ min: 1, max: 6 }), { nil: null }),
        count: fc.option(fc.integer({ min: 0, max: 900 }), { nil: null }),
      }),
      { maxLength: 40 },
    );
    fc.assert(
      fc.property(arb, (rows) => {
        const evidence = rows.map((r, i) =>
          item({
            tagId: 1000 + i,
            articleId: 1000 + i,
            clusterId: r.cluster,
            indicatorId: r.indicatorId,
            polarity: r.polarity,
            modality: r.modality,
            tier: r.tier,
            confidence: r.confidence,
            publishedAt: new Date(NOW.getTime() - r.ageHours * 3_600_000).toISOString(),
            numbers: r.indicatorId === 'level' && r.count !== null ? [{ value: r.count, unit: 'drones' }] : null,
          }),
        );
        const state = new EngineState(pack).add(evidence);
        const before = evaluate(state, NOW, [], { windowStart });
        const w = whatToWatch(state, NOW, [], { windowStart });
        expect(w.probabilities).toEqual(before.probabilities);
        for (const probe of w.probes) {
          const full = fullRecompute(evidence, probe.indicatorId, probe.polarity);
          for (const s of ['a', 'b']) {
            expect(probe.probabilities[s]).toBe(full[s]);
            expect(probe.change[s]).toBe(probe.probabilities[s]! - before.probabilities[s]!);
          }
        }
        // The state is untouched: the same evaluation as before the probes.
        expect(evaluate(state, NOW, [], { windowStart })).toEqual(before);
      }),
      { numRuns: 150, seed: 16 },
    );
  });
});
