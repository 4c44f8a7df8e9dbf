// Replays a dated corpus through the live pipeline (ingest's store and clusterer, the tagger, the engine) with
// the clock at the end of each day, building the snapshot history.
import { BellwetherError } from '../errors.ts';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { ensureArchiveFeed, loadClusterIndex, storeArchivedItems } from '../ingest/index.ts';
import { type TagDraft, type TagInput, tagPending } from '../tagging/index.ts';
import { deadlineEndMs } from '../scenarios/engine/prior.ts';
import { compareText } from '../scenarios/engine/types.ts';
import { updateForecast } from '../scenarios/forecast.ts';
import type { LoadedPack } from '../pack/load.ts';

const DAY = 86_400_000;

/** One dated article of a corpus (the labelled JSONL format of the tagging issue; labels are ignored). */
export interface CorpusItem {
  id: string;
  date: string;
  title: string;
  summary?: string;
  url?: string | null;
  source: string;
  language?: string | null;
}

export interface ReplayProgress {
  day: string;
  dayIndex: number;
  days: number;
  articles: number;
  tags: number;
}

export interface ReplayOptions {
  db: Kysely<Database>;
  loadedPack: LoadedPack;
  items: readonly CorpusItem[];
  /** Tags an article instead of the pack's rules (experiments); default: the tagging stage's matcher. */
  tag?: (article: TagInput) => TagDraft[];
  onProgress?: (p: ReplayProgress) => void;
}

export interface ReplayResult {
  articles: number;
  skipped: number;
  tags: number;
  days: number;
  snapshots: number;
}

export class ReplayError extends BellwetherError<'bad_date' | 'empty'> {
  constructor(
    readonly code: 'bad_date' | 'empty',
    message: string,
  ) {
    super(message);
  }
}

/** A date-only item is taken as published at midnight UTC. */
const itemTime = (d: string) => Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(d) ? `${d}T00:00:00Z` : d);

/** Feed per source: the pack's feed of that name or URL (its tier), else an archive feed at tier 3. */
async function feedFor(
  db: Kysely<Database>,
  loaded: LoadedPack,
  source: string,
  now: Date,
  cache: Map<string, { id: number; tier: number; language: string | null; url: string }>,
) {
  const cached = cache.get(source);
  if (cached) return cached;
  const known = loaded.pack.feeds.find((f) => f.name === source || f.url === source);
  const url = known?.url ?? `replay:${source}`;
  const feed = await ensureArchiveFeed(
    db,
    { url, name: known?.name ?? source, tier: known?.tier ?? 3, language: known?.language ?? null },
    now,
  );
  const entry = { ...feed, url };
  cache.set(source, entry);
  return entry;
}

/**
 * Stores one day's items exactly as ingestion stores a poll's (identity, de-duplication, clustering:
 * the ingest stage's own code), one source at a time in arrival order. Items already stored are skipped.
 */
async function storeDay(
  opts: ReplayOptions,
  items: readonly CorpusItem[],
  feeds: Parameters<typeof feedFor>[4],
  dayEnd: Date,
): Promise<{ articles: number; skipped: number }> {
  const { db, loadedPack } = opts;
  const bySource = new Map<string, CorpusItem[]>();
  for (const it of items) bySource.set(it.source, [...(bySource.get(it.source) ?? []), it]);
  const clusters = await loadClusterIndex(db, dayEnd);
  let articles = 0;
  let skipped = 0;
  for (const [source, group] of bySource) {
    const feed = await feedFor(db, loadedPack, source, dayEnd, feeds);
    const counts = await storeArchivedItems(db, {
      feed,
      feedUrl: feed.url.startsWith('replay:') ? 'https://replay.invalid/' : feed.url,
      fetchedAt: dayEnd,
      clusters,
      items: group.map((it) => ({
        guid: it.id,
        link: it.url ?? null,
        title: it.title,
        summary: it.summary ?? '',
        text: '',
        publishedAt: new Date(itemTime(it.date)).toISOString(),
        language: it.language ?? null,
      })),
    });
    articles += counts.new + counts.updated;
    skipped += counts.unchanged;
  }
  return { articles, skipped };
}

/**
 * Runs the corpus as if the clock ran from the first item's day to the last (and on through any
 * deadline after it, up to the horizon): each day's items are stored and tagged, then the forecast
 * is updated at the end of that day, so the full snapshot history exists for `bellwether score`.
 */
export async function replayCorpus(opts: ReplayOptions): Promise<ReplayResult> {
  const { items, loadedPack } = opts;
  if (items.length === 0) throw new ReplayError('empty', 'the corpus has no items');
  const byDay = new Map<number, CorpusItem[]>();
  for (const it of items) {
    const t = itemTime(it.date);
    if (!Number.isFinite(t))
      throw new ReplayError(
        'bad_date',
        `item ${it.id}: date "${it.date}" is not a date (expected YYYY-MM-DD or ISO time)`,
      );
    const day = Math.floor(t / DAY);
    byDay.set(day, [...(byDay.get(day) ?? []), it]);
  }
  const first = Math.min(...byDay.keys());
  const horizonEnd = deadlineEndMs(loadedPack.pack.horizon);
  const deadlines = loadedPack.pack.scenarios
    .flatMap((s) => (s.deadline ? [deadlineEndMs(s.deadline)] : []))
    .filter((d) => d <= horizonEnd);
  const last = Math.max(...byDay.keys(), ...deadlines.map((d) => Math.floor(d / DAY)));
  const feeds: Parameters<typeof feedFor>[4] = new Map();
  const total: ReplayResult = { articles: 0, skipped: 0, tags: 0, days: 0, snapshots: 0 };
  for (let day = first; day <= last; day += 1) {
    // The live pipeline with the clock at the end of each day: store (ingest), tag (tagging), forecast.
    const dayEnd = new Date((day + 1) * DAY - 1);
    const stored = await storeDay(
      opts,
      [...(byDay.get(day) ?? [])].sort((a, b) => itemTime(a.date) - itemTime(b.date) || compareText(a.id, b.id)),
      feeds,
      dayEnd,
    );
    const tagged = await tagPending(opts.db, loadedPack, dayEnd, undefined, opts.tag ? { tag: opts.tag } : {});
    total.articles += stored.articles;
    total.skipped += stored.skipped;
    total.tags += tagged.tags;
    total.days += 1;
    if ((await updateForecast(opts.db, loadedPack, dayEnd)).snapshot) total.snapshots += 1;
    opts.onProgress?.({
      day: new Date(day * DAY).toISOString().slice(0, 10),
      dayIndex: day - first,
      days: last - first + 1,
      articles: total.articles,
      tags: total.tags,
    });
  }
  return total;
}
