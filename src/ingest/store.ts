// Stores one feed's items and its health update in ONE transaction: new items are inserted (and
// clustered), changed items updated in place (content_hash), seen items left alone. The feed row
// update doubles as the lease check: if this run no longer holds the lease, nothing commits.
import { BellwetherError } from '../errors.ts';
import type { Kysely } from 'kysely';
import type { Database, FeedUpdate, NewArticle } from '../db/schema.ts';
import { ClusterBatch, type ClusterIndex } from './cluster.ts';
import { type CleanItem, dedupeItems, type PreparedItem, prepareItem } from './prepare-items.ts';
import { writeTransaction } from '../db/write-transaction.ts';
import { rawSqliteOf } from '../db/connect.ts';
import { type StoreStatements, storeStatements } from './store-statements.ts';

export interface StoreCounts {
  new: number;
  updated: number;
  unchanged: number;
}

export interface StoreInput {
  feed: { id: number; tier: number; language: string | null };
  items: PreparedItem[];
  /** Columns to set on the feed row (health, validators, next check, lease release). */
  feedUpdate: FeedUpdate;
  /** The lease this run holds; the commit is refused if another run took the feed over. */
  leaseOwner: string;
  fetchedAt: Date;
  clusters: ClusterIndex;
}

export class LeaseLostError extends BellwetherError<'lease_lost'> {
  readonly code = 'lease_lost';
  constructor(feedId: number) {
    super(`feed ${feedId}: lease lost to another run; nothing stored`);
  }
}

interface Existing {
  id: number;
  guid_hash: string;
  canonical_url: string | null;
  content_hash: string;
}

const CHUNK = 400;

async function findExisting(trx: Kysely<Database>, feedId: number, items: PreparedItem[]): Promise<Existing[]> {
  const out: Existing[] = [];
  for (let i = 0; i < items.length; i += CHUNK) {
    const part = items.slice(i, i + CHUNK);
    const ids = part.map((it) => it.guidHash);
    const urls = part.map((it) => it.canonicalUrl).filter((u): u is string => u !== null);
    const rows = await trx
      .selectFrom('articles')
      .select(['id', 'guid_hash', 'canonical_url', 'content_hash'])
      .where('feed_id', '=', feedId)
      .where((eb) =>
        urls.length > 0
          ? eb.or([eb('guid_hash', 'in', ids), eb('canonical_url', 'in', urls)])
          : eb('guid_hash', 'in', ids),
      )
      .execute();
    out.push(...rows);
  }
  return out;
}

async function storeItems(trx: Kysely<Database>, input: StoreInput, raw: StoreStatements | null): Promise<StoreCounts> {
  const counts: StoreCounts = { new: 0, updated: 0, unchanged: 0 };
  const now = input.fetchedAt.toISOString();
  const existing = await findExisting(trx, input.feed.id, input.items);
  const byId = new Map(existing.map((e) => [e.guid_hash, e]));
  const byUrl = new Map(existing.filter((e) => e.canonical_url).map((e) => [e.canonical_url as string, e]));
  const inserts: NewArticle[] = [];
  const clusters = new ClusterBatch(trx, input.clusters, input.feed, raw);
  for (const it of input.items) {
    const old = byId.get(it.guidHash) ?? (it.canonicalUrl ? byUrl.get(it.canonicalUrl) : undefined);
    if (old) {
      if (old.content_hash === it.contentHash) {
        counts.unchanged++;
        continue;
      }
      // Same story, new wording: update in place and queue it for tagging again.
      await trx
        .updateTable('articles')
        .set({
          title: it.title,
          summary: it.summary,
          text: it.text,
          url: it.link,
          canonical_url: it.canonicalUrl,
          content_hash: it.contentHash,
          simhash: it.simhash,
          updated_at: now,
          tagged_with: null,
        })
        .where('id', '=', old.id)
        .execute();
      old.content_hash = it.contentHash;
      counts.updated++;
      continue;
    }
    const clusterId = await clusters.assign({
      title: it.title,
      simhash: it.simhash,
      canonicalUrl: it.canonicalUrl,
      publishedAt: it.publishedAt,
      eventTokens: it.eventTokens,
    });
    inserts.push({
      feed_id: input.feed.id,
      cluster_id: clusterId,
      guid_hash: it.guidHash,
      guid: it.guid,
      url: it.link,
      canonical_url: it.canonicalUrl,
      content_hash: it.contentHash,
      title: it.title,
      summary: it.summary,
      text: it.text,
      language: it.language ?? input.feed.language,
      published_at: it.publishedAt,
      fetched_at: now,
      updated_at: now,
      simhash: it.simhash,
      tagged_with: null,
    });
    counts.new++;
  }
  await clusters.flush();
  if (raw) for (const row of inserts) raw.insertArticle(row);
  else {
    const perChunk = Math.floor(CHUNK / 20);
    for (let i = 0; i < inserts.length; i += perChunk)
      await trx
        .insertInto('articles')
        .values(inserts.slice(i, i + perChunk))
        .execute();
  }
  return counts;
}

/** One feed's items and health in one transaction; throws LeaseLostError (rolled back) if the lease is gone. */
export async function storeFeedResult(db: Kysely<Database>, input: StoreInput): Promise<StoreCounts> {
  const sqlite = rawSqliteOf(db);
  const raw = sqlite ? storeStatements(sqlite) : null;
  return input.clusters.transactional(() =>
    writeTransaction(db, async (trx) => {
      const counts = await storeItems(trx, input, raw);
      const res = await trx
        .updateTable('feeds')
        .set(input.feedUpdate)
        .where('id', '=', input.feed.id)
        .where('lease_owner', '=', input.leaseOwner)
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) !== 1) throw new LeaseLostError(input.feed.id);
      return counts;
    }),
  );
}

/**
 * Stores items that come from an archive rather than a poll (`bellwether replay`): the same preparation,
 * de-duplication, identity, update-in-place and clustering as a feed's items, in one write transaction,
 * without a lease (nobody polls an archive feed).
 */
export async function storeArchivedItems(
  db: Kysely<Database>,
  input: Omit<StoreInput, 'items' | 'feedUpdate' | 'leaseOwner'> & { items: CleanItem[]; feedUrl: string },
): Promise<StoreCounts> {
  const items = dedupeItems(input.items.map((it) => prepareItem(it, input.feedUrl)));
  const sqlite = rawSqliteOf(db);
  const raw = sqlite ? storeStatements(sqlite) : null;
  const full: StoreInput = { ...input, items, feedUpdate: {}, leaseOwner: '' };
  return input.clusters.transactional(() => writeTransaction(db, (trx) => storeItems(trx, full, raw)));
}

/** Health-only update (failures, 304s), under the same lease check. Returns false if the lease was lost. */
export async function updateFeedHealth(
  db: Kysely<Database>,
  feedId: number,
  leaseOwner: string,
  update: FeedUpdate,
): Promise<boolean> {
  const res = await db
    .updateTable('feeds')
    .set(update)
    .where('id', '=', feedId)
    .where('lease_owner', '=', leaseOwner)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}
