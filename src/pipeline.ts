// Composition of one pipeline cycle after new articles: tag → forecast (alerts recorded in the
// snapshot's own transaction). Used by `start`, `ingest --once` and the demo.
import type { Kysely } from 'kysely';
import { recordAlerts } from './alerts/record.ts';
import type { Database } from './db/schema.ts';
import type { Logger } from './logger.ts';
import { type UpdateResult, updateForecast } from './scenarios/forecast.ts';
import type { LoadedPack } from './scenarios/pack/load.ts';
import { type TagPendingResult, type TagProgress, tagPending } from './tagging/index.ts';

export interface CycleResult {
  tagging: TagPendingResult;
  forecast: UpdateResult;
}

/** Tags what is new or stale, then updates the forecast at `now`; alerts share the snapshot's transaction. */
export async function runForecastCycle(
  deps: { db: Kysely<Database>; pack: LoadedPack; log: Logger },
  now: Date,
  onProgress?: TagProgress,
): Promise<CycleResult> {
  const tagging = await tagPending(deps.db, deps.pack, now, onProgress);
  const forecast = await updateForecast(deps.db, deps.pack, now, {
    onSnapshot: async (trx, event) => {
      await recordAlerts(trx, event, deps.pack, now);
    },
  });
  if (forecast.snapshot) {
    const p = Object.entries(forecast.snapshot.probabilities).map(([id, v]) => `${id} ${(v * 100).toFixed(1)}%`).join(', ');
    deps.log.info(`forecast updated: ${p}`, { tagged: tagging.articles, tags: tagging.tags });
  }
  return { tagging, forecast };
}
