// Level indicator tests: daily values, baselines, z-score bands.
import { describe, expect, it } from 'vitest';
import { computeForecast } from './compute.ts';
import { dailyValues } from './level.ts';
import { item, testPack } from './test-helpers.ts';

const pack = testPack();
const day = (d: number) => new Date(Date.UTC(2026, 10, 1 + d, 6)).toISOString();
const strikes = (d: number, drones: number, missiles = 0, over = {}) =>
  item({ indicatorId: 'level', clusterId: 1000 + d, publishedAt: day(d), numbers: [{ value: drones, unit: 'drones' }, { value: missiles, unit: 'missiles' }, { value: 999, unit: 'tanks' }], ...over });
// Eight baseline days alternating 90 / 110: mean 100, sample sd √(800/7) ≈ 10.69.
const baseline = Array.from({ length: 8 }, (_, d) => strikes(d, d % 2 === 0 ? 80 : 100, 10));

describe('level indicators', () => {
  it('sums the level units within a tag, takes the max within a cluster and over clusters', () => {
    const days = dailyValues(pack.indicators[3]!, [
      strikes(0, 100, 30),
      ...Array.from({ length: 10 }, () => strikes(0, 100, 30, { clusterId: 1 })), // ten outlets, one barrage
      strikes(0, 50, 0, { clusterId: 2 }),
    ]);
    expect(days).toHaveLength(1);
    expect(days[0]!.value).toBe(130);
  });

  it.each([
    { name: 'z ≈ 2.81 fires the surge band (1:2)', value: 120, expected: 1 / 3, band: 'surge' },
    { name: 'z ≈ 1.87 fires nothing', value: 110, expected: 0.5, band: null },
    { name: 'z ≈ −1.87 fires the lull band (2:1)', value: 70, expected: 2 / 3, band: 'lull' },
  ])('$name', ({ value, expected, band }) => {
    const r = computeForecast(pack, [...baseline, strikes(8, value, 10)], [], day(8));
    expect(r.probabilities.a).toBeCloseTo(expected, 12);
    expect(r.levels.level!.band).toBe(band);
    expect(r.levels.level!.value).toBe(value + 10);
  });

  it('gives no evidence before min_baseline_days valued days', () => {
    const r = computeForecast(pack, [...baseline.slice(0, 6), strikes(6, 10_000)], [], day(6));
    expect(r.probabilities.a).toBe(0.5);
    expect(r.levels.level).toEqual({ value: 10_000, z: null, band: null });
  });

  it('decays the band evidence from its day (half-life 5 days)', () => {
    const r = computeForecast(pack, [...baseline, strikes(8, 120, 10)], [], day(13));
    expect(r.probabilities.a).toBeCloseTo(1 / (1 + 2 ** 0.5), 12);
  });
});
