// Resolutions record who recorded them: the admin token's label, or "cli:<user>" from the command line.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable('resolutions').addColumn('resolved_by', 'text').execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.alterTable('resolutions').dropColumn('resolved_by').execute();
}
