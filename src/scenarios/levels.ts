// Read model for level indicators: the daily series with the engine's own statistic (robust log/MAD z),
// for the dashboard, the API and the CLI alike. There is no second z-score anywhere.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Indicator } from '../pack/schema.ts';
import { bandLabel, dailyValues, levelDayStats } from './engine/level.ts';
import { DAY_MS } from './engine/types.ts';
import { loadEvidence } from './evidence.ts';

export interface LevelDay {
  /** UTC day, YYYY-MM-DD. */
  day: string;
  /** The day's value (the largest story of the day), or null when no story reported a number. */
  value: number | null;
  /** Where the robust z is 0 on the value scale (the baseline's log-median), or null with too few days. */
  baseline: number | null;
  /** The engine's robust z: (ln(1 + v) − median) / max(1.4826 · MAD, 0.1) over the baseline days. */
  z: number | null;
  /** The band that fired that day, as the engine and the alerts name it. */
  band: string | null;
}

const dayKey = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/**
 * Pure: the last `days` UTC days up to `end`, from the engine's daily values. The engine's daily
 * values must cover `baseline_days` before the first shown day so its z-scores are the engine's.
 */
export function levelSeries(
  ind: Indicator,
  values: ReturnType<typeof dailyValues>,
  end: Date,
  days: number,
): LevelDay[] {
  const stats = new Map(levelDayStats(ind, values).map((s) => [s.day, s]));
  const last = Math.floor(end.getTime() / DAY_MS);
  const out: LevelDay[] = [];
  for (let d = last - days + 1; d <= last; d++) {
    const s = stats.get(d);
    out.push({
      day: dayKey(d * DAY_MS),
      value: s?.value ?? null,
      baseline: s?.baseline ?? null,
      z: s?.z ?? null,
      band: s?.band === null || s?.band === undefined ? null : bandLabel(ind, s.band),
    });
  }
  return out;
}

/** The level series of one indicator over the `days` UTC days ending at `now`, read from the tags. */
export async function readLevelSeries(
  db: Kysely<Database>,
  packId: string,
  ind: Indicator,
  now: Date,
  days = 30,
): Promise<LevelDay[]> {
  if (!ind.level) return [];
  const firstDay = Math.floor(now.getTime() / DAY_MS) - days + 1 - ind.level.baseline_days;
  const items = await loadEvidence(db, packId, {
    indicatorId: ind.id,
    since: new Date(firstDay * DAY_MS).toISOString(),
  });
  // Stories published after `now` (a replayed or historical view) are not part of the picture yet.
  const until = now.toISOString();
  return levelSeries(
    ind,
    dailyValues(
      ind,
      items.filter((i) => i.publishedAt <= until),
    ),
    now,
    days,
  );
}
