// Pure: turns level readings (numbers found in tagged stories) into a daily series against its baseline.
import type { LevelReading } from '../queries/indicators.ts';

export interface LevelDay {
  day: string;
  /** The day's value, or null when no story reported a number that day. */
  value: number | null;
  /** Mean of the reported days in the preceding window, or null with too few of them. */
  baseline: number | null;
  z: number | null;
}

const DAY_MS = 86_400_000;
export const dayKey = (t: Date): string => t.toISOString().slice(0, 10);

/**
 * Daily value = Σ over the level's units of the largest number reported for that unit that day
 * (twenty outlets repeating "653 drones" is one barrage of 653, not 13,060). Days nobody reported
 * are missing, not zero. Baseline and z-score use the reported days among the previous `baselineDays`.
 */
export function dailyLevels(
  readings: LevelReading[],
  units: string[],
  endDay: Date,
  days: number,
  baselineDays: number,
  minBaselineDays: number,
): LevelDay[] {
  const wanted = new Set(units);
  const perDay = new Map<string, Map<string, number>>();
  for (const r of readings) {
    const day = r.publishedAt.slice(0, 10);
    for (const n of r.numbers) {
      if (!wanted.has(n.unit) || !Number.isFinite(n.value)) continue;
      const m = perDay.get(day) ?? new Map<string, number>();
      m.set(n.unit, Math.max(m.get(n.unit) ?? 0, n.value));
      perDay.set(day, m);
    }
  }
  const valueOf = (day: string): number | null => {
    const m = perDay.get(day);
    return m ? [...m.values()].reduce((a, b) => a + b, 0) : null;
  };
  const out: LevelDay[] = [];
  const end = Date.UTC(endDay.getUTCFullYear(), endDay.getUTCMonth(), endDay.getUTCDate());
  for (let i = days - 1; i >= 0; i--) {
    const t = end - i * DAY_MS;
    const day = dayKey(new Date(t));
    const window: number[] = [];
    for (let j = 1; j <= baselineDays; j++) {
      const v = valueOf(dayKey(new Date(t - j * DAY_MS)));
      if (v !== null) window.push(v);
    }
    const value = valueOf(day);
    let baseline: number | null = null;
    let z: number | null = null;
    if (window.length >= minBaselineDays) {
      baseline = window.reduce((a, b) => a + b, 0) / window.length;
      const sd = Math.sqrt(window.reduce((a, b) => a + (b - baseline!) ** 2, 0) / window.length);
      z = value === null ? null : sd > 0 ? (value - baseline) / sd : 0;
    }
    out.push({ day, value, baseline, z });
  }
  return out;
}
