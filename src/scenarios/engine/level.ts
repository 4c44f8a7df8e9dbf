// Level indicators: the day's value against its rolling baseline, turned into evidence by z-score bands.
import type { Indicator } from '../../pack/schema.ts';
import type { LevelState } from '../snapshot-event.ts';
import { centredLogs } from './likelihood.ts';
import { compareText, DAY_MS, type Contribution, type EvidenceItem } from './types.ts';
import { observationWeight } from './weights.ts';

export interface DayValue {
  day: number;
  value: number;
  items: EvidenceItem[];
  key?: string;
}

/** One tag's value: the sum of its counts in the level's units (null when it has none). */
export function tagValue(item: EvidenceItem, units: ReadonlySet<string>): number | null {
  let sum = 0;
  let found = false;
  for (const n of item.numbers ?? []) {
    if (units.has(n.unit) && Number.isFinite(n.value) && n.value >= 0) {
      sum += n.value;
      found = true;
    }
  }
  return found ? sum : null;
}

/** The daily series of one level indicator, updated one tag at a time (the incremental engine's cache). */
export class LevelSeries {
  private readonly units: ReadonlySet<string>;
  private readonly clusters = new Map<string, DayValue>();
  private readonly days = new Map<number, DayValue>();
  private sorted: DayValue[] | null = null;

  constructor(ind: Indicator) {
    this.units = new Set(ind.level?.units ?? []);
  }

  add(it: EvidenceItem): void {
    const v = tagValue(it, this.units);
    if (v === null) return;
    const day = Math.floor(Date.parse(it.publishedAt) / DAY_MS);
    const key = `${day}|${it.clusterId === null ? `a${it.articleId}` : `c${it.clusterId}`}`;
    let c = this.clusters.get(key);
    if (!c) this.clusters.set(key, (c = { day, value: v, items: [it], key }));
    else {
      c.value = Math.max(c.value, v);
      c.items.push(it);
    }
    const d = this.days.get(day);
    // The day's value is the max over clusters; ties go to the smallest cluster key (order independent).
    if (!d || c.value > d.value || (c.value === d.value && compareText(c.key!, d.key!) < 0)) this.days.set(day, c);
    this.sorted = null;
  }

  values(): DayValue[] {
    if (!this.sorted) this.sorted = [...this.days.values()].sort((a, b) => a.day - b.day);
    return this.sorted;
  }
}

/**
 * Per UTC day: one value per story cluster (the max over its tags: ten outlets reporting one
 * barrage are one value), and the day's value is the max over clusters.
 */
export function dailyValues(ind: Indicator, items: readonly EvidenceItem[]): DayValue[] {
  const series = new LevelSeries(ind);
  for (const it of items) series.add(it);
  return series.values();
}

/** Smallest robust spread on the log scale (≈ 10 %): a flat baseline does not make one extra drone z = ∞. */
export const MIN_LOG_SPREAD = 0.1;
/** MAD × 1.4826 estimates the standard deviation of normally distributed data. */
const MAD_TO_SD = 1.4826;

function median(sorted: Float64Array): number {
  const n = sorted.length;
  const h = n >> 1;
  return n % 2 === 1 ? sorted[h]! : (sorted[h - 1]! + sorted[h]!) / 2;
}

/**
 * A robust z-score on the log scale: z = (ln(1 + v) − median) / max(1.4826 · MAD, 0.1), the median
 * and MAD (median absolute deviation) taken over ln(1 + value) of the baseline days (the day
 * itself excluded). Counts of drones are multiplicative (a 600-drone barrage is "6× an ordinary
 * night", not "+500"), and median/MAD ignore the few huge barrages that would otherwise inflate
 * the mean and sd until every ordinary night looked like a lull.
 */
export function robustZ(value: number, baseline: readonly number[]): number {
  const logs = Float64Array.from(baseline, (b) => Math.log1p(Math.max(0, b))).sort();
  const m = median(logs);
  const dev = logs.map((l) => Math.abs(l - m)).sort();
  const spread = Math.max(MAD_TO_SD * median(dev), MIN_LOG_SPREAD);
  return (Math.log1p(Math.max(0, value)) - m) / spread;
}

/** One day whose z fired a band: everything but the decay, which depends on `now`. */
export interface LevelReading {
  key: string;
  label: string;
  z: number;
  t: number;
  items: EvidenceItem[];
  weight: number;
  logs: number[];
}

/** One valued day seen as the engine sees it: its robust z against the baseline and the band it fired. */
export interface LevelDayStat {
  day: number;
  value: number;
  /** The baseline's centre on the value scale: expm1(median of ln(1 + v)), or null without enough days. */
  baseline: number | null;
  z: number | null;
  /** The band that fired (its index in the pack's bands), or null. */
  band: number | null;
}

/**
 * Each valued day's robust z and band, the one statistic the engine, the alerts, the dashboard,
 * the API and the CLI all use. A day gets a z when at least `min_baseline_days` valued days lie in
 * the previous `baseline_days` days; the first band it falls in (z ≥ above_z or z ≤ below_z) fires.
 */
export function levelDayStats(ind: Indicator, days: readonly DayValue[]): LevelDayStat[] {
  const level = ind.level;
  if (!level) return [];
  let from = 0;
  return days.map((d, i) => {
    while (from < i && days[from]!.day < d.day - level.baseline_days) from += 1;
    const baseline = days.slice(from, i).map((x) => x.value);
    if (baseline.length < level.min_baseline_days)
      return { day: d.day, value: d.value, baseline: null, z: null, band: null };
    const z = robustZ(d.value, baseline);
    const band = level.bands.findIndex((b) => (b.above_z !== undefined ? z >= b.above_z : z <= b.below_z!));
    return { day: d.day, value: d.value, baseline: baselineCentre(baseline), z, band: band < 0 ? null : band };
  });
}

/** The value whose ln(1 + v) is the baseline's median: where robustZ puts z = 0. */
export function baselineCentre(baseline: readonly number[]): number {
  return Math.expm1(median(Float64Array.from(baseline, (b) => Math.log1p(Math.max(0, b))).sort()));
}

/** A band's label as alerts and pages show it. */
export function bandLabel(ind: Indicator, band: number): string {
  const b = ind.level!.bands[band]!;
  return b.label ?? (b.above_z !== undefined ? `z>=${b.above_z}` : `z<=${b.below_z}`);
}

/**
 * The bands that fired, day by day (independent of `now`, so the incremental engine caches them).
 * Each fired day is a reading weighted like the story that carried the day's value.
 */
export function levelReadings(
  ind: Indicator,
  days: readonly DayValue[],
  scenarioIds: readonly string[],
  scale = 1,
  shrinkage = 0,
): { readings: LevelReading[]; state: LevelState } {
  const readings: LevelReading[] = [];
  const state: LevelState = { value: null, z: null, band: null };
  if (!ind.level) return { readings, state };
  const stats = levelDayStats(ind, days);
  stats.forEach((st, i) => {
    const label = st.band === null ? null : bandLabel(ind, st.band);
    if (i === stats.length - 1) Object.assign(state, { value: st.value, z: st.z, band: label });
    if (st.band === null || st.z === null || label === null) return;
    const d = days[i]!;
    const sorted = [...d.items].sort((a, b) => compareText(a.publishedAt, b.publishedAt) || a.tagId - b.tagId);
    readings.push({
      key: `level|${ind.id}|${new Date(d.day * DAY_MS).toISOString().slice(0, 10)}`,
      label,
      z: st.z,
      t: Date.parse(sorted[0]!.publishedAt),
      items: sorted,
      weight: observationWeight(sorted),
      logs: centredLogs(ind.level!.bands[st.band]!.likelihoods, scenarioIds, false, shrinkage).map((l) => l * scale),
    });
  });
  return { readings, state };
}

/** A reading's unsaturated contribution at `now`: w · d · λ · log L_band(s). */
export function readingContribution(
  ind: Indicator,
  r: LevelReading,
  nowMs: number,
  scenarioIds: readonly string[],
): Contribution {
  const halfLife = ind.half_life_days > 0 ? ind.half_life_days * DAY_MS : Infinity;
  const decay = 2 ** (-(nowMs - r.t) / halfLife);
  const first = r.items[0]!;
  return {
    key: r.key,
    kind: 'level',
    indicatorId: ind.id,
    polarity: null,
    modality: null,
    clusterId: first.clusterId,
    articleId: first.articleId,
    articleIds: [...new Set(r.items.map((x) => x.articleId))].sort((a, b) => a - b),
    weight: r.weight,
    decay,
    saturation: 1,
    at: first.publishedAt,
    band: r.label,
    z: r.z,
    logOdds: Object.fromEntries(scenarioIds.map((s, k) => [s, r.weight * decay * r.logs[k]!])),
  };
}

/**
 * Evidence from a level indicator up to `nowMs` (unsaturated: the engine saturates each band's
 * readings like any other signal).
 */
export function levelEvidence(
  ind: Indicator,
  items: readonly EvidenceItem[],
  nowMs: number,
  scenarioIds: readonly string[],
  scale = 1,
  shrinkage = 0,
): { contributions: Contribution[]; state: LevelState } {
  return levelEvidenceFromDays(ind, dailyValues(ind, items), nowMs, scenarioIds, scale, shrinkage);
}

/** The same from precomputed daily values (the incremental engine caches them). */
export function levelEvidenceFromDays(
  ind: Indicator,
  days: readonly DayValue[],
  nowMs: number,
  scenarioIds: readonly string[],
  scale = 1,
  shrinkage = 0,
): { contributions: Contribution[]; state: LevelState } {
  const { readings, state } = levelReadings(ind, days, scenarioIds, scale, shrinkage);
  return { contributions: readings.map((r) => readingContribution(ind, r, nowMs, scenarioIds)), state };
}
