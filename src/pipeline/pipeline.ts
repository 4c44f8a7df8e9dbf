// Composition of one pipeline cycle after new articles: tag → forecast (alerts recorded in the
// snapshot's own transaction). Used by `start`, `ingest --once` and the demo.
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { recordAlerts } from '../alerts/record.ts';
import type { Database } from '../db/schema.ts';
import type { Logger } from '../logger.ts';
import { rebuildPending, recomputeHistory, type UpdateResult, updateForecast } from '../scenarios/forecast.ts';
import type { LoadedPack } from '../pack/load.ts';
import { questionState } from '../scenarios/question-state.ts';
import { listResolutions } from '../scenarios/resolutions.ts';
import { type TagPendingResult, type TagProgress, tagPending, tagPendingPacks } from '../tagging/index.ts';

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
  return { tagging, forecast: await forecastOne(deps, tagging, now) };
}

async function forecastOne(
  deps: { db: Kysely<Database>; pack: LoadedPack; log: Logger },
  tagging: TagPendingResult,
  now: Date,
): Promise<UpdateResult> {
  const forecast = await updateForecast(deps.db, deps.pack, now, {
    onSnapshot: async (trx, event) => {
      await recordAlerts(trx, event, deps.pack, now);
    },
  });
  if (forecast.snapshot) {
    const p = Object.entries(forecast.snapshot.probabilities)
      .map(([id, v]) => `${id} ${(v * 100).toFixed(1)}%`)
      .join(', ');
    deps.log.info(`forecast updated: ${p}`, {
      question: deps.pack.pack.id,
      tagged: tagging.articles,
      tags: tagging.tags,
    });
  }
  return forecast;
}

export interface QuestionsCycleResult {
  tagging: TagPendingResult;
  /** One entry per question forecast this cycle, in PACKS order. */
  forecasts: { packId: string; forecast: UpdateResult }[];
}

/**
 * One cycle for every question an instance tracks (PACKS): the live questions are tagged together
 * (each by its own rules, `tagPendingPacks`) and each is forecast, its alerts recorded in its own
 * snapshot's transaction. A closed question (resolved yes, or past its horizon) is left as it is,
 * readable; the default question (the first) is always forecast, as a single-question instance always was.
 */
export async function runQuestionsCycle(
  deps: { db: Kysely<Database>; packs: readonly LoadedPack[]; log: Logger },
  now: Date,
  onProgress?: TagProgress,
): Promise<QuestionsCycleResult> {
  const live: LoadedPack[] = [];
  for (const [i, loaded] of deps.packs.entries()) {
    const closed = questionState(loaded.pack, await listResolutions(deps.db, loaded.pack.id), now).closed;
    if (i === 0 || !closed) live.push(loaded);
  }
  const tagging = await tagPendingPacks(deps.db, live, now, onProgress);
  const forecasts: QuestionsCycleResult['forecasts'] = [];
  for (const pack of live)
    forecasts.push({ packId: pack.pack.id, forecast: await forecastOne({ ...deps, pack }, tagging, now) });
  return { tagging, forecasts };
}

/** A fingerprint of everything in the pack that shapes the forecast (scenarios, indicators, priors, rules). */
export function packFingerprint(pack: LoadedPack): string {
  const { feeds: _feeds, alerts: _alerts, ...model } = pack.pack;
  return createHash('sha256').update(JSON.stringify(model)).digest('hex').slice(0, 16);
}

/**
 * At start-up: when the pack's model changed since the last run (an analyst edited likelihoods,
 * priors or rules), re-tag what the rules change affects and rebuild the snapshot history from
 * scratch, so the history is what the current pack says, not a mix of old and new. A rebuild recorded
 * as owed (a `retag` or rebuild killed part-way) is finished the same way.
 */
export async function ensureCurrentPack(
  deps: { db: Kysely<Database>; pack: LoadedPack; log: Logger },
  now: Date,
): Promise<'first' | 'unchanged' | 'recomputed'> {
  const key = `pack.fingerprint.${deps.pack.pack.id}`;
  const fingerprint = packFingerprint(deps.pack);
  const stored = await deps.db.selectFrom('meta').select('value').where('key', '=', key).executeTakeFirst();
  const save = () =>
    deps.db
      .insertInto('meta')
      .values({ key, value: fingerprint })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: fingerprint }))
      .execute();
  // A rebuild that was started and not finished (retag or a start killed part-way) is finished first.
  const owed = await rebuildPending(deps.db, deps.pack.pack.id);
  if (owed) {
    deps.log.info(`finishing an interrupted rebuild of the forecast history from ${owed.from}`);
    await tagPending(deps.db, deps.pack, now);
    const { snapshots } = await recomputeHistory(deps.db, deps.pack, {
      from: new Date(owed.from),
      to: now,
      stepHours: 24,
    });
    await save();
    deps.log.info(`history recomputed: ${snapshots} snapshots`);
    return 'recomputed';
  }
  if (stored?.value === fingerprint) return 'unchanged';
  const first = await deps.db
    .selectFrom('snapshots')
    .select('at')
    .where('pack_id', '=', deps.pack.pack.id)
    .orderBy('at')
    .limit(1)
    .executeTakeFirst();
  if (!stored || !first) {
    await save();
    return 'first';
  }
  deps.log.info(
    `pack ${deps.pack.pack.id} changed since the last run: re-tagging and recomputing the history from ${first.at}`,
  );
  await tagPending(deps.db, deps.pack, now);
  const { snapshots } = await recomputeHistory(deps.db, deps.pack, {
    from: new Date(first.at),
    to: now,
    stepHours: 24,
  });
  await save();
  deps.log.info(`history recomputed: ${snapshots} snapshots`);
  return 'recomputed';
}
