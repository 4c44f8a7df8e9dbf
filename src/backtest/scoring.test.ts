// Scoring of daily forecasts: hand-computed Brier and log scores, the market baseline and the pooled calibration table.
import { describe, expect, it } from 'vitest';
import type { Pack } from '../pack/schema.ts';
import { calibrationTable, marketDistribution, marketSeries, score, scoreMarket, staticPriors } from './scoring.ts';

const pack = {
  scenarios: [
    { id: 'deal', prior: 0.2 },
    { id: 'ceasefire', prior: 0.3 },
    { id: 'collapse', prior: 0.5 },
  ],
} as unknown as Pack;
const priors = staticPriors(pack);
const point = (date: string, probability: number, scenario = 'deal') => ({ date, probability, scenario, source: 's' });

describe('score', () => {
  it('Brier is Σ (p − o)² and log is ln p(outcome), averaged over days', () => {
    const s = score(
      [
        { deal: 0.2, ceasefire: 0.3, collapse: 0.5 },
        { deal: 1, ceasefire: 0, collapse: 0 },
      ],
      pack,
      'deal',
    );
    expect(s.brier).toBeCloseTo((0.64 + 0.09 + 0.25 + 0) / 2, 12);
    expect(s.logScore).toBeCloseTo((Math.log(0.2) + 0) / 2, 12);
  });
});

describe('market baseline', () => {
  it('prices one scenario and shares the rest by the static priors', () => {
    const d = marketDistribution(priors, 'deal', 0.6);
    expect(d.deal).toBe(0.6);
    expect(d.ceasefire).toBeCloseTo(0.15, 12);
    expect(d.collapse).toBeCloseTo(0.25, 12);
  });

  it('carries each point forward and says nothing before the first one', () => {
    const days = ['2025-01-01', '2025-01-02', '2025-01-03', '2025-01-04'];
    const s = marketSeries({ market: [point('2025-01-04', 0.9), point('2025-01-02', 0.4)] }, priors, days);
    expect(s[0]).toBeNull();
    expect(s[1]!.deal).toBe(0.4);
    expect(s[2]!.deal).toBe(0.4);
    expect(s[3]!.deal).toBe(0.9);
  });

  it('is scored only on its days, beside the model and the priors on the same days', () => {
    const forecasts = ['2025-01-01', '2025-01-02', '2025-01-03'].map((day) => ({
      day,
      probabilities: { deal: 0.5, ceasefire: 0.25, collapse: 0.25 },
    }));
    const m = scoreMarket({ market: [point('2025-01-02', 1)] }, pack, 'deal', forecasts)!;
    expect(m.days).toBe(2);
    expect(m.market.brier).toBe(0);
    expect(m.model.brier).toBeCloseTo(0.25 + 0.0625 * 2, 12);
    expect(m.prior.brier).toBeCloseTo(0.64 + 0.09 + 0.25, 12);
    expect(scoreMarket({ market: [] }, pack, 'deal', forecasts)).toBeNull();
  });
});

describe('calibrationTable', () => {
  it('bins every scenario of every forecast and counts how often it happened', () => {
    const rows = calibrationTable([
      { probabilities: { a: 0.85, b: 0.15 }, outcome: 'a' },
      { probabilities: { a: 0.8, b: 0.2 }, outcome: 'b' },
      { probabilities: { a: 1, b: 0 }, outcome: 'a' },
    ]);
    expect(rows).toHaveLength(10);
    expect(rows[8]).toMatchObject({ count: 2, observed: 0.5 });
    expect(rows[8]!.meanForecast).toBeCloseTo(0.825, 12);
    expect(rows[9]).toMatchObject({ count: 1, observed: 1 }); // p = 1 falls in the last bin
    expect(rows[0]).toMatchObject({ count: 1, observed: 0 });
    expect(rows[1]).toMatchObject({ count: 1, observed: 0 });
    expect(rows[2]).toMatchObject({ count: 1, observed: 1 });
    expect(rows.reduce((a, r) => a + r.count, 0)).toBe(6);
  });
});
