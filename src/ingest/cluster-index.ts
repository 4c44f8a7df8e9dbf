// The in-memory index of recent story clusters (last 72 h): banded SimHash lookup of the nearest
// near-duplicate, canonical URL lookup, event-level lookup by rare shared words (postings + IDF),
// and an undo log so a rolled-back transaction leaves no trace.
import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.ts';
import {
  EVENT_SIMILARITY,
  EVENT_WINDOW_MS,
  type EventTokenSet,
  type EventTokens,
  LEDE_CHARS,
  eventSimilarity,
  eventTokens,
  packTokens,
} from './event-similarity.ts';
import { NEAR_DUPLICATE_BITS, bands, distanceOfHalves, halves } from './simhash.ts';

export const CLUSTER_WINDOW_MS = 72 * 60 * 60_000;
const BAND_COUNT = NEAR_DUPLICATE_BITS + 1;

/** Members of a cluster kept for event matching: the first ones name the event; more only cost time. */
const DOCS_PER_CLUSTER = 8;
/** Candidates come from the postings of the article's rarest indexed words: a match shares some of them. */
const PROBE_TOKENS = 8;
/** A cluster is scored only if it holds at least two of those words (one shared name is not an event). */
const MIN_PROBE_HITS = 2;

interface EventDoc {
  tokens: EventTokenSet;
  language: string | null;
  atMs: number;
}

interface Entry {
  id: number;
  hi: number;
  lo: number;
  firstMs: number;
  lastMs: number;
  docs: EventDoc[];
  /** Scratch for findEvent: the lookup that last counted this entry, and its probe hits then. */
  mark: number;
  hits: number;
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
  /** Per event token: how many indexed articles have it (for IDF), and the entries posted under it. */
  private readonly terms = new Map<string, { key: string; df: number; entries: Entry[] }>();
  private docCount = 0;
  private lookups = 0;
  private undo: Array<() => void> | null = null;

  add(id: number, simhash: string, firstMs: number, lastMs: number): void {
    const [hi, lo] = halves(simhash);
    const entry: Entry = { id, hi, lo, firstMs, lastMs, docs: [], mark: 0, hits: 0 };
    this.entries.set(id, entry);
    const keys = bands(simhash, BAND_COUNT);
    for (const k of keys) {
      const list = this.byBand.get(k);
      if (list) list.push(entry);
      else this.byBand.set(k, [entry]);
    }
    this.undo?.push(() => {
      this.entries.delete(id);
      for (const k of keys)
        this.byBand.set(
          k,
          (this.byBand.get(k) ?? []).filter((e) => e !== entry),
        );
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

  /** Records an article of cluster `id` for event matching (its words count towards IDF). */
  addDoc(id: number, tokens: EventTokens, language: string | null, atMs: number): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    this.docCount++;
    const kept = entry.docs.length < DOCS_PER_CLUSTER;
    const earlier = entry.docs;
    const newlyPosted: string[] = [];
    for (const t of tokens.keys()) {
      let term = this.terms.get(t);
      if (!term) this.terms.set(t, (term = { key: t, df: 0, entries: [] }));
      term.df++;
      // Post the entry once per token: only tokens none of its kept members has yet.
      if (!kept || (earlier.length > 0 && earlier.some((d) => d.tokens.has(t)))) continue;
      newlyPosted.push(t);
      term.entries.push(entry);
    }
    // A kept doc is packed, with the index's own key strings: one copy of each word in memory.
    if (kept) entry.docs.push({ tokens: packTokens(tokens, (t) => this.terms.get(t)!.key), language, atMs });
    this.undo?.push(() => {
      this.docCount--;
      if (kept) entry.docs.pop();
      for (const t of tokens.keys()) this.terms.get(t)!.df--;
      for (const t of newlyPosted) {
        const term = this.terms.get(t)!;
        term.entries = term.entries.filter((e) => e !== entry);
      }
    });
  }

  /**
   * The cluster reporting the same event (same language, a member within EVENT_WINDOW_MS, event
   * similarity ≥ EVENT_SIMILARITY with IDF over the indexed articles), or null. Deterministic:
   * ties go to the older cluster.
   */
  findEvent(tokens: EventTokens, language: string | null, atMs: number): number | null {
    const probes = this.rarest(tokens);
    if (probes.length === 0) return null;
    const mark = ++this.lookups;
    const hit: Entry[] = [];
    for (const t of probes) {
      for (const e of this.terms.get(t)?.entries ?? []) {
        if (e.mark !== mark) {
          e.mark = mark;
          e.hits = 0;
          hit.push(e);
        }
        e.hits++;
      }
    }
    const n = this.docCount;
    const weights = new Map<string, number>();
    const idf = (t: string): number => {
      let w = weights.get(t);
      if (w === undefined) weights.set(t, (w = Math.log((n + 1) / ((this.terms.get(t)?.df ?? 0) + 0.5))));
      return w;
    };
    const minHits = Math.min(MIN_PROBE_HITS, probes.length);
    let best: Entry | null = null;
    let bestScore = EVENT_SIMILARITY;
    for (const e of hit) {
      if (e.hits < minHits || atMs < e.firstMs - EVENT_WINDOW_MS || atMs > e.lastMs + EVENT_WINDOW_MS) continue;
      for (const d of e.docs) {
        if (d.language !== language || Math.abs(d.atMs - atMs) > EVENT_WINDOW_MS) continue;
        const score = eventSimilarity(tokens, d.tokens, idf);
        if (score > bestScore || (score === bestScore && (best === null || e.id < best.id))) {
          best = e;
          bestScore = score;
        }
      }
    }
    return best?.id ?? null;
  }

  /** The PROBE_TOKENS indexed tokens of `tokens` with the lowest document frequency (ties by token). */
  private rarest(tokens: EventTokens): string[] {
    const out: string[] = [];
    const dfs: number[] = [];
    for (const t of tokens.keys()) {
      const d = this.terms.get(t)?.df;
      if (!d) continue;
      let i = out.length;
      if (i === PROBE_TOKENS && (d > dfs[i - 1]! || (d === dfs[i - 1]! && t > out[i - 1]!))) continue;
      if (i === PROBE_TOKENS) i--;
      while (i > 0 && (dfs[i - 1]! > d || (dfs[i - 1] === d && out[i - 1]! > t))) {
        out[i] = out[i - 1]!;
        dfs[i] = dfs[i - 1]!;
        i--;
      }
      out[i] = t;
      dfs[i] = d;
    }
    return out;
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
  const rows = await db
    .selectFrom('story_clusters')
    .select(['id', 'simhash', 'first_seen_at', 'last_seen_at'])
    .where('last_seen_at', '>=', since)
    .execute();
  // Sorted here, not by the query: ORDER BY id would make SQLite walk every cluster in id order rather
  // than take the few recent ones through story_clusters_last_seen.
  rows.sort((a, b) => a.id - b.id);
  for (const r of rows) index.add(r.id, r.simhash, Date.parse(r.first_seen_at), Date.parse(r.last_seen_at));
  const urls = await db
    .selectFrom('articles')
    .innerJoin('story_clusters', 'story_clusters.id', 'articles.cluster_id')
    .select(['articles.canonical_url', 'articles.cluster_id'])
    .where('story_clusters.last_seen_at', '>=', since)
    .where('articles.canonical_url', 'is not', null)
    .execute();
  for (const u of urls) if (u.canonical_url && u.cluster_id !== null) index.addUrl(u.canonical_url, u.cluster_id);
  const docs = await db
    .selectFrom('articles')
    .innerJoin('story_clusters', 'story_clusters.id', 'articles.cluster_id')
    .select(['articles.cluster_id', 'articles.title', 'articles.language', 'articles.published_at'])
    .select(sql<string>`substr(coalesce(nullif(articles.summary, ''), articles.text), 1, ${LEDE_CHARS})`.as('lede'))
    .where('story_clusters.last_seen_at', '>=', since)
    .orderBy('articles.id')
    .execute();
  for (const d of docs)
    if (d.cluster_id !== null)
      index.addDoc(d.cluster_id, eventTokens(d.title, d.lede ?? ''), d.language, Date.parse(d.published_at));
  return index;
}
