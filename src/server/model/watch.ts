// The "what to watch" model for the pages and the API, cached until the evidence, a resolution or the minute changes.
import type { ServerContext } from '../deps.ts';
import { type WatchModel, watchAt } from '../../scenarios/watch.ts';

/**
 * The watch list at `now`. The engine runs once per event indicator and polarity, so the result is
 * kept until a tag arrives (max tag id), the data version changes (a snapshot or a resolution) or the
 * minute turns (decay and deadlines depend on the clock).
 */
export async function cachedWatch(ctx: ServerContext, now: Date): Promise<WatchModel> {
  const db = ctx.deps.db;
  const top = await db
    .selectFrom('tags')
    .select((eb) => eb.fn.max('id').as('m'))
    .executeTakeFirst();
  const key = `${await ctx.cache.version()}:${top?.m ?? 0}:${Math.floor(now.getTime() / 60_000)}`;
  return ctx.cache.get('watch', key, () => watchAt(db, ctx.deps.pack, now));
}
