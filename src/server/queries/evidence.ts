// The evidence stream: latest tagged stories (newest first) with their tags, cursor-paginated.
import type { Kysely } from 'kysely';
import { type NumberValue, parseTagNumbers } from '../../db/json-columns.ts';
import type { Database, Modality, Polarity } from '../../db/schema.ts';

export interface EvidenceTag {
  indicatorId: string;
  polarity: Polarity;
  modality: Modality | null;
  confidence: number;
  snippet: string;
  numbers: NumberValue[] | null;
  /** The rule that fired, or `model` / `numbers`. */
  ruleId: string;
  /** A model tag's strongest features (what pushed its probability up); null on rule tags. */
  features: { feature: string; weight: number }[] | null;
}

/** A tagged story in the evidence stream (the engine's EvidenceItem is one tag joined with its article). */
export interface EvidenceStory {
  articleId: number;
  title: string;
  summary: string;
  url: string | null;
  publishedAt: string;
  feedName: string | null;
  clusterId: number | null;
  sourceCount: number;
  tags: EvidenceTag[];
}

export interface EvidencePage {
  items: EvidenceStory[];
  nextCursor: string | null;
}

export interface EvidenceQuery {
  indicator?: string;
  limit: number;
  cursor?: string | null;
}

/** Cursor = base64url of "publishedAt|id" of the last item shown (keyset pagination, stable under inserts). */
export function encodeCursor(publishedAt: string, id: number): string {
  return Buffer.from(`${publishedAt}|${id}`).toString('base64url');
}

export function decodeCursor(cursor: string): { publishedAt: string; id: number } | null {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const m = /^(\d{4}-\d{2}-\d{2}T[\d:.]+Z)\|(\d{1,15})$/.exec(text);
  return m ? { publishedAt: m[1]!, id: Number(m[2]) } : null;
}

export function parseFeatures(text: string | null): { feature: string; weight: number }[] | null {
  if (!text) return null;
  try {
    const v: unknown = JSON.parse(text);
    if (!Array.isArray(v)) return null;
    return v
      .filter(
        (f): f is { feature: string; weight: number } =>
          !!f && typeof f === 'object' && typeof f.feature === 'string' && typeof f.weight === 'number',
      )
      .map((f) => ({ feature: f.feature, weight: f.weight }));
  } catch {
    return null;
  }
}

export async function evidencePage(db: Kysely<Database>, packId: string, q: EvidenceQuery): Promise<EvidencePage> {
  const after = q.cursor ? decodeCursor(q.cursor) : null;
  let query = db
    .selectFrom('articles as a')
    .leftJoin('story_clusters as k', 'k.id', 'a.cluster_id')
    .leftJoin('feeds as f', 'f.id', 'a.feed_id')
    .select([
      'a.id',
      'a.title',
      'a.summary',
      'a.url',
      'a.published_at',
      'a.cluster_id',
      'k.source_count',
      'f.name as feed_name',
    ])
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('tags as t')
          .select('t.id')
          .whereRef('t.article_id', '=', 'a.id')
          .where('t.pack_id', '=', packId)
          .$if(!!q.indicator, (w) => w.where('t.indicator_id', '=', q.indicator!)),
      ),
    );
  if (after) {
    query = query.where((eb) =>
      eb.or([
        eb('a.published_at', '<', after.publishedAt),
        eb.and([eb('a.published_at', '=', after.publishedAt), eb('a.id', '<', after.id)]),
      ]),
    );
  }
  const rows = await query
    .orderBy('a.published_at', 'desc')
    .orderBy('a.id', 'desc')
    .limit(q.limit + 1)
    .execute();
  const page = rows.slice(0, q.limit);
  const ids = page.map((r) => r.id);
  const tags =
    ids.length === 0
      ? []
      : await db
          .selectFrom('tags')
          .select([
            'article_id',
            'indicator_id',
            'polarity',
            'modality',
            'confidence',
            'snippet',
            'numbers',
            'rule_id',
            'features',
          ])
          .where('pack_id', '=', packId)
          .where('article_id', 'in', ids)
          .orderBy('id')
          .execute();
  const byArticle = new Map<number, EvidenceTag[]>();
  for (const t of tags) {
    const list = byArticle.get(t.article_id) ?? [];
    list.push({
      indicatorId: t.indicator_id,
      polarity: t.polarity,
      modality: t.modality,
      confidence: t.confidence,
      snippet: t.snippet,
      numbers: parseTagNumbers(t.numbers),
      ruleId: t.rule_id,
      features: parseFeatures(t.features),
    });
    byArticle.set(t.article_id, list);
  }
  const items = page.map((r) => ({
    articleId: r.id,
    title: r.title,
    summary: r.summary,
    url: r.url,
    publishedAt: r.published_at,
    feedName: r.feed_name,
    clusterId: r.cluster_id,
    sourceCount: r.source_count ?? 1,
    tags: byArticle.get(r.id) ?? [],
  }));
  const last = page[page.length - 1];
  return { items, nextCursor: rows.length > q.limit && last ? encodeCursor(last.published_at, last.id) : null };
}
