// Scores of daily forecasts: Brier and log score (from scenarios/score.ts), the market baseline, a pooled calibration table.
import type { HistoryMeta } from '../pack/history.ts';
import type { Pack } from '../pack/schema.ts';
import { type Scores, scoreForecasts } from '../scenarios/score.ts';
import type { DailyForecast } from './replay.ts';

export type { Scores };

export function staticPriors(pack: Pack): Record<string, number> {
  const total = pack.scenarios.reduce((a, s) => a + s.prior, 0);
  return Object.fromEntries(pack.scenarios.map((s) => [s.id, s.prior / total]));
}

export function uniform(pack: Pack): Record<string, number> {
  return Object.fromEntries(pack.scenarios.map((s) => [s.id, 1 / pack.scenarios.length]));
}

export function score(forecasts: readonly Record<string, number>[], pack: Pack, outcome: string): Scores {
  return scoreForecasts(
    forecasts,
    pack.scenarios.map((s) => s.id),
    outcome,
  );
}

/**
 * A market point prices one scenario; the rest of the probability goes to the other scenarios in
 * proportion to their static priors. Example: priors {deal .2, ceasefire .3, collapse .5}, a market
 * at deal .6 → {deal .6, ceasefire .15, collapse .25}.
 */
export function marketDistribution(
  priors: Record<string, number>,
  scenario: string,
  probability: number,
): Record<string, number> {
  const others = Object.keys(priors).filter((s) => s !== scenario);
  const mass = others.reduce((a, s) => a + priors[s]!, 0);
  const out: Record<string, number> = { [scenario]: probability };
  for (const s of others)
    out[s] = mass > 0 ? ((1 - probability) * priors[s]!) / mass : (1 - probability) / others.length;
  return out;
}

/**
 * The market forecast on each scored day: the latest recorded point dated on or before the day, carried
 * forward; null on days before the first point (the market is scored only from its first point on).
 */
export function marketSeries(
  meta: Pick<HistoryMeta, 'market'>,
  priors: Record<string, number>,
  days: readonly string[],
): (Record<string, number> | null)[] {
  const points = [...meta.market].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  let i = -1;
  return days.map((day) => {
    while (i + 1 < points.length && points[i + 1]!.date <= day) i += 1;
    return i < 0 ? null : marketDistribution(priors, points[i]!.scenario, points[i]!.probability);
  });
}

export interface MarketScores {
  days: number;
  market: Scores;
  /** The model and the static priors on the same days, for a fair comparison. */
  model: Scores;
  prior: Scores;
}

export function scoreMarket(
  meta: Pick<HistoryMeta, 'market'>,
  pack: Pack,
  outcome: string,
  forecasts: readonly DailyForecast[],
): MarketScores | null {
  const priors = staticPriors(pack);
  const series = marketSeries(
    meta,
    priors,
    forecasts.map((f) => f.day),
  );
  const idx = series.flatMap((m, i) => (m ? [i] : []));
  if (idx.length === 0) return null;
  return {
    days: idx.length,
    market: score(
      idx.map((i) => series[i]!),
      pack,
      outcome,
    ),
    model: score(
      idx.map((i) => forecasts[i]!.probabilities),
      pack,
      outcome,
    ),
    prior: score(
      idx.map(() => priors),
      pack,
      outcome,
    ),
  };
}

export interface CalibrationRow {
  from: number;
  to: number;
  count: number;
  meanForecast: number;
  observed: number;
}

/** Forecast bin → how often the scenario happened, pooled over (question, day, scenario) forecasts. */
export function calibrationTable(
  forecasts: readonly { probabilities: Record<string, number>; outcome: string }[],
  bins = 10,
): CalibrationRow[] {
  const acc = Array.from({ length: bins }, (_, k) => ({
    from: k / bins,
    to: (k + 1) / bins,
    count: 0,
    sum: 0,
    hits: 0,
  }));
  for (const f of forecasts) {
    for (const [s, p] of Object.entries(f.probabilities)) {
      const b = acc[Math.min(bins - 1, Math.max(0, Math.floor(p * bins)))]!;
      b.count += 1;
      b.sum += p;
      if (s === f.outcome) b.hits += 1;
    }
  }
  return acc.map((b) => ({
    from: b.from,
    to: b.to,
    count: b.count,
    meanForecast: b.count ? b.sum / b.count : 0,
    observed: b.count ? b.hits / b.count : 0,
  }));
}
