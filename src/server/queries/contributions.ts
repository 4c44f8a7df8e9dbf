// Evidence contributions of one snapshot joined with the stories behind them (title, link, sources).
import type { Kysely } from 'kysely';
import type { Database, Modality, Polarity } from '../../db/schema.ts';
import { parseProbabilities } from './snapshots.ts';

export interface ContributionRow {
  id: number;
  articleId: number | null;
  clusterId: number | null;
  indicatorId: string;
  polarity: Polarity | null;
  modality: Modality | null;
  weight: number;
  logOdds: Record<string, number>;
  title: string | null;
  url: string | null;
  publishedAt: string | null;
  feedName: string | null;
  sourceCount: number | null;
}

export async function contributionsFor(db: Kysely<Database>, snapshotId: number): Promise<ContributionRow[]> {
  const rows = await db
    .selectFrom('evidence_contributions as e')
    .leftJoin('articles as a', 'a.id', 'e.article_id')
    .leftJoin('story_clusters as k', 'k.id', 'e.cluster_id')
    .leftJoin('feeds as f', 'f.id', 'a.feed_id')
    .select([
      'e.id',
      'e.article_id',
      'e.cluster_id',
      'e.indicator_id',
      'e.polarity',
      'e.modality',
      'e.weight',
      'e.log_odds',
      'a.title',
      'a.url',
      'a.published_at',
      'f.name as feed_name',
      'k.source_count',
    ])
    .where('e.snapshot_id', '=', snapshotId)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    articleId: r.article_id,
    clusterId: r.cluster_id,
    indicatorId: r.indicator_id,
    polarity: r.polarity,
    modality: r.modality,
    weight: r.weight,
    logOdds: parseProbabilities(r.log_odds),
    title: r.title,
    url: r.url,
    publishedAt: r.published_at,
    feedName: r.feed_name,
    sourceCount: r.source_count,
  }));
}
