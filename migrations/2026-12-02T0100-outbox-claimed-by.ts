// Outbox rows being sent record who claimed them (host:pid:random), so a restarted process takes
// over at once the emails a killed one was sending instead of waiting for the send lease to expire.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable('outbox').addColumn('claimed_by', 'text').execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.alterTable('outbox').dropColumn('claimed_by').execute();
}
