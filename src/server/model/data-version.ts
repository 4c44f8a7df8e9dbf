// The key every cached read model is stored under: the newest snapshot and the resolutions.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';

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
