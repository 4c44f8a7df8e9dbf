// Drains the outbox: claims due rows (one delivery = rows sharing a message_id), renders, sends by
// the subscriber's channel (email, or a webhook: generic, Slack, Discord), and records the outcome. Claims and outcomes commit durably (synchronous=FULL) so an email
// is sent only for committed rows, and a crash after sending repeats it at most once, with the
// same Message-ID (the claim leaves the rows 'sending' with a lease that expires into a retry; a lease
// whose claimer was a process of this host that no longer exists is taken over at once).
// Several workers drain at once: a delivery is claimed through its first row (the lowest id of its
// message), on PostgreSQL with FOR UPDATE SKIP LOCKED (each worker takes a different delivery, none
// waits), on SQLite inside BEGIN IMMEDIATE; so every delivery is claimed, and sent, by one worker.
import { randomBytes } from 'node:crypto';
import { type Kysely, PostgresAdapter, sql } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Logger } from '../logger.ts';
import { DeliveryError, type DeliveryErrorCode, type EmailChannel } from './channels/email.ts';
import { deliverWebhook, webhookBody, type WebhookAlert } from './channels/webhook.ts';
import { renderEmail } from './render.ts';
import { MAX_ATTEMPTS, messageHost, retryDelayMs } from './retry.ts';
import { isDeadLocalOwner, newLeaseOwner } from '../db/lease-owner.ts';
import { writeTransaction } from '../db/write-transaction.ts';
import type { AlertData, AlertKind } from './types.ts';

type Db = Kysely<Database>;

export interface DrainOptions {
  db: Db;
  /** The email channel; without it (no SMTP_URL) only webhook subscribers' rows are sent. */
  channel?: EmailChannel;
  /** How long a webhook receiver may take to answer (default 10 s). */
  webhookTimeoutMs?: number;
  baseUrl: string;
  packTitle: string;
  /** Question titles by pack id (PACKS): a message about other questions than the default is titled by them. */
  questionTitles?: Readonly<Record<string, string>>;
  batchMinutes: number;
  /** Most emails sent per run; the rest stay queued for the next run (default 20). */
  maxPerRun?: number;
  /** Most alerts in one email (default 25). */
  maxAlertsPerEmail?: number;
  /** How long a claimed email may stay 'sending' before it is retried (default 10 min). */
  sendLeaseMs?: number;
  /** Queued emails older than this are dropped as stale, e.g. after email was off (default 72). */
  maxAgeHours?: number;
  log?: Logger;
  /** Recorded on claimed rows (default: this process, `host:pid:random`). */
  owner?: string;
  /** Told each delivery's outcome, by the subscriber's channel (`start` counts them for /metrics). */
  onDelivery?: (channel: string, outcome: 'sent' | 'retrying' | 'failed') => void;
}

export interface DrainResult {
  sent: number;
  retrying: number;
  failed: number;
  /** Why the run stopped early (server unreachable, credentials refused), or null. */
  stoppedBy: DeliveryErrorCode | null;
}

interface Claim {
  messageId: string;
  subscriberId: number;
  delivery: 'immediate' | 'digest';
  attempts: number;
  /** The subscriber's channel, once sendClaim has read it. */
  channel?: string;
}

/** This process as a claimer (one per process: the pid is what a successor checks). */
const processOwner = newLeaseOwner();

async function claimNext(o: DrainOptions, now: Date): Promise<Claim | null> {
  const iso = now.toISOString();
  const postgres = o.db.getExecutor().adapter instanceof PostgresAdapter;
  const claim = async (trx: Db): Promise<Claim | null> => {
    const stale = new Date(now.getTime() - (o.maxAgeHours ?? 72) * 3_600_000).toISOString();
    await trx
      .updateTable('outbox')
      .set({ status: 'failed', last_error: `expired: not sent within ${o.maxAgeHours ?? 72} h` })
      .where('status', '=', 'pending')
      .where('created_at', '<', stale)
      .execute();
    // Emails a killed process of this host was sending are due again now, not when their lease ends.
    const claimers = await trx
      .selectFrom('outbox')
      .select('claimed_by')
      .distinct()
      .where('status', '=', 'sending')
      .where('next_attempt_at', '>', iso)
      .where('claimed_by', 'is not', null)
      .execute();
    const dead = claimers.map((r) => r.claimed_by!).filter(isDeadLocalOwner);
    if (dead.length > 0)
      await trx
        .updateTable('outbox')
        .set({ next_attempt_at: iso })
        .where('status', '=', 'sending')
        .where('claimed_by', 'in', dead)
        .execute();
    let due = trx
      .selectFrom('outbox')
      .select(['id', 'subscriber_id', 'message_id', 'created_at', 'delivery', 'attempts'])
      .where('status', 'in', ['pending', 'sending'])
      // A delivery is claimed through its first row only: two workers claiming it meet on that one row.
      .where((eb) =>
        eb.or([
          eb('message_id', 'is', null),
          eb('id', '=', sql<number>`(select min(o2.id) from outbox o2 where o2.message_id = outbox.message_id)`),
        ]),
      );
    // Email is off: email rows wait (until they expire) and webhook rows still go.
    if (!o.channel)
      due = due.where('subscriber_id', 'in', (eb) =>
        eb.selectFrom('subscribers').select('id').where('channel', '!=', 'email'),
      );
    due = due.where('next_attempt_at', '<=', iso).orderBy('next_attempt_at').orderBy('id').limit(1);
    // PostgreSQL: a row another worker is claiming right now is passed over, not waited for.
    const first = await (postgres ? due.forUpdate().skipLocked() : due).executeTakeFirst();
    if (!first) return null;
    let messageId = first.message_id;
    if (!messageId) {
      messageId = `<bw-${first.id}.${first.subscriber_id}.${randomBytes(6).toString('hex')}@${messageHost(o.baseUrl)}>`;
      const until = new Date(Date.parse(first.created_at) + o.batchMinutes * 60_000).toISOString();
      const batch = trx
        .selectFrom('outbox')
        .select('id')
        .where('subscriber_id', '=', first.subscriber_id)
        .where('status', '=', 'pending')
        .where('message_id', 'is', null)
        .where('delivery', '=', first.delivery)
        .where('created_at', '<=', until)
        .orderBy('id')
        .limit(o.maxAlertsPerEmail ?? 25);
      // Rows another worker is batching into its own delivery are left to it.
      const ids = await (postgres ? batch.forUpdate().skipLocked() : batch).execute();
      await trx
        .updateTable('outbox')
        .set({ message_id: messageId })
        .where(
          'id',
          'in',
          ids.map((r) => r.id),
        )
        .execute();
    }
    const lease = new Date(now.getTime() + (o.sendLeaseMs ?? 10 * 60_000)).toISOString();
    await trx
      .updateTable('outbox')
      .set((eb) => ({
        status: 'sending',
        attempts: eb('attempts', '+', 1),
        next_attempt_at: lease,
        claimed_by: o.owner ?? processOwner,
      }))
      .where('message_id', '=', messageId)
      .where('status', 'in', ['pending', 'sending'])
      .execute();
    return { messageId, subscriberId: first.subscriber_id, delivery: first.delivery, attempts: first.attempts + 1 };
  };
  // PostgreSQL: a plain transaction (row locks share the work; the writers' advisory lock would queue every
  // claim behind ingestion); SQLite: BEGIN IMMEDIATE, committed durably before anything is sent.
  return postgres ? o.db.transaction().execute(claim) : writeTransaction(o.db, claim, { durable: true });
}

async function finish(
  o: DrainOptions,
  messageId: string,
  values: {
    status: 'sent' | 'pending' | 'failed';
    last_error: string | null;
    next_attempt_at?: string;
    sent_at?: string;
  },
): Promise<void> {
  const update = (db: Db) =>
    db
      .updateTable('outbox')
      .set(values)
      .where('message_id', '=', messageId)
      .execute()
      .then(() => undefined);
  // PostgreSQL: one statement, committed at once, not queued behind the writers' advisory lock: the time
  // between the server's acceptance and this record is the window in which a crash repeats an email.
  if (o.db.getExecutor().adapter instanceof PostgresAdapter) return update(o.db);
  await writeTransaction(o.db, update, { durable: true });
}

async function sendClaim(o: DrainOptions, c: Claim, now: Date): Promise<void> {
  const sub = await o.db.selectFrom('subscribers').selectAll().where('id', '=', c.subscriberId).executeTakeFirst();
  if (sub) c.channel = sub.channel;
  if (!sub || sub.unsubscribed_at) throw new DeliveryError('permanent', 'subscriber unsubscribed', null);
  const rows = await o.db
    .selectFrom('outbox')
    .innerJoin('alerts', 'alerts.id', 'outbox.alert_id')
    .select([
      'alerts.id',
      'alerts.kind',
      'alerts.title',
      'alerts.body',
      'alerts.created_at',
      'alerts.data',
      'alerts.pack_id',
    ])
    .where('outbox.message_id', '=', c.messageId)
    .orderBy('alerts.id')
    .execute();
  if (rows.length === 0) throw new DeliveryError('permanent', 'no alerts left for this message', null);
  const packTitle = titleOf(o, rows);
  if (sub.channel !== 'email') {
    if (!sub.url) throw new DeliveryError('permanent', 'webhook subscriber without a URL', null);
    const deliveryId = c.messageId.replace(/[<>]/g, '');
    const alerts: WebhookAlert[] = rows.map((r) => ({
      id: r.id,
      kind: r.kind as AlertKind,
      title: r.title,
      body: r.body,
      createdAt: r.created_at,
      data: JSON.parse(r.data) as AlertData,
    }));
    const body = webhookBody(sub.channel, alerts, {
      baseUrl: o.baseUrl,
      packTitle,
      deliveryId,
      unsubscribeUrl: `${o.baseUrl}/unsubscribe/${encodeURIComponent(sub.token)}`,
      digest: c.delivery === 'digest',
    });
    await deliverWebhook({
      url: sub.url,
      format: sub.channel,
      body,
      deliveryId,
      secret: sub.secret,
      now,
      timeoutMs: o.webhookTimeoutMs ?? 10_000,
    });
    return;
  }
  if (!o.channel) throw new DeliveryError('temporary', 'email is off (no SMTP_URL)', null);
  const mail = renderEmail(
    rows.map((r) => ({
      kind: r.kind as AlertKind,
      title: r.title,
      body: r.body,
      createdAt: r.created_at,
      data: JSON.parse(r.data) as AlertData,
    })),
    { baseUrl: o.baseUrl, packTitle, token: sub.token, digest: c.delivery === 'digest' },
  );
  await o.channel.send({
    to: sub.email,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    messageId: c.messageId,
    headers: mail.headers,
  });
}

/** The title of the question(s) a message is about: the default pack's, else the titles of its questions. */
function titleOf(o: DrainOptions, rows: readonly { pack_id: string }[]): string {
  const titles = [...new Set(rows.map((r) => o.questionTitles?.[r.pack_id] ?? o.packTitle))];
  return titles.join(' · ');
}

/** Sends due deliveries until none is due, maxPerRun is reached, or the SMTP server is unusable. */
export async function drainOutbox(o: DrainOptions, now: Date): Promise<DrainResult> {
  const result: DrainResult = { sent: 0, retrying: 0, failed: 0, stoppedBy: null };
  const max = o.maxPerRun ?? 20;
  for (let i = 0; i < max; i += 1) {
    const claim = await claimNext(o, now);
    if (!claim) break;
    const failure = await sendClaim(o, claim, now).then(
      () => null,
      (error: unknown) => error,
    );
    if (failure === null) {
      // If this commit is lost (crash), the lease expires and the same Message-ID goes again.
      await finish(o, claim.messageId, { status: 'sent', last_error: null, sent_at: now.toISOString() });
      result.sent += 1;
      o.onDelivery?.(claim.channel ?? 'unknown', 'sent');
      continue;
    }
    const e =
      failure instanceof DeliveryError
        ? failure
        : new DeliveryError('temporary', (failure as Error).message, null, { cause: failure });
    if (e.code === 'permanent' || claim.attempts >= MAX_ATTEMPTS) {
      const message = e.code === 'permanent' ? e.message : `gave up after ${claim.attempts} attempts: ${e.message}`;
      await finish(o, claim.messageId, { status: 'failed', last_error: message });
      result.failed += 1;
      o.onDelivery?.(claim.channel ?? 'unknown', 'failed');
      o.log?.warn('alert delivery failed permanently', { messageId: claim.messageId, error: message });
    } else {
      const next = new Date(now.getTime() + retryDelayMs(claim.attempts, e.code)).toISOString();
      await finish(o, claim.messageId, { status: 'pending', last_error: e.message, next_attempt_at: next });
      result.retrying += 1;
      o.onDelivery?.(claim.channel ?? 'unknown', 'retrying');
      o.log?.warn('alert delivery will be retried', { messageId: claim.messageId, error: e.message, next });
    }
    // The server itself is down or refuses our credentials: every other email would fail too.
    if (e.code === 'unreachable' || e.code === 'auth') {
      result.stoppedBy = e.code;
      break;
    }
  }
  return result;
}
