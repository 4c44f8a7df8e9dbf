// recordAlerts against a real SQLite file: alerts and outbox rows written in the snapshot's
// transaction (and rolled back with it), per-subscriber rules, digests, time-based checks.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { enqueueDigests } from '../src/alerts/digest.ts';
import { checkDeadlineAlerts, checkFeedHealthAlerts, recordAlerts } from '../src/alerts/record.ts';
import {
  type AlertsEnv,
  addFailingFeed,
  addSignal,
  addSnapshot,
  openAlertsEnv,
  subscribe,
} from './helpers/alerts-env.ts';

let env: AlertsEnv;
beforeEach(async () => {
  env = await openAlertsEnv();
});
afterEach(async () => {
  await env.close();
});

const P = (deal: number) => ({ deal, frozen: 0.3, collapse: Math.round((0.7 - deal) * 1000) / 1000 });

describe('recordAlerts', () => {
  it('writes the alert and one outbox row per matching immediate subscriber, in the caller transaction', async () => {
    const a = await subscribe(env.db, 'a@example.org');
    await subscribe(env.db, 'moves-only@example.org', { rules: '{"kinds":["probability_move"]}' });
    await subscribe(env.db, 'digest@example.org', { digest: 'daily' });
    await addSnapshot(env.db, '2026-11-20T08:00:00.000Z', P(0.18));
    const art = await addSignal(env.db, {
      indicator: 'principal_meeting',
      at: '2026-11-20T09:00:00.000Z',
      modality: 'scheduled',
      title: 'Trump and Putin to meet in Budapest',
    });
    const now = new Date('2026-11-20T10:00:00.000Z');
    const res = await env.db.transaction().execute(async (trx) => {
      const event = await addSnapshot(trx, now.toISOString(), P(0.31), { articles: [art] });
      return recordAlerts(trx, event, env.pack, now);
    });
    const alerts = await env.db.selectFrom('alerts').selectAll().orderBy('id').execute();
    expect(alerts.map((x) => x.title)).toEqual([
      'Principal meeting scheduled — Deal by Thanksgiving: 18% → 31%',
      'Deal by Thanksgiving: 18% → 31% within 24 h',
      'Collapse: 52% → 39% within 24 h',
    ]);
    expect(JSON.parse(alerts[0]!.data).stories[0].title).toBe('Trump and Putin to meet in Budapest');
    const outbox = await env.db
      .selectFrom('outbox')
      .innerJoin('subscribers', 'subscribers.id', 'outbox.subscriber_id')
      .select(['email', 'alert_id', 'next_attempt_at'])
      .orderBy('outbox.id')
      .execute();
    const [shift, up, down] = alerts.map((x) => x.id);
    expect(outbox.map((o) => `${o.email}:${o.alert_id}`)).toEqual([
      `a@example.org:${shift}`,
      `a@example.org:${up}`,
      `moves-only@example.org:${up}`,
      `a@example.org:${down}`,
      `moves-only@example.org:${down}`,
    ]);
    expect(outbox[0]!.next_attempt_at).toBe('2026-11-20T10:05:00.000Z');
    expect(res).toEqual({ alerts: 3, outbox: 5 });
    expect(a.email).toBe('a@example.org');
  });

  it('an exception after recordAlerts rolls back the snapshot, the alerts, the outbox and the rule state', async () => {
    await subscribe(env.db, 'a@example.org');
    await addSignal(env.db, { indicator: 'principal_meeting', at: '2026-11-20T09:00:00.000Z', modality: 'scheduled' });
    const now = new Date('2026-11-20T10:00:00.000Z');
    await expect(
      env.db.transaction().execute(async (trx) => {
        const event = await addSnapshot(trx, now.toISOString(), P(0.31));
        const r = await recordAlerts(trx, event, env.pack, now);
        expect(r.alerts).toBe(1);
        throw new Error('engine failed after alerts');
      }),
    ).rejects.toThrow('engine failed');
    for (const t of ['snapshots', 'alerts', 'outbox', 'alert_state'] as const) {
      expect(
        Number(
          (
            await env.db
              .selectFrom(t)
              .select((eb) => eb.fn.countAll().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        ),
      ).toBe(0);
    }
  });

  it('a flapping level fires once, then again only after falling below reset_z and the cooldown', async () => {
    await subscribe(env.db, 'a@example.org');
    const zs = [2.4, 1.5, 2.6, 0.5, 2.2, 0.2, 2.9];
    const fired: number[] = [];
    for (const [i, z] of zs.entries()) {
      const now = new Date(Date.parse('2026-11-20T00:00:00.000Z') + i * 20 * 60_000);
      const r = await env.db.transaction().execute(async (trx) =>
        recordAlerts(
          trx,
          await addSnapshot(trx, now.toISOString(), P(0.2), {
            levels: { strike_volume: { value: 500, z, band: z >= 2 ? 'surge' : null } },
          }),
          env.pack,
          now,
        ),
      );
      fired.push(r.alerts);
    }
    // Cooldown 60 min: the re-armed crossing at +80 min fires; at +40 min it was still disarmed.
    expect(fired).toEqual([1, 0, 0, 0, 1, 0, 0]);
  });
});

describe('time-based alerts and digests', () => {
  it('deadline warnings fire once each; failing feeds alert admins only', async () => {
    await subscribe(env.db, 'a@example.org');
    const admin = await subscribe(env.db, 'ops@example.org', { admin: true });
    const now = new Date('2026-11-20T00:00:00.000Z');
    expect((await checkDeadlineAlerts(env.db, env.pack, now)).alerts).toBe(1);
    expect((await checkDeadlineAlerts(env.db, env.pack, new Date('2026-11-21T00:00:00.000Z'))).alerts).toBe(0);
    await addFailingFeed(env.db, { url: 'https://feeds.example/rss', since: '2026-11-18T00:00:00.000Z' });
    const f = await checkFeedHealthAlerts(env.db, env.pack, now);
    expect(f).toEqual({ alerts: 1, outbox: 1 });
    const row = await env.db
      .selectFrom('outbox')
      .innerJoin('alerts', 'alerts.id', 'outbox.alert_id')
      .select(['subscriber_id', 'kind'])
      .where('kind', '=', 'feed_failing')
      .execute();
    expect(row).toEqual([{ subscriber_id: admin.id, kind: 'feed_failing' }]);
    expect((await checkFeedHealthAlerts(env.db, env.pack, new Date('2026-11-20T01:00:00.000Z'))).alerts).toBe(0);
  });

  it('a digest subscriber gets one queued message per day holding the alerts since the last one', async () => {
    const d = await subscribe(env.db, 'digest@example.org', { digest: 'daily' });
    await checkDeadlineAlerts(env.db, env.pack, new Date('2026-11-20T00:00:00.000Z'));
    await env.db.transaction().execute(async (trx) => {
      await addSignal(trx, { indicator: 'envoy_talks', at: '2026-11-20T01:00:00.000Z' });
      await recordAlerts(
        trx,
        await addSnapshot(trx, '2026-11-20T02:00:00.000Z', P(0.2)),
        env.pack,
        new Date('2026-11-20T02:00:00.000Z'),
      );
    });
    expect(await env.db.selectFrom('outbox').selectAll().execute()).toEqual([]);
    // The pack's alerts.digest_at, "0 8 * * *" here: nothing before 08:00 (its last digest went out after
    // yesterday's 08:00), one at 08:00, none again that day, whatever the alerts.
    await env.db
      .updateTable('subscribers')
      .set({ digest_sent_at: '2026-11-19T08:05:00.000Z' })
      .where('id', '=', d.id)
      .execute();
    const digestAt = (iso: string) => enqueueDigests(env.db, new Date(iso), { baseUrl: 'http://x', at: '0 8 * * *' });
    expect(await digestAt('2026-11-20T07:59:00.000Z')).toEqual({ digests: 0 });
    expect(await digestAt('2026-11-20T08:00:00.000Z')).toEqual({ digests: 1 });
    expect(await digestAt('2026-11-20T09:30:00.000Z')).toEqual({ digests: 0 });
    const rows = await env.db.selectFrom('outbox').selectAll().execute();
    expect(rows).toHaveLength(2);
    expect(new Set(rows.map((r) => r.message_id)).size).toBe(1);
    expect(rows.every((r) => r.subscriber_id === d.id && r.delivery === 'digest')).toBe(true);
  });
});
