// Evidence assembly: a pack's tags joined with their articles and feeds, read into engine input.
import type { Kysely } from 'kysely';
import { parseTagNumbers } from '../db/json-columns.ts';
import type { Database } from '../db/schema.ts';
import type { EvidenceItem, ResolutionInput } from './engine/types.ts';

/** Tier of an article with no feed (or a feed without a tier): the middle of the scale. */
export const DEFAULT_TIER = 3;

export interface EvidenceQuery {
  /** Only tags with a larger id (incremental loading). */
  afterTagId?: number;
  /** Only this indicator's tags. */
  indicatorId?: string;
  /** Only stories published at or after this ISO time. */
  since?: string;
}

/** Reads a pack's evidence rows (ordered by tag id; the engine does not depend on the order). */
export async function loadEvidence(
  db: Kysely<Database>,
  packId: string,
  query: EvidenceQuery = {},
): Promise<EvidenceItem[]> {
  let q = db
    .selectFrom('tags as t')
    .innerJoin('articles as a', 'a.id', 't.article_id')
    .leftJoin('feeds as f', 'f.id', 'a.feed_id')
    .select([
      't.id as tagId',
      't.article_id as articleId',
      'a.cluster_id as clusterId',
      'a.feed_id as feedId',
      'a.content_hash as contentHash',
      't.indicator_id as indicatorId',
      't.polarity',
      't.modality',
      't.confidence',
      'f.tier',
      'a.published_at as publishedAt',
      't.numbers',
    ])
    .where('t.pack_id', '=', packId);
  if (query.afterTagId !== undefined) q = q.where('t.id', '>', query.afterTagId);
  if (query.indicatorId !== undefined) q = q.where('t.indicator_id', '=', query.indicatorId);
  if (query.since !== undefined) q = q.where('a.published_at', '>=', query.since);
  const rows = await q.orderBy('t.id').execute();
  return rows.map((r) => ({ ...r, tier: r.tier ?? DEFAULT_TIER, numbers: parseTagNumbers(r.numbers) }));
}

export async function loadResolutions(db: Kysely<Database>, packId: string): Promise<ResolutionInput[]> {
  const rows = await db
    .selectFrom('resolutions')
    .select(['scenario_id', 'outcome', 'resolved_at'])
    .where('pack_id', '=', packId)
    .execute();
  return rows.map((r) => ({ scenarioId: r.scenario_id, outcome: r.outcome, resolvedAt: r.resolved_at }));
}

export interface TagStamp {
  count: number;
  maxId: number;
  /** Sum of article ids and latest created_at: change when tags are replaced even if SQLite reuses ids. */
  articleSum: number;
  lastCreated: string;
}

/** One aggregate pass over a pack's tags: a cheap check that the cached evidence is still whole. */
export async function tagStamp(db: Kysely<Database>, packId: string): Promise<TagStamp> {
  const r = await db
    .selectFrom('tags')
    .select((eb) => [
      eb.fn.countAll<number>().as('count'),
      eb.fn.max<number | null>('id').as('maxId'),
      eb.fn.sum<number | null>('article_id').as('articleSum'),
      eb.fn.max<string | null>('created_at').as('lastCreated'),
    ])
    .where('pack_id', '=', packId)
    .executeTakeFirstOrThrow();
  return {
    count: Number(r.count),
    maxId: Number(r.maxId ?? 0),
    articleSum: Number(r.articleSum ?? 0),
    lastCreated: r.lastCreated ?? '',
  };
}
