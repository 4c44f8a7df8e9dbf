// Scoring a forecast history against what happened: Brier and log scores, baselines, calibration.
import { BellwetherError } from '../errors.ts';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { compareText } from './engine/types.ts';
import type { Pack } from '../pack/schema.ts';
import { marketSeries } from './market.ts';

export const DAY = 86_400_000;

export interface DatedForecast {
  at: string;
  probabilities: Record<string, number>;
}

export interface Scores {
  brier: number;
  logScore: number;
}

export interface CalibrationBin {
  from: number;
  to: number;
  count: number;
  meanForecast: number;
  observed: number;
}

/**
 * The market or crowd baseline, scored only on the days it has a point (the latest point of each
 * scenario carried forward), with the model and the static priors scored on those same days.
 */
export interface MarketBaseline extends Scores {
  days: number;
  from: string;
  to: string;
  /** The model and the static priors on the same days, so the comparison is like for like. */
  pack: Scores;
  prior: Scores;
  note: string;
}

export interface ScoreReport extends Scores {
  outcome: string;
  resolvedAt: string;
  days: number;
  baselines: { uniform: Scores; prior: Scores; market: MarketBaseline | null };
  calibration: CalibrationBin[];
}

/** A dated probability for one scenario (the market series, by time). */
export interface ScenarioPoint {
  at: string;
  scenario: string;
  probability: number;
}

export const MARKET_NOTE =
  'scored only on days with a market point, the latest point carried forward; scenarios the market does not price share the rest in proportion to their priors';

/**
 * The market's forecast in force on each of `days` (UTC dates): per scenario, the latest point before the
 * day's end (or the resolution time on its day). Scenarios without a point share what the priced ones
 * leave, in proportion to their static priors (equally if those are all 0); priced scenarios summing
 * above 1 are normalised and the rest get 0. Days before the first point are left out (null).
 * Example: scenarios deal/frozen/collapse with priors .2/.3/.5 and deal priced at .6 → .6/.15/.25.
 */
export function marketForecasts(
  days: readonly string[],
  points: readonly ScenarioPoint[],
  prior: Readonly<Record<string, number>>,
  resolvedAt: string,
): (Record<string, number> | null)[] {
  const ids = Object.keys(prior);
  const sorted = points.filter((p) => ids.includes(p.scenario)).sort((a, b) => compareText(a.at, b.at));
  const end = Date.parse(resolvedAt);
  const latest: Record<string, number> = {};
  let i = 0;
  return days.map((day) => {
    const cutoff = Math.min(Date.parse(`${day}T00:00:00.000Z`) + DAY, end);
    while (i < sorted.length && Date.parse(sorted[i]!.at) < cutoff) {
      latest[sorted[i]!.scenario] = sorted[i]!.probability;
      i += 1;
    }
    const priced = ids.filter((s) => s in latest);
    if (priced.length === 0) return null;
    const sum = priced.reduce((a, s) => a + latest[s]!, 0);
    const rest = ids.filter((s) => !(s in latest));
    const out: Record<string, number> = {};
    if (sum >= 1 || rest.length === 0) {
      for (const s of ids) out[s] = s in latest ? (sum > 0 ? latest[s]! / sum : 1 / priced.length) : 0;
      return out;
    }
    const restPrior = rest.reduce((a, s) => a + prior[s]!, 0);
    for (const s of priced) out[s] = latest[s]!;
    for (const s of rest) out[s] = (1 - sum) * (restPrior > 0 ? prior[s]! / restPrior : 1 / rest.length);
    return out;
  });
}

function marketBaseline(
  days: readonly DatedForecast[],
  points: readonly ScenarioPoint[],
  prior: Record<string, number>,
  ids: readonly string[],
  outcome: string,
  resolvedAt: string,
): MarketBaseline | null {
  const market = marketForecasts(
    days.map((d) => d.at),
    points,
    prior,
    resolvedAt,
  );
  const on = days.flatMap((d, k) => (market[k] ? [{ day: d, market: market[k] }] : []));
  if (on.length === 0) return null;
  return {
    ...scoreForecasts(
      on.map((d) => d.market),
      ids,
      outcome,
    ),
    days: on.length,
    from: on[0]!.day.at,
    to: on.at(-1)!.day.at,
    pack: scoreForecasts(
      on.map((d) => d.day.probabilities),
      ids,
      outcome,
    ),
    prior: scoreForecasts(
      on.map(() => prior),
      ids,
      outcome,
    ),
    note: MARKET_NOTE,
  };
}

export class ScoreError extends BellwetherError<'no_snapshots' | 'unresolved' | 'no_days'> {
  constructor(
    readonly code: 'no_snapshots' | 'unresolved' | 'no_days',
    message: string,
  ) {
    super(message);
  }
}

/** Smallest probability the log score uses, so a confident miss costs ln(1e-15) ≈ −34.5, not −∞. */
const P_MIN = 1e-15;

/**
 * The forecast in force on each UTC day from the first snapshot's day to the resolution: the last
 * snapshot before the end of the day (or before the resolution time on its day).
 */
export function dailyForecasts(snapshots: readonly DatedForecast[], resolvedAt: string): DatedForecast[] {
  const sorted = [...snapshots].sort((a, b) => compareText(a.at, b.at));
  const end = Date.parse(resolvedAt);
  const days: DatedForecast[] = [];
  let i = -1;
  for (let day = Math.floor(Date.parse(sorted[0]!.at) / DAY) * DAY; day < end; day += DAY) {
    const cutoff = Math.min(day + DAY, end);
    while (i + 1 < sorted.length && Date.parse(sorted[i + 1]!.at) < cutoff) i += 1;
    if (i >= 0) days.push({ at: new Date(day).toISOString().slice(0, 10), probabilities: sorted[i]!.probabilities });
  }
  return days;
}

/** Mean multi-category Brier score Σ_s (p_s − o_s)² (0 best, 2 worst) and mean log score ln p(outcome) (0 best). */
export function scoreForecasts(
  forecasts: readonly Record<string, number>[],
  ids: readonly string[],
  outcome: string,
): Scores {
  let brier = 0;
  let log = 0;
  for (const p of forecasts) {
    for (const s of ids) brier += ((p[s] ?? 0) - (s === outcome ? 1 : 0)) ** 2;
    log += Math.log(Math.max(P_MIN, p[outcome] ?? 0));
  }
  return { brier: brier / forecasts.length, logScore: log / forecasts.length };
}

/** Ten bins of forecast probability: how often scenarios forecast at ~x % actually happened. */
export function calibration(
  forecasts: readonly Record<string, number>[],
  ids: readonly string[],
  outcome: string,
): CalibrationBin[] {
  const bins = Array.from({ length: 10 }, (_, k) => ({ from: k / 10, to: (k + 1) / 10, count: 0, sum: 0, hits: 0 }));
  for (const p of forecasts) {
    for (const s of ids) {
      const x = p[s] ?? 0;
      const bin = bins[Math.min(9, Math.floor(x * 10))]!;
      bin.count += 1;
      bin.sum += x;
      if (s === outcome) bin.hits += 1;
    }
  }
  return bins.map((b) => ({
    from: b.from,
    to: b.to,
    count: b.count,
    meanForecast: b.count ? b.sum / b.count : 0,
    observed: b.count ? b.hits / b.count : 0,
  }));
}

/** Scores a pack's daily forecasts against the scenario resolved yes, beside uniform and static-prior baselines. */
export function scoreHistory(
  pack: Pack,
  snapshots: readonly DatedForecast[],
  resolutions: readonly { scenarioId: string; outcome: 'yes' | 'no'; resolvedAt: string }[],
  market: readonly ScenarioPoint[] = [],
): ScoreReport {
  const yes = resolutions.filter((r) => r.outcome === 'yes').sort((a, b) => compareText(a.resolvedAt, b.resolvedAt))[0];
  if (!yes)
    throw new ScoreError(
      'unresolved',
      `no scenario of pack ${pack.id} is resolved yes yet (bellwether resolve SCENARIO --outcome yes)`,
    );
  if (snapshots.length === 0)
    throw new ScoreError('no_snapshots', `pack ${pack.id} has no forecast history (run bellwether replay or start)`);
  const days = dailyForecasts(snapshots, yes.resolvedAt);
  if (days.length === 0)
    throw new ScoreError('no_days', `no forecast was made before the resolution at ${yes.resolvedAt}`);
  const ids = pack.scenarios.map((s) => s.id);
  const forecasts = days.map((d) => d.probabilities);
  const uniform = Object.fromEntries(ids.map((s) => [s, 1 / ids.length]));
  const total = pack.scenarios.reduce((a, s) => a + s.prior, 0);
  const prior = Object.fromEntries(pack.scenarios.map((s) => [s.id, s.prior / total]));
  return {
    ...scoreForecasts(forecasts, ids, yes.scenarioId),
    outcome: yes.scenarioId,
    resolvedAt: yes.resolvedAt,
    days: days.length,
    baselines: {
      uniform: scoreForecasts(
        forecasts.map(() => uniform),
        ids,
        yes.scenarioId,
      ),
      prior: scoreForecasts(
        forecasts.map(() => prior),
        ids,
        yes.scenarioId,
      ),
      market: marketBaseline(days, market, prior, ids, yes.scenarioId, yes.resolvedAt),
    },
    calibration: calibration(forecasts, ids, yes.scenarioId),
  };
}

/** Reads the pack's snapshots, resolutions and market series, and scores them. */
export async function scorePack(db: Kysely<Database>, pack: Pack): Promise<ScoreReport> {
  const snaps = await db
    .selectFrom('snapshots')
    .select(['at', 'probabilities'])
    .where('pack_id', '=', pack.id)
    .orderBy('at')
    .execute();
  const res = await db
    .selectFrom('resolutions')
    .select(['scenario_id', 'outcome', 'resolved_at'])
    .where('pack_id', '=', pack.id)
    .execute();
  return scoreHistory(
    pack,
    snaps.map((s) => ({ at: s.at, probabilities: JSON.parse(s.probabilities) as Record<string, number> })),
    res.map((r) => ({ scenarioId: r.scenario_id, outcome: r.outcome, resolvedAt: r.resolved_at })),
    await marketSeries(db, pack),
  );
}
