// The key every cached read model is stored under: the database's change counter, which triggers bump in the
// same transaction as every write pages show (snapshots, resolutions, alerts, market points), whichever
// instance or command made it. So every web instance sees a worker's change at its next probe.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';

/** The change counter (one primary-key read); the pack id keeps it distinct per pack in caches' keys. */
export async function dataVersion(db: Kysely<Database>, packId: string): Promise<string> {
  const row = await db.selectFrom('change_counter').select('version').where('name', '=', 'pages').executeTakeFirst();
  return `${packId}.${String(row?.version ?? 0)}`;
}
