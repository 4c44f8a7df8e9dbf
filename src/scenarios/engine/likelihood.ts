// Likelihood lookup by polarity and modality, in safe, centred log space.
import type { Modality, Polarity } from '../../db/schema.ts';
import type { Indicator, Likelihoods } from '../../pack/schema.ts';

const MIN_LOG = Math.log(Number.MIN_VALUE); // ≈ −744.4: log of the smallest positive double
const MAX_LOG = Math.log(Number.MAX_VALUE); // ≈ 709.8

/** log x that is always finite: ≤ 0 → the smallest log, +∞ → the largest, NaN → 0 (neutral). */
export function safeLog(x: number): number {
  if (Number.isNaN(x)) return 0;
  if (x <= 0) return MIN_LOG;
  if (x === Infinity) return MAX_LOG;
  return Math.log(x);
}

/**
 * Which table applies:
 * - a negated signal with a modality: `when.negated_<modality>` if the pack has one;
 * - a cancellation (`cancelled`, itself a negation): `when.cancelled` if the pack has one;
 * - any other negated signal: `when.negated` if the pack has one, else the reciprocal (1 / L(s)) of the table
 *   the affirmed signal would use (its modality's, else the base): "Moscow rules out a proposed truce" is read
 *   as evidence against what the proposal would have supported, never as a proposal;
 * - an affirmed signal: its modality's table (`when.held`, `when.proposed`, …) if any, else the base.
 */
export function pickTable(
  ind: Indicator,
  polarity: Polarity,
  modality: Modality | null,
): { table: Likelihoods; reciprocal: boolean } {
  const byModality = modality ? ind.when?.[modality] : undefined;
  if (polarity === 'negated') {
    const both = modality ? ind.when?.[`negated_${modality}`] : undefined;
    if (both) return { table: both, reciprocal: false };
    if (modality === 'cancelled' && byModality) return { table: byModality, reciprocal: false };
    const negated = ind.when?.negated;
    if (negated) return { table: negated, reciprocal: false };
    return { table: byModality ?? ind.likelihoods, reciprocal: true };
  }
  return { table: byModality ?? ind.likelihoods, reciprocal: false };
}

/**
 * The table pulled toward its mean: L'(s) = (1 − α) · L(s) + α · mean(L) over the scenarios it names.
 * Example: {a: 9, b: 1} with α = 0.5 → {a: 7, b: 3} (ratio 9 → 2.33); α = 0 returns the table as is.
 */
export function shrinkTable(table: Likelihoods, scenarioIds: readonly string[], alpha: number): Likelihoods {
  if (!(alpha > 0)) return table;
  const a = Math.min(alpha, 1);
  const known = scenarioIds.map((s) => table[s]).filter((v): v is number => v !== undefined && Number.isFinite(v));
  if (known.length === 0) return table;
  const mean = known.reduce((x, y) => x + y, 0) / known.length;
  const out: Likelihoods = {};
  for (const s of scenarioIds) {
    const v = table[s];
    if (v !== undefined) out[s] = Number.isFinite(v) ? (1 - a) * v + a * mean : v;
  }
  return out;
}

/**
 * log L(s) for each scenario, centred on its mean (only ratios matter, so adding a constant to every
 * scenario changes no probability; centring makes a non-diagnostic table exactly zero and makes the
 * sign read as for/against). A scenario missing from the table counts as the table's neutral value.
 * `shrinkage` α first pulls the table toward its mean (shrinkTable).
 */
export function centredLogs(
  table: Likelihoods,
  scenarioIds: readonly string[],
  reciprocal = false,
  shrinkage = 0,
): number[] {
  const shrunk = shrinkTable(table, scenarioIds, shrinkage);
  const logs = scenarioIds.map((s) => {
    const v = shrunk[s];
    const l = v === undefined ? Number.NaN : safeLog(v);
    return reciprocal ? -l : l;
  });
  const known = logs.filter((l) => !Number.isNaN(l));
  const mean = known.length === 0 ? 0 : known.reduce((a, b) => a + b, 0) / known.length;
  return logs.map((l) => (Number.isNaN(l) ? 0 : l - mean));
}

/** Memoised centred logs per indicator/polarity/modality. */
export class LikelihoodCache {
  private readonly cache = new Map<string, number[]>();
  /** `scale` is the pack's evidence_scale λ: every centred log is multiplied by it; `shrinkage` its likelihood_shrinkage α. */
  constructor(
    private readonly scenarioIds: readonly string[],
    private readonly scale = 1,
    private readonly shrinkage = 0,
  ) {}

  logs(ind: Indicator, polarity: Polarity, modality: Modality | null): number[] {
    const key = `${ind.id}|${polarity}|${modality ?? ''}`;
    let v = this.cache.get(key);
    if (!v) {
      const { table, reciprocal } = pickTable(ind, polarity, modality);
      v = centredLogs(table, this.scenarioIds, reciprocal, this.shrinkage).map((l) => l * this.scale);
      this.cache.set(key, v);
    }
    return v;
  }
}
