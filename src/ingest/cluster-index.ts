// The in-memory index of recent story clusters (last 72 h): banded SimHash lookup of the nearest
// near-duplicate, canonical URL lookup, and an undo log so a rolled-back transaction leaves no trace.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { NEAR_DUPLICATE_BITS, bands, distanceOfHalves, halves } from './simhash.ts';

export const CLUSTER_WINDOW_MS = 72 * 60 * 60_000;
const BAND_COUNT = NEAR_DUPLICATE_BITS + 1;

interface Entry {
  id: number;
  hi: number;
  lo: number;
  firstMs: number;
  lastMs: number;
}

/**
 * In-memory index of the clusters of the last 72 h, banded for sub-linear near-duplicate lookup.
 * Changes made inside a transaction are recorded in an undo log and reverted when it rolls back,
 * so the index never points at a cluster that was not committed.
 */
export class ClusterIndex {
  private readonly byBand = new Map<number, Entry[]>();
  private readonly byUrl = new Map<string, number>();
  private readonly entries = new Map<number, Entry>();
  private undo: Array<() => void> | null = null;

  add(id: number, simhash: string, firstMs: number, lastMs: number): void {
    const [hi, lo] = halves(simhash);
    const entry: Entry = { id, hi, lo, firstMs, lastMs };
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
    const [hi, lo] = halves(simhash);
    for (const k of bands(simhash, BAND_COUNT)) {
      for (const e of this.byBand.get(k) ?? []) {
        if (atMs < e.firstMs - CLUSTER_WINDOW_MS || atMs > e.lastMs + CLUSTER_WINDOW_MS) continue;
        const d = distanceOfHalves(hi, lo, e.hi, e.lo);
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
