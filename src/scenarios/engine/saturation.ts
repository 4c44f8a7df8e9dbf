// Correlated evidence saturates: observations of one signal across stories combine toward a cap.
import type { Indicator } from '../../pack/schema.ts';
import type { Contribution } from './types.ts';

/** Default cap when a pack sets no `max_observations`: a signal never weighs more than two full stories. */
export const DEFAULT_MAX_OBSERVATIONS = 2;

/** The cap of an indicator's signals (≥ 1, so a single story is never cut). */
export function signalCap(ind: Pick<Indicator, 'max_observations'>): number {
  const cap = ind.max_observations ?? DEFAULT_MAX_OBSERVATIONS;
  return Number.isFinite(cap) && cap >= 1 ? cap : DEFAULT_MAX_OBSERVATIONS;
}

/**
 * The effective weight of one signal's observations x_i = w_i · d_i (each in [0, 1]):
 *
 *   W = cap · (1 − Π_i (1 − x_i / cap))
 *
 * One story counts in full (W = x), two full stories with cap 2 count 1.5, ten count ≈ 2: never
 * more than `cap`, and W ≤ Σ x_i always. Ten stories about "territorial terms" in one week are
 * strongly correlated reports of one state of affairs, not ten independent observations. Pass
 * `sorted = true` when `xs` is already in a fixed order (the product is then order independent).
 */
export function saturatedWeight(xs: ArrayLike<number>, cap: number, sorted = false): number {
  let values: ArrayLike<number> = xs;
  if (!sorted && xs.length > 1) values = Float64Array.from(xs as ArrayLike<number>).sort();
  let logMiss = 0;
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    if (x > 0) logMiss += Math.log1p(-Math.min(1, x / cap));
  }
  return cap * -Math.expm1(logMiss);
}

/**
 * The saturation factor k = W / Σ x_i of one signal's observations (1 for a single one): every
 * story's c_i = k · x_i · log L(s), so the stories still sum exactly to W · log L(s).
 */
export function saturationFactor(xs: ArrayLike<number>, cap: number): number {
  if (xs.length < 2) return 1;
  const sorted = Float64Array.from(xs as ArrayLike<number>).sort();
  let total = 0;
  for (let i = 0; i < sorted.length; i++) total += sorted[i]!;
  if (!(total > 0)) return 1;
  return Math.min(1, saturatedWeight(sorted, cap, true) / total);
}

/** The signal an observation belongs to: one indicator, polarity and modality (or level band). */
export function signalKey(c: Pick<Contribution, 'kind' | 'indicatorId' | 'polarity' | 'modality' | 'band'>): string {
  return `${c.kind}|${c.indicatorId}|${c.polarity ?? ''}|${c.modality ?? ''}|${c.band ?? ''}`;
}

/**
 * Applies saturation to raw contributions (c_i = w_i · d_i · log L(s)) in place: each signal's
 * W is apportioned to its stories in proportion to w_i · d_i, i.e. every c_i is multiplied by the
 * signal's factor k = W / Σ x_i ∈ (0, 1], so the stored contributions still sum exactly to the
 * log-score and leave-one-out stays exact.
 */
export function saturate(contributions: Contribution[], capOf: (indicatorId: string) => number): void {
  const bySignal = new Map<string, Contribution[]>();
  for (const c of contributions) {
    const key = signalKey(c);
    const list = bySignal.get(key);
    if (list) list.push(c);
    else bySignal.set(key, [c]);
  }
  for (const list of bySignal.values()) {
    const k = saturationFactor(
      list.map((c) => c.weight * c.decay),
      capOf(list[0]!.indicatorId),
    );
    if (k >= 1) continue;
    for (const c of list) {
      c.saturation = k;
      for (const s of Object.keys(c.logOdds)) c.logOdds[s]! *= k;
    }
  }
}
