// Admin API under /api/v1/admin: feeds, ingest trigger, resolutions, subscribers (bearer token required).
// Feeds and ingestion belong to the instance; resolutions to a question, and a subscriber chooses questions, so
// each question has its own resolutions and subscribers under /api/v1/questions/ID/admin/ (resolutions.ts,
// subscribers.ts). Every route here is in the OpenAPI document (api/openapi.ts; a test enumerates them).
import { addFeed, FeedError, removeFeed } from '../../ingest/index.ts';
import type { Context, Hono } from 'hono';
import { ApiError } from '../http/errors.ts';
import type { ServerContext } from '../deps.ts';
import { adminGuard } from './guard.ts';
import { questionOf, registerResolutions } from './resolutions.ts';
import { registerSubscribers } from './subscribers.ts';
import { parseId, parseTier, readInput } from './validate.ts';

export function registerAdmin(app: Hono, ctx: ServerContext): void {
  const { deps } = ctx;
  const db = deps.db;
  const pack = deps.pack.pack;
  const guard = adminGuard({ tokens: deps.config.adminTokens, db: deps.db, log: deps.log });
  app.use('/api/v1/admin/*', guard);
  app.use('/api/v1/admin', guard);
  app.use('/api/v1/questions/:qid/admin/*', guard);
  app.use('/api/v1/questions/:qid/admin', guard);
  registerResolutions(app, ctx);

  app.get('/api/v1/admin/feeds', async (c) =>
    c.json({
      feeds: await db
        .selectFrom('feeds')
        .select(['id', 'url', 'name', 'tier', 'status', 'origin'])
        .orderBy('id')
        .execute(),
    }),
  );

  // Feeds are added and removed exactly as the CLI does it (one URL check, one SSRF classifier).
  app.post('/api/v1/admin/feeds', async (c) => {
    const input = await readInput(c);
    if (!input) throw new ApiError(400, 'bad_body', 'expected a JSON or form body');
    // Its length is checked with the rest of the URL by addFeed (MAX_FEED_URL_CHARS, as for the CLI).
    if (typeof input.url !== 'string') throw new ApiError(400, 'bad_url', 'url: expected an http(s) URL');
    const tier = parseTier(input.tier);
    const name = typeof input.name === 'string' && input.name.trim() ? input.name.trim().slice(0, 200) : null;
    // A cron expression (UTC), checked by addFeed as for the CLI: a bad one is 400 bad_schedule.
    if (input.schedule !== undefined && input.schedule !== null && typeof input.schedule !== 'string')
      throw new ApiError(400, 'bad_schedule', 'schedule: expected a cron expression such as "*/5 * * * *"');
    const schedule = typeof input.schedule === 'string' && input.schedule.trim() ? input.schedule : null;
    try {
      const added = await addFeed(
        db,
        { url: input.url, tier, name, schedule, origin: 'api', intervalMinutes: pack.poll_interval_minutes },
        ctx.now(),
        deps.config.allowPrivateFeeds,
      );
      const row = await db
        .selectFrom('feeds')
        .select(['id', 'url'])
        .where('id', '=', added.id)
        .executeTakeFirstOrThrow();
      return c.json({ id: row.id, url: row.url, status: 'active' }, 201);
    } catch (error) {
      // The API has always answered a blocked address as bad_url: what the client sent is refused either way.
      if (error instanceof FeedError && error.code === 'blocked_address')
        throw new ApiError(400, 'bad_url', error.message);
      throw error;
    }
  });

  app.delete('/api/v1/admin/feeds/:id', async (c) => {
    const id = parseId(c.req.param('id'));
    const feed = await db.selectFrom('feeds').select('url').where('id', '=', id).executeTakeFirst();
    try {
      if (!feed) throw new FeedError('not_found', `no active feed with id ${c.req.param('id')}`);
      await removeFeed(db, feed.url);
    } catch (error) {
      if (error instanceof FeedError && error.code === 'not_found')
        throw new ApiError(404, 'not_found', `no active feed with id ${c.req.param('id')}`);
      throw error;
    }
    return c.json({ id, status: 'removed' });
  });

  app.post('/api/v1/admin/ingest', async (c) => {
    const ingest = deps.actions?.ingestNow;
    if (!ingest)
      throw new ApiError(
        501,
        'not_available',
        'ingestion is not wired into this server (run `bellwether ingest` instead)',
      );
    const result = await ingest();
    ctx.cache.clear();
    // A web instance (start --role web) hands the work to the workers: the feeds are queued, not fetched yet.
    const queued = typeof result === 'object' && result !== null && 'queued' in result;
    return c.json({ status: queued ? 'queued' : 'done', result: result ?? null }, 202);
  });

  registerSubscribers(app, ctx);

  app.delete('/api/v1/admin/subscribers/:id', async (c) => {
    const id = parseId(c.req.param('id'));
    const r = await db
      .updateTable('subscribers')
      .set({ unsubscribed_at: ctx.now().toISOString() })
      .where('id', '=', id)
      .where('unsubscribed_at', 'is', null)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0)
      throw new ApiError(404, 'not_found', `no active subscriber with id ${c.req.param('id')}`);
    return c.json({ id, unsubscribed: true });
  });

  // Any other admin path under a question: the question must exist, and the action is the instance's.
  const instanceOnly = (c: Context) => {
    const id = questionOf(ctx, c.req.param('qid')!).pack.id;
    throw new ApiError(
      404,
      'not_found',
      `no admin route ${c.req.method} ${c.req.path}: question ${id} has resolutions (POST) and subscribers (GET, POST, DELETE subscribers/ID) under /api/v1/questions/${id}/admin/; feeds, ingestion and unsubscribing from every question are the instance's, under /api/v1/admin/`,
    );
  };
  app.all('/api/v1/questions/:qid/admin/*', instanceOnly);
  app.all('/api/v1/questions/:qid/admin', instanceOnly);
}
