// Refreshes one feed end to end (fetch → decode → parse → clean → identify → cluster → store),
// returning early at each failure with the failure recorded on the feed row (Miniflux's shape).
import type { Kysely } from 'kysely';
import type { Database, Feed, FeedUpdate } from '../db/schema.ts';
import type { Logger } from '../logger.ts';
import { nextCheckAt } from './backoff.ts';
import { extractArticleText } from './clean.ts';
import type { ClusterIndex } from './cluster.ts';
import { decodeFeed } from './decode.ts';
import { IngestError } from './errors.ts';
import { type FetchOptions, type FetchOutcome, fetchFeed } from './fetch/fetch-feed.ts';
import { DEFAULT_LIMITS, MAX_TEXT_CHARS } from './limits.ts';
import type { ReadRequest } from './parse-pool.ts';
import { type PreparedItem, dedupeItems, prepareItem } from './prepare-items.ts';
import type { ReadFeed } from './read-feed.ts';
import { LeaseLostError, storeFeedResult, updateFeedHealth } from './store.ts';

export interface FeedResult {
  url: string;
  status: 'ok' | 'not_modified' | 'error' | 'skipped';
  new: number;
  updated: number;
  unchanged: number;
  error: string | null;
}

export interface RefreshContext {
  db: Kysely<Database>;
  log: Logger;
  /** The recent-cluster index, loaded on first use (a run of 304s never needs it). */
  clusters: () => Promise<ClusterIndex>;
  /** The lease this run holds on the feed. */
  owner: string;
  now: Date;
  /** Fetch settings shared by every feed of the run (user agent, SSRF policy, timeouts, DNS). */
  fetch: Omit<FetchOptions, 'etag' | 'lastModified'>;
  random?: () => number;
  /** Parses and cleans feed text off the main thread, under a budget (the parse pool's `read`). */
  read: (text: string, request: ReadRequest) => Promise<ReadFeed>;
  /** Most items kept per fetch (default MAX_ITEMS_PER_FETCH). */
  maxItems?: number;
  /** Time budget of one feed's parse (default DEFAULT_LIMITS.parseBudgetMs). */
  parseBudgetMs?: number;
  /** Most article pages fetched per run of a full-text feed. */
  maxFullTextPerRun?: number;
}

const released = { lease_owner: null, lease_expires_at: null } as const;

function result(
  feed: Feed,
  status: FeedResult['status'],
  counts = { new: 0, updated: 0, unchanged: 0 },
  error: string | null = null,
): FeedResult {
  return { url: feed.url, status, ...counts, error };
}

/** Records a failure on the feed (stable code, message, backoff; 410 → gone) and returns the result. */
async function fail(ctx: RefreshContext, feed: Feed, error: unknown): Promise<FeedResult> {
  const e =
    error instanceof IngestError
      ? error
      : new IngestError('network', (error as Error)?.message ?? String(error), { cause: error });
  const failures = feed.consecutive_failures + 1;
  const iso = ctx.now.toISOString();
  const update: FeedUpdate = {
    ...released,
    last_checked_at: iso,
    last_http_status: e.status ?? null,
    last_error_code: e.code,
    last_error_message: e.message.slice(0, 1000),
    consecutive_failures: failures,
    failing_since: feed.failing_since ?? iso,
    next_check_at: nextCheckAt({
      now: ctx.now,
      intervalMinutes: feed.poll_interval_minutes,
      schedule: feed.schedule,
      consecutiveFailures: failures,
      retryAfter: e.retryAfter ?? null,
      random: (ctx.random ?? Math.random)(),
    }).toISOString(),
    ...(e.code === 'gone' ? { status: 'gone' as const } : {}),
  };
  if (!(await updateFeedHealth(ctx.db, feed.id, ctx.owner, update)))
    return result(feed, 'skipped', undefined, new LeaseLostError(feed.id).message);
  ctx.log.warn(`feed failed: ${feed.url}`, { code: e.code, error: e.message });
  return result(feed, 'error', undefined, `${e.code}: ${e.message}`);
}

function healthy(ctx: RefreshContext, feed: Feed, status: number): FeedUpdate {
  const iso = ctx.now.toISOString();
  return {
    ...released,
    last_checked_at: iso,
    last_success_at: iso,
    last_http_status: status,
    last_error_code: null,
    last_error_message: null,
    consecutive_failures: 0,
    failing_since: null,
    next_check_at: nextCheckAt({
      now: ctx.now,
      intervalMinutes: feed.poll_interval_minutes,
      schedule: feed.schedule,
      consecutiveFailures: 0,
      random: (ctx.random ?? Math.random)(),
    }).toISOString(),
  };
}

/** Fetches article pages for items not stored yet (full-text feeds); a failed page keeps the feed's text. */
async function addFullText(ctx: RefreshContext, feed: Feed, items: PreparedItem[]): Promise<PreparedItem[]> {
  const known = new Set(
    (
      await ctx.db
        .selectFrom('articles')
        .select('guid_hash')
        .where('feed_id', '=', feed.id)
        .where('guid_hash', 'in', items.map((i) => i.guidHash).concat(['']))
        .execute()
    ).map((r) => r.guid_hash),
  );
  let budget = ctx.maxFullTextPerRun ?? 20;
  const out: PreparedItem[] = [];
  for (const it of items) {
    if (known.has(it.guidHash) || !it.link || budget <= 0) {
      out.push(it);
      continue;
    }
    budget--;
    try {
      const page = await fetchFeed(it.link, {
        ...ctx.fetch,
        accept: 'text/html, application/xhtml+xml;q=0.9, */*;q=0.5',
      });
      if (page.kind !== 'ok') throw new IngestError('http_status', 'unexpected 304 for an unconditional request');
      const text = await extractArticleText(decodeFeed(page.body, page.contentType).text, MAX_TEXT_CHARS);
      out.push(text ? prepareItem({ ...it, text }, feed.url) : it);
    } catch (error) {
      ctx.log.debug(`full text unavailable: ${it.link}`, { error: (error as Error).message });
      out.push(it);
    }
  }
  return out;
}

/** Another feed may already hold the 301 target; then the stored URL stays (and we say so). */
async function redirectTarget(
  ctx: RefreshContext,
  feed: Feed,
  outcome: Extract<FetchOutcome, { kind: 'ok' }>,
): Promise<string | null> {
  const target = outcome.permanentRedirect;
  if (!target || target === feed.url) return null;
  const clash = await ctx.db
    .selectFrom('feeds')
    .select('id')
    .where('url', '=', target)
    .where('id', '!=', feed.id)
    .executeTakeFirst();
  if (clash) {
    ctx.log.warn(
      `feed ${feed.url} moved permanently to ${target}, which another feed already polls; keeping the old URL`,
    );
    return null;
  }
  return target;
}

export async function refreshFeed(ctx: RefreshContext, feed: Feed): Promise<FeedResult> {
  let outcome: FetchOutcome;
  try {
    outcome = await fetchFeed(feed.url, { ...ctx.fetch, etag: feed.etag, lastModified: feed.last_modified });
  } catch (error) {
    return fail(ctx, feed, error);
  }
  if (outcome.kind === 'not_modified') {
    // No parse and no article writes; the stored validators stay as they are (RFC 9110 §15.4.5).
    if (!(await updateFeedHealth(ctx.db, feed.id, ctx.owner, healthy(ctx, feed, 304))))
      return result(feed, 'skipped', undefined, new LeaseLostError(feed.id).message);
    return result(feed, 'not_modified');
  }
  let items: PreparedItem[];
  try {
    const { text } = decodeFeed(outcome.body, outcome.contentType);
    const read = await ctx.read(text, {
      fetchedAt: ctx.now,
      maxItems: ctx.maxItems ?? DEFAULT_LIMITS.maxItems,
      budgetMs: ctx.parseBudgetMs ?? DEFAULT_LIMITS.parseBudgetMs,
    });
    items = dedupeItems(read.items.map((c) => prepareItem(c, outcome.url)));
  } catch (error) {
    return fail(
      ctx,
      feed,
      error instanceof IngestError ? error : new IngestError('parse_error', (error as Error).message, { cause: error }),
    );
  }
  if (feed.full_text) items = await addFullText(ctx, feed, items);
  const moved = await redirectTarget(ctx, feed, outcome);
  const feedUpdate: FeedUpdate = {
    ...healthy(ctx, feed, outcome.status),
    etag: outcome.etag,
    last_modified: outcome.lastModified,
    ...(moved ? { url: moved } : {}),
  };
  try {
    const counts = await storeFeedResult(ctx.db, {
      feed: { id: feed.id, tier: feed.tier, language: feed.language },
      items,
      feedUpdate,
      leaseOwner: ctx.owner,
      fetchedAt: ctx.now,
      clusters: await ctx.clusters(),
    });
    return { ...result(feed, 'ok', counts), url: moved ?? feed.url };
  } catch (error) {
    if (error instanceof LeaseLostError) return result(feed, 'skipped', undefined, error.message);
    ctx.log.error(`storing feed ${feed.url} failed`, { error: (error as Error).message });
    return result(feed, 'error', undefined, `storage: ${(error as Error).message}`);
  }
}
