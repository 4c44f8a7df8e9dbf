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
  /**
   * Most deliveries claimed in one transaction (default 50). A crash after sending repeats at most the
   * emails of its batch whose outcome was not yet recorded, each once, with its Message-ID.
   */
  claimBatch?: number;
  /** Most deliveries of a batch in flight at once (default 5, nodemailer's pool size). */
  concurrency?: number;
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

/** Claims up to `limit` due deliveries in one transaction, committed durably before any is sent. */
async function claimBatch(o: DrainOptions, now: Date, limit: number): Promise<Claim[]> {
  const iso = now.toISOString();
  const postgres = o.db.getExecutor().adapter instanceof PostgresAdapter;
  const claim = async (trx: Db): Promise<Claim[]> => {
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
    due = due.where('next_attempt_at', '<=', iso).orderBy('next_attempt_at').orderBy('id').limit(limit);
    // PostgreSQL: rows another worker is claiming right now are passed over, not waited for.
    const firsts = await (postgres ? due.forUpdate().skipLocked() : due).execute();
    const claims: Claim[] = [];
    // Rows given a Message-ID in this transaction: a later first row among them is already in a delivery.
    const batched = new Set<number>();
    for (const first of firsts) {
      if (batched.has(first.id)) continue;
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
        const ids = (await (postgres ? batch.forUpdate().skipLocked() : batch).execute()).map((r) => r.id);
        for (const id of ids) batched.add(id);
        await trx.updateTable('outbox').set({ message_id: messageId }).where('id', 'in', ids).execute();
      }
      claims.push({
        messageId,
        subscriberId: first.subscriber_id,
        delivery: first.delivery,
        attempts: first.attempts + 1,
      });
    }
    if (claims.length === 0) return claims;
    const lease = new Date(now.getTime() + (o.sendLeaseMs ?? 10 * 60_000)).toISOString();
    await trx
      .updateTable('outbox')
      .set((eb) => ({
        status: 'sending',
        attempts: eb('attempts', '+', 1),
        next_attempt_at: lease,
        claimed_by: o.owner ?? processOwner,
      }))
      .where(
        'message_id',
        'in',
        claims.map((c) => c.messageId),
      )
      .where('status', 'in', ['pending', 'sending'])
      .execute();
    return claims;
  };
  // PostgreSQL: a plain transaction (row locks share the work; the writers' advisory lock would queue every
  // claim behind ingestion); SQLite: BEGIN IMMEDIATE, committed durably before anything is sent.
  return postgres ? o.db.transaction().execute(claim) : writeTransaction(o.db, claim, { durable: true });
}

type Outcome =
  | { status: 'sent'; last_error: null; sent_at: string }
  | { status: 'pending'; last_error: string; next_attempt_at: string }
  | { status: 'failed'; last_error: string }
  /** Claimed but not tried (the run stopped): the claim is undone, attempts included. */
  | { status: 'released'; next_attempt_at: string };

/**
 * Records the outcomes of a batch in one transaction (durable on SQLite). Until it commits, a crash
 * repeats these emails once each, with their Message-IDs (their leases expire, or are taken over).
 */
async function record(o: DrainOptions, outcomes: readonly { messageId: string; outcome: Outcome }[]): Promise<void> {
  if (outcomes.length === 0) return;
  const write = async (db: Db) => {
    // The sent ones share their values: one statement.
    const sent = outcomes.filter((r) => r.outcome.status === 'sent');
    const first = sent[0]?.outcome;
    if (first?.status === 'sent')
      await db
        .updateTable('outbox')
        .set(first)
        .where(
          'message_id',
          'in',
          sent.map((r) => r.messageId),
        )
        .execute();
    for (const { messageId, outcome } of outcomes) {
      if (outcome.status === 'sent') continue;
      const update = db.updateTable('outbox').where('message_id', '=', messageId);
      if (outcome.status === 'released')
        await update
          .set((eb) => ({
            status: 'pending',
            attempts: eb('attempts', '-', 1),
            next_attempt_at: outcome.next_attempt_at,
            claimed_by: null,
          }))
          .execute();
      else await update.set(outcome).execute();
    }
  };
  // PostgreSQL: committed at once, not queued behind the writers' advisory lock: the time between the
  // server's acceptance and this record is the window in which a crash repeats an email.
  if (o.db.getExecutor().adapter instanceof PostgresAdapter) return o.db.transaction().execute(write);
  await writeTransaction(o.db, write, { durable: true });
}

type Subscriber = Awaited<ReturnType<typeof readSubscribers>>[number];
type AlertRow = Awaited<ReturnType<typeof readAlerts>>[number];

async function readSubscribers(db: Db, ids: readonly number[]) {
  return db.selectFrom('subscribers').selectAll().where('id', 'in', ids).execute();
}

async function readAlerts(db: Db, messageIds: readonly string[]) {
  return db
    .selectFrom('outbox')
    .innerJoin('alerts', 'alerts.id', 'outbox.alert_id')
    .select([
      'outbox.message_id',
      'alerts.id',
      'alerts.kind',
      'alerts.title',
      'alerts.body',
      'alerts.created_at',
      'alerts.data',
      'alerts.pack_id',
    ])
    .where('outbox.message_id', 'in', messageIds)
    .orderBy('alerts.id')
    .execute();
}

async function sendClaim(
  o: DrainOptions,
  c: Claim,
  sub: Subscriber | undefined,
  rows: readonly AlertRow[],
  now: Date,
): Promise<void> {
  if (sub) c.channel = sub.channel;
  if (!sub || sub.unsubscribed_at) throw new DeliveryError('permanent', 'subscriber unsubscribed', null);
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

interface Settled {
  claim: Claim;
  outcome: Outcome;
  /** Why a delivery was not sent (logged once its outcome is recorded). */
  error?: string;
}

/** What to record after one attempt (pure). */
function settle(c: Claim, failure: unknown, now: Date): Settled & { stop: DeliveryErrorCode | null } {
  if (failure === null)
    return { claim: c, outcome: { status: 'sent', last_error: null, sent_at: now.toISOString() }, stop: null };
  const e =
    failure instanceof DeliveryError
      ? failure
      : new DeliveryError('temporary', (failure as Error).message, null, { cause: failure });
  // The server itself is down or refuses our credentials: every other email would fail too.
  const stop = e.code === 'unreachable' || e.code === 'auth' ? e.code : null;
  if (e.code === 'permanent' || c.attempts >= MAX_ATTEMPTS) {
    const message = e.code === 'permanent' ? e.message : `gave up after ${c.attempts} attempts: ${e.message}`;
    return { claim: c, outcome: { status: 'failed', last_error: message }, error: message, stop };
  }
  const next = new Date(now.getTime() + retryDelayMs(c.attempts, e.code)).toISOString();
  return {
    claim: c,
    outcome: { status: 'pending', last_error: e.message, next_attempt_at: next },
    error: e.message,
    stop,
  };
}

/** Counts recorded outcomes into the run's result, tells onDelivery, and logs the failures. */
function tally(o: DrainOptions, result: DrainResult, settled: readonly Settled[]): void {
  for (const { claim, outcome, error } of settled) {
    const channel = claim.channel ?? 'unknown';
    if (outcome.status === 'sent') {
      result.sent += 1;
      o.onDelivery?.(channel, 'sent');
    } else if (outcome.status === 'failed') {
      result.failed += 1;
      o.onDelivery?.(channel, 'failed');
      o.log?.warn('alert delivery failed permanently', { messageId: claim.messageId, error });
    } else if (outcome.status === 'pending') {
      result.retrying += 1;
      o.onDelivery?.(channel, 'retrying');
      o.log?.warn('alert delivery will be retried', {
        messageId: claim.messageId,
        error,
        next: outcome.next_attempt_at,
      });
    }
  }
}

/**
 * Sends due deliveries until none is due, maxPerRun is reached, or the SMTP server is unusable.
 * Deliveries are claimed `claimBatch` at a time (the first of a run alone, so a server that is down or
 * refuses us costs one attempt), sent `concurrency` at a time over the channel's pooled connections, and
 * their outcomes recorded in group commits while the next ones are sent.
 */
export async function drainOutbox(o: DrainOptions, now: Date): Promise<DrainResult> {
  const result: DrainResult = { sent: 0, retrying: 0, failed: 0, stoppedBy: null };
  const max = o.maxPerRun ?? 20;
  const batchSize = Math.max(1, o.claimBatch ?? 50);
  const concurrency = Math.max(1, o.concurrency ?? 5);
  let claimed = 0;
  while (claimed < max && result.stoppedBy === null) {
    const claims = await claimBatch(o, now, claimed === 0 ? 1 : Math.min(batchSize, max - claimed));
    if (claims.length === 0) break;
    claimed += claims.length;
    const [subscribers, alerts] = await Promise.all([
      readSubscribers(o.db, [...new Set(claims.map((c) => c.subscriberId))]),
      readAlerts(
        o.db,
        claims.map((c) => c.messageId),
      ),
    ]);
    const subscriberById = new Map(subscribers.map((s) => [s.id, s]));
    const alertsByMessage = new Map<string, AlertRow[]>();
    for (const a of alerts) {
      const list = alertsByMessage.get(a.message_id!) ?? [];
      list.push(a);
      alertsByMessage.set(a.message_id!, list);
    }
    // Outcomes are recorded as they come, in group commits of at least `concurrency` (those settled while
    // one commit runs go in the next), and the rest at the batch's end. So a crash repeats only the emails
    // accepted and not yet committed (about twice `concurrency` at most), each once.
    let queued: Settled[] = [];
    let flushing: Promise<void> | null = null;
    let recordError: unknown = null;
    const flush = (): Promise<void> => {
      if (flushing) return flushing;
      const run = async () => {
        try {
          while (queued.length > 0 && recordError === null) {
            const batch = queued;
            queued = [];
            await record(
              o,
              batch.map((s) => ({ messageId: s.claim.messageId, outcome: s.outcome })),
            );
            tally(o, result, batch);
          }
        } catch (error) {
          // Left 'sending': the leases expire and the same Message-IDs go again.
          recordError = error;
        }
      };
      // Cleared in a later microtask, always after this assignment (even when run() had nothing to do).
      const p = run().finally(() => {
        flushing = null;
      });
      flushing = p;
      return p;
    };
    let next = 0;
    const worker = async () => {
      while (next < claims.length) {
        const c = claims[next++]!;
        if (result.stoppedBy !== null || recordError !== null) {
          queued.push({ claim: c, outcome: { status: 'released', next_attempt_at: now.toISOString() } });
          continue;
        }
        const sub = subscriberById.get(c.subscriberId);
        const failure = await sendClaim(o, c, sub, alertsByMessage.get(c.messageId) ?? [], now).then(
          () => null,
          (error: unknown) => error,
        );
        const s = settle(c, failure, now);
        if (s.stop !== null) result.stoppedBy ??= s.stop;
        queued.push(s);
        // A commit per `concurrency` outcomes: on SQLite each durable commit (an fsync) holds the event
        // loop, and one per email cost as much as the sending (issue 14).
        if (queued.length >= concurrency) void flush();
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, claims.length) }, worker));
    while (flushing !== null || (queued.length > 0 && recordError === null)) await (flushing ?? flush());
    if (recordError !== null) throw recordError;
  }
  return result;
}
