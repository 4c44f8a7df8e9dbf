// Feed health and recent alerts as read by the dashboard, the API and the metrics.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';

export interface FeedHealth {
  id: number;
  url: string;
  name: string | null;
  tier: number;
  status: string;
  health: 'ok' | 'failing' | 'pending';
  lastCheckedAt: string | null;
  lastSuccessAt: string | null;
  lastHttpStatus: number | null;
  lastErrorCode: string | null;
  lastErrorMessage: string | null;
  failingSince: string | null;
  consecutiveFailures: number;
  nextCheckAt: string;
  items: number;
}

export async function feedHealth(db: Kysely<Database>): Promise<FeedHealth[]> {
  const rows = await db
    .selectFrom('feeds as f')
    .selectAll('f')
    .select((eb) =>
      eb
        .selectFrom('articles as a')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('a.feed_id', '=', 'f.id')
        .as('items'),
    )
    .where('f.status', '!=', 'removed')
    .orderBy('f.id')
    .execute();
  return rows.map((f) => ({
    id: f.id,
    url: f.url,
    name: f.name,
    tier: f.tier,
    status: f.status,
    health: f.consecutive_failures > 0 ? 'failing' : f.last_success_at ? 'ok' : 'pending',
    lastCheckedAt: f.last_checked_at,
    lastSuccessAt: f.last_success_at,
    lastHttpStatus: f.last_http_status,
    lastErrorCode: f.last_error_code,
    lastErrorMessage: f.last_error_message,
    failingSince: f.failing_since,
    consecutiveFailures: f.consecutive_failures,
    nextCheckAt: f.next_check_at,
    items: Number(f.items ?? 0),
  }));
}

export interface AlertItem {
  id: number;
  kind: string;
  ruleKey: string;
  title: string;
  body: string;
  data: unknown;
  snapshotId: number | null;
  createdAt: string;
}

export async function recentAlerts(db: Kysely<Database>, packId: string, limit = 50): Promise<AlertItem[]> {
  const rows = await db
    .selectFrom('alerts')
    .selectAll()
    .where('pack_id', '=', packId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((a) => {
    let data: unknown;
    try {
      data = JSON.parse(a.data);
    } catch {
      data = null;
    }
    return {
      id: a.id,
      kind: a.kind,
      ruleKey: a.rule_key,
      title: a.title,
      body: a.body,
      data,
      snapshotId: a.snapshot_id,
      createdAt: a.created_at,
    };
  });
}
