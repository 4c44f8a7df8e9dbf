// Kysely table types: the one description of the database shared by every stage.
// Times are ISO-8601 UTC strings; JSON columns are text holding JSON; booleans are 0/1 integers.
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

export interface MetaTable {
  key: string;
  value: string;
}

export type FeedStatus = 'active' | 'gone' | 'removed';
export type FeedOrigin = 'pack' | 'cli' | 'opml' | 'api';

export interface FeedsTable {
  id: Generated<number>;
  url: string;
  name: string | null;
  tier: number;
  language: string | null;
  poll_interval_minutes: number;
  /** A cron expression (UTC) naming when to poll, replacing the interval; null: every poll_interval_minutes. */
  schedule: string | null;
  full_text: number;
  origin: FeedOrigin;
  status: FeedStatus;
  etag: string | null;
  last_modified: string | null;
  last_checked_at: string | null;
  last_success_at: string | null;
  last_http_status: number | null;
  last_error_code: string | null;
  last_error_message: string | null;
  /** When the current run of failures began (null while healthy). */
  failing_since: string | null;
  consecutive_failures: number;
  next_check_at: string;
  lease_owner: string | null;
  lease_expires_at: string | null;
  created_at: string;
  /** The URL the feed was added with; `url` moves on a 301 (migration 2026-11-21T0100-ingest). */
  original_url: string | null;
}

export interface StoryClustersTable {
  id: Generated<number>;
  title: string;
  /** 64-bit SimHash of title + lede, 16 hex digits. */
  simhash: string;
  first_seen_at: string;
  last_seen_at: string;
  /** Distinct sources (feeds) that carried the story. */
  source_count: number;
  /** Most reliable tier among its sources (1 = most reliable). */
  best_tier: number;
}

export interface ArticlesTable {
  id: Generated<number>;
  feed_id: number | null;
  cluster_id: number | null;
  guid_hash: string;
  guid: string | null;
  url: string | null;
  canonical_url: string | null;
  content_hash: string;
  title: string;
  summary: string;
  text: string;
  language: string | null;
  published_at: string;
  fetched_at: string;
  updated_at: string;
  simhash: string;
  /** Hash of the pack rules the article was last tagged with; null = not tagged yet. */
  tagged_with: string | null;
}

export type Polarity = 'affirmed' | 'negated';
export type Modality = 'held' | 'scheduled' | 'proposed' | 'cancelled' | 'speculative';

export interface TagsTable {
  id: Generated<number>;
  article_id: number;
  pack_id: string;
  indicator_id: string;
  polarity: Polarity;
  modality: Modality | null;
  confidence: number;
  field: 'title' | 'summary' | 'text';
  snippet: string;
  /** JSON array of {value, unit} for level indicators, or null. */
  numbers: string | null;
  rule_id: string;
  /** A model tag's strongest features: JSON array of {feature, weight}; null on rule tags. */
  features: string | null;
  created_at: string;
}

export interface SnapshotsTable {
  id: Generated<number>;
  pack_id: string;
  at: string;
  /** JSON object {scenarioId: probability}. */
  probabilities: string;
  reason: string;
  created_at: string;
}

export interface EvidenceContributionsTable {
  id: Generated<number>;
  snapshot_id: number;
  cluster_id: number | null;
  article_id: number | null;
  indicator_id: string;
  polarity: Polarity | null;
  modality: Modality | null;
  weight: number;
  /** JSON object {scenarioId: contribution to that scenario's log-score}. */
  log_odds: string;
}

export interface ResolutionsTable {
  id: Generated<number>;
  pack_id: string;
  scenario_id: string;
  outcome: 'yes' | 'no';
  resolved_at: string;
  note: string | null;
  created_at: string;
  /** Who recorded it: the admin token's label, or cli:<user>; null for rows older than the column. */
  resolved_by: ColumnType<string | null, string | null | undefined, string | null>;
}

/** A market or crowd probability polled from a public API (the pack's own `market:` series stays in the pack). */
export interface MarketPointsTable {
  id: Generated<number>;
  pack_id: string;
  scenario_id: string;
  /** `polymarket:<slug or id>` or `metaculus:<question id>`. */
  source: string;
  at: string;
  probability: number;
  url: string | null;
  created_at: string;
}

export interface AlertsTable {
  id: Generated<number>;
  pack_id: string;
  kind: string;
  rule_key: string;
  title: string;
  body: string;
  /** JSON: what fired, probabilities, stories. */
  data: string;
  snapshot_id: number | null;
  created_at: string;
}

export interface SubscribersTable {
  id: Generated<number>;
  email: string;
  token: string;
  /** JSON rule overrides, or null for the pack's defaults. */
  rules: string | null;
  digest: 'daily' | null;
  is_admin: number;
  created_at: string;
  unsubscribed_at: string | null;
  /** Last alert id included in a daily digest (migration 0400). */
  digest_alert_id: number | null;
  digest_sent_at: string | null;
  /** How alerts reach this subscriber (migration 2026-12-02T0100); webhooks keep `email` as a stable identity. */
  channel: Generated<SubscriberChannel>;
  /** The webhook URL (webhook, slack, discord), or null for email. */
  url: string | null;
  /** HMAC-SHA256 key for generic webhooks, or null. */
  secret: string | null;
}

export type SubscriberChannel = 'email' | 'webhook' | 'slack' | 'discord';

export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'failed';

export interface OutboxTable {
  id: Generated<number>;
  subscriber_id: number;
  alert_id: number;
  message_id: string | null;
  status: OutboxStatus;
  attempts: number;
  next_attempt_at: string;
  last_error: string | null;
  sent_at: string | null;
  created_at: string;
  /** 'immediate' (batched alerts) or 'digest' (migration 0400). */
  delivery: Generated<'immediate' | 'digest'>;
  /** Who claimed the row for sending, `host:pid:random` (migration 2026-12-02T0100); null before. */
  claimed_by: Generated<string | null>;
}

/** Per-rule alert state: cooldown (last fired) and hysteresis (armed) (migration 0400). */
export interface AlertStateTable {
  pack_id: string;
  rule_key: string;
  armed: number;
  last_fired_at: string | null;
  updated_at: string;
}

export interface JobLeasesTable {
  name: string;
  owner: string | null;
  expires_at: string | null;
  next_due_at: string | null;
  last_run_at: string | null;
  /** Set when a run is wanted before next_due_at (e.g. the forecast after a worker's ingest); cleared by the claim. */
  requested_at: ColumnType<string | null, string | null | undefined, string | null>;
}

/** One row, `pages`: bumped by triggers with every write to what cached pages show (snapshots, resolutions, …). */
export interface ChangeCounterTable {
  name: string;
  version: ColumnType<number | string | bigint, number | undefined, number>;
}

/** Failed admin authentications, per client address and '*' (all addresses), shared by every web instance. */
export interface AdminAuthFailuresTable {
  id: Generated<number>;
  scope: string;
  at: string;
}

export interface Database {
  meta: MetaTable;
  feeds: FeedsTable;
  story_clusters: StoryClustersTable;
  articles: ArticlesTable;
  tags: TagsTable;
  snapshots: SnapshotsTable;
  evidence_contributions: EvidenceContributionsTable;
  resolutions: ResolutionsTable;
  market_points: MarketPointsTable;
  alerts: AlertsTable;
  subscribers: SubscribersTable;
  outbox: OutboxTable;
  alert_state: AlertStateTable;
  job_leases: JobLeasesTable;
  change_counter: ChangeCounterTable;
  admin_auth_failures: AdminAuthFailuresTable;
}

export type Feed = Selectable<FeedsTable>;
export type NewFeed = Insertable<FeedsTable>;
export type FeedUpdate = Updateable<FeedsTable>;
export type StoryCluster = Selectable<StoryClustersTable>;
export type Article = Selectable<ArticlesTable>;
export type NewArticle = Insertable<ArticlesTable>;
export type Tag = Selectable<TagsTable>;
export type NewTag = Insertable<TagsTable>;
export type Snapshot = Selectable<SnapshotsTable>;
export type Alert = Selectable<AlertsTable>;
export type Subscriber = Selectable<SubscribersTable>;
