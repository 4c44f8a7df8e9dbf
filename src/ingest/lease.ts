// Per-feed leases (feeds.lease_owner / lease_expires_at): a run claims a feed before fetching it,
// so no two runs of one feed overlap, across processes too. A lease left by a killed process on
// this machine is taken over at once; one from elsewhere waits for its expiry.
import type { Kysely } from 'kysely';
import { isDeadLocalOwner } from '../db/lease-owner.ts';
import type { Database } from '../db/schema.ts';

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
