// Ingest loads the story clusters seen in the last 72 h (and their articles) at every run: an index on
// last_seen_at lets both databases start from those clusters instead of reading every article (measured
// by bench/scale.bench.ts: a full scan of the articles table per ingest run at 100,000 articles and more).
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema.createIndex('story_clusters_last_seen').on('story_clusters').column('last_seen_at').execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropIndex('story_clusters_last_seen').execute();
}
