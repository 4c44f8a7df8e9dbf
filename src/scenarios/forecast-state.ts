// Keeps each pack's engine state in memory between updates, so one new story costs one small step.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { EngineState } from './engine/state.ts';
import type { EvidenceItem } from './engine/types.ts';
import { loadEvidence, type TagStamp, tagStamp } from './evidence.ts';
import type { Pack } from '../pack/schema.ts';

interface Entry {
  pack: Pack;
  state: EngineState;
  /** Evidence read but published after the last `now` (held back until the clock reaches it). */
  pending: EvidenceItem[];
  stamp: TagStamp;
}

const caches = new WeakMap<Kysely<Database>, Map<string, Entry>>();

/** Drops the cached state (after a retag, re-clustering or pack change; recomputeHistory calls it). */
export function resetForecastState(db: Kysely<Database>, packId?: string): void {
  if (packId === undefined) caches.delete(db);
  else caches.get(db)?.delete(packId);
}

/**
 * The engine state holding every tag of the pack published by `now`. New tags (id above the last
 * seen) are added incrementally; if tags were deleted or replaced (the count does not add up) or the
 * pack object changed, the state is rebuilt from the database.
 */
export async function stateAt(db: Kysely<Database>, pack: Pack, now: Date): Promise<EngineState> {
  const nowMs = now.getTime();
  let byPack = caches.get(db);
  if (!byPack) caches.set(db, (byPack = new Map()));
  let entry = byPack.get(pack.id);
  const stamp = await tagStamp(db, pack.id);
  if (
    entry &&
    entry.pack === pack &&
    stamp.maxId >= entry.stamp.maxId &&
    stamp.lastCreated >= entry.stamp.lastCreated
  ) {
    const old = entry.stamp;
    const fresh = stamp.maxId > old.maxId ? await loadEvidence(db, pack.id, { afterTagId: old.maxId }) : [];
    const addedArticles = fresh.reduce((a, it) => a + it.articleId, 0);
    const consistent = old.count + fresh.length === stamp.count && old.articleSum + addedArticles === stamp.articleSum;
    if (consistent && (fresh.length > 0 || stamp.lastCreated === old.lastCreated)) {
      entry.pending.push(...fresh);
      entry.stamp = stamp;
    } else entry = undefined;
  } else entry = undefined;
  if (!entry) {
    entry = { pack, state: new EngineState(pack), pending: await loadEvidence(db, pack.id), stamp };
    byPack.set(pack.id, entry);
  }
  if (entry.state.maxTime > nowMs) {
    // The clock went back (a past --at): answer from a fresh state holding only what was known then.
    const all = [
      ...[...entry.state.groups.values()].flatMap((g) => g.items),
      ...[...entry.state.levelItems.values()].flat(),
      ...entry.pending,
    ];
    return new EngineState(pack).add(all.filter((it) => Date.parse(it.publishedAt) <= nowMs));
  }
  const due = entry.pending.filter((it) => Date.parse(it.publishedAt) <= nowMs);
  if (due.length > 0) {
    entry.pending = entry.pending.filter((it) => Date.parse(it.publishedAt) > nowMs);
    entry.state.add(due);
  }
  return entry.state;
}
