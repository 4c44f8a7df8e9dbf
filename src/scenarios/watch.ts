// The "what to watch" read model: what one new, well-sourced story of each indicator would do to each
// scenario now (computed exactly by the engine, engine/watch.ts), sorted for the overview and each scenario.
import type { Kysely } from 'kysely';
import type { Database, Polarity } from '../db/schema.ts';
import type { LoadedPack } from '../pack/load.ts';
import { PROBE_TIER, whatToWatch } from './engine/watch.ts';
import { engineInputsAt } from './forecast.ts';

/** One probe: a new story of one indicator with one polarity, and what it would do to every scenario. */
export interface WatchRow {
  indicatorId: string;
  indicatorName: string;
  polarity: Polarity;
  /** The posterior with the story added. */
  probabilities: Record<string, number>;
  /** probabilities − the current posterior (probability units; ×100 for points). */
  change: Record<string, number>;
  /** The scenario it moves most, and by how much (signed). */
  largest: { scenarioId: string; change: number };
}

export interface WatchModel {
  /** The time the engine was run at (ISO). */
  at: string;
  /** The story each probe adds: its tier, confidence and age. */
  probe: { tier: number; confidence: number; ageDays: number };
  /** The current posterior the changes are measured from. */
  probabilities: Record<string, number>;
  /** Every event indicator × polarity, the largest move first. */
  rows: WatchRow[];
}

/** Changes smaller than this (0.05 point) are shown as "no visible change" and left out of a scenario's list. */
export const VISIBLE_CHANGE = 0.0005;

const byMagnitude = (a: number, b: number) => Math.abs(b) - Math.abs(a);

/** The watch list at `at` from the stored evidence, as the engine would compute the forecast then. */
export async function watchAt(db: Kysely<Database>, loaded: LoadedPack, at: Date): Promise<WatchModel> {
  const { state, resolutions, options } = await engineInputsAt(db, loaded, at);
  const result = whatToWatch(state, at, resolutions, options);
  const names = new Map(loaded.pack.indicators.map((i) => [i.id, i.name]));
  const rows = result.probes.map((p): WatchRow => {
    let largest = { scenarioId: state.ids[0]!, change: 0 };
    for (const s of state.ids)
      if (Math.abs(p.change[s]!) > Math.abs(largest.change)) largest = { scenarioId: s, change: p.change[s]! };
    return { ...p, indicatorName: names.get(p.indicatorId) ?? p.indicatorId, largest };
  });
  rows.sort(
    (a, b) =>
      byMagnitude(a.largest.change, b.largest.change) ||
      (a.indicatorId < b.indicatorId ? -1 : a.indicatorId > b.indicatorId ? 1 : 0) ||
      (a.polarity < b.polarity ? -1 : 1),
  );
  return {
    at: result.at,
    probe: { tier: PROBE_TIER, confidence: 1, ageDays: 0 },
    probabilities: result.probabilities,
    rows,
  };
}

/** One scenario's "what would move it": the probes that visibly move it, the largest move first. */
export function watchForScenario(model: WatchModel, scenarioId: string): WatchRow[] {
  return model.rows
    .filter((r) => Math.abs(r.change[scenarioId] ?? 0) >= VISIBLE_CHANGE)
    .sort((a, b) => byMagnitude(a.change[scenarioId]!, b.change[scenarioId]!));
}

/** How a probe reads to a person: "Kremlin rejection" or "Kremlin rejection, denied". */
export function probeLabel(row: Pick<WatchRow, 'indicatorName' | 'polarity'>): string {
  return row.polarity === 'negated' ? `${row.indicatorName}, denied` : row.indicatorName;
}
