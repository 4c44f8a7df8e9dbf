// Admin API under /api/v1/admin: feeds, ingest trigger, resolutions, subscribers (bearer token required).
// Feeds, ingestion and subscribers belong to the instance; resolutions to a question, so each question has its
// own under /api/v1/questions/ID/admin/ (resolutions.ts).
import type { WebhookFormat } from '../../alerts/channels/webhook.ts';
import { addSubscriber, addWebhookSubscriber, SubscriberError } from '../../alerts/subscribers.ts';
import { addFeed, FeedError, removeFeed } from '../../ingest/index.ts';
import type { Context, Hono } from 'hono';
import { ApiError } from '../http/errors.ts';
import type { ServerContext } from '../deps.ts';
import { adminGuard } from './guard.ts';
import { questionOf, registerResolutions } from './resolutions.ts';
import { parseId, parseTier, readInput } from './validate.ts';

const EMAIL = /^[^\s@<>"',;]{1,64}@[^\s@<>"',;]{1,255}\.[a-z]{2,}$/i;

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
  // Any other admin path under a question: the question must exist, and the action is the instance's.
  const instanceOnly = (c: Context) => {
    const id = questionOf(ctx, c.req.param('qid')!).pack.id;
    throw new ApiError(
      404,
      'not_found',
      `no admin route ${c.req.method} ${c.req.path}: question ${id} has only POST /api/v1/questions/${id}/admin/resolutions; feeds, ingestion and subscribers are the instance's, under /api/v1/admin/`,
    );
  };
  app.all('/api/v1/questions/:qid/admin/*', instanceOnly);
  app.all('/api/v1/questions/:qid/admin', instanceOnly);

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
    try {
      const added = await addFeed(
        db,
        { url: input.url, tier, name, origin: 'api', intervalMinutes: pack.poll_interval_minutes },
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

  app.get('/api/v1/admin/subscribers', async (c) =>
    c.json({
      subscribers: await db
        .selectFrom('subscribers')
        .select(['id', 'email', 'channel', 'url', 'digest', 'created_at', 'unsubscribed_at'])
        .orderBy('id')
        .execute(),
    }),
  );

  app.post('/api/v1/admin/subscribers', async (c) => {
    const input = await readInput(c);
    if (!input) throw new ApiError(400, 'bad_body', 'expected a JSON or form body');
    if (input.webhook !== undefined) return addWebhook(c, input);
    const email = typeof input.email === 'string' ? input.email.trim().toLowerCase() : '';
    if (!EMAIL.test(email)) throw new ApiError(400, 'bad_email', 'email: expected an address like name@example.org');
    if (input.digest !== undefined && input.digest !== null && input.digest !== 'daily')
      throw new ApiError(400, 'bad_digest', 'digest: expected "daily" or null');
    const exists = await db.selectFrom('subscribers').select('id').where('email', '=', email).executeTakeFirst();
    if (exists) throw new ApiError(409, 'exists', `subscriber ${email} already exists (id ${exists.id})`);
    // One way to create a subscriber (CLI and API alike): normalised address, validated rules, fresh token.
    try {
      const rules =
        input.rules === undefined || input.rules === null
          ? null
          : typeof input.rules === 'string'
            ? input.rules
            : JSON.stringify(input.rules);
      const { subscriber } = await addSubscriber(
        db,
        {
          email,
          digest: input.digest === 'daily' ? 'daily' : null,
          rules,
          admin: input.admin === true,
          questions: (deps.questions ?? [deps.pack]).map((p) => p.pack.id),
        },
        ctx.now(),
      );
      return c.json({ id: subscriber.id, email: subscriber.email, token: subscriber.token }, 201);
    } catch (error) {
      if (error instanceof SubscriberError) throw new ApiError(400, error.code, error.message);
      throw error;
    }
  });

  // {"webhook": {"url", "format": "webhook"|"slack"|"discord"}, "rules"?, "digest"?, "admin"?}: the secret is shown once.
  async function addWebhook(c: Context, input: Record<string, unknown>) {
    const hook = input.webhook as { url?: unknown; format?: unknown } | null;
    if (!hook || typeof hook !== 'object' || typeof hook.url !== 'string')
      throw new ApiError(
        400,
        'bad_webhook',
        'webhook: expected {"url": "https://…", "format": "webhook|slack|discord"}',
      );
    if (input.digest !== undefined && input.digest !== null && input.digest !== 'daily')
      throw new ApiError(400, 'bad_digest', 'digest: expected "daily" or null');
    try {
      const { subscriber, created } = await addWebhookSubscriber(
        db,
        {
          url: hook.url,
          format: (hook.format ?? 'webhook') as WebhookFormat,
          digest: input.digest === 'daily' ? 'daily' : null,
          rules:
            input.rules === undefined || input.rules === null
              ? null
              : typeof input.rules === 'string'
                ? input.rules
                : JSON.stringify(input.rules),
          admin: input.admin === true,
          questions: (deps.questions ?? [deps.pack]).map((p) => p.pack.id),
        },
        ctx.now(),
      );
      return c.json(
        {
          id: subscriber.id,
          email: subscriber.email,
          channel: subscriber.channel,
          url: subscriber.url,
          secret: subscriber.secret,
          token: subscriber.token,
        },
        created ? 201 : 200,
      );
    } catch (error) {
      if (error instanceof SubscriberError) throw new ApiError(400, error.code, error.message);
      throw error;
    }
  }

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
}
