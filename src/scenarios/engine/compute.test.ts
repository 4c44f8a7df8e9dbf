// Table-driven engine tests with hand-computed posteriors.
import { describe, expect, it } from 'vitest';
import { computeForecast, evaluate, quickPosterior } from './compute.ts';
import { EngineState } from './state.ts';
import { item, testPack } from '../../../test/helpers/engine.ts';
import type { EvidenceItem } from './types.ts';
import { tierWeight } from './weights.ts';

const NOW = '2026-11-20T12:00:00.000Z';
const pack = testPack();
const pA = (evidence: EvidenceItem[], now = NOW) => computeForecast(pack, evidence, [], new Date(now)).probabilities.a!;
/** p(a) for two equal priors and a net log-likelihood ratio r = log L(a) − log L(b). */
const fromRatio = (r: number) => 1 / (1 + Math.exp(-r));

describe('engine: hand-computed posteriors', () => {
  const cases: Array<{ name: string; evidence: EvidenceItem[]; expected: number }> = [
    { name: 'no evidence → the prior', evidence: [], expected: 0.5 },
    { name: 'one diagnostic tier-1 story → 3:1', evidence: [item()], expected: 0.75 },
    { name: 'a non-diagnostic indicator → no change', evidence: [item({ indicatorId: 'flat' })], expected: 0.5 },
    {
      name: 'confidence 0.5 halves the log-ratio',
      evidence: [item({ confidence: 0.5 })],
      expected: fromRatio(0.5 * Math.log(3)),
    },
    { name: 'tier 3 weighs 0.65', evidence: [item({ tier: 3 })], expected: fromRatio(0.65 * Math.log(3)) },
    {
      name: 'after one half-life the contribution is half',
      evidence: [item({ publishedAt: '2026-11-13T12:00:00.000Z' })],
      expected: fromRatio(0.5 * Math.log(3)),
    },
    {
      name: 'evidence from the future is ignored',
      evidence: [item({ publishedAt: '2026-11-21T12:00:00.000Z' })],
      expected: 0.5,
    },
    { name: 'modality table: cancelled → 1:4', evidence: [item({ modality: 'cancelled' })], expected: 0.2 },
    {
      name: 'negated with a negated table → 1:5',
      evidence: [item({ indicatorId: 'neg', polarity: 'negated' })],
      expected: 1 / 6,
    },
    {
      name: 'negated without a negated table → reciprocal 1:3',
      evidence: [item({ polarity: 'negated' })],
      expected: 0.25,
    },
    {
      name: 'modality table wins over polarity',
      evidence: [item({ polarity: 'negated', modality: 'cancelled' })],
      expected: 0.2,
    },
    // Two stories of one signal saturate (cap 2): W = 2 · (1 − (1 − 1/2)²) = 1.5 → 3^1.5 : 1.
    {
      name: 'two stories of one signal: W = 1.5, 3^1.5 : 1',
      evidence: [item(), item()],
      expected: 3 ** 1.5 / (1 + 3 ** 1.5),
    },
    {
      name: 'two stories of different signals multiply: 3 · 2 = 6:1',
      evidence: [item(), item({ indicatorId: 'neg' })],
      expected: 6 / 7,
    },
    { name: 'unknown indicators are skipped', evidence: [item({ indicatorId: 'nope' })], expected: 0.5 },
  ];
  it.each(cases)('$name', ({ evidence, expected }) => {
    expect(pA(evidence)).toBeCloseTo(expected, 12);
  });

  it('stores c(s) = w · d · log L(s), centred, so leave-one-out is exact', () => {
    const r = computeForecast(pack, [item({ tier: 3, publishedAt: '2026-11-13T12:00:00.000Z' })], [], new Date(NOW));
    const c = r.contributions[0]!;
    expect(c.weight).toBeCloseTo(0.65, 12);
    expect(c.decay).toBeCloseTo(0.5, 12);
    expect(c.logOdds.a! - c.logOdds.b!).toBeCloseTo(0.65 * 0.5 * Math.log(3), 12);
    expect(c.logOdds.a! + c.logOdds.b!).toBeCloseTo(0, 12);
  });
});

describe('engine: correlated evidence saturates', () => {
  const ten = Array.from({ length: 10 }, () => item());
  it('ten stories of one signal weigh W = 2 · (1 − 0.5^10), less than ten stories, bounded by the cap', () => {
    const W = 2 * (1 - 0.5 ** 10);
    const r = computeForecast(pack, ten, [], new Date(NOW));
    expect(r.probabilities.a).toBeCloseTo(fromRatio(W * Math.log(3)), 12);
    expect(r.probabilities.a!).toBeLessThan(fromRatio(10 * Math.log(3)));
    expect(r.probabilities.a!).toBeLessThan(fromRatio(2 * Math.log(3)));
    expect(r.probabilities.a!).toBeGreaterThan(pA([item()]));
  });
  it('contributions are apportioned (k = W / Σ w·d each) and sum exactly to the log-score', () => {
    const r = computeForecast(pack, ten, [], new Date(NOW));
    const W = 2 * (1 - 0.5 ** 10);
    expect(r.contributions).toHaveLength(10);
    for (const c of r.contributions) expect(c.saturation).toBeCloseTo(W / 10, 12);
    const sum = r.contributions.reduce((acc, c) => acc + c.logOdds.a! - c.logOdds.b!, 0);
    expect(sum).toBeCloseTo(W * Math.log(3), 12);
    expect(Math.log(r.probabilities.a! / r.probabilities.b!)).toBeCloseTo(sum, 12);
  });
  it('max_observations sets the cap: 3 → W = 3 · (1 − (2/3)^10)', () => {
    const p3 = testPack();
    p3.indicators[0]!.max_observations = 3;
    expect(computeForecast(p3, ten, [], new Date(NOW)).probabilities.a).toBeCloseTo(
      fromRatio(3 * (1 - (2 / 3) ** 10) * Math.log(3)),
      12,
    );
  });
  it('older stories weigh less inside the cap: x = (1, 0.5) → W = 2 · (1 − 0.5 · 0.75) = 1.25', () => {
    const r = computeForecast(pack, [item(), item({ publishedAt: '2026-11-13T12:00:00.000Z' })], [], new Date(NOW));
    expect(r.probabilities.a).toBeCloseTo(fromRatio(1.25 * Math.log(3)), 12);
  });
  it('evidence_scale λ tempers every log-likelihood: λ = 0.5 → 3^0.5 : 1', () => {
    expect(computeForecast(testPack({ evidence_scale: 0.5 }), [item()], [], new Date(NOW)).probabilities.a).toBeCloseTo(
      fromRatio(0.5 * Math.log(3)),
      12,
    );
  });
});

describe('engine: story clusters', () => {
  const one = pA([item({ tier: 3, clusterId: 7 })]);
  it('twenty syndicated copies (same text, twenty feeds) weigh exactly one story', () => {
    const copies = Array.from({ length: 20 }, (_, i) =>
      item({ tier: 3, clusterId: 7, feedId: 100 + i, contentHash: 'wire' }),
    );
    expect(pA(copies)).toBeCloseTo(one, 12);
    expect(computeForecast(pack, copies, [], new Date(NOW)).contributions).toHaveLength(1);
  });
  it('twenty copies on one feed weigh one story', () => {
    expect(pA(Array.from({ length: 20 }, () => item({ tier: 3, clusterId: 7, feedId: 5 })))).toBeCloseTo(one, 12);
  });
  it('two independent sources: more than one, less than two, exactly 1 − (1 − w)²', () => {
    const two = computeForecast(
      pack,
      [item({ tier: 3, clusterId: 7 }), item({ tier: 3, clusterId: 7 })],
      [],
      new Date(NOW),
    );
    const w = tierWeight(3);
    expect(two.contributions[0]!.weight).toBeCloseTo(1 - (1 - w) ** 2, 12);
    expect(two.probabilities.a!).toBeGreaterThan(one);
    expect(two.probabilities.a!).toBeLessThan(fromRatio(2 * w * Math.log(3)));
  });
  it('twenty independent sources never exceed weight 1', () => {
    const many = Array.from({ length: 20 }, () => item({ tier: 3, clusterId: 9 }));
    const r = computeForecast(pack, many, [], new Date(NOW));
    expect(r.contributions[0]!.weight).toBeLessThanOrEqual(1);
    expect(r.probabilities.a!).toBeLessThanOrEqual(0.75 + 1e-12);
  });
});

describe('engine: deadlines and resolutions', () => {
  const dl = testPack({
    scenarios: [
      { id: 'a', name: 'A', prior: 0.5, deadline: '2026-11-26', resolution: 'a' },
      { id: 'b', name: 'B', prior: 0.5, resolution: 'b' },
    ],
  });
  const start = '2026-11-17T00:00:00.000Z'; // 10 days before the end of the deadline day
  it('a deadline scenario loses prior mass with its window (remaining fraction, floored)', () => {
    const at = (now: string) => computeForecast(dl, [], [], new Date(now), { windowStart: start }).probabilities.a!;
    expect(at(start)).toBeCloseTo(0.5, 12);
    expect(at('2026-11-22T00:00:00.000Z')).toBeCloseTo(0.25 / 0.75, 12); // half the window left
    expect(at('2026-11-26T23:00:00.000Z')).toBeCloseTo(0.05 / 0.55, 12); // floored at 10 %
  });
  it('deadline_decay: false keeps the prior whole until the deadline passes, then spends it', () => {
    const flat = { ...dl, deadline_decay: false };
    const at = (now: string) => computeForecast(flat, [], [], new Date(now), { windowStart: start }).probabilities.a!;
    expect(at('2026-11-22T00:00:00.000Z')).toBeCloseTo(0.5, 12);
    expect(at('2026-11-26T23:00:00.000Z')).toBeCloseTo(0.5, 12);
    expect(at('2026-11-27T00:00:00.000Z')).toBe(0);
  });
  it('a passed deadline spends its scenario: exactly 0', () => {
    const r = computeForecast(dl, [item()], [], new Date('2026-11-27T00:00:00.000Z'), { windowStart: start });
    expect(r.probabilities).toEqual({ a: 0, b: 1 });
    expect(r.status.a).toBe('spent');
  });
  it.each([
    { outcome: 'yes' as const, expected: { a: 1, b: 0 } },
    { outcome: 'no' as const, expected: { a: 0, b: 1 } },
  ])('resolved $outcome', ({ outcome, expected }) => {
    const res = [{ scenarioId: 'a', outcome, resolvedAt: '2026-11-19T00:00:00.000Z' }];
    expect(computeForecast(pack, [item({ modality: 'cancelled' })], res, new Date(NOW)).probabilities).toEqual(
      expected,
    );
    // A resolution later than `now` is not in force yet.
    expect(computeForecast(pack, [], res, new Date('2026-11-18T00:00:00.000Z')).probabilities.a).toBeCloseTo(0.5, 12);
  });
});

describe('engine: numerical stability', () => {
  it.each([1e-300, 1e300, Number.MIN_VALUE, Number.MAX_VALUE, 0, Infinity, Number.NaN])(
    'likelihood %s stays finite',
    (x) => {
      // Built past the schema on purpose: the engine must not trust the pack to be validated.
      const extreme = testPack();
      extreme.indicators[0]!.likelihoods = { a: x, b: 1 / x };
      const evidence = Array.from({ length: 500 }, () => item());
      const r = computeForecast(extreme, evidence, [], new Date(NOW));
      for (const p of Object.values(r.probabilities)) expect(Number.isFinite(p)).toBe(true);
      expect(r.probabilities.a! + r.probabilities.b!).toBeCloseTo(1, 12);
      for (const c of r.contributions) for (const v of Object.values(c.logOdds)) expect(Number.isFinite(v)).toBe(true);
    },
  );
  it('NaN confidence and absurd tiers count as weight 0 / tier 5, not NaN', () => {
    const r = computeForecast(pack, [item({ confidence: Number.NaN }), item({ tier: 99 })], [], new Date(NOW));
    expect(r.probabilities.a).toBeCloseTo(fromRatio(0.3 * Math.log(3)), 12);
  });
});

describe('engine: incremental state', () => {
  it('quickPosterior after adding one story matches the exact evaluation', () => {
    const state = new EngineState(pack);
    const base = Array.from({ length: 200 }, (_, i) =>
      item({
        clusterId: i % 50,
        tier: 1 + (i % 5),
        publishedAt: new Date(Date.parse(NOW) - i * 3_600_000).toISOString(),
        modality: i % 7 === 0 ? 'cancelled' : null,
      }),
    );
    state.add(base);
    state.add([item({ clusterId: 3, tier: 2 })]);
    const exact = evaluate(state, new Date(NOW)).probabilities;
    const quick = quickPosterior(state, new Date(NOW));
    expect(quick.a).toBeCloseTo(exact.a!, 10);
    expect(exact.a).toBeCloseTo(
      computeForecast(
        pack,
        [...state.groups.values()].flatMap((g) => g.items),
        [],
        new Date(NOW),
      ).probabilities.a!,
      12,
    );
  });

  it('quickPosterior re-decays cached level evidence correctly as the clock moves', () => {
    const state = new EngineState(pack);
    const day = (d: number) => new Date(Date.UTC(2026, 10, 1 + d, 6)).toISOString();
    state.add(
      Array.from({ length: 9 }, (_, d) =>
        item({
          indicatorId: 'level',
          clusterId: 500 + d,
          publishedAt: day(d),
          numbers: [{ value: d === 8 ? 300 : 90 + (d % 2) * 20, unit: 'drones' }],
        }),
      ),
    );
    for (const now of [day(8), day(9), day(12)]) {
      expect(quickPosterior(state, new Date(now)).a).toBeCloseTo(evaluate(state, new Date(now)).probabilities.a!, 12);
    }
    expect(evaluate(state, new Date(day(12))).probabilities.a).toBeLessThan(0.5);
  });
});

describe('engine: the README example', () => {
  const three = testPack({
    scenarios: [
      { id: 'deal', name: 'D', prior: 0.15, resolution: 'd' },
      { id: 'frozen', name: 'F', prior: 0.35, resolution: 'f' },
      { id: 'collapse', name: 'C', prior: 0.5, resolution: 'c' },
    ],
    indicators: [
      { id: 'diag', name: 'Meeting', half_life_days: 10, likelihoods: { deal: 3, frozen: 1.5, collapse: 0.5 } },
    ],
  });
  it.each([
    { now: '2026-11-20T12:00:00.000Z', expected: { deal: 0.367, frozen: 0.429, collapse: 0.204 } },
    { now: '2026-11-30T12:00:00.000Z', expected: { deal: 0.249, frozen: 0.411, collapse: 0.339 } },
  ])('at $now', ({ now, expected }) => {
    const p = computeForecast(three, [item({ modality: 'held' })], [], new Date(now)).probabilities;
    for (const [s, v] of Object.entries(expected)) expect(p[s]).toBeCloseTo(v, 3);
  });
});

describe('engine: prior_weight pools the posterior with the priors', () => {
  const pooled = (w: number, evidence: EvidenceItem[] = [item()]) =>
    computeForecast(testPack({ prior_weight: w }), evidence, [], new Date(NOW)).probabilities;

  it('w = 0 is the posterior alone; w = 0.5 is halfway between it and the priors', () => {
    expect(pooled(0).a).toBeCloseTo(0.75, 12); // one 3:1 story
    expect(pooled(0.5).a).toBeCloseTo(0.5 * 0.75 + 0.5 * 0.5, 12);
    expect(pooled(0.5).b).toBeCloseTo(0.5 * 0.25 + 0.5 * 0.5, 12);
  });

  it('no open scenario falls below w × its prior, however strong the evidence', () => {
    const many = Array.from({ length: 40 }, (_, i) => item({ articleId: i + 1, clusterId: i + 1 }));
    const p = pooled(0.3, many);
    expect(p.b).toBeGreaterThanOrEqual(0.3 * 0.5 - 1e-12);
    expect(p.a! + p.b!).toBeCloseTo(1, 12);
  });

  it('without evidence the forecast is the priors, whatever w', () => {
    expect(pooled(0.6, []).a).toBeCloseTo(0.5, 12);
  });

  it('a resolution still decides: a scenario resolved yes takes everything', () => {
    const p = computeForecast(
      testPack({ prior_weight: 0.5 }),
      [item()],
      [{ scenarioId: 'b', outcome: 'yes', resolvedAt: '2026-11-19T00:00:00.000Z' }],
      new Date(NOW),
    ).probabilities;
    expect(p).toEqual({ a: 0, b: 1 });
  });

  it('the incremental path gives the same pooled forecast as the exact evaluation', () => {
    const state = new EngineState(testPack({ prior_weight: 0.3 })).add([item(), item({ articleId: 2, clusterId: 2 })]);
    const exact = evaluate(state, new Date(NOW)).probabilities;
    const quick = quickPosterior(state, new Date(NOW));
    expect(quick.a).toBeCloseTo(exact.a!, 12);
  });
});
