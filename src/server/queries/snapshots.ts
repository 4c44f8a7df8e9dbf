// Read queries over snapshots and resolutions: the probability history the views and API show.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';

export interface SnapshotPoint {
  id: number;
  at: string;
  probabilities: Record<string, number>;
}

type Row = { id: number; at: string; probabilities: string };
const toPoint = (r: Row): SnapshotPoint => ({ id: r.id, at: r.at, probabilities: parseProbabilities(r.probabilities) });

/** Snapshot JSON is written by the engine; anything unparsable reads as an empty vector, not a crash. */
export function parseProbabilities(text: string): Record<string, number> {
  try {
    const v: unknown = JSON.parse(text);
    if (!v || typeof v !== 'object') return {};
    return Object.fromEntries(
      Object.entries(v as Record<string, unknown>).filter(([, p]) => typeof p === 'number'),
    ) as Record<string, number>;
  } catch {
    return {};
  }
}

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

/** What the cached read models depend on: the newest snapshot and the resolutions. */
export async function dataVersion(db: Kysely<Database>, packId: string): Promise<string> {
  const s = await db
    .selectFrom('snapshots')
    .select((eb) => eb.fn.max('id').as('m'))
    .where('pack_id', '=', packId)
    .executeTakeFirst();
  const r = await db
    .selectFrom('resolutions')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('id').as('m')])
    .where('pack_id', '=', packId)
    .executeTakeFirst();
  return `${s?.m ?? 0}.${r?.n ?? 0}.${r?.m ?? 0}`;
}
