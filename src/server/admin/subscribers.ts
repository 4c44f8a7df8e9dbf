// Admin subscribers: the instance's (/api/v1/admin/subscribers: list, add) and each question's
// (/api/v1/questions/ID/admin/subscribers: who receives its alerts, adding one limited to it, the subscriber's
// `questions` rule set to that question, and DELETE …/subscribers/SUBSCRIBER_ID taking that question out of its
// rule). Unsubscribing a subscriber from everything stays the instance's (routes.ts).
import type { Context, Hono } from 'hono';
import type { WebhookFormat } from '../../alerts/channels/webhook.ts';
import { readStoredRules } from '../../alerts/subscriber-rules.ts';
import {
  addSubscriber,
  addWebhookSubscriber,
  removeFromQuestion,
  SubscriberError,
  type WebhookInput,
} from '../../alerts/subscribers.ts';
import type { ServerContext } from '../deps.ts';
import { ApiError } from '../http/errors.ts';
import { questionsOf } from '../questions/routes.ts';
import { questionOf } from './resolutions.ts';
import { parseId, readInput } from './validate.ts';

const EMAIL = /^[^\s@<>"',;]{1,64}@[^\s@<>"',;]{1,255}\.[a-z]{2,}$/i;
const LISTED = ['id', 'email', 'channel', 'url', 'digest', 'created_at', 'unsubscribed_at'] as const;

/**
 * The rules JSON to store: as given for the instance; for a question, its `questions` rule set to that question
 * (one given beside the path is refused). Text that is not a JSON object is passed on for addSubscriber to name.
 */
function rulesOf(value: unknown, question: string | null): string | null {
  const text = value === undefined || value === null ? null : typeof value === 'string' ? value : JSON.stringify(value);
  if (question === null) return text;
  let parsed: unknown = {};
  try {
    if (text !== null) parsed = JSON.parse(text);
  } catch {
    return text;
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return text;
  if ('questions' in parsed)
    throw new ApiError(
      400,
      'invalid_rules',
      `rules: questions: set by the path (this route subscribes to question ${question} alone)`,
    );
  return JSON.stringify({ ...parsed, questions: [question] });
}

export function registerSubscribers(app: Hono, ctx: ServerContext): void {
  const { deps } = ctx;
  const db = deps.db;
  const known = () => questionsOf(deps).map((p) => p.pack.id);

  const add = async (c: Context, question: string | null) => {
    const input = await readInput(c);
    if (!input) throw new ApiError(400, 'bad_body', 'expected a JSON or form body');
    if (input.digest !== undefined && input.digest !== null && input.digest !== 'daily')
      throw new ApiError(400, 'bad_digest', 'digest: expected "daily" or null');
    const common = {
      digest: input.digest === 'daily' ? ('daily' as const) : null,
      rules: rulesOf(input.rules, question),
      admin: input.admin === true,
      questions: known(),
    };
    try {
      if (input.webhook !== undefined) return await addWebhook(c, input.webhook, common);
      const email = typeof input.email === 'string' ? input.email.trim().toLowerCase() : '';
      if (!EMAIL.test(email)) throw new ApiError(400, 'bad_email', 'email: expected an address like name@example.org');
      const exists = await db.selectFrom('subscribers').select('id').where('email', '=', email).executeTakeFirst();
      if (exists) throw new ApiError(409, 'exists', `subscriber ${email} already exists (id ${exists.id})`);
      // One way to create a subscriber (CLI and API alike): normalised address, validated rules, fresh token.
      const { subscriber } = await addSubscriber(db, { email, ...common }, ctx.now());
      return c.json({ id: subscriber.id, email: subscriber.email, token: subscriber.token }, 201);
    } catch (error) {
      if (error instanceof SubscriberError) throw new ApiError(400, error.code, error.message);
      throw error;
    }
  };

  // {"webhook": {"url", "format": "webhook"|"slack"|"discord"}, "rules"?, "digest"?, "admin"?}: the secret is shown once.
  async function addWebhook(c: Context, value: unknown, common: Omit<WebhookInput, 'url' | 'format'>) {
    const hook = value as { url?: unknown; format?: unknown } | null;
    if (!hook || typeof hook !== 'object' || typeof hook.url !== 'string')
      throw new ApiError(
        400,
        'bad_webhook',
        'webhook: expected {"url": "https://…", "format": "webhook|slack|discord"}',
      );
    const { subscriber, created } = await addWebhookSubscriber(
      db,
      { url: hook.url, format: (hook.format ?? 'webhook') as WebhookFormat, ...common },
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
  }

  app.get('/api/v1/admin/subscribers', async (c) =>
    c.json({ subscribers: await db.selectFrom('subscribers').select(LISTED).orderBy('id').execute() }),
  );
  app.post('/api/v1/admin/subscribers', (c) => add(c, null));

  // Who receives the question's alerts: every active subscriber without a `questions` rule or with one naming it.
  app.get('/api/v1/questions/:qid/admin/subscribers', async (c) => {
    const id = questionOf(ctx, c.req.param('qid')).pack.id;
    const rows = await db
      .selectFrom('subscribers')
      .select([...LISTED, 'rules'])
      .where('unsubscribed_at', 'is', null)
      .orderBy('id')
      .execute();
    const receives = rows.filter((r) => readStoredRules(r.rules).questions?.includes(id) ?? true);
    return c.json({ question: id, subscribers: receives.map(({ rules: _rules, ...r }) => r) });
  });
  app.post('/api/v1/questions/:qid/admin/subscribers', (c) => add(c, questionOf(ctx, c.req.param('qid')).pack.id));

  // Stops that question's alerts to one subscriber (its id, as for DELETE /api/v1/admin/subscribers/ID), keeping
  // its other questions; with none left it is unsubscribed (an admin subscriber is kept for the instance's alerts).
  app.delete('/api/v1/questions/:qid/admin/subscribers/:id', async (c) => {
    const question = questionOf(ctx, c.req.param('qid')).pack.id;
    const id = parseId(c.req.param('id'));
    try {
      return c.json(await removeFromQuestion(db, { id, question, known: known() }, ctx.now()));
    } catch (error) {
      if (error instanceof SubscriberError && error.code === 'not_found')
        throw new ApiError(404, 'not_found', error.message);
      throw error;
    }
  });
}
