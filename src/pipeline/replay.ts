// Replays a dated corpus through an injected tagger and the engine, day by day, building the snapshot history.
import { BellwetherError } from '../errors.ts';
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { deadlineEndMs } from '../scenarios/engine/prior.ts';
import { compareText } from '../scenarios/engine/types.ts';
import { updateForecast } from '../scenarios/forecast.ts';
import type { TagDraft } from '../tagging/index.ts';
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
  tag: (article: CorpusItem) => TagDraft[];
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

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
/** A date-only item is taken as published at midnight UTC. */
const itemTime = (d: string) => Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(d) ? `${d}T00:00:00Z` : d);
const normTitle = (t: string) =>
  t
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();

/** Feed per source: the pack's feed of that name or URL (its tier), else a replay feed at tier 3. */
async function feedFor(
  db: Kysely<Database>,
  loaded: LoadedPack,
  source: string,
  cache: Map<string, number>,
): Promise<number> {
  const cached = cache.get(source);
  if (cached !== undefined) return cached;
  const known = loaded.pack.feeds.find((f) => f.name === source || f.url === source);
  const url = known?.url ?? `replay:${source}`;
  const existing = await db.selectFrom('feeds').select('id').where('url', '=', url).executeTakeFirst();
  const id =
    existing?.id ??
    (
      await db
        .insertInto('feeds')
        .values({
          url,
          name: known?.name ?? source,
          tier: known?.tier ?? 3,
          language: known?.language ?? null,
          poll_interval_minutes: 15,
          full_text: 0,
          origin: 'cli',
          status: 'removed',
          consecutive_failures: 0,
          next_check_at: '9999-12-31T00:00:00.000Z',
          created_at: new Date().toISOString(),
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  cache.set(source, id);
  return id;
}

/**
 * Stores one day's items as articles (one story cluster per normalised title: the live clusterer is
 * the ingest stage's) with their tags. Items already stored (same feed and id) are skipped.
 */
async function storeDay(
  opts: ReplayOptions,
  items: readonly CorpusItem[],
  feeds: Map<string, number>,
  clusters: Map<string, number>,
): Promise<{ articles: number; skipped: number; tags: number }> {
  const { db, loadedPack } = opts;
  let articles = 0;
  let skipped = 0;
  let tags = 0;
  const feedIds = new Map<CorpusItem, number>();
  for (const it of items) feedIds.set(it, await feedFor(db, loadedPack, it.source, feeds));
  await db.transaction().execute(async (trx) => {
    for (const it of items) {
      const feedId = feedIds.get(it)!;
      const published = new Date(itemTime(it.date)).toISOString();
      const guidHash = sha(it.id);
      if (
        await trx
          .selectFrom('articles')
          .select('id')
          .where('feed_id', '=', feedId)
          .where('guid_hash', '=', guidHash)
          .executeTakeFirst()
      ) {
        skipped += 1;
        continue;
      }
      const key = normTitle(it.title);
      let clusterId = clusters.get(key);
      if (clusterId === undefined) {
        clusterId = (
          await trx
            .insertInto('story_clusters')
            .values({
              title: it.title,
              simhash: '0000000000000000',
              first_seen_at: published,
              last_seen_at: published,
              source_count: 1,
              best_tier: 3,
            })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id;
        clusters.set(key, clusterId);
      } else {
        await trx
          .updateTable('story_clusters')
          .set((eb) => ({ source_count: eb('source_count', '+', 1), last_seen_at: published }))
          .where('id', '=', clusterId)
          .execute();
      }
      const summary = it.summary ?? '';
      const { id } = await trx
        .insertInto('articles')
        .values({
          feed_id: feedId,
          cluster_id: clusterId,
          guid_hash: guidHash,
          guid: it.id,
          url: it.url ?? null,
          canonical_url: it.url ?? null,
          content_hash: sha(`${it.title}\n${summary}`),
          title: it.title,
          summary,
          text: '',
          language: it.language ?? null,
          published_at: published,
          fetched_at: published,
          updated_at: published,
          simhash: '0000000000000000',
          tagged_with: loadedPack.rulesHash,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const drafts = opts.tag(it);
      if (drafts.length > 0) {
        await trx
          .insertInto('tags')
          .values(
            drafts.map((d) => ({
              article_id: id,
              pack_id: loadedPack.pack.id,
              indicator_id: d.indicatorId,
              polarity: d.polarity,
              modality: d.modality,
              confidence: d.confidence,
              field: d.field,
              snippet: d.snippet,
              numbers: d.numbers ? JSON.stringify(d.numbers) : null,
              rule_id: d.ruleId,
              created_at: published,
            })),
          )
          .execute();
      }
      articles += 1;
      tags += drafts.length;
    }
  });
  return { articles, skipped, tags };
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
  const feeds = new Map<string, number>();
  const clusters = new Map<string, number>();
  const total: ReplayResult = { articles: 0, skipped: 0, tags: 0, days: 0, snapshots: 0 };
  for (let day = first; day <= last; day += 1) {
    const stored = await storeDay(
      opts,
      [...(byDay.get(day) ?? [])].sort((a, b) => itemTime(a.date) - itemTime(b.date) || compareText(a.id, b.id)),
      feeds,
      clusters,
    );
    total.articles += stored.articles;
    total.skipped += stored.skipped;
    total.tags += stored.tags;
    total.days += 1;
    if ((await updateForecast(opts.db, loadedPack, new Date((day + 1) * DAY - 1))).snapshot) total.snapshots += 1;
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
