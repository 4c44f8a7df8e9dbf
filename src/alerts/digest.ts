// The daily digest: once per UTC day, queue one email per digest subscriber holding the
// alerts since their last digest (rows share a message_id, so the sender sends them as one).
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { lastCronTime } from '../scheduler/cron.ts';
import { messageHost } from './retry.ts';
import { readStoredRules, ruleMatches } from './subscriber-rules.ts';
import { writeTransaction } from '../db/write-transaction.ts';
import type { AlertData, AlertKind } from './types.ts';

export interface DigestOptions {
  baseUrl: string;
  /** When digests go out: a cron expression in UTC (the pack's `alerts.digest_at`; default "0 7 * * *"). */
  at?: string;
  /** Most alerts in one digest (default 100; older ones are left out). */
  maxAlerts?: number;
}

/** Queues today's digests; idempotent (a subscriber's digest_sent_at marks the day done). */
export async function enqueueDigests(db: Kysely<Database>, now: Date, o: DigestOptions): Promise<{ digests: number }> {
  // Due when the schedule named a time since a subscriber's last digest (a time missed while the tracker was
  // down still counts, once).
  const due = lastCronTime(o.at ?? '0 7 * * *', now);
  if (!due) return { digests: 0 };
  const iso = now.toISOString();
  const today = iso.slice(0, 10);
  return writeTransaction(
    db,
    async (trx) => {
      const subs = await trx
        .selectFrom('subscribers')
        .selectAll()
        .where('digest', '=', 'daily')
        .where('unsubscribed_at', 'is', null)
        .where((eb) => eb.or([eb('digest_sent_at', 'is', null), eb('digest_sent_at', '<', due.toISOString())]))
        .execute();
      let digests = 0;
      for (const s of subs) {
        // First digest: the last day's alerts, not the whole history.
        const since = s.digest_alert_id ?? 0;
        const from = s.digest_sent_at ?? new Date(now.getTime() - 86_400_000).toISOString();
        const alerts = await trx
          .selectFrom('alerts')
          .select(['id', 'kind', 'data'])
          .where('id', '>', since)
          .where((eb) => (s.digest_alert_id === null ? eb('created_at', '>=', from) : eb.lit(true)))
          .orderBy('id', 'desc')
          .limit(o.maxAlerts ?? 100)
          .execute();
        const rules = readStoredRules(s.rules);
        const mine = alerts.filter((a) =>
          ruleMatches(rules, s.is_admin === 1, a.kind as AlertKind, JSON.parse(a.data) as AlertData),
        );
        const lastId = alerts.reduce((m, a) => Math.max(m, a.id), since);
        if (mine.length > 0) {
          const messageId = `<bw-digest-${s.id}-${today}.${randomBytes(6).toString('hex')}@${messageHost(o.baseUrl)}>`;
          await trx
            .insertInto('outbox')
            .values(
              mine.map((a) => ({
                subscriber_id: s.id,
                alert_id: a.id,
                message_id: messageId,
                status: 'pending' as const,
                attempts: 0,
                next_attempt_at: iso,
                created_at: iso,
                delivery: 'digest' as const,
              })),
            )
            .execute();
          digests += 1;
        }
        await trx
          .updateTable('subscribers')
          .set({ digest_alert_id: lastId, digest_sent_at: iso })
          .where('id', '=', s.id)
          .execute();
      }
      return { digests };
    },
    { durable: true },
  );
}
