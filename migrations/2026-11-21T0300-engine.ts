// Engine: a covering index so the forecast cache's check of a pack's tags (count, max id, sum of
// article ids, latest created_at) is an index-only scan instead of a table scan.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createIndex('tags_pack_stamp')
    .on('tags')
    .columns(['pack_id', 'id', 'article_id', 'created_at'])
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropIndex('tags_pack_stamp').ifExists().execute();
}
