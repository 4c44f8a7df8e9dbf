// Per-indicator activity read from tags: last signal, daily counts, and level readings (numbers).
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { parseNumbers } from './evidence.ts';

export interface IndicatorActivity {
  lastSignal: Map<string, string>;
  /** indicatorId → day (YYYY-MM-DD) → number of tags. */
  daily: Map<string, Map<string, number>>;
}

export async function indicatorActivity(db: Kysely<Database>, packId: string, sinceIso: string): Promise<IndicatorActivity> {
  const last = await db
    .selectFrom('tags as t')
    .innerJoin('articles as a', 'a.id', 't.article_id')
    .select(['t.indicator_id', (eb) => eb.fn.max('a.published_at').as('last')])
    .where('t.pack_id', '=', packId)
    .groupBy('t.indicator_id')
    .execute();
  const counts = await db
    .selectFrom('tags as t')
    .innerJoin('articles as a', 'a.id', 't.article_id')
    .select(['t.indicator_id', (eb) => eb.fn<string>('substr', ['a.published_at', eb.val(1), eb.val(10)]).as('day'), (eb) => eb.fn.countAll<number>().as('n')])
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
  return { lastSignal: new Map(last.map((l) => [l.indicator_id, String(l.last)])), daily };
}

export interface LevelReading {
  publishedAt: string;
  numbers: { value: number; unit: string }[];
}

export async function levelReadings(db: Kysely<Database>, packId: string, indicatorId: string, sinceIso: string): Promise<LevelReading[]> {
  const rows = await db
    .selectFrom('tags as t')
    .innerJoin('articles as a', 'a.id', 't.article_id')
    .select(['a.published_at', 't.numbers'])
    .where('t.pack_id', '=', packId)
    .where('t.indicator_id', '=', indicatorId)
    .where('t.polarity', '=', 'affirmed')
    .where('a.published_at', '>=', sinceIso)
    .where('t.numbers', 'is not', null)
    .execute();
  return rows.map((r) => ({ publishedAt: r.published_at, numbers: parseNumbers(r.numbers) ?? [] }));
}
