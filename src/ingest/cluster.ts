// Story clusters: a new article joins the nearest near-duplicate story (SimHash within
// NEAR_DUPLICATE_BITS, or the same canonical URL) seen within 72 h, else the cluster reporting
// the same event (event-similarity.ts: same language, within 24 h), else starts a cluster;
// the cluster records its distinct sources (feeds) and the best tier among them.
import { type Kysely, SqliteAdapter } from 'kysely';
import type { Database, StoryCluster } from '../db/schema.ts';
import type { ClusterIndex } from './cluster-index.ts';
import type { EventTokens } from './event-similarity.ts';
import type { StoreStatements } from './store-statements.ts';

export { CLUSTER_WINDOW_MS, ClusterIndex, loadClusterIndex } from './cluster-index.ts';

export interface ClusterCandidate {
  title: string;
  simhash: string;
  canonicalUrl: string | null;
  publishedAt: string;
  eventTokens: EventTokens;
}

type NewCluster = StoryCluster;

const INSERT_CHUNK = 100;

/**
 * Assigns clusters to one feed's new articles inside its store transaction. New clusters are
 * collected and inserted in batches by `flush()` (call it before inserting the articles): on
 * SQLite their ids are allocated from max(id), safe because the transaction holds the write lock.
 */
export class ClusterBatch {
  private readonly created: NewCluster[] = [];
  private readonly pending = new Map<number, NewCluster>();
  /** Clusters this feed already counts as a source of (found or made in this transaction). */
  private readonly joined = new Set<number>();
  private nextId: number | null = null;
  private readonly explicitIds: boolean;

  constructor(
    private readonly trx: Kysely<Database>,
    private readonly index: ClusterIndex,
    private readonly feed: { id: number; tier: number; language: string | null },
    /** Cached raw inserts (SQLite opened by openDatabase); null → Kysely inserts. */
    private readonly raw: StoreStatements | null = null,
  ) {
    this.explicitIds = trx.getExecutor().adapter instanceof SqliteAdapter;
  }

  /** Returns the cluster for a new article of this feed. */
  async assign(a: ClusterCandidate): Promise<number> {
    const atMs = Date.parse(a.publishedAt);
    const found =
      this.index.find(a.simhash, a.canonicalUrl, atMs) ?? this.index.findEvent(a.eventTokens, this.feed.language, atMs);
    const id = found !== null && (await this.join(found, a)) ? found : await this.create(a);
    this.joined.add(id);
    if (a.canonicalUrl) this.index.addUrl(a.canonicalUrl, id);
    this.index.addDoc(id, a.eventTokens, this.feed.language, atMs);
    return id;
  }

  private async join(id: number, a: ClusterCandidate): Promise<boolean> {
    const fresh = this.pending.get(id);
    const isNewSource =
      !this.joined.has(id) &&
      !(
        fresh ||
        (await this.trx
          .selectFrom('articles')
          .select('id')
          .where('cluster_id', '=', id)
          .where('feed_id', '=', this.feed.id)
          .limit(1)
          .executeTakeFirst())
      );
    const c =
      fresh ??
      (await this.trx
        .selectFrom('story_clusters')
        .select(['first_seen_at', 'last_seen_at', 'best_tier', 'source_count'])
        .where('id', '=', id)
        .executeTakeFirst());
    if (!c) return false;
    const next = {
      first_seen_at: a.publishedAt < c.first_seen_at ? a.publishedAt : c.first_seen_at,
      last_seen_at: a.publishedAt > c.last_seen_at ? a.publishedAt : c.last_seen_at,
      best_tier: Math.min(c.best_tier, this.feed.tier),
      source_count: c.source_count + (isNewSource ? 1 : 0),
    };
    if (fresh) Object.assign(fresh, next);
    else await this.trx.updateTable('story_clusters').set(next).where('id', '=', id).execute();
    this.index.widen(id, Date.parse(a.publishedAt));
    return true;
  }

  private async create(a: ClusterCandidate): Promise<number> {
    const row = {
      title: a.title,
      simhash: a.simhash,
      first_seen_at: a.publishedAt,
      last_seen_at: a.publishedAt,
      source_count: 1,
      best_tier: this.feed.tier,
    };
    let id: number;
    if (this.explicitIds) {
      if (this.nextId === null) {
        const max = await this.trx
          .selectFrom('story_clusters')
          .select((eb) => eb.fn.max('id').as('m'))
          .executeTakeFirst();
        this.nextId = Number(max?.m ?? 0) + 1;
      }
      id = this.nextId++;
      const c = { id, ...row };
      this.created.push(c);
      this.pending.set(id, c);
    } else {
      id = (await this.trx.insertInto('story_clusters').values(row).returning('id').executeTakeFirstOrThrow()).id;
    }
    const atMs = Date.parse(a.publishedAt);
    this.index.add(id, a.simhash, atMs, atMs);
    return id;
  }

  /** Inserts the clusters created so far (before the articles that reference them). */
  async flush(): Promise<void> {
    if (this.raw) for (const c of this.created) this.raw.insertCluster(c);
    else
      for (let i = 0; i < this.created.length; i += INSERT_CHUNK) {
        await this.trx
          .insertInto('story_clusters')
          .values(this.created.slice(i, i + INSERT_CHUNK))
          .execute();
      }
    this.created.length = 0;
    this.pending.clear();
  }
}
