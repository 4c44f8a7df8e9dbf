// The alerts read model (CLI list, dashboard, API, JSON Feed): alerts newest first, with delivery counts.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { AlertData, AlertKind } from './types.ts';

export interface AlertView {
  id: number;
  packId: string;
  kind: AlertKind;
  ruleKey: string;
  title: string;
  body: string;
  data: AlertData;
  snapshotId: number | null;
  createdAt: string;
  delivery: { sent: number; pending: number; sending: number; failed: number; lastError: string | null };
}

export interface AlertQuery {
  /** Only this pack's alerts (default: every pack). */
  packId?: string;
  limit: number;
  /** Only alerts with a smaller id (keyset paging: pass the last id shown). */
  beforeId?: number;
  /** Skip the delivery counts (public readers do not show them). */
  withDelivery?: boolean;
}

const EMPTY_DATA: AlertData = { probabilities: {}, previous: null, scenarioNames: {}, shifted: [], stories: [] };

/** alerts.data is written by the recorder; an unreadable row still lists, with empty data. */
function parseData(text: string): AlertData {
  try {
    const v = JSON.parse(text) as Partial<AlertData> | null;
    return v && typeof v === 'object' ? { ...EMPTY_DATA, ...v } : EMPTY_DATA;
  } catch {
    return EMPTY_DATA;
  }
}

export async function listAlerts(db: Kysely<Database>, q: AlertQuery): Promise<AlertView[]> {
  let query = db.selectFrom('alerts').selectAll();
  if (q.packId !== undefined) query = query.where('pack_id', '=', q.packId);
  if (q.beforeId !== undefined) query = query.where('id', '<', q.beforeId);
  const alerts = await query.orderBy('id', 'desc').limit(q.limit).execute();
  if (alerts.length === 0) return [];
  const counts =
    q.withDelivery === false
      ? []
      : await db
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
      packId: a.pack_id,
      kind: a.kind as AlertKind,
      ruleKey: a.rule_key,
      title: a.title,
      body: a.body,
      data: parseData(a.data),
      snapshotId: a.snapshot_id,
      createdAt: a.created_at,
      delivery,
    };
  });
}

/** One alert by id (null if none). */
export async function alertById(db: Kysely<Database>, id: number): Promise<AlertView | null> {
  const [a] = await listAlerts(db, { limit: 1, beforeId: id + 1, withDelivery: false });
  return a && a.id === id ? a : null;
}
