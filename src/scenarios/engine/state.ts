// The engine's state: observations grouped by story, with running decayed sums for fast updates.
import type { Indicator, Pack } from '../pack/schema.ts';
import type { LevelState } from '../snapshot-event.ts';
import { LevelSeries, levelEvidence, levelEvidenceFromDays } from './level.ts';
import { LikelihoodCache } from './likelihood.ts';
import { compareText, DAY_MS, type Contribution, type EvidenceItem } from './types.ts';
import { observationWeight } from './weights.ts';

/** One observation: all tags of one indicator/polarity/modality within one story cluster. */
export interface Group {
  key: string;
  id: number;
  ind: Indicator;
  items: EvidenceItem[];
  weight: number;
  /** Earliest report (ms): the observation decays from here. */
  t: number;
  logs: number[];
  /** The term currently added to the indicator's running sum. */
  term: number[] | null;
}

interface RunningSum {
  anchor: number;
  halfLifeMs: number;
  sums: Float64Array;
  keys: Set<number>;
}

/** 2^900 is far from overflow; an observation further from its sum's anchor re-anchors the sum. */
const MAX_EXP = 900;

/** Cheap shape check for toISOString's output (YYYY-MM-DDTHH:MM:SS.mmmZ); anything else is re-parsed. */
function isIsoUtc(s: string): boolean {
  return s.length === 24 && s.charCodeAt(23) === 90 && s.charCodeAt(10) === 84 && s.charCodeAt(19) === 46;
}

const MODALITIES = ['held', 'scheduled', 'proposed', 'cancelled', 'speculative'];

/**
 * A numeric observation id (faster than a string key on 100k items; its order fixes the summation
 * order): story (cluster, else article), modality, polarity, indicator index.
 */
function numericKey(it: EvidenceItem, indicatorIndex: number, indicatorCount: number): number {
  const story = it.clusterId !== null ? it.clusterId * 2 : it.articleId * 2 + 1;
  const modality = it.modality === null ? 0 : MODALITIES.indexOf(it.modality) + 1;
  return ((story * 8 + modality) * 2 + (it.polarity === 'negated' ? 1 : 0)) * indicatorCount + indicatorIndex;
}

export function groupKey(it: EvidenceItem): string {
  const story = it.clusterId === null ? `a${it.articleId}` : `c${it.clusterId}`;
  return `${it.indicatorId}|${it.polarity}|${it.modality ?? ''}|${story}`;
}

const byTime = (a: EvidenceItem, b: EvidenceItem) => compareText(a.publishedAt, b.publishedAt) || a.articleId - b.articleId || a.tagId - b.tagId;

export class EngineState {
  readonly ids: string[];
  readonly groups = new Map<number, Group>();
  readonly levelItems = new Map<string, EvidenceItem[]>();
  private readonly indicators: Map<string, { ind: Indicator; index: number }>;
  private readonly likelihoods: LikelihoodCache;
  private readonly seen = new Set<number>();
  private readonly running = new Map<string, RunningSum>();
  private runningBuilt = false;
  private readonly levelSeries = new Map<string, LevelSeries>();
  private readonly levelSumCache = new Map<string, { days: readonly unknown[]; at: number; sums: number[] }>();
  /** Latest evidence time (ms) held, and as ISO text. */
  maxTime = -Infinity;
  private maxIso = '';

  constructor(readonly pack: Pack) {
    this.ids = pack.scenarios.map((s) => s.id);
    this.indicators = new Map(pack.indicators.map((ind, index) => [ind.id, { ind, index }]));
    this.likelihoods = new LikelihoodCache(this.ids);
  }

  /** Adds tags (a repeated tag id is ignored; unknown indicators and undated items are skipped). */
  add(items: readonly EvidenceItem[]): this {
    const dirty = new Set<Group>();
    for (const raw of items) {
      const known = this.indicators.get(raw.indicatorId);
      if (!known || this.seen.has(raw.tagId)) continue;
      const ind = known.ind;
      // Times are compared as text (ISO UTC sorts as time): other ISO spellings are normalised, and
      // only they pay for Date.parse; undated items are skipped.
      let it = raw;
      if (!isIsoUtc(raw.publishedAt)) {
        const t = Date.parse(raw.publishedAt);
        if (!Number.isFinite(t)) continue;
        it = { ...raw, publishedAt: new Date(t).toISOString() };
      }
      this.seen.add(it.tagId);
      if (it.publishedAt > this.maxIso) this.maxIso = it.publishedAt;
      if (ind.kind === 'level') {
        const list = this.levelItems.get(ind.id);
        if (list) list.push(it);
        else this.levelItems.set(ind.id, [it]);
        let series = this.levelSeries.get(ind.id);
        if (!series) this.levelSeries.set(ind.id, (series = new LevelSeries(ind)));
        series.add(it);
        continue;
      }
      const key = numericKey(it, known.index, this.indicators.size);
      let g = this.groups.get(key);
      if (!g) {
        g = { key: groupKey(it), id: key, ind, items: [], weight: 0, t: 0, logs: this.likelihoods.logs(ind, it.polarity, it.modality), term: null };
        this.groups.set(key, g);
      }
      g.items.push(it);
      dirty.add(g);
    }
    this.maxTime = this.maxIso === '' ? -Infinity : Date.parse(this.maxIso);
    for (const g of dirty) this.refresh(g);
    return this;
  }

  private refresh(g: Group): void {
    if (g.items.length > 1) g.items.sort(byTime);
    g.weight = observationWeight(g.items);
    g.t = Date.parse(g.items[0]!.publishedAt);
    if (this.runningBuilt) this.addToRunning(g);
  }

  /** Moves one observation's term in its indicator's running sum (subtract the old, add the new). */
  private addToRunning(g: Group): void {
    let r = this.running.get(g.ind.id);
    if (!r) {
      r = { anchor: g.t, halfLifeMs: g.ind.half_life_days > 0 ? g.ind.half_life_days * DAY_MS : Infinity, sums: new Float64Array(this.ids.length), keys: new Set() };
      this.running.set(g.ind.id, r);
    }
    if (g.term) for (let k = 0; k < g.term.length; k++) r.sums[k]! -= g.term[k]!;
    const exp = (g.t - r.anchor) / r.halfLifeMs;
    if (Math.abs(exp) > MAX_EXP) return this.reanchor(r, g);
    g.term = g.logs.map((l) => g.weight * 2 ** exp * l);
    for (let k = 0; k < g.term.length; k++) r.sums[k]! += g.term[k]!;
    r.keys.add(g.id);
  }

  private reanchor(r: RunningSum, g: Group): void {
    r.anchor = g.t;
    r.sums.fill(0);
    r.keys.add(g.id);
    for (const key of r.keys) {
      const x = this.groups.get(key)!;
      x.term = x.logs.map((l) => x.weight * 2 ** ((x.t - r.anchor) / r.halfLifeMs) * l);
      for (let k = 0; k < x.term.length; k++) r.sums[k]! += x.term[k]!;
    }
  }

  /** Σ over event observations of w · d(now) · log L(s), from the running sums: O(indicators × scenarios). */
  eventSums(nowMs: number): number[] {
    if (!this.runningBuilt) {
      // Built on first use: a one-off recompute from scratch never pays for it.
      this.runningBuilt = true;
      for (const id of [...this.groups.keys()].sort((a, b) => a - b)) this.addToRunning(this.groups.get(id)!);
    }
    const out = new Array<number>(this.ids.length).fill(0);
    for (const r of this.running.values()) {
      const f = 2 ** ((r.anchor - nowMs) / r.halfLifeMs);
      for (let k = 0; k < out.length; k++) out[k]! += f * r.sums[k]!;
    }
    return out;
  }

  /** Level contributions at `now` from cached daily values (valid when no evidence is later than now). */
  levelsCached(nowMs: number): { contributions: Contribution[]; levels: Record<string, LevelState> } {
    const contributions: Contribution[] = [];
    const levels: Record<string, LevelState> = {};
    for (const ind of this.pack.indicators) {
      if (ind.kind !== 'level') continue;
      const r = levelEvidenceFromDays(ind, this.levelSeries.get(ind.id)?.values() ?? [], nowMs, this.ids);
      contributions.push(...r.contributions);
      levels[ind.id] = r.state;
    }
    return { contributions, levels };
  }

  /**
   * Σ of level contributions at `now` for the fast path: the band evidence of an unchanged series
   * is computed once and only re-decayed (c(now) = c(now0) · 2^(−(now − now0)/h)).
   */
  levelSums(nowMs: number): number[] {
    const out = new Array<number>(this.ids.length).fill(0);
    for (const ind of this.pack.indicators) {
      const series = this.levelSeries.get(ind.id);
      if (ind.kind !== 'level' || !series) continue;
      const days = series.values();
      let cached = this.levelSumCache.get(ind.id);
      if (!cached || cached.days !== days) {
        const sums = new Array<number>(this.ids.length).fill(0);
        for (const c of levelEvidenceFromDays(ind, days, nowMs, this.ids).contributions) this.ids.forEach((s, k) => (sums[k]! += c.logOdds[s]!));
        cached = { days, at: nowMs, sums };
        this.levelSumCache.set(ind.id, cached);
      }
      const f = ind.half_life_days > 0 ? 2 ** (-(nowMs - cached.at) / (ind.half_life_days * DAY_MS)) : 1;
      for (let k = 0; k < out.length; k++) out[k]! += f * cached.sums[k]!;
    }
    return out;
  }

  /** Level contributions at `now` using only evidence published by then. */
  levelsAt(nowMs: number): { contributions: Contribution[]; levels: Record<string, LevelState> } {
    if (this.maxTime <= nowMs) return this.levelsCached(nowMs);
    const contributions: Contribution[] = [];
    const levels: Record<string, LevelState> = {};
    for (const ind of this.pack.indicators) {
      if (ind.kind !== 'level') continue;
      const items = (this.levelItems.get(ind.id) ?? []).filter((it) => Date.parse(it.publishedAt) <= nowMs);
      const r = levelEvidence(ind, items, nowMs, this.ids);
      contributions.push(...r.contributions);
      levels[ind.id] = r.state;
    }
    return { contributions, levels };
  }
}
