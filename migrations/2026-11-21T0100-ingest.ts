// Ingest: remember the URL a feed was added with (pack, CLI or OPML), so a 301 that moves the
// stored URL neither makes the pack re-add the old address nor breaks `feeds remove OLD_URL`.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable('feeds').addColumn('original_url', 'text').execute();
  await db
    .updateTable('feeds')
    .set((eb) => ({ original_url: eb.ref('url') }))
    .execute();
  await db.schema.createIndex('feeds_original_url').on('feeds').column('original_url').execute();
  await db.schema.createIndex('feeds_lease').on('feeds').column('lease_owner').execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropIndex('feeds_lease').execute();
  await db.schema.dropIndex('feeds_original_url').execute();
  await db.schema.alterTable('feeds').dropColumn('original_url').execute();
}
