// Writes alerts: the snapshot listener (inside the snapshot's transaction) and the time-based
// checks (deadlines, failing feeds). Each alert gets one outbox row per matching subscriber.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { LoadedPack } from '../pack/load.ts';
import type { SnapshotEvent } from '../scenarios/snapshot-event.ts';
import { decideAlerts } from './decide.ts';
import { decideDeadlineAlerts, decideFeedAlerts } from './decide-time.ts';
import { loadHistory, loadSignals, loadState, loadStories } from './record-queries.ts';
import { readStoredRules, ruleMatches } from './subscriber-rules.ts';
import { writeTransaction } from '../db/write-transaction.ts';
import type { AlertDraft, StateUpdate } from './types.ts';

type Db = Kysely<Database>;

export interface RecordResult {
  alerts: number;
  outbox: number;
}

/** Stores fired alerts, their rule state and outbox rows; the caller owns the transaction. */
export async function storeAlerts(
  trx: Db,
  packId: string,
  drafts: AlertDraft[],
  updates: StateUpdate[],
  snapshotId: number | null,
  batchMinutes: number,
  now: Date,
): Promise<RecordResult> {
  const iso = now.toISOString();
  for (const u of updates) {
    await trx
      .insertInto('alert_state')
      .values({
        pack_id: packId,
        rule_key: u.ruleKey,
        armed: u.armed ? 1 : 0,
        last_fired_at: u.firedAt,
        updated_at: iso,
      })
      .onConflict((oc) =>
        oc.columns(['pack_id', 'rule_key']).doUpdateSet((eb) => ({
          armed: u.armed ? 1 : 0,
          last_fired_at: u.firedAt ?? eb.ref('alert_state.last_fired_at'),
          updated_at: iso,
        })),
      )
      .execute();
  }
  if (drafts.length === 0) return { alerts: 0, outbox: 0 };
  const subscribers = await trx
    .selectFrom('subscribers')
    .select(['id', 'rules', 'is_admin'])
    .where('unsubscribed_at', 'is', null)
    .where('digest', 'is', null)
    .execute();
  // Rows wait out the batch window, so alerts arriving within it go out as one email.
  const due = new Date(now.getTime() + batchMinutes * 60_000).toISOString();
  let queued = 0;
  for (const draft of drafts) {
    // Every alert says which question it is about (PACKS): the feed, emails, webhooks and subscriber rules read it.
    const d = { ...draft, data: { ...draft.data, questionId: packId } };
    const row = await trx
      .insertInto('alerts')
      .values({
        pack_id: packId,
        kind: d.kind,
        rule_key: d.ruleKey,
        title: d.title,
        body: d.body,
        data: JSON.stringify(d.data),
        snapshot_id: snapshotId,
        created_at: iso,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const to = subscribers.filter((s) => ruleMatches(readStoredRules(s.rules), s.is_admin === 1, d.kind, d.data));
    // Chunks keep each statement under SQLite's bound-parameter limit.
    for (let i = 0; i < to.length; i += 100) {
      await trx
        .insertInto('outbox')
        .values(
          to.slice(i, i + 100).map((s) => ({
            subscriber_id: s.id,
            alert_id: row.id,
            status: 'pending' as const,
            attempts: 0,
            next_attempt_at: due,
            created_at: iso,
          })),
        )
        .execute();
    }
    queued += to.length;
  }
  return { alerts: drafts.length, outbox: queued };
}

/** The snapshot listener: decide from the event and recent history, then store, all in `trx`. */
export async function recordAlerts(
  trx: Db,
  event: SnapshotEvent,
  loaded: LoadedPack,
  now: Date,
): Promise<RecordResult> {
  const { pack } = loaded;
  const settings = pack.alerts;
  const since = event.previous?.at ?? new Date(now.getTime() - settings.quiet_days * 86_400_000).toISOString();
  const [history, signals, state, stories] = [
    await loadHistory(trx, event, settings.probability_move.hours),
    await loadSignals(trx, pack.id, since, settings.quiet_days, now),
    await loadState(trx, pack.id),
    await loadStories(trx, event.snapshotId),
  ];
  const decision = decideAlerts({ settings, pack, event, history, signals, state, stories, now: now.toISOString() });
  return storeAlerts(trx, pack.id, decision.alerts, decision.state, event.snapshotId, settings.batch_minutes, now);
}

/** Deadline warnings and passes; run by the alerts job even when no snapshot is written. */
export async function checkDeadlineAlerts(db: Db, loaded: LoadedPack, now: Date): Promise<RecordResult> {
  const { pack } = loaded;
  return writeTransaction(
    db,
    async (trx) => {
      const state = await loadState(trx, pack.id);
      const resolved = (
        await trx.selectFrom('resolutions').select('scenario_id').where('pack_id', '=', pack.id).execute()
      ).map((r) => r.scenario_id);
      const last = await trx
        .selectFrom('snapshots')
        .select('probabilities')
        .where('pack_id', '=', pack.id)
        .orderBy('at', 'desc')
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst();
      const probabilities = last ? (JSON.parse(last.probabilities) as Record<string, number>) : {};
      const drafts = decideDeadlineAlerts({
        settings: pack.alerts,
        scenarios: pack.scenarios,
        resolved,
        probabilities,
        state,
        now: now.toISOString(),
      });
      const updates = drafts.map((d) => ({ ruleKey: d.ruleKey, armed: true, firedAt: now.toISOString() }));
      return storeAlerts(trx, pack.id, drafts, updates, null, pack.alerts.batch_minutes, now);
    },
    { durable: true },
  );
}

/** Feeds failing longer than feed_failing_hours: one alert per failing episode, admins only. */
export async function checkFeedHealthAlerts(db: Db, loaded: LoadedPack, now: Date): Promise<RecordResult> {
  const { pack } = loaded;
  return writeTransaction(
    db,
    async (trx) => {
      const state = await loadState(trx, pack.id);
      const feeds = await trx
        .selectFrom('feeds')
        .select(['id', 'url', 'name', 'failing_since', 'last_error_message'])
        .where('status', '=', 'active')
        .where('failing_since', 'is not', null)
        .execute();
      const drafts = decideFeedAlerts(
        pack.alerts,
        feeds.map((f) => ({
          id: f.id,
          url: f.url,
          name: f.name,
          failingSince: f.failing_since,
          lastError: f.last_error_message,
        })),
        state,
        now.toISOString(),
      );
      const updates = drafts.map((d) => ({ ruleKey: d.ruleKey, armed: true, firedAt: now.toISOString() }));
      return storeAlerts(trx, pack.id, drafts, updates, null, pack.alerts.batch_minutes, now);
    },
    { durable: true },
  );
}
