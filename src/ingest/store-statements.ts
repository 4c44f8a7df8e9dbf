// Cached better-sqlite3 prepared statements for the two hot inserts of a feed's store transaction
// (articles, story clusters). They run on the raw connection inside the BEGIN IMMEDIATE that
// writeTransaction opened on it, so they commit or roll back with the rest of the feed's writes.
import type SQLite from 'better-sqlite3';
import type { NewArticle, StoryCluster } from '../db/schema.ts';

/** A story_clusters row as inserted (the id is assigned by the caller). */
export type ClusterRow = StoryCluster;

const ARTICLE_COLUMNS = [
  'feed_id',
  'cluster_id',
  'guid_hash',
  'guid',
  'url',
  'canonical_url',
  'content_hash',
  'title',
  'summary',
  'text',
  'language',
  'published_at',
  'fetched_at',
  'updated_at',
  'simhash',
  'tagged_with',
] as const;
const CLUSTER_COLUMNS = [
  'id',
  'title',
  'simhash',
  'first_seen_at',
  'last_seen_at',
  'source_count',
  'best_tier',
] as const;

function insertSql(table: string, columns: readonly string[]): string {
  return `insert into "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) values (${columns.map(() => '?').join(', ')})`;
}

export interface StoreStatements {
  insertArticle(row: NewArticle): void;
  insertCluster(row: ClusterRow): void;
}

const cache = new WeakMap<SQLite.Database, StoreStatements>();

/** The statements for one connection, prepared on first use and reused for its lifetime. */
export function storeStatements(raw: SQLite.Database): StoreStatements {
  let s = cache.get(raw);
  if (!s) {
    const article = raw.prepare(insertSql('articles', ARTICLE_COLUMNS));
    const cluster = raw.prepare(insertSql('story_clusters', CLUSTER_COLUMNS));
    s = {
      insertArticle: (row) => void article.run(ARTICLE_COLUMNS.map((c) => row[c] ?? null)),
      insertCluster: (row) => void cluster.run(CLUSTER_COLUMNS.map((c) => row[c])),
    };
    cache.set(raw, s);
  }
  return s;
}
