// Replays one question day by day through the real engine, with a given set of engine settings.
import { quickPosterior } from '../scenarios/engine/compute.ts';
import { EngineState } from '../scenarios/engine/state.ts';
import { DAY_MS, type EvidenceItem } from '../scenarios/engine/types.ts';
import type { Pack } from '../pack/schema.ts';
import type { Params } from './types.ts';

export interface DailyForecast {
  day: string;
  probabilities: Record<string, number>;
}

/** The pack with the settings applied: λ, shrinkage, prior weight, one saturation cap, scaled half-lives. */
export function withParams(pack: Pack, p: Params): Pack {
  return {
    ...pack,
    evidence_scale: p.evidenceScale,
    likelihood_shrinkage: p.shrinkage,
    deadline_decay: p.deadlineDecay,
    prior_weight: p.priorWeight,
    indicators: pack.indicators.map((ind) => ({
      ...ind,
      half_life_days: ind.half_life_days * p.halfLifeFactor,
      max_observations: p.maxObservations ?? ind.max_observations,
    })),
  };
}

/** Days from `opens` to the day before the outcome (the forecasts that are scored), as YYYY-MM-DD. */
export function scoredDays(opens: string, outcomeDate: string): string[] {
  const days: string[] = [];
  const end = Date.parse(`${outcomeDate}T00:00:00Z`);
  for (let t = Date.parse(`${opens}T00:00:00Z`); t < end; t += DAY_MS)
    days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}

/**
 * The forecast at the end of each day, from the evidence published by then: evidence is added to one
 * engine state day by day (the incremental path), so a replay costs O(days × signals).
 */
export function replayDays(
  pack: Pack,
  evidence: readonly EvidenceItem[],
  days: readonly string[],
  opens: string,
  params: Params,
): DailyForecast[] {
  const tuned = withParams(pack, params);
  const state = new EngineState(tuned);
  const sorted = [...evidence].sort((a, b) =>
    a.publishedAt < b.publishedAt ? -1 : a.publishedAt > b.publishedAt ? 1 : 0,
  );
  const options = { windowStart: `${opens}T00:00:00.000Z` };
  const out: DailyForecast[] = [];
  let next = 0;
  for (const day of days) {
    const now = `${day}T23:59:59.999Z`;
    const batch: EvidenceItem[] = [];
    while (next < sorted.length && sorted[next]!.publishedAt <= now) batch.push(sorted[next++]!);
    if (batch.length > 0) state.add(batch);
    out.push({ day, probabilities: quickPosterior(state, new Date(now), [], options) });
  }
  return out;
}
