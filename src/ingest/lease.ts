// Per-feed leases (feeds.lease_owner / lease_expires_at): a run claims a feed before fetching it,
// so no two runs of one feed overlap, across processes too. A lease left by a killed process on
// this machine is taken over at once; one from elsewhere waits for its expiry. Workers claim due feeds
// in batches (`claimDueFeeds`): on PostgreSQL with FOR UPDATE SKIP LOCKED, so several workers share
// the due feeds without waiting on each other; on SQLite inside BEGIN IMMEDIATE.
import { type Kysely, PostgresAdapter, sql } from 'kysely';
import { isDeadLocalOwner } from '../db/lease-owner.ts';
import type { Database, Feed } from '../db/schema.ts';
import { writeTransaction } from '../db/write-transaction.ts';
import { nextScheduledTime } from './backoff.ts';

export { isDeadLocalOwner, newLeaseOwner } from '../db/lease-owner.ts';

/** Long enough for a fetch (30 s), full-text pages and the store; a crashed run frees it after this. */
export const FEED_LEASE_MS = 15 * 60_000;

export interface ClaimOptions {
  now: Date;
  /** Claim even if not due yet (`ingest --all`). */
  all: boolean;
  leaseMs?: number;
}

/** Claims the feed for `owner` if it is active, due (or `all`) and not leased by a live run. */
export async function claimFeed(
  db: Kysely<Database>,
  feedId: number,
  owner: string,
  o: ClaimOptions,
): Promise<boolean> {
  const iso = o.now.toISOString();
  const expires = new Date(o.now.getTime() + (o.leaseMs ?? FEED_LEASE_MS)).toISOString();
  const attempt = async (holder: string | null): Promise<boolean> => {
    let q = db
      .updateTable('feeds')
      .set({ lease_owner: owner, lease_expires_at: expires })
      .where('id', '=', feedId)
      .where('status', '=', 'active');
    if (!o.all) q = q.where('next_check_at', '<=', iso);
    q =
      holder === null
        ? q.where((eb) => eb.or([eb('lease_owner', 'is', null), eb('lease_expires_at', '<', iso)]))
        : q.where('lease_owner', '=', holder);
    return Number((await q.executeTakeFirst()).numUpdatedRows) === 1;
  };
  if (await attempt(null)) return true;
  const row = await db.selectFrom('feeds').select('lease_owner').where('id', '=', feedId).executeTakeFirst();
  if (row?.lease_owner && isDeadLocalOwner(row.lease_owner)) return attempt(row.lease_owner);
  return false;
}

/** Releases the lease if this owner still holds it (after an unexpected error). */
export async function releaseFeed(db: Kysely<Database>, feedId: number, owner: string): Promise<void> {
  await db
    .updateTable('feeds')
    .set({ lease_owner: null, lease_expires_at: null })
    .where('id', '=', feedId)
    .where('lease_owner', '=', owner)
    .execute();
}

/**
 * Claims up to `limit` due feeds for `owner` (active, next_check_at reached, no live lease) and moves each
 * claimed feed's next_check_at one interval on (a scheduled feed: to its next cron time), so a feed whose
 * worker dies mid-fetch is not fetched again before then (the refresh sets the real next check when it finishes). Feeds whose
 * lease is held by a dead process of this host are claimable at once.
 */
export async function claimDueFeeds(
  db: Kysely<Database>,
  owner: string,
  o: { now: Date; limit: number; leaseMs?: number; dueBy?: Date },
): Promise<Feed[]> {
  const iso = o.now.toISOString();
  // Feeds due by `dueBy` (default now): a run claims what was due when it began, so it ends.
  const due = (o.dueBy ?? o.now).toISOString();
  const expires = new Date(o.now.getTime() + (o.leaseMs ?? FEED_LEASE_MS)).toISOString();
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  // Most runs find nothing due: say so with one read, without taking SQLite's write lock.
  const any = await db
    .selectFrom('feeds')
    .select('id')
    .where('status', '=', 'active')
    .where('next_check_at', '<=', due)
    .limit(1)
    .executeTakeFirst();
  if (!any) return [];
  const claim = async (trx: Kysely<Database>): Promise<Feed[]> => {
    const dead = (
      await trx
        .selectFrom('feeds')
        .select('lease_owner')
        .distinct()
        .where('status', '=', 'active')
        .where('next_check_at', '<=', due)
        .where('lease_owner', 'is not', null)
        .where('lease_expires_at', '>=', iso)
        .execute()
    )
      .map((r) => r.lease_owner!)
      .filter(isDeadLocalOwner);
    let candidates = trx
      .selectFrom('feeds')
      .select(['id', 'schedule'])
      .where('status', '=', 'active')
      .where('next_check_at', '<=', due)
      .where((eb) =>
        eb.or([
          eb('lease_owner', 'is', null),
          eb('lease_expires_at', '<', iso),
          ...(dead.length > 0 ? [eb('lease_owner', 'in', dead)] : []),
        ]),
      )
      .orderBy('next_check_at')
      .orderBy('id')
      .limit(o.limit);
    if (postgres) candidates = candidates.forUpdate().skipLocked();
    const rows = await candidates.execute();
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    // The next check moves one interval on from the claim (in ISO text, the format every time is stored in),
    // or to the first cron time after the claim for a feed with a schedule (computed here: SQL knows no cron).
    const byNextCheck = new Map<string | null, number[]>();
    for (const r of rows) {
      const at = r.schedule ? (nextScheduledTime(r.schedule, o.now)?.toISOString() ?? null) : null;
      byNextCheck.set(at, [...(byNextCheck.get(at) ?? []), r.id]);
    }
    const everyInterval = postgres
      ? sql<string>`to_char((${iso}::timestamptz + poll_interval_minutes * interval '1 minute') at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`
      : sql<string>`strftime('%Y-%m-%dT%H:%M:%fZ', ${iso}, '+' || poll_interval_minutes || ' minutes')`;
    const claimed: Feed[] = [];
    for (const [at, group] of byNextCheck) {
      claimed.push(
        ...(await trx
          .updateTable('feeds')
          .set({ lease_owner: owner, lease_expires_at: expires, next_check_at: at ?? everyInterval })
          .where('id', 'in', group)
          .returningAll()
          .execute()),
      );
    }
    return claimed.sort((a, b) => ids.indexOf(a.id) - ids.indexOf(b.id));
  };
  // PostgreSQL: a plain transaction (SKIP LOCKED does the sharing); SQLite: BEGIN IMMEDIATE.
  return postgres ? db.transaction().execute(claim) : writeTransaction(db, claim);
}
