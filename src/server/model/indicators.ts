// Builds the indicators page rows: state, last signal, 30-day daily counts, level series.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Pack } from '../../pack/schema.ts';
import type { ServerContext } from '../deps.ts';
import type { IndicatorRow } from '../views/indicators.tsx';
import { readLevelSeries } from '../../scenarios/levels.ts';
import { indicatorActivity } from '../queries/indicators.ts';

const dayKey = (t: Date): string => t.toISOString().slice(0, 10);

const DAY = 86_400_000;
/** How far back the page looks for an indicator's last signal. */
export const LOOKBACK_DAYS = 90;

export async function buildIndicatorRows(db: Kysely<Database>, pack: Pack, now: Date): Promise<IndicatorRow[]> {
  const days = Array.from({ length: 30 }, (_, i) => dayKey(new Date(now.getTime() - (29 - i) * DAY)));
  const activity = await indicatorActivity(
    db,
    pack.id,
    new Date(now.getTime() - LOOKBACK_DAYS * DAY).toISOString(),
    `${days[0]}T00:00:00.000Z`,
  );
  const quietMs = pack.alerts.quiet_days * DAY;
  const rows: IndicatorRow[] = [];
  for (const ind of pack.indicators) {
    const last = activity.lastSignal.get(ind.id) ?? null;
    const counts = activity.daily.get(ind.id);
    let level = null;
    if (ind.kind === 'level' && ind.level) level = await readLevelSeries(db, pack.id, ind, now, 30);
    rows.push({
      id: ind.id,
      name: ind.name,
      description: ind.description,
      kind: ind.kind,
      state: last !== null && now.getTime() - Date.parse(last) <= quietMs ? 'active' : 'quiet',
      lastSignal: last,
      daily: days.map((d) => counts?.get(d) ?? 0),
      level,
    });
  }
  return rows;
}

/**
 * The rows, cached until a new tag arrives (max tag id: one rowid lookup) or the minute changes
 * (states and "ago" depend on the clock). Tagging adds tags without necessarily writing a snapshot.
 */
export async function cachedIndicatorRows(ctx: ServerContext, now: Date): Promise<IndicatorRow[]> {
  const db = ctx.deps.db;
  const top = await db
    .selectFrom('tags')
    .select((eb) => eb.fn.max('id').as('m'))
    .executeTakeFirst();
  const key = `${top?.m ?? 0}:${Math.floor(now.getTime() / 60_000)}`;
  return ctx.cache.get('indicators', key, () => buildIndicatorRows(db, ctx.deps.pack.pack, now));
}
