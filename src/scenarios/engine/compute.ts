// The forecast at a time: posterior = softmax(log p0'(s) + Σ_i c_i(s)), pooled with the priors by the pack's
// prior_weight w, with every contribution listed.
import { softmax } from '../explain.ts';
import type { Pack } from '../../pack/schema.ts';
import { applyStatus, logPriors, scenarioStatus } from './prior.ts';
import { EngineState, type Group } from './state.ts';
import {
  DAY_MS,
  type Contribution,
  type EngineOptions,
  type EngineResult,
  type EvidenceItem,
  type ResolutionInput,
} from './types.ts';
import { observationWeight } from './weights.ts';
import { saturate, saturationFactor, signalCap } from './saturation.ts';

const DEFAULT_FLOOR = 0.1;

/** The engine's clock is a Date at its boundary and milliseconds inside. */
function toMs(now: Date): number {
  const ms = now.getTime();
  if (!Number.isFinite(ms)) throw new RangeError(`engine: invalid time ${String(now)}`);
  return ms;
}

/** One event observation at `now`, before its signal's saturation is known. */
interface EventPart {
  g: Group;
  items: EvidenceItem[];
  weight: number;
  decay: number;
  k: number;
}

function eventPart(g: Group, nowMs: number, nowIso: string): EventPart | null {
  // Evidence from the future is ignored: only reports published by `now` count (ISO UTC text sorts as time).
  const items =
    g.items[g.items.length - 1]!.publishedAt <= nowIso ? g.items : g.items.filter((it) => it.publishedAt <= nowIso);
  if (items.length === 0) return null;
  const weight = items === g.items ? g.weight : observationWeight(items);
  const t = items === g.items ? g.t : Date.parse(items[0]!.publishedAt);
  const halfLife = g.ind.half_life_days > 0 ? g.ind.half_life_days * DAY_MS : Infinity;
  return { g, items, weight, decay: 2 ** (-(nowMs - t) / halfLife), k: 1 };
}

/** Sets each part's saturation factor k from the other observations of its signal (saturation.ts). */
function saturateParts(parts: readonly EventPart[]): void {
  const bySignal = new Map<object, EventPart[]>();
  for (const p of parts) {
    const list = bySignal.get(p.g.signal);
    if (list) list.push(p);
    else bySignal.set(p.g.signal, [p]);
  }
  for (const list of bySignal.values()) {
    if (list.length < 2) continue;
    const k = saturationFactor(
      list.map((p) => p.weight * p.decay),
      signalCap(list[0]!.g.ind),
    );
    for (const p of list) p.k = k;
  }
}

function eventContribution(p: EventPart, ids: readonly string[]): Contribution {
  const { g, items, weight, decay, k } = p;
  const first = items[0]!;
  const logOdds: Record<string, number> = {};
  const f = k * weight * decay;
  ids.forEach((s, i) => (logOdds[s] = f * g.logs[i]!));
  return {
    key: g.key,
    kind: 'event',
    indicatorId: g.ind.id,
    polarity: first.polarity,
    modality: first.modality,
    clusterId: first.clusterId,
    articleId: first.articleId,
    articleIds:
      items.length === 1 ? [first.articleId] : [...new Set(items.map((x) => x.articleId))].sort((a, b) => a - b),
    weight,
    decay,
    saturation: k,
    at: first.publishedAt,
    band: null,
    z: null,
    logOdds,
  };
}

/**
 * log p(s) of the linear pool (1 − w) · softmax(log p0' + Σc) + w · softmax(log p0'), as scores for
 * applyStatus (any constant offset is harmless: softmax follows). w = 0 returns log p0' + Σc unchanged.
 * Example: priors {a: .5, b: .5}, evidence pushing a to .9, w = .5 → {a: .7, b: .3}.
 */
export function pooledScores(logPriors: readonly number[], sums: readonly number[], w: number): number[] {
  const raw = logPriors.map((p, k) => p + sums[k]!);
  if (!(w > 0)) return raw;
  const norm = (xs: readonly number[]) => {
    const max = Math.max(...xs.filter((x) => x !== -Infinity));
    if (!Number.isFinite(max)) return xs.map(() => 0);
    const e = xs.map((x) => (x === -Infinity ? 0 : Math.exp(x - max)));
    const total = e.reduce((a, b) => a + b, 0);
    return e.map((x) => x / total);
  };
  const post = norm(raw);
  const prior = norm(logPriors);
  return post.map((p, k) => {
    const mixed = (1 - w) * p + w * prior[k]!;
    return mixed > 0 ? Math.log(mixed) : -Infinity;
  });
}

function posteriorFrom(
  pack: Pack,
  sums: number[],
  nowMs: number,
  resolutions: readonly ResolutionInput[],
  options: EngineOptions,
) {
  const ids = pack.scenarios.map((s) => s.id);
  // Without deadline decay every window starts at `now`: no time has run out until the deadline passes.
  const start = options.windowStart && pack.deadline_decay !== false ? Date.parse(options.windowStart) : nowMs;
  const priors = logPriors(pack, nowMs, Number.isFinite(start) ? start : nowMs, options.deadlineFloor ?? DEFAULT_FLOOR);
  const status = scenarioStatus(pack, resolutions, nowMs);
  const scores = applyStatus(ids, pooledScores(priors, sums, pack.prior_weight ?? 0), status, resolutions);
  const probabilities = softmax(Object.fromEntries(ids.map((s, k) => [s, scores[k]!])));
  return { probabilities, priors: softmax(Object.fromEntries(ids.map((s, k) => [s, priors[k]!]))), status };
}

/**
 * The exact forecast at `now` from an engine state, every contribution listed. Contributions are
 * summed in key order so the result does not depend on the order evidence arrived in.
 *
 *   p(s) = softmax_s( log p0'(s) + Σ_i k_i · w_i · 2^(−(now − t_i)/h_i) · log L_i(s) )
 *
 * with k_i the saturation factor of story i's signal (saturation.ts): the stories of one
 * indicator/polarity/modality together weigh at most `max_observations` full stories.
 *
 * Example: priors {a: 0.5, b: 0.5}, one tier-1 story (w = 1) today with L = {a: 3, b: 1}
 * → p(a) = 3 / (3 + 1) = 0.75.
 */
export function evaluate(
  state: EngineState,
  now: Date,
  resolutions: readonly ResolutionInput[] = [],
  options: EngineOptions = {},
): EngineResult {
  return evaluation(state, now, resolutions, options).result;
}

/** Each scenario's contributions in value order (what the sums run over). */
function sortedValues(contributions: readonly Contribution[], ids: readonly string[]): Float64Array[] {
  return ids.map((s) => {
    const values = new Float64Array(contributions.length);
    for (let i = 0; i < contributions.length; i++) values[i] = contributions[i]!.logOdds[s]!;
    return values.sort();
  });
}

function sumOf(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]!;
  return sum;
}

function evaluation(state: EngineState, now: Date, resolutions: readonly ResolutionInput[], options: EngineOptions) {
  const nowMs = toMs(now);
  const ids = state.ids;
  const nowIso = new Date(nowMs).toISOString();
  const parts: EventPart[] = [];
  for (const key of [...state.groups.keys()].sort((a, b) => a - b)) {
    const p = eventPart(state.groups.get(key)!, nowMs, nowIso);
    if (p) parts.push(p);
  }
  saturateParts(parts);
  const contributions = parts.map((p) => eventContribution(p, ids));
  const level = state.levelsAt(nowMs);
  const caps = new Map(state.pack.indicators.map((ind) => [ind.id, signalCap(ind)]));
  saturate(level.contributions, (id) => caps.get(id)!);
  contributions.push(...level.contributions);
  // Sum each scenario's contributions in value order: the result depends only on the multiset of
  // contributions, not on story or article ids (which follow arrival order).
  const sorted = sortedValues(contributions, ids);
  const { probabilities, priors, status } = posteriorFrom(state.pack, sorted.map(sumOf), nowMs, resolutions, options);
  const result = { at: nowIso, probabilities, priors, status, contributions, levels: level.levels };
  return { result, parts, sorted, nowMs, nowIso };
}

/**
 * The sum of `sorted` with the values `out` removed and `add` put in, in value order: the same
 * additions, in the same order, as sorting the new multiset and summing it (equal values are
 * interchangeable), in O(n).
 */
function replacedSum(sorted: Float64Array, out: Float64Array, add: Float64Array): number {
  let sum = 0;
  let j = 0;
  let k = 0;
  for (let i = 0; i < sorted.length; i++) {
    const v = sorted[i]!;
    if (j < out.length && v === out[j]) {
      j++;
      continue;
    }
    while (k < add.length && add[k]! < v) sum += add[k++]!;
    sum += v;
  }
  while (k < add.length) sum += add[k++]!;
  return sum;
}

/**
 * The posterior with each of `extra` (observations from `state.detachedGroup`) added on its own, as if
 * it had been added to the state and the state evaluated: the one evaluation of the state, then per
 * extra observation only its signal's stories are redone (its saturation factor changes with one more
 * story; nothing else does), and each scenario's sum is taken over the same values in the same order
 * as a full evaluation would take it. The state is not changed.
 */
export function evaluateWithEach(
  state: EngineState,
  extra: readonly Group[],
  now: Date,
  resolutions: readonly ResolutionInput[] = [],
  options: EngineOptions = {},
): { base: EngineResult; probabilities: Record<string, number>[] } {
  const { result, parts, sorted, nowMs, nowIso } = evaluation(state, now, resolutions, options);
  const ids = state.ids;
  const bySignal = new Map<object, { parts: EventPart[]; contributions: Contribution[] }>();
  parts.forEach((p, i) => {
    const entry = bySignal.get(p.g.signal) ?? { parts: [], contributions: [] };
    entry.parts.push(p);
    entry.contributions.push(result.contributions[i]!);
    bySignal.set(p.g.signal, entry);
  });
  const probabilities = extra.map((g) => {
    const added = eventPart(g, nowMs, nowIso);
    const mine = bySignal.get(g.signal) ?? { parts: [], contributions: [] };
    const list = [...mine.parts.map((p) => ({ ...p, k: 1 })), ...(added ? [added] : [])];
    saturateParts(list);
    const fresh = list.map((p) => eventContribution(p, ids));
    const sums = ids.map((s, i) =>
      replacedSum(
        sorted[i]!,
        Float64Array.from(mine.contributions, (c) => c.logOdds[s]!).sort(),
        Float64Array.from(fresh, (c) => c.logOdds[s]!).sort(),
      ),
    );
    return posteriorFrom(state.pack, sums, nowMs, resolutions, options).probabilities;
  });
  return { base: result, probabilities };
}

/**
 * The posterior only, from the state's running sums: O(indicators × scenarios) when no evidence is
 * later than `now` (the incremental path); otherwise the exact evaluation.
 */
export function quickPosterior(
  state: EngineState,
  now: Date,
  resolutions: readonly ResolutionInput[] = [],
  options: EngineOptions = {},
): Record<string, number> {
  const nowMs = toMs(now);
  if (state.maxTime > nowMs) return evaluate(state, now, resolutions, options).probabilities;
  const sums = state.eventSums(nowMs);
  const levels = state.levelSums(nowMs);
  for (let k = 0; k < sums.length; k++) sums[k]! += levels[k]!;
  return posteriorFrom(state.pack, sums, nowMs, resolutions, options).probabilities;
}

/** The pure engine in one call: pack + evidence + resolutions at `now` → posterior and contributions. */
export function computeForecast(
  pack: Pack,
  evidence: readonly EvidenceItem[],
  resolutions: readonly ResolutionInput[],
  now: Date,
  options: EngineOptions = {},
): EngineResult {
  return evaluate(new EngineState(pack).add(evidence), now, resolutions, options);
}
