// Initial schema: feeds with health, articles, story clusters, tags, snapshots, evidence,
// resolutions, alerts, subscribers, outbox, job leases and a key/value meta table.
// Portable SQL only (SQLite and PostgreSQL through Kysely); times are ISO-8601 UTC text.
import { type Kysely, PostgresAdapter } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  // SQLite: INTEGER PRIMARY KEY is the rowid alias (auto-assigned). PostgreSQL: an identity column.
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const pk = (t: string) =>
    db.schema
      .createTable(t)
      .addColumn('id', 'integer', (c) => (postgres ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey()));
  // PostgreSQL's `real` is 4 bytes (0.9 reads back as 0.899999976); SQLite's REAL is 8 bytes.
  const float = postgres ? 'double precision' : 'real';

  await db.schema
    .createTable('meta')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();

  await pk('feeds')
    .addColumn('url', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text')
    .addColumn('tier', 'integer', (c) => c.notNull().defaultTo(3))
    .addColumn('language', 'text')
    .addColumn('poll_interval_minutes', 'integer', (c) => c.notNull().defaultTo(15))
    .addColumn('full_text', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('origin', 'text', (c) => c.notNull().defaultTo('pack'))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
    .addColumn('etag', 'text')
    .addColumn('last_modified', 'text')
    .addColumn('last_checked_at', 'text')
    .addColumn('last_success_at', 'text')
    .addColumn('last_http_status', 'integer')
    .addColumn('last_error_code', 'text')
    .addColumn('last_error_message', 'text')
    .addColumn('failing_since', 'text')
    .addColumn('consecutive_failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_check_at', 'text', (c) => c.notNull())
    .addColumn('lease_owner', 'text')
    .addColumn('lease_expires_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('feeds_next_check').on('feeds').columns(['status', 'next_check_at']).execute();

  await pk('story_clusters')
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('simhash', 'text', (c) => c.notNull())
    .addColumn('first_seen_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'text', (c) => c.notNull())
    .addColumn('source_count', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('best_tier', 'integer', (c) => c.notNull().defaultTo(3))
    .execute();
  await db.schema.createIndex('story_clusters_first_seen').on('story_clusters').column('first_seen_at').execute();

  await pk('articles')
    .addColumn('feed_id', 'integer', (c) => c.references('feeds.id').onDelete('set null'))
    .addColumn('cluster_id', 'integer', (c) => c.references('story_clusters.id'))
    .addColumn('guid_hash', 'text', (c) => c.notNull())
    .addColumn('guid', 'text')
    .addColumn('url', 'text')
    .addColumn('canonical_url', 'text')
    .addColumn('content_hash', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('text', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('language', 'text')
    .addColumn('published_at', 'text', (c) => c.notNull())
    .addColumn('fetched_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('simhash', 'text', (c) => c.notNull())
    .addColumn('tagged_with', 'text')
    .execute();
  await db.schema.createIndex('articles_feed_guid').on('articles').columns(['feed_id', 'guid_hash']).unique().execute();
  await db.schema.createIndex('articles_canonical_url').on('articles').column('canonical_url').execute();
  await db.schema.createIndex('articles_published').on('articles').column('published_at').execute();
  await db.schema.createIndex('articles_cluster').on('articles').column('cluster_id').execute();
  await db.schema.createIndex('articles_tagged_with').on('articles').column('tagged_with').execute();

  await pk('tags')
    .addColumn('article_id', 'integer', (c) => c.notNull().references('articles.id').onDelete('cascade'))
    .addColumn('pack_id', 'text', (c) => c.notNull())
    .addColumn('indicator_id', 'text', (c) => c.notNull())
    .addColumn('polarity', 'text', (c) => c.notNull())
    .addColumn('modality', 'text')
    .addColumn('confidence', float, (c) => c.notNull())
    .addColumn('field', 'text', (c) => c.notNull())
    .addColumn('snippet', 'text', (c) => c.notNull())
    .addColumn('numbers', 'text')
    .addColumn('rule_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('tags_article').on('tags').column('article_id').execute();
  await db.schema.createIndex('tags_pack_indicator').on('tags').columns(['pack_id', 'indicator_id']).execute();

  await pk('snapshots')
    .addColumn('pack_id', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('probabilities', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('snapshots_pack_at').on('snapshots').columns(['pack_id', 'at']).execute();

  await pk('evidence_contributions')
    .addColumn('snapshot_id', 'integer', (c) => c.notNull().references('snapshots.id').onDelete('cascade'))
    .addColumn('cluster_id', 'integer')
    .addColumn('article_id', 'integer')
    .addColumn('indicator_id', 'text', (c) => c.notNull())
    .addColumn('polarity', 'text')
    .addColumn('modality', 'text')
    .addColumn('weight', float, (c) => c.notNull())
    .addColumn('log_odds', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('evidence_snapshot').on('evidence_contributions').column('snapshot_id').execute();

  await pk('resolutions')
    .addColumn('pack_id', 'text', (c) => c.notNull())
    .addColumn('scenario_id', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('resolved_at', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('resolutions_pack_scenario')
    .on('resolutions')
    .columns(['pack_id', 'scenario_id'])
    .unique()
    .execute();

  await pk('alerts')
    .addColumn('pack_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('rule_key', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('snapshot_id', 'integer', (c) => c.references('snapshots.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('alerts_created').on('alerts').column('created_at').execute();
  await db.schema.createIndex('alerts_rule').on('alerts').columns(['rule_key', 'created_at']).execute();

  await pk('subscribers')
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('token', 'text', (c) => c.notNull().unique())
    .addColumn('rules', 'text')
    .addColumn('digest', 'text')
    .addColumn('is_admin', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('unsubscribed_at', 'text')
    .execute();

  await pk('outbox')
    .addColumn('subscriber_id', 'integer', (c) => c.notNull().references('subscribers.id').onDelete('cascade'))
    .addColumn('alert_id', 'integer', (c) => c.notNull().references('alerts.id').onDelete('cascade'))
    .addColumn('message_id', 'text')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('sent_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('outbox_status_next').on('outbox').columns(['status', 'next_attempt_at']).execute();
  await db.schema
    .createIndex('outbox_alert_subscriber')
    .on('outbox')
    .columns(['alert_id', 'subscriber_id'])
    .unique()
    .execute();

  await db.schema
    .createTable('job_leases')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('owner', 'text')
    .addColumn('expires_at', 'text')
    .addColumn('next_due_at', 'text')
    .addColumn('last_run_at', 'text')
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  for (const t of [
    'job_leases',
    'outbox',
    'subscribers',
    'alerts',
    'resolutions',
    'evidence_contributions',
    'snapshots',
    'tags',
    'articles',
    'story_clusters',
    'feeds',
    'meta',
  ]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
