// Scoring tests: daily forecasts, hand-computed Brier and log scores, calibration bins.
import { describe, expect, it } from 'vitest';
import { testPack } from '../../test/helpers/engine.ts';
import { calibration, dailyForecasts, ScoreError, scoreForecasts, scoreHistory } from './score.ts';

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
});
