// Level indicators: the day's value against its rolling baseline, turned into evidence by z-score bands.
import type { Indicator } from '../pack/schema.ts';
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

function zScore(value: number, baseline: readonly number[]): number {
  const mean = baseline.reduce((a, b) => a + b, 0) / baseline.length;
  const variance = baseline.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, baseline.length - 1);
  // A flat baseline has sd 0: floor it (1 unit or 5 % of the mean) so one extra drone is not z = ∞.
  const sd = Math.max(Math.sqrt(variance), 1, 0.05 * Math.abs(mean));
  return (value - mean) / sd;
}

/**
 * Evidence from a level indicator up to `nowMs`. Each day with a value and at least
 * `min_baseline_days` valued days in the previous `baseline_days` days gets a z-score; the first
 * band it falls in (z ≥ above_z or z ≤ below_z) adds w · d · log L_band(s), w being the weight of the
 * story that carried the day's value and d its decay from that story's time.
 */
export function levelEvidence(ind: Indicator, items: readonly EvidenceItem[], nowMs: number, scenarioIds: readonly string[]): { contributions: Contribution[]; state: LevelState } {
  return levelEvidenceFromDays(ind, dailyValues(ind, items), nowMs, scenarioIds);
}

/** The same from precomputed daily values (the incremental engine caches them). */
export function levelEvidenceFromDays(ind: Indicator, days: readonly DayValue[], nowMs: number, scenarioIds: readonly string[]): { contributions: Contribution[]; state: LevelState } {
  const level = ind.level;
  const contributions: Contribution[] = [];
  const state: LevelState = { value: null, z: null, band: null };
  if (!level) return { contributions, state };
  const halfLife = ind.half_life_days > 0 ? ind.half_life_days * DAY_MS : Infinity;
  let from = 0;
  days.forEach((d, i) => {
    while (from < i && days[from]!.day < d.day - level.baseline_days) from += 1;
    const baseline = days.slice(from, i).map((x) => x.value);
    const z = baseline.length >= level.min_baseline_days ? zScore(d.value, baseline) : null;
    const band = z === null ? undefined : level.bands.find((b) => (b.above_z !== undefined ? z >= b.above_z : z <= b.below_z!));
    const label = band ? (band.label ?? (band.above_z !== undefined ? `z>=${band.above_z}` : `z<=${band.below_z}`)) : null;
    if (i === days.length - 1) Object.assign(state, { value: d.value, z, band: label });
    if (!band || z === null) return;
    const sorted = [...d.items].sort((a, b) => compareText(a.publishedAt, b.publishedAt) || a.tagId - b.tagId);
    const first = sorted[0]!;
    const t = Date.parse(first.publishedAt);
    const weight = observationWeight(sorted);
    const decay = 2 ** (-(nowMs - t) / halfLife);
    const logs = centredLogs(band.likelihoods, scenarioIds);
    contributions.push({
      key: `level|${ind.id}|${new Date(d.day * DAY_MS).toISOString().slice(0, 10)}`,
      kind: 'level',
      indicatorId: ind.id,
      polarity: null,
      modality: null,
      clusterId: first.clusterId,
      articleId: first.articleId,
      articleIds: [...new Set(sorted.map((x) => x.articleId))].sort((a, b) => a - b),
      weight,
      decay,
      at: first.publishedAt,
      band: label,
      z,
      logOdds: Object.fromEntries(scenarioIds.map((s, k) => [s, weight * decay * logs[k]!])),
    });
  });
  return { contributions, state };
}
