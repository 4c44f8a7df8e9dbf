// Reads what the alert decision needs, through the caller's connection or transaction.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { SnapshotEvent } from '../scenarios/snapshot-event.ts';
import type { Signal } from './decide.ts';
import type { RuleState, StoryLink } from './types.ts';

type Db = Kysely<Database>;

export async function loadState(db: Db, packId: string): Promise<Record<string, RuleState>> {
  const rows = await db.selectFrom('alert_state').selectAll().where('pack_id', '=', packId).execute();
  return Object.fromEntries(rows.map((r) => [r.rule_key, { lastFiredAt: r.last_fired_at, armed: r.armed === 1 }]));
}

export async function loadHistory(
  db: Db,
  event: SnapshotEvent,
  hours: number,
): Promise<Array<{ at: string; probabilities: Record<string, number> }>> {
  const since = new Date(Date.parse(event.at) - hours * 3_600_000).toISOString();
  const rows = await db
    .selectFrom('snapshots')
    .select(['at', 'probabilities'])
    .where('pack_id', '=', event.packId)
    .where('at', '>=', since)
    .where('id', '!=', event.snapshotId)
    .orderBy('at')
    .limit(2000)
    .execute();
  return rows.map((r) => ({ at: r.at, probabilities: JSON.parse(r.probabilities) as Record<string, number> }));
}

/**
 * Signals tagged since `since` (new) and those published in the quiet window before them (prior).
 * Time of a signal = its story's publication time.
 */
export async function loadSignals(
  db: Db,
  packId: string,
  since: string,
  quietDays: number,
  now: Date,
): Promise<Signal[]> {
  const from = new Date(Date.parse(since) - (quietDays + 1) * 86_400_000).toISOString();
  const rows = await db
    .selectFrom('tags')
    .innerJoin('articles', 'articles.id', 'tags.article_id')
    .select([
      'tags.indicator_id',
      'tags.modality',
      'tags.polarity',
      'tags.created_at',
      'articles.published_at',
      'articles.title',
      'articles.url',
      'articles.canonical_url',
    ])
    .where('tags.pack_id', '=', packId)
    .where((eb) => eb.or([eb('tags.created_at', '>', since), eb('articles.published_at', '>=', from)]))
    .where('articles.published_at', '<=', now.toISOString())
    .orderBy('articles.published_at', 'desc')
    .limit(5000)
    .execute();
  return rows.map((r) => ({
    indicatorId: r.indicator_id,
    modality: r.modality,
    polarity: r.polarity,
    at: r.published_at,
    isNew: r.created_at > since,
    story: { title: r.title, url: r.canonical_url ?? r.url, publishedAt: r.published_at },
  }));
}

/** The stories that moved the snapshot most (largest weight), one per article. */
export async function loadStories(db: Db, snapshotId: number): Promise<StoryLink[]> {
  const rows = await db
    .selectFrom('evidence_contributions')
    .innerJoin('articles', 'articles.id', 'evidence_contributions.article_id')
    .select([
      'articles.id',
      'articles.title',
      'articles.url',
      'articles.canonical_url',
      'articles.published_at',
      'evidence_contributions.weight',
    ])
    .where('evidence_contributions.snapshot_id', '=', snapshotId)
    .orderBy('evidence_contributions.weight', 'desc')
    .limit(20)
    .execute();
  const seen = new Set<number>();
  const out: StoryLink[] = [];
  for (const r of rows) {
    if (seen.has(r.id)) continue;
    seen.add(r.id);
    out.push({ title: r.title, url: r.canonical_url ?? r.url, publishedAt: r.published_at });
    if (out.length === 5) break;
  }
  return out;
}
