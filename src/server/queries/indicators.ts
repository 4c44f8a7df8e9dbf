// Per-indicator activity read from tags: last signal and daily counts (level series: scenarios/levels.ts).
// Queries start from articles in the time window (index on published_at) and reach their tags through
// tags_article_pack, so their cost follows the window, not the whole history.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';

export interface IndicatorActivity {
  lastSignal: Map<string, string>;
  /** indicatorId → day (YYYY-MM-DD) → number of tags. */
  daily: Map<string, Map<string, number>>;
}

/** Last signals are looked for within `lastSinceIso` (e.g. 90 days): older ones read as "none recently". */
export async function indicatorActivity(
  db: Kysely<Database>,
  packId: string,
  lastSinceIso: string,
  sinceIso: string,
): Promise<IndicatorActivity> {
  const lastRows = await db
    .selectFrom('articles as a')
    .crossJoin('tags as t')
    .select(['t.indicator_id', (eb) => eb.fn.max('a.published_at').as('last')])
    .whereRef('t.article_id', '=', 'a.id')
    .where('t.pack_id', '=', packId)
    .where('a.published_at', '>=', lastSinceIso)
    .groupBy('t.indicator_id')
    .execute();
  const last = new Map(lastRows.map((r) => [r.indicator_id, String(r.last)]));
  const counts = await db
    .selectFrom('articles as a')
    .crossJoin('tags as t')
    .select([
      't.indicator_id',
      (eb) => eb.fn<string>('substr', ['a.published_at', eb.val(1), eb.val(10)]).as('day'),
      (eb) => eb.fn.countAll<number>().as('n'),
    ])
    .whereRef('t.article_id', '=', 'a.id')
    .where('t.pack_id', '=', packId)
    .where('a.published_at', '>=', sinceIso)
    .groupBy(['t.indicator_id', 'day'])
    .execute();
  const daily = new Map<string, Map<string, number>>();
  for (const c of counts) {
    const m = daily.get(c.indicator_id) ?? new Map<string, number>();
    m.set(c.day, Number(c.n));
    daily.set(c.indicator_id, m);
  }
  return { lastSignal: last, daily };
}
