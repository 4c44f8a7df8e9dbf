// Subscriber management shared by the CLI and the admin API: add (or update), list, remove.
import { BellwetherError } from '../errors.ts';
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database, Subscriber } from '../db/schema.ts';
import { WEBHOOK_FORMATS, type WebhookFormat } from './channels/webhook.ts';
import { parseSubscriberRules, withoutQuestion } from './subscriber-rules.ts';

export interface SubscriberInput {
  email: string;
  /** Rules JSON (validated), or null for the pack's defaults. */
  rules?: string | null;
  digest?: 'daily' | null;
  admin?: boolean;
  /** The question ids a `questions` rule may name (the instance's PACKS); not checked when absent. */
  questions?: readonly string[];
}

export class SubscriberError extends BellwetherError<
  'invalid_email' | 'invalid_rules' | 'invalid_webhook' | 'not_found'
> {
  constructor(
    readonly code: 'invalid_email' | 'invalid_rules' | 'invalid_webhook' | 'not_found',
    message: string,
  ) {
    super(message);
  }
}

const EMAIL = /^[^\s@<>()",;:\\[\]]+@[^\s@<>()",;:\\[\]]+\.[^\s@<>()",;:\\[\]]+$/;

export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

/** Adds a subscriber, or updates one (re-subscribing it) when the address is known. */
export async function addSubscriber(
  db: Kysely<Database>,
  input: SubscriberInput,
  now: Date,
): Promise<{ subscriber: Subscriber; created: boolean }> {
  const email = input.email.trim().toLowerCase();
  if (!EMAIL.test(email) || email.length > 254)
    throw new SubscriberError('invalid_email', `not an email address: "${input.email}"`);
  let rules: string | null = null;
  if (input.rules) {
    try {
      rules = JSON.stringify(parseSubscriberRules(input.rules, input.questions));
    } catch (error) {
      throw new SubscriberError('invalid_rules', (error as Error).message);
    }
  }
  const values = { rules, digest: input.digest ?? null, is_admin: input.admin ? 1 : 0 };
  const existing = await db.selectFrom('subscribers').select('id').where('email', '=', email).executeTakeFirst();
  if (existing) {
    await db
      .updateTable('subscribers')
      .set({ ...values, unsubscribed_at: null })
      .where('id', '=', existing.id)
      .execute();
  } else {
    await db
      .insertInto('subscribers')
      .values({ email, token: newToken(), created_at: now.toISOString(), unsubscribed_at: null, ...values })
      .execute();
  }
  const subscriber = await db
    .selectFrom('subscribers')
    .selectAll()
    .where('email', '=', email)
    .executeTakeFirstOrThrow();
  return { subscriber, created: !existing };
}

export interface WebhookInput {
  url: string;
  format: WebhookFormat;
  rules?: string | null;
  digest?: 'daily' | null;
  admin?: boolean;
  /** The question ids a `questions` rule may name (the instance's PACKS); not checked when absent. */
  questions?: readonly string[];
}

/**
 * A webhook subscriber's identity in the `email` column: a never-routable address under the
 * reserved .invalid domain (RFC 2606), derived from format and URL so adding it again updates it.
 */
export const webhookIdentity = (format: WebhookFormat, url: string): string =>
  `${format}-${createHash('sha256').update(`${format} ${url}`).digest('hex').slice(0, 16)}@webhooks.invalid`;

/**
 * Adds (or updates) a webhook subscriber: a generic webhook gets a fresh HMAC secret (returned once,
 * kept for signing); Slack and Discord webhook URLs are their own secret.
 */
export async function addWebhookSubscriber(
  db: Kysely<Database>,
  input: WebhookInput,
  now: Date,
): Promise<{ subscriber: Subscriber; created: boolean }> {
  if (!WEBHOOK_FORMATS.includes(input.format))
    throw new SubscriberError(
      'invalid_webhook',
      `unknown webhook format "${input.format}" (expected ${WEBHOOK_FORMATS.join(', ')})`,
    );
  let url: URL;
  try {
    url = new URL(input.url);
  } catch {
    throw new SubscriberError('invalid_webhook', `not a URL: "${input.url}"`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new SubscriberError('invalid_webhook', `webhook URLs must be http or https (got ${url.protocol})`);
  const email = webhookIdentity(input.format, url.href);
  const { subscriber, created } = await addSubscriber(
    db,
    {
      email,
      rules: input.rules ?? null,
      digest: input.digest ?? null,
      admin: input.admin,
      ...(input.questions ? { questions: input.questions } : {}),
    },
    now,
  );
  const secret = input.format === 'webhook' ? (created || !subscriber.secret ? newToken() : subscriber.secret) : null;
  await db
    .updateTable('subscribers')
    .set({ channel: input.format, url: url.href, secret })
    .where('id', '=', subscriber.id)
    .execute();
  return {
    subscriber: await db
      .selectFrom('subscribers')
      .selectAll()
      .where('id', '=', subscriber.id)
      .executeTakeFirstOrThrow(),
    created,
  };
}

export async function listSubscribers(db: Kysely<Database>): Promise<Subscriber[]> {
  return db.selectFrom('subscribers').selectAll().orderBy('email').execute();
}

/** Deletes the subscriber and its queued emails. */
export async function removeSubscriber(db: Kysely<Database>, email: string): Promise<void> {
  const res = await db.deleteFrom('subscribers').where('email', '=', email.trim().toLowerCase()).executeTakeFirst();
  if (Number(res.numDeletedRows) === 0) throw new SubscriberError('not_found', `no subscriber ${email}`);
}

/** Tokens are 32 url-safe characters (newToken); anything else is not worth a query. */
const TOKEN = /^[A-Za-z0-9_-]{16,128}$/;

/** The subscriber an unsubscribe link names, or null when the token is malformed or unknown. */
export async function findByToken(
  db: Kysely<Database>,
  token: string,
): Promise<{ id: number; email: string; unsubscribed_at: string | null } | null> {
  if (!TOKEN.test(token)) return null;
  const row = await db
    .selectFrom('subscribers')
    .select(['id', 'email', 'unsubscribed_at'])
    .where('token', '=', token)
    .executeTakeFirst();
  return row ?? null;
}

/** Stops alerts to the subscriber the token names (idempotent); null when the token names nobody. */
export async function unsubscribeByToken(
  db: Kysely<Database>,
  token: string,
  now: Date,
): Promise<{ email: string } | null> {
  const sub = await findByToken(db, token);
  if (!sub) return null;
  if (!sub.unsubscribed_at)
    await db
      .updateTable('subscribers')
      .set({ unsubscribed_at: now.toISOString() })
      .where('id', '=', sub.id)
      .where('unsubscribed_at', 'is', null)
      .execute();
  return { email: sub.email };
}

/** What removing a subscriber from one question left: the questions it keeps, and whether it is unsubscribed. */
export interface QuestionRemoved {
  id: number;
  question: string;
  questions: string[];
  unsubscribed: boolean;
}

/**
 * Stops one question's alerts to an active subscriber (one row per address, its `questions` rule saying which
 * questions it receives): the rule loses `question`; with none left the subscriber is unsubscribed, unless it is an
 * admin (kept, with an empty rule, for the instance's own alerts). A row changed meanwhile is read again
 * (compare-and-set on the rules text), so two removals at once both count. `known`: the instance's questions.
 */
export async function removeFromQuestion(
  db: Kysely<Database>,
  input: { id: number; question: string; known: readonly string[] },
  now: Date,
): Promise<QuestionRemoved> {
  const { id, question } = input;
  for (let attempt = 0; attempt < 5; attempt++) {
    const row = await db
      .selectFrom('subscribers')
      .select(['rules', 'is_admin'])
      .where('id', '=', id)
      .where('unsubscribed_at', 'is', null)
      .executeTakeFirst();
    if (!row) throw new SubscriberError('not_found', `no active subscriber with id ${id}`);
    const removal = withoutQuestion(row.rules, question, input.known);
    if (removal.kind === 'not_receiving')
      throw new SubscriberError('not_found', `subscriber ${id} does not receive question ${question}'s alerts`);
    const unsubscribed = removal.kind === 'none_left' && row.is_admin !== 1;
    const res = await db
      .updateTable('subscribers')
      .set(unsubscribed ? { unsubscribed_at: now.toISOString() } : { rules: removal.rules })
      .where('id', '=', id)
      .where('unsubscribed_at', 'is', null)
      .where((eb) => (row.rules === null ? eb('rules', 'is', null) : eb('rules', '=', row.rules)))
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) === 1)
      return { id, question, questions: removal.kind === 'kept' ? removal.questions : [], unsubscribed };
  }
  throw new Error(`subscriber ${id}: its rules kept changing while question ${question} was being removed`);
}
