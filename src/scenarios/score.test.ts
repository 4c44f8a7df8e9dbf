// Scoring tests: daily forecasts, hand-computed Brier and log scores, calibration bins.
import { describe, expect, it } from 'vitest';
import { testPack } from '../../test/helpers/engine.ts';
import { calibration, dailyForecasts, marketForecasts, ScoreError, scoreForecasts, scoreHistory } from './score.ts';

describe('scoring', () => {
  it.each([
    { p: { a: 1, b: 0 }, brier: 0, log: 0 },
    { p: { a: 0.5, b: 0.5 }, brier: 0.5, log: Math.log(0.5) },
    { p: { a: 0.8, b: 0.2 }, brier: 0.08, log: Math.log(0.8) },
    { p: { a: 0, b: 1 }, brier: 2, log: Math.log(1e-15) },
  ])('scores $p against a', ({ p, brier, log }) => {
    const s = scoreForecasts([p], ['a', 'b'], 'a');
    expect(s.brier).toBeCloseTo(brier, 12);
    expect(s.logScore).toBeCloseTo(log, 12);
  });

  it('takes the forecast in force at the end of each day, up to the resolution time', () => {
    const days = dailyForecasts(
      [
        { at: '2026-11-01T10:00:00.000Z', probabilities: { a: 0.5 } },
        { at: '2026-11-01T20:00:00.000Z', probabilities: { a: 0.6 } },
        { at: '2026-11-03T05:00:00.000Z', probabilities: { a: 0.9 } },
        { at: '2026-11-03T13:00:00.000Z', probabilities: { a: 1 } },
      ],
      '2026-11-03T12:00:00.000Z',
    );
    expect(days.map((d) => [d.at, d.probabilities.a])).toEqual([
      ['2026-11-01', 0.6],
      ['2026-11-02', 0.6],
      ['2026-11-03', 0.9],
    ]);
  });

  it('reports baselines and refuses to score without a yes resolution', () => {
    const pack = testPack();
    const snaps = [{ at: '2026-11-01T00:00:00.000Z', probabilities: { a: 0.8, b: 0.2 } }];
    const r = scoreHistory(pack, snaps, [{ scenarioId: 'a', outcome: 'yes', resolvedAt: '2026-11-03T00:00:00.000Z' }]);
    expect(r.days).toBe(2);
    expect(r.brier).toBeCloseTo(0.08, 12);
    expect(r.baselines.uniform.brier).toBeCloseTo(0.5, 12);
    expect(r.baselines.prior.logScore).toBeCloseTo(Math.log(0.5), 12);
    expect(() => scoreHistory(pack, snaps, [])).toThrow(ScoreError);
  });

  it('bins forecasts for the calibration table', () => {
    const bins = calibration(
      [
        { a: 0.85, b: 0.15 },
        { a: 0.82, b: 0.18 },
      ],
      ['a', 'b'],
      'a',
    );
    expect(bins[8]).toMatchObject({ count: 2, observed: 1 });
    expect(bins[8]!.meanForecast).toBeCloseTo(0.835, 12);
    expect(bins[1]).toMatchObject({ count: 2, observed: 0 });
  });

  describe('market baseline', () => {
    const prior = { deal: 0.2, frozen: 0.3, collapse: 0.5 };
    it.each([
      {
        name: 'one priced scenario: the rest shared by prior',
        points: [{ scenario: 'deal', p: 0.6 }],
        want: { deal: 0.6, frozen: 0.15, collapse: 0.25 },
      },
      {
        name: 'two priced',
        points: [
          { scenario: 'deal', p: 0.2 },
          { scenario: 'frozen', p: 0.3 },
        ],
        want: { deal: 0.2, frozen: 0.3, collapse: 0.5 },
      },
      {
        name: 'priced above 1: normalised, rest 0',
        points: [
          { scenario: 'deal', p: 0.8 },
          { scenario: 'frozen', p: 0.8 },
        ],
        want: { deal: 0.5, frozen: 0.5, collapse: 0 },
      },
      { name: 'certainty', points: [{ scenario: 'collapse', p: 1 }], want: { deal: 0, frozen: 0, collapse: 1 } },
    ])('$name', ({ points, want }) => {
      const [f] = marketForecasts(
        ['2026-11-01'],
        points.map((x) => ({ at: '2026-11-01T06:00:00.000Z', scenario: x.scenario, probability: x.p })),
        prior,
        '2026-12-01T00:00:00.000Z',
      );
      for (const [k, v] of Object.entries(want)) expect(f![k]).toBeCloseTo(v, 12);
    });

    it('leaves out days before the first point, carries the latest forward, and ignores points after the resolution', () => {
      const f = marketForecasts(
        ['2026-11-01', '2026-11-02', '2026-11-03', '2026-11-04'],
        [
          { at: '2026-11-02T23:00:00.000Z', scenario: 'deal', probability: 0.4 },
          { at: '2026-11-04T09:00:00.000Z', scenario: 'deal', probability: 0.9 },
          { at: '2026-11-04T13:00:00.000Z', scenario: 'deal', probability: 1 },
          { at: '2026-11-02T00:00:00.000Z', scenario: 'unknown', probability: 1 },
        ],
        prior,
        '2026-11-04T12:00:00.000Z',
      );
      expect(f.map((x) => x?.deal ?? null)).toEqual([null, 0.4, 0.4, 0.9]);
    });

    it('scores the market on its days only, beside the pack and the priors on those days', () => {
      const pack = testPack();
      const snaps = [
        { at: '2026-11-01T00:00:00.000Z', probabilities: { a: 0.5, b: 0.5 } },
        { at: '2026-11-03T00:00:00.000Z', probabilities: { a: 0.8, b: 0.2 } },
      ];
      const yes = [{ scenarioId: 'a', outcome: 'yes' as const, resolvedAt: '2026-11-05T00:00:00.000Z' }];
      const market = [{ at: '2026-11-03T00:00:00.000Z', scenario: 'a', probability: 0.9 }];
      const r = scoreHistory(pack, snaps, yes, market);
      expect(r.days).toBe(4);
      const m = r.baselines.market!;
      expect(m).toMatchObject({ days: 2, from: '2026-11-03', to: '2026-11-04' });
      expect(m.brier).toBeCloseTo(0.02, 12); // (0.9−1)² + (0.1−0)²
      expect(m.logScore).toBeCloseTo(Math.log(0.9), 12);
      expect(m.pack.brier).toBeCloseTo(0.08, 12);
      expect(m.prior.brier).toBeCloseTo(0.5, 12);
      expect(m.note).toContain('carried forward');
      expect(scoreHistory(pack, snaps, yes).baselines.market).toBeNull();
    });
  });
});
