// Story clusters: a new article joins the nearest near-duplicate story (SimHash within
// NEAR_DUPLICATE_BITS, or the same canonical URL) seen within 72 h, else starts a cluster;
// the cluster records its distinct sources (feeds) and the best tier among them.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { NEAR_DUPLICATE_BITS, bands, hammingDistance } from './simhash.ts';

export const CLUSTER_WINDOW_MS = 72 * 60 * 60_000;
const BAND_COUNT = NEAR_DUPLICATE_BITS + 1;

interface Entry {
  id: number;
  simhash: string;
  firstMs: number;
  lastMs: number;
}

/**
 * In-memory index of the clusters of the last 72 h, banded for sub-linear near-duplicate lookup.
 * Changes made inside a transaction are recorded in an undo log and reverted when it rolls back,
 * so the index never points at a cluster that was not committed.
 */
export class ClusterIndex {
  private readonly byBand = new Map<string, Entry[]>();
  private readonly byUrl = new Map<string, number>();
  private readonly entries = new Map<number, Entry>();
  private undo: Array<() => void> | null = null;

  add(id: number, simhash: string, firstMs: number, lastMs: number): void {
    const entry: Entry = { id, simhash, firstMs, lastMs };
    this.entries.set(id, entry);
    const keys = bands(simhash, BAND_COUNT);
    for (const k of keys) {
      const list = this.byBand.get(k);
      if (list) list.push(entry);
      else this.byBand.set(k, [entry]);
    }
    this.undo?.push(() => {
      this.entries.delete(id);
      for (const k of keys) this.byBand.set(k, (this.byBand.get(k) ?? []).filter((e) => e !== entry));
    });
  }

  addUrl(url: string, clusterId: number): void {
    if (this.byUrl.has(url)) return;
    this.byUrl.set(url, clusterId);
    this.undo?.push(() => this.byUrl.delete(url));
  }

  /** The cluster of the nearest near-duplicate within the window of `atMs`, or null. */
  find(simhash: string, canonicalUrl: string | null, atMs: number): number | null {
    const byUrl = canonicalUrl ? this.byUrl.get(canonicalUrl) : undefined;
    if (byUrl !== undefined && this.entries.has(byUrl)) return byUrl;
    let best: Entry | null = null;
    let bestDistance = NEAR_DUPLICATE_BITS + 1;
    for (const k of bands(simhash, BAND_COUNT)) {
      for (const e of this.byBand.get(k) ?? []) {
        if (atMs < e.firstMs - CLUSTER_WINDOW_MS || atMs > e.lastMs + CLUSTER_WINDOW_MS) continue;
        const d = hammingDistance(simhash, e.simhash);
        if (d < bestDistance || (d === bestDistance && best !== null && e.id < best.id)) {
          best = e;
          bestDistance = d;
        }
      }
    }
    return best?.id ?? null;
  }

  widen(id: number, atMs: number): void {
    const e = this.entries.get(id);
    if (!e) return;
    const { firstMs, lastMs } = e;
    e.firstMs = Math.min(firstMs, atMs);
    e.lastMs = Math.max(lastMs, atMs);
    this.undo?.push(() => Object.assign(e, { firstMs, lastMs }));
  }

  /** Runs `fn` with an undo log: if it throws (the transaction rolled back), its changes are reverted. */
  async transactional<T>(fn: () => Promise<T>): Promise<T> {
    const log: Array<() => void> = [];
    this.undo = log;
    try {
      return await fn();
    } catch (error) {
      for (const u of log.reverse()) u();
      throw error;
    } finally {
      this.undo = null;
    }
  }

  get size(): number {
    return this.entries.size;
  }
}

/** Loads the clusters (and their articles' canonical URLs) last seen within 72 h of `now`. */
export async function loadClusterIndex(db: Kysely<Database>, now: Date): Promise<ClusterIndex> {
  const since = new Date(now.getTime() - CLUSTER_WINDOW_MS).toISOString();
  const index = new ClusterIndex();
  const rows = await db.selectFrom('story_clusters').select(['id', 'simhash', 'first_seen_at', 'last_seen_at']).where('last_seen_at', '>=', since).orderBy('id').execute();
  for (const r of rows) index.add(r.id, r.simhash, Date.parse(r.first_seen_at), Date.parse(r.last_seen_at));
  const urls = await db
    .selectFrom('articles')
    .innerJoin('story_clusters', 'story_clusters.id', 'articles.cluster_id')
    .select(['articles.canonical_url', 'articles.cluster_id'])
    .where('story_clusters.last_seen_at', '>=', since)
    .where('articles.canonical_url', 'is not', null)
    .execute();
  for (const u of urls) if (u.canonical_url && u.cluster_id !== null) index.addUrl(u.canonical_url, u.cluster_id);
  return index;
}

export interface ClusterCandidate {
  feedId: number;
  tier: number;
  title: string;
  simhash: string;
  canonicalUrl: string | null;
  publishedAt: string;
}

/**
 * Returns the cluster for a new article (call before inserting it, inside the store transaction):
 * joins a near-duplicate (counting the feed as a new source if none of its articles is there yet,
 * and keeping the best tier) or creates a cluster. `joined` holds the clusters this feed joined in
 * the current transaction whose articles are not inserted yet (they are inserted in one batch).
 */
export async function assignCluster(trx: Kysely<Database>, index: ClusterIndex, a: ClusterCandidate, joined: Set<number> = new Set()): Promise<number> {
  const atMs = Date.parse(a.publishedAt);
  const found = index.find(a.simhash, a.canonicalUrl, atMs);
  if (found !== null) {
    const seen = joined.has(found) || await trx.selectFrom('articles').select('id').where('cluster_id', '=', found).where('feed_id', '=', a.feedId).limit(1).executeTakeFirst();
    const c = await trx.selectFrom('story_clusters').select(['first_seen_at', 'last_seen_at', 'best_tier', 'source_count']).where('id', '=', found).executeTakeFirst();
    if (c) {
      await trx
        .updateTable('story_clusters')
        .set({
          first_seen_at: a.publishedAt < c.first_seen_at ? a.publishedAt : c.first_seen_at,
          last_seen_at: a.publishedAt > c.last_seen_at ? a.publishedAt : c.last_seen_at,
          best_tier: Math.min(c.best_tier, a.tier),
          source_count: c.source_count + (seen ? 0 : 1),
        })
        .where('id', '=', found)
        .execute();
      joined.add(found);
      index.widen(found, atMs);
      if (a.canonicalUrl) index.addUrl(a.canonicalUrl, found);
      return found;
    }
  }
  const row = await trx
    .insertInto('story_clusters')
    .values({ title: a.title, simhash: a.simhash, first_seen_at: a.publishedAt, last_seen_at: a.publishedAt, source_count: 1, best_tier: a.tier })
    .returning('id')
    .executeTakeFirstOrThrow();
  joined.add(row.id);
  index.add(row.id, a.simhash, atMs, atMs);
  if (a.canonicalUrl) index.addUrl(a.canonicalUrl, row.id);
  return row.id;
}
