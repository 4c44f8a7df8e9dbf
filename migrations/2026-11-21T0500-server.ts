// Server read paths: an index from an article to its tags for one pack, so the evidence stream and
// the indicator pages find "does this article carry a tag of this pack/indicator" by lookup, not scan.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createIndex('tags_article_pack')
    .on('tags')
    .columns(['article_id', 'pack_id', 'indicator_id'])
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropIndex('tags_article_pack').ifExists().execute();
}
