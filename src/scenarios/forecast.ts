// Recomputes the forecast at a time and stores a snapshot (with its contributions) when it moved.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { isDeadLocalOwner, newLeaseOwner } from '../db/lease-owner.ts';
import { writeTransaction } from '../db/write-transaction.ts';
import { evaluate, quickPosterior } from './engine/compute.ts';
import type { EngineState } from './engine/state.ts';
import type { Contribution, EngineOptions, EngineResult, ResolutionInput } from './engine/types.ts';
import { loadResolutions } from './evidence.ts';
import { resetForecastState, stateAt } from './forecast-state.ts';
import type { LoadedPack } from '../pack/load.ts';
import type { SnapshotEvent } from './snapshot-event.ts';

/** A snapshot is written when any probability moved by more than this (0.1 percentage point)… */
export const MOVE_THRESHOLD = 0.001;
/** …and contributions smaller than this on every scenario are not stored (they move nothing visible). */
export const MIN_STORED_CONTRIBUTION = 1e-6;

export interface UpdateOptions {
  /** Runs inside the snapshot's transaction (alerts write their rows here). */
  onSnapshot?: (trx: Kysely<Database>, event: SnapshotEvent) => Promise<void> | void;
  /** Write a snapshot even if nothing moved. */
  force?: boolean;
}

export interface UpdateResult {
  snapshot: SnapshotEvent | null;
  probabilities: Record<string, number>;
}

const windowKey = (packId: string) => `engine.window_start.${packId}`;

/** Start of the deadline windows: fixed the first time the pack is forecast (or by recomputeHistory). */
async function windowStart(db: Kysely<Database>, packId: string, now: string): Promise<string> {
  const row = await db.selectFrom('meta').select('value').where('key', '=', windowKey(packId)).executeTakeFirst();
  if (row) return row.value;
  await db
    .insertInto('meta')
    .values({ key: windowKey(packId), value: now })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  return now;
}

/** The forecast at `at` computed from the stored evidence, without writing anything (status, API). */
export async function forecastAt(db: Kysely<Database>, loaded: LoadedPack, at: Date): Promise<EngineResult> {
  const { state, resolutions, options } = await engineInputsAt(db, loaded, at);
  return evaluate(state, at, resolutions, options);
}

/** What the engine reads at `at`: the state of the stored evidence, the resolutions, the deadline window. */
export async function engineInputsAt(
  db: Kysely<Database>,
  loaded: LoadedPack,
  at: Date,
): Promise<{ state: EngineState; resolutions: ResolutionInput[]; options: EngineOptions }> {
  const state = await stateAt(db, loaded.pack, at);
  const row = await db
    .selectFrom('meta')
    .select('value')
    .where('key', '=', windowKey(loaded.pack.id))
    .executeTakeFirst();
  const resolutions = await loadResolutions(db, loaded.pack.id);
  return { state, resolutions, options: { windowStart: row?.value ?? at.toISOString() } };
}

async function lastSnapshot(db: Kysely<Database>, packId: string, now: string) {
  const row = await db
    .selectFrom('snapshots')
    .select(['at', 'probabilities'])
    .where('pack_id', '=', packId)
    .where('at', '<=', now)
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  return row ? { at: row.at, probabilities: JSON.parse(row.probabilities) as Record<string, number> } : null;
}

function moved(a: Record<string, number>, b: Record<string, number>): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) if (!(Math.abs((a[k] ?? -1) - (b[k] ?? -1)) <= MOVE_THRESHOLD)) return true;
  return false;
}

function contributionRows(snapshotId: number, contributions: readonly Contribution[]) {
  return contributions
    .filter((c) => Object.values(c.logOdds).some((v) => Math.abs(v) >= MIN_STORED_CONTRIBUTION))
    .map((c) => ({
      snapshot_id: snapshotId,
      cluster_id: c.clusterId,
      article_id: c.articleId,
      indicator_id: c.indicatorId,
      polarity: c.polarity,
      modality: c.modality,
      weight: c.weight,
      log_odds: JSON.stringify(c.logOdds),
    }));
}

async function writeSnapshot(
  db: Kysely<Database>,
  packId: string,
  result: EngineResult,
  reason: string,
  previous: SnapshotEvent['previous'],
  now: Date,
  options: UpdateOptions,
): Promise<SnapshotEvent> {
  return writeTransaction(db, async (trx) => {
    const { id } = await trx
      .insertInto('snapshots')
      .values({
        pack_id: packId,
        at: result.at,
        probabilities: JSON.stringify(result.probabilities),
        reason,
        created_at: now.toISOString(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const rows = contributionRows(id, result.contributions);
    for (let i = 0; i < rows.length; i += 1000)
      await trx
        .insertInto('evidence_contributions')
        .values(rows.slice(i, i + 1000))
        .execute();
    const event: SnapshotEvent = {
      packId,
      snapshotId: id,
      at: result.at,
      probabilities: result.probabilities,
      previous,
      levels: result.levels,
    };
    await options.onSnapshot?.(trx, event);
    return event;
  });
}

/**
 * Recomputes the pack's forecast at `now` (incrementally from the cached state) and writes a
 * snapshot with its contributions when a probability moved by more than 0.1 pp since the last
 * snapshot, or none was written that UTC day. The snapshot, its contributions and `onSnapshot`
 * share one transaction.
 */
export async function updateForecast(
  db: Kysely<Database>,
  loaded: LoadedPack,
  now: Date,
  options: UpdateOptions = {},
): Promise<UpdateResult> {
  const pack = loaded.pack;
  const at = now.toISOString();
  const state = await stateAt(db, pack, now);
  const resolutions = await loadResolutions(db, pack.id);
  const engineOptions = { windowStart: await windowStart(db, pack.id, at) };
  const quick = quickPosterior(state, now, resolutions, engineOptions);
  const previous = await lastSnapshot(db, pack.id, at);
  const reason = options.force
    ? 'forced'
    : !previous
      ? 'first'
      : previous.at.slice(0, 10) !== at.slice(0, 10)
        ? 'daily'
        : moved(quick, previous.probabilities)
          ? 'moved'
          : null;
  if (!reason) return { snapshot: null, probabilities: quick };
  const result = evaluate(state, now, resolutions, engineOptions);
  const snapshot = await writeSnapshot(db, pack.id, result, reason, previous, now, options);
  return { snapshot, probabilities: result.probabilities };
}

export interface HistoryOptions {
  from: Date;
  to: Date;
  stepHours?: number;
}

/**
 * The new history is written under this pack id until it is complete; no reader asks for it. It names
 * its builder (`host:pid:random`), so two rebuilds at once (a `retag` while `start` finishes an owed one)
 * never mix their rows, and the rows of a killed builder are recognised and dropped.
 */
const asidePrefix = (packId: string) => `${packId}#rebuild:`;
/** Set while a rebuild is owed (retag started, or a rebuild began): `{from}`. Cleared by the swap. */
const pendingKey = (packId: string) => `history.rebuild.${packId}`;

/** The rebuild recorded as owed (by a retag or a rebuild that did not finish), or null. */
export async function rebuildPending(db: Kysely<Database>, packId: string): Promise<{ from: string } | null> {
  const row = await db.selectFrom('meta').select('value').where('key', '=', pendingKey(packId)).executeTakeFirst();
  return row ? (JSON.parse(row.value) as { from: string }) : null;
}

/** Records that the pack's history must be rebuilt from `from` (before tags change), so a kill is finished later. */
export async function markHistoryStale(db: Kysely<Database>, packId: string, from: Date | string): Promise<void> {
  const value = JSON.stringify({ from: new Date(from).toISOString() });
  await db
    .insertInto('meta')
    .values({ key: pendingKey(packId), value })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
    .execute();
}

async function dropSnapshots(trx: Kysely<Database>, packId: string): Promise<void> {
  const ids = trx.selectFrom('snapshots').select('id').where('pack_id', '=', packId);
  await trx.updateTable('alerts').set({ snapshot_id: null }).where('snapshot_id', 'in', ids).execute();
  await trx.deleteFrom('evidence_contributions').where('snapshot_id', 'in', ids).execute();
  await trx.deleteFrom('snapshots').where('pack_id', '=', packId).execute();
}

/**
 * Rebuilds the pack's snapshot history from scratch (after a pack change or a retag), stepping the
 * clock from `from` to `to` with the deadline window fixed at `from`. The new snapshots are written
 * aside (under another pack id, in many small transactions) and swapped in with one transaction that
 * also drops the old ones: readers see the old history or the new one, never a half-built one, and a
 * process killed mid-way leaves the old history whole with the rebuild recorded (`rebuildPending`),
 * which `ensureCurrentPack` finishes at the next start. No snapshot listener runs: history is not news.
 */
export async function recomputeHistory(
  db: Kysely<Database>,
  loaded: LoadedPack,
  options: HistoryOptions,
): Promise<{ snapshots: number }> {
  const packId = loaded.pack.id;
  const aside = `${asidePrefix(packId)}${newLeaseOwner()}`;
  const from = options.from.toISOString();
  const toMs = options.to.getTime();
  const stepMs = (options.stepHours ?? 24) * 3_600_000;
  if (!(stepMs > 0)) throw new RangeError('recomputeHistory: stepHours must be positive');
  await writeTransaction(db, async (trx) => {
    // What interrupted rebuilds left behind: rows of builders that no longer run on this host.
    const left = await trx
      .selectFrom('snapshots')
      .select('pack_id')
      .distinct()
      .where('pack_id', 'like', `${asidePrefix(packId)}%`)
      .execute();
    for (const { pack_id } of left)
      if (isDeadLocalOwner(pack_id.slice(asidePrefix(packId).length))) await dropSnapshots(trx, pack_id);
    await markHistoryStale(trx, packId, from);
  });
  resetForecastState(db, packId);
  const resolutions = await loadResolutions(db, packId);
  const engineOptions = { windowStart: from };
  let previous: SnapshotEvent['previous'] = null;
  let snapshots = 0;
  for (let t = Date.parse(from); t <= toMs; t += stepMs) {
    const now = new Date(t);
    const at = now.toISOString();
    const state = await stateAt(db, loaded.pack, now);
    const quick = quickPosterior(state, now, resolutions, engineOptions);
    const reason = !previous
      ? 'first'
      : previous.at.slice(0, 10) !== at.slice(0, 10)
        ? 'daily'
        : moved(quick, previous.probabilities)
          ? 'moved'
          : null;
    if (!reason) continue;
    const result = evaluate(state, now, resolutions, engineOptions);
    await writeSnapshot(db, aside, result, reason, previous, now, {});
    previous = { at: result.at, probabilities: result.probabilities };
    snapshots += 1;
  }
  await writeTransaction(db, async (trx) => {
    await dropSnapshots(trx, packId);
    await trx.updateTable('snapshots').set({ pack_id: packId }).where('pack_id', '=', aside).execute();
    await trx
      .insertInto('meta')
      .values({ key: windowKey(packId), value: from })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: from }))
      .execute();
    await trx.deleteFrom('meta').where('key', '=', pendingKey(packId)).execute();
  });
  resetForecastState(db, packId);
  return { snapshots };
}
