// The probability history as every reader sees it (dashboard, API, CLI, demo): snapshots by time and id.
import type { Kysely } from 'kysely';
import { parseScenarioMap } from '../db/json-columns.ts';
import type { Database } from '../db/schema.ts';

export interface SnapshotPoint {
  id: number;
  at: string;
  probabilities: Record<string, number>;
}

type Row = { id: number; at: string; probabilities: string };
const toPoint = (r: Row): SnapshotPoint => ({ id: r.id, at: r.at, probabilities: parseScenarioMap(r.probabilities) });

const base = (db: Kysely<Database>, packId: string) =>
  db.selectFrom('snapshots').select(['id', 'at', 'probabilities']).where('pack_id', '=', packId);

export async function latestSnapshot(db: Kysely<Database>, packId: string): Promise<SnapshotPoint | null> {
  const r = await base(db, packId).orderBy('at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
  return r ? toPoint(r) : null;
}

export async function snapshotById(db: Kysely<Database>, packId: string, id: number): Promise<SnapshotPoint | null> {
  const r = await base(db, packId).where('id', '=', id).executeTakeFirst();
  return r ? toPoint(r) : null;
}

export async function snapshotAtOrBefore(
  db: Kysely<Database>,
  packId: string,
  iso: string,
): Promise<SnapshotPoint | null> {
  const r = await base(db, packId)
    .where('at', '<=', iso)
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return r ? toPoint(r) : null;
}

export async function previousSnapshot(
  db: Kysely<Database>,
  packId: string,
  s: SnapshotPoint,
): Promise<SnapshotPoint | null> {
  const r = await base(db, packId)
    .where((eb) => eb.or([eb('at', '<', s.at), eb.and([eb('at', '=', s.at), eb('id', '<', s.id)])]))
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return r ? toPoint(r) : null;
}

/** The first snapshot of a pack (null if none). */
export async function firstSnapshot(db: Kysely<Database>, packId: string): Promise<SnapshotPoint | null> {
  const r = await base(db, packId).orderBy('at').orderBy('id').limit(1).executeTakeFirst();
  return r ? toPoint(r) : null;
}

/** Snapshots with from ≤ at ≤ to, oldest first, at most `limit` of them (the newest kept). */
export async function snapshotHistory(
  db: Kysely<Database>,
  packId: string,
  from: string,
  to: string,
  limit = 5000,
): Promise<SnapshotPoint[]> {
  const rows = await base(db, packId)
    .where('at', '>=', from)
    .where('at', '<=', to)
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.reverse().map(toPoint);
}
