// The level read model shows the engine's own statistic: same z, same band, same day values.
import { describe, expect, it } from 'vitest';
import { dailyValues, levelReadings, robustZ } from './engine/level.ts';
import { levelSeries } from './levels.ts';
import { item, testPack } from '../../test/helpers/engine.ts';

const pack = testPack();
const ind = pack.indicators[3]!;
const day = (d: number) => new Date(Date.UTC(2026, 10, 1 + d, 6)).toISOString();
const strikes = (d: number, drones: number, clusterId = 1000 + d) =>
  item({ indicatorId: 'level', clusterId, publishedAt: day(d), numbers: [{ value: drones, unit: 'drones' }] });

describe('levelSeries', () => {
  const items = [
    ...Array.from({ length: 10 }, (_, d) => strikes(d, d % 2 === 0 ? 80 : 120)),
    strikes(10, 600),
    strikes(10, 600, 1), // a second outlet on the same barrage: still one value
  ];
  const values = dailyValues(ind, items);
  const series = levelSeries(ind, values, new Date(day(11)), 13);

  it('has one row per UTC day, with null on days nobody reported', () => {
    expect(series).toHaveLength(13);
    expect(series[0]!.day).toBe('2026-10-31');
    expect(series[0]!.value).toBeNull();
    expect(series[12]!.value).toBeNull();
    expect(series[12]!.day).toBe('2026-11-12');
  });

  it('uses the robust log/MAD z and the band the engine fired', () => {
    const surge = series.find((d) => d.day === '2026-11-11')!;
    expect(surge.value).toBe(600);
    const baseline = Array.from({ length: 10 }, (_, d) => (d % 2 === 0 ? 80 : 120));
    expect(surge.z).toBeCloseTo(robustZ(600, baseline), 12);
    const engine = levelReadings(ind, values, ['a', 'b']);
    expect(engine.state.z).toBeCloseTo(surge.z!, 12);
    expect(surge.band).toBe(engine.state.band);
    expect(surge.band).toBe('surge');
    // z = 0 sits at the baseline's log-median: between 80 and 120 on the log scale.
    expect(surge.baseline!).toBeCloseTo(Math.expm1((Math.log1p(80) + Math.log1p(120)) / 2), 9);
  });

  it('gives no z before min_baseline_days valued days', () => {
    expect(series.find((d) => d.day === '2026-11-03')!.z).toBeNull();
    expect(series.find((d) => d.day === '2026-11-08')!.z).not.toBeNull();
  });
});
