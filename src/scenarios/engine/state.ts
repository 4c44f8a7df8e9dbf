// The engine's state: observations grouped by story, with running decayed sums for fast updates.
import type { Indicator, Pack } from '../../pack/schema.ts';
import type { LevelState } from '../snapshot-event.ts';
import { LevelSeries, levelEvidence, levelEvidenceFromDays, levelReadings, type LevelReading } from './level.ts';
import { LikelihoodCache } from './likelihood.ts';
import { compareText, DAY_MS, type Contribution, type EvidenceItem } from './types.ts';
import { observationWeight } from './weights.ts';
import { saturatedWeight, signalCap } from './saturation.ts';

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
  signal: Signal;
}

/**
 * One signal (indicator, polarity, modality): its observations, saturated together. For the fast
 * path it caches a_i = w_i · 2^((t_i − anchor)/h) with the anchor at the latest observation, so at
 * `now` every x_i = a_i · 2^(−(now − anchor)/h) costs one multiplication.
 */
interface Signal {
  logs: number[];
  cap: number;
  halfLifeMs: number;
  groups: Group[];
  anchor: number;
  scaled: Float64Array | null;
}

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

const signalName = (ind: Indicator, it: EvidenceItem) => `${ind.id}|${it.polarity}|${it.modality ?? ''}`;

function newSignal(ind: Indicator, logs: number[]): Signal {
  return {
    logs,
    cap: signalCap(ind),
    halfLifeMs: ind.half_life_days > 0 ? ind.half_life_days * DAY_MS : Infinity,
    groups: [],
    anchor: 0,
    scaled: null,
  };
}

const byTime = (a: EvidenceItem, b: EvidenceItem) =>
  compareText(a.publishedAt, b.publishedAt) || a.articleId - b.articleId || a.tagId - b.tagId;

export class EngineState {
  readonly ids: string[];
  readonly groups = new Map<number, Group>();
  readonly levelItems = new Map<string, EvidenceItem[]>();
  private readonly indicators: Map<string, { ind: Indicator; index: number }>;
  private readonly likelihoods: LikelihoodCache;
  private readonly seen = new Set<number>();
  private readonly signals = new Map<string, Signal>();
  private readonly levelSeries = new Map<string, LevelSeries>();
  private readonly levelReadingCache = new Map<string, { days: readonly unknown[]; readings: LevelReading[] }>();
  /** Latest evidence time (ms) held, and as ISO text. */
  maxTime = -Infinity;
  private maxIso = '';

  constructor(readonly pack: Pack) {
    this.ids = pack.scenarios.map((s) => s.id);
    this.indicators = new Map(pack.indicators.map((ind, index) => [ind.id, { ind, index }]));
    this.likelihoods = new LikelihoodCache(this.ids, pack.evidence_scale ?? 1, pack.likelihood_shrinkage ?? 0);
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
        const logs = this.likelihoods.logs(ind, it.polarity, it.modality);
        g = {
          key: groupKey(it),
          id: key,
          ind,
          items: [],
          weight: 0,
          t: 0,
          logs,
          signal: this.signalFor(ind, it, logs),
        };
        this.groups.set(key, g);
        g.signal.groups.push(g);
      }
      g.items.push(it);
      dirty.add(g);
    }
    this.maxTime = this.maxIso === '' ? -Infinity : Date.parse(this.maxIso);
    for (const g of dirty) this.refresh(g);
    return this;
  }

  /**
   * The observation one more story would make, built as `add` would build it but kept out of the
   * state: it joins its signal (so saturation treats it as one more story of that signal) without
   * changing anything the state holds. Null for an unknown or level indicator.
   */
  detachedGroup(it: EvidenceItem): Group | null {
    const known = this.indicators.get(it.indicatorId);
    if (!known || known.ind.kind === 'level') return null;
    const ind = known.ind;
    const logs = this.likelihoods.logs(ind, it.polarity, it.modality);
    const signal = this.signals.get(signalName(ind, it)) ?? newSignal(ind, logs);
    return {
      key: groupKey(it),
      id: numericKey(it, known.index, this.indicators.size),
      ind,
      items: [it],
      weight: observationWeight([it]),
      t: Date.parse(it.publishedAt),
      logs,
      signal,
    };
  }

  private signalFor(ind: Indicator, it: EvidenceItem, logs: number[]): Signal {
    const key = signalName(ind, it);
    let sig = this.signals.get(key);
    if (!sig) {
      sig = newSignal(ind, logs);
      this.signals.set(key, sig);
    }
    return sig;
  }

  private refresh(g: Group): void {
    if (g.items.length > 1) g.items.sort(byTime);
    g.weight = observationWeight(g.items);
    g.t = Date.parse(g.items[0]!.publishedAt);
    g.signal.scaled = null;
  }

  /**
   * Σ over event signals of W_signal(now) · log L(s), W = cap · (1 − Π(1 − w_i·d_i/cap)):
   * O(observations) multiplications, with each signal's scaled weights rebuilt only after it changed.
   * Valid when no evidence is later than `now` (the product runs in insertion order here; the
   * exact evaluation sorts it, so the two agree to rounding).
   */
  eventSums(nowMs: number): number[] {
    const out = new Array<number>(this.ids.length).fill(0);
    for (const sig of this.signals.values()) {
      if (!sig.scaled) {
        sig.anchor = sig.groups.reduce((m, g) => Math.max(m, g.t), -Infinity);
        sig.scaled = Float64Array.from(sig.groups, (g) => g.weight * 2 ** ((g.t - sig.anchor) / sig.halfLifeMs));
      }
      const f = 2 ** (-(nowMs - sig.anchor) / sig.halfLifeMs);
      const xs = sig.scaled;
      let weight: number;
      if (xs.length === 1) weight = xs[0]! * f;
      else {
        let logMiss = 0;
        const scale = f / sig.cap;
        for (let i = 0; i < xs.length; i++) {
          const x = xs[i]! * scale;
          if (x > 0) logMiss += Math.log1p(-Math.min(1, x));
        }
        weight = sig.cap * -Math.expm1(logMiss);
      }
      for (let k = 0; k < out.length; k++) out[k]! += weight * sig.logs[k]!;
    }
    return out;
  }

  /** Level contributions at `now` from cached daily values (valid when no evidence is later than now). */
  levelsCached(nowMs: number): { contributions: Contribution[]; levels: Record<string, LevelState> } {
    const contributions: Contribution[] = [];
    const levels: Record<string, LevelState> = {};
    for (const ind of this.pack.indicators) {
      if (ind.kind !== 'level') continue;
      const r = levelEvidenceFromDays(
        ind,
        this.levelSeries.get(ind.id)?.values() ?? [],
        nowMs,
        this.ids,
        this.pack.evidence_scale ?? 1,
        this.pack.likelihood_shrinkage ?? 0,
      );
      contributions.push(...r.contributions);
      levels[ind.id] = r.state;
    }
    return { contributions, levels };
  }

  /**
   * Σ of level contributions at `now` for the fast path: the bands that fired are computed once per
   * change of the series (they do not depend on `now`); only decay and saturation are redone.
   */
  levelSums(nowMs: number): number[] {
    const out = new Array<number>(this.ids.length).fill(0);
    for (const ind of this.pack.indicators) {
      const series = this.levelSeries.get(ind.id);
      if (ind.kind !== 'level' || !series) continue;
      const days = series.values();
      let cached = this.levelReadingCache.get(ind.id);
      if (!cached || cached.days !== days) {
        cached = {
          days,
          readings: levelReadings(
            ind,
            days,
            this.ids,
            this.pack.evidence_scale ?? 1,
            this.pack.likelihood_shrinkage ?? 0,
          ).readings,
        };
        this.levelReadingCache.set(ind.id, cached);
      }
      const halfLife = ind.half_life_days > 0 ? ind.half_life_days * DAY_MS : Infinity;
      const byBand = new Map<string, { xs: number[]; logs: number[] }>();
      for (const r of cached.readings) {
        const band = byBand.get(r.label) ?? { xs: [], logs: r.logs };
        band.xs.push(r.weight * 2 ** (-(nowMs - r.t) / halfLife));
        byBand.set(r.label, band);
      }
      const cap = signalCap(ind);
      for (const band of byBand.values()) {
        const weight = band.xs.length === 1 ? band.xs[0]! : saturatedWeight(band.xs, cap);
        for (let k = 0; k < out.length; k++) out[k]! += weight * band.logs[k]!;
      }
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
      const r = levelEvidence(
        ind,
        items,
        nowMs,
        this.ids,
        this.pack.evidence_scale ?? 1,
        this.pack.likelihood_shrinkage ?? 0,
      );
      contributions.push(...r.contributions);
      levels[ind.id] = r.state;
    }
    return { contributions, levels };
  }
}
