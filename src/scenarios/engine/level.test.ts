// Level indicator tests: daily values, baselines, z-score bands.
import { describe, expect, it } from 'vitest';
import { computeForecast } from './compute.ts';
import { dailyValues } from './level.ts';
import { item, testPack } from '../../../test/helpers/engine.ts';

const pack = testPack();
const day = (d: number) => new Date(Date.UTC(2026, 10, 1 + d, 6)).toISOString();
const strikes = (d: number, drones: number, missiles = 0, over = {}) =>
  item({
    indicatorId: 'level',
    clusterId: 1000 + d,
    publishedAt: day(d),
    numbers: [
      { value: drones, unit: 'drones' },
      { value: missiles, unit: 'missiles' },
      { value: 999, unit: 'tanks' },
    ],
    ...over,
  });
// Eight baseline days alternating 90 / 110 (drones + missiles). On the log scale the median is
// (ln 91 + ln 111) / 2 and every day deviates by (ln 111 − ln 91) / 2 = MAD.
const baseline = Array.from({ length: 8 }, (_, d) => strikes(d, d % 2 === 0 ? 80 : 100, 10));
const MED = (Math.log(91) + Math.log(111)) / 2;
const SPREAD = 1.4826 * ((Math.log(111) - Math.log(91)) / 2); // ≈ 0.1472
const zOf = (v: number) => (Math.log1p(v) - MED) / SPREAD;

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
    { name: '150: z ≈ 2.77 fires the surge band (1:2)', value: 140, expected: 1 / 3, band: 'surge' },
    { name: '120: z ≈ 1.26 fires nothing', value: 110, expected: 0.5, band: null },
    { name: '70: z ≈ −2.36 fires the lull band (2:1)', value: 60, expected: 2 / 3, band: 'lull' },
  ])('$name', ({ value, expected, band }) => {
    const r = computeForecast(pack, [...baseline, strikes(8, value, 10)], [], new Date(day(8)));
    expect(r.probabilities.a).toBeCloseTo(expected, 12);
    expect(r.levels.level!.z).toBeCloseTo(zOf(value + 10), 12);
    expect(r.levels.level!.band).toBe(band);
    expect(r.levels.level!.value).toBe(value + 10);
  });

  it('gives no evidence before min_baseline_days valued days', () => {
    const r = computeForecast(pack, [...baseline.slice(0, 6), strikes(6, 10_000)], [], new Date(day(6)));
    expect(r.probabilities.a).toBe(0.5);
    expect(r.levels.level).toEqual({ value: 10_000, z: null, band: null });
  });

  it('decays the band evidence from its day (half-life 5 days)', () => {
    const r = computeForecast(pack, [...baseline, strikes(8, 140, 10)], [], new Date(day(13)));
    expect(r.probabilities.a).toBeCloseTo(1 / (1 + 2 ** 0.5), 12);
  });

  it('robust baseline: huge barrages do not make ordinary nights a lull', () => {
    // Ten ordinary nights (90–130) and three 600-drone barrages in the baseline. Median and MAD of
    // ln(1 + v) ignore the barrages: a 95-drone night is an ordinary night (|z| < 1), not a lull.
    const nights = [100, 120, 600, 90, 110, 130, 600, 95, 105, 115, 600, 100, 125];
    const series = nights.map((v, d) => strikes(d, v));
    const r = computeForecast(pack, [...series, strikes(nights.length, 95)], [], new Date(day(nights.length)));
    expect(r.levels.level!.band).toBeNull();
    const logs = nights.map((v) => Math.log1p(v)).sort((a, b) => a - b);
    const med = logs[6]!;
    const mad = logs.map((l) => Math.abs(l - med)).sort((a, b) => a - b)[6]!;
    expect(r.levels.level!.z).toBeCloseTo((Math.log1p(95) - med) / (1.4826 * mad), 12);
    expect(Math.abs(r.levels.level!.z!)).toBeLessThan(1);
    expect(r.contributions.filter((c) => c.band === 'lull')).toEqual([]);
    // The barrage itself is still a surge.
    const surge = computeForecast(pack, [...series, strikes(nights.length, 650)], [], new Date(day(nights.length)));
    expect(surge.levels.level!.band).toBe('surge');
  });

  it('consecutive surge days saturate like any signal (cap 2)', () => {
    const quiet = Array.from({ length: 8 }, (_, d) => strikes(d, d % 2 === 0 ? 80 : 100, 10));
    const surges = [8, 9, 10, 11].map((d) => strikes(d, 2000));
    const r = computeForecast(pack, [...quiet, ...surges], [], new Date(day(11)));
    const surgeRows = r.contributions.filter((c) => c.band === 'surge');
    expect(surgeRows.length).toBeGreaterThanOrEqual(2);
    const total = surgeRows.reduce((acc, c) => acc + c.logOdds.b! - c.logOdds.a!, 0);
    expect(total).toBeLessThanOrEqual(2 * Math.log(2) + 1e-12);
    expect(Math.log(r.probabilities.b! / r.probabilities.a!)).toBeCloseTo(total, 12);
  });
});
