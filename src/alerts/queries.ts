// Read models for alerts (CLI list, dashboard, API, feed): recent alerts with delivery counts.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { AlertData, AlertKind } from './types.ts';

export interface AlertView {
  id: number;
  kind: AlertKind;
  ruleKey: string;
  title: string;
  body: string;
  data: AlertData;
  createdAt: string;
  delivery: { sent: number; pending: number; sending: number; failed: number; lastError: string | null };
}

export async function recentAlerts(db: Kysely<Database>, limit: number): Promise<AlertView[]> {
  const alerts = await db.selectFrom('alerts').selectAll().orderBy('id', 'desc').limit(limit).execute();
  if (alerts.length === 0) return [];
  const counts = await db
    .selectFrom('outbox')
    .select([
      'alert_id',
      'status',
      (eb) => eb.fn.countAll<number>().as('n'),
      (eb) => eb.fn.max('last_error').as('last_error'),
    ])
    .where(
      'alert_id',
      'in',
      alerts.map((a) => a.id),
    )
    .groupBy(['alert_id', 'status'])
    .execute();
  return alerts.map((a) => {
    const delivery = { sent: 0, pending: 0, sending: 0, failed: 0, lastError: null as string | null };
    for (const c of counts.filter((x) => x.alert_id === a.id)) {
      delivery[c.status] = Number(c.n);
      if (c.last_error) delivery.lastError = c.last_error;
    }
    return {
      id: a.id,
      kind: a.kind as AlertKind,
      ruleKey: a.rule_key,
      title: a.title,
      body: a.body,
      data: JSON.parse(a.data) as AlertData,
      createdAt: a.created_at,
      delivery,
    };
  });
}
