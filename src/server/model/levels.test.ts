// Unit tests for the daily level series (strike volume) against its rolling baseline.
import { describe, expect, it } from 'vitest';
import { dailyLevels } from './levels.ts';

const r = (day: string, ...numbers: [number, string][]) => ({
  publishedAt: `${day}T08:00:00.000Z`,
  numbers: numbers.map(([value, unit]) => ({ value, unit })),
});

describe('dailyLevels', () => {
  it('takes the largest report per unit per day and sums the units (repeats are one barrage)', () => {
    const days = dailyLevels(
      [
        r('2026-11-20', [653, 'drones'], [51, 'missiles']),
        r('2026-11-20', [653, 'drones']),
        r('2026-11-20', [600, 'drones']),
      ],
      ['drones', 'missiles'],
      new Date('2026-11-20T23:00:00Z'),
      1,
      28,
      7,
    );
    expect(days).toEqual([{ day: '2026-11-20', value: 704, baseline: null, z: null }]);
  });

  it('ignores other units, leaves unreported days missing, and needs min_baseline_days', () => {
    const readings = [r('2026-11-01', [100, 'drones'], [5, 'tanks']), r('2026-11-02', [120, 'drones'])];
    const days = dailyLevels(readings, ['drones'], new Date('2026-11-03T12:00:00Z'), 3, 28, 2);
    expect(days.map((d) => d.value)).toEqual([100, 120, null]);
    expect(days[2]).toMatchObject({ baseline: 110, z: null });
    expect(days[1]!.baseline).toBeNull();
  });

  it('computes the z-score against the preceding window only', () => {
    const readings = Array.from({ length: 10 }, (_, i) =>
      r(`2026-11-${String(i + 1).padStart(2, '0')}`, [i % 2 === 0 ? 90 : 110, 'drones']),
    );
    readings.push(r('2026-11-11', [200, 'drones']));
    const last = dailyLevels(readings, ['drones'], new Date('2026-11-11T12:00:00Z'), 1, 28, 7)[0]!;
    expect(last.baseline).toBe(100);
    expect(last.z).toBeCloseTo(10, 9);
  });

  it('gives z = 0 when the baseline has no spread', () => {
    const readings = Array.from({ length: 8 }, (_, i) => r(`2026-11-0${i + 1}`, [50, 'drones']));
    expect(dailyLevels(readings, ['drones'], new Date('2026-11-08T12:00:00Z'), 1, 28, 7)[0]!.z).toBe(0);
  });
});
