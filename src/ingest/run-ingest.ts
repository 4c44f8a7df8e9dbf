// Runs every due feed (or all) once: claims each feed's lease, fetches within a global and a
// per-host concurrency limit, and returns one FeedResult per feed; one bad feed never stops the rest.
// Due feeds are claimed in batches (claimDueFeeds: SKIP LOCKED on PostgreSQL), so several workers
// running at once share them, each feed fetched by one; `all` claims feed by feed, due or not.
import { userFacingDbError } from '../db/busy.ts';
import type { LookupFunction } from 'node:net';
import type { Kysely } from 'kysely';
import type { Config } from '../config/index.ts';
import type { Database, Feed } from '../db/schema.ts';
import type { Logger } from '../logger.ts';
import type { Job } from '../scheduler/jobs.ts';
import { type ClusterIndex, loadClusterIndex } from './cluster.ts';
import { claimDueFeeds, claimFeed, newLeaseOwner, releaseFeed } from './lease.ts';
import { DEFAULT_LIMITS, type IngestLimits } from './limits.ts';
import { runLimited } from './limiter.ts';
import { type ParsePool, sharedParsePool } from './parse-pool.ts';
import { type FeedResult, type RefreshContext, refreshFeed } from './refresh-feed.ts';

export interface IngestDeps {
  db: Kysely<Database>;
  config: Pick<Config, 'userAgent' | 'allowPrivateFeeds' | 'maxConcurrentFetches' | 'maxPerHostFetches'>;
  log: Logger;
  /** Injectable DNS (tests, the offline demo). */
  lookup?: LookupFunction;
  /** Tests: allow an address the SSRF guard would refuse, per host name. */
  allowAddress?: (address: string, hostname: string) => boolean;
  random?: () => number;
  /** Fetch and parse limits (tests inject small ones); unset fields keep DEFAULT_LIMITS. */
  limits?: Partial<IngestLimits>;
  /** Where feeds are parsed (default: the process's shared worker pool). */
  parser?: ParsePool;
}

export interface IngestOptions {
  now: Date;
  /** Every active feed, due or not (`ingest --once --all`). */
  all?: boolean;
  signal?: AbortSignal;
}

export interface IngestSummary {
  feeds: FeedResult[];
}

function hostOf(url: string): string {
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    return url;
  }
}

async function selectFeeds(db: Kysely<Database>, now: Date, all: boolean): Promise<Feed[]> {
  let q = db.selectFrom('feeds').selectAll().where('status', '=', 'active');
  if (!all) q = q.where('next_check_at', '<=', now.toISOString());
  return q.orderBy('next_check_at').orderBy('id').execute();
}

export async function runIngest(deps: IngestDeps, options: IngestOptions): Promise<IngestSummary> {
  const { db, config, log } = deps;
  const all = options.all ?? false;
  // Due feeds are claimed batch by batch below; `all` lists every active feed and claims each in turn.
  const feeds = all ? await selectFeeds(db, options.now, true) : [];
  if (all && feeds.length === 0) return { feeds: [] };
  const owner = newLeaseOwner();
  // The run's clock: `now` plus the real time elapsed, so a feed claimed late in a long run still
  // gets a lease that lasts FEED_LEASE_MS from its claim (tests pass a fixed `now`, elapsed ≈ 0).
  const startedAt = performance.now();
  const runClock = (): Date => new Date(options.now.getTime() + Math.round(performance.now() - startedAt));
  let clusters: Promise<ClusterIndex> | null = null;
  const limits: IngestLimits = { ...DEFAULT_LIMITS, ...deps.limits };
  const parser = deps.parser ?? sharedParsePool();
  const ctx: RefreshContext = {
    db,
    log,
    owner,
    now: options.now,
    clusters: () => (clusters ??= loadClusterIndex(db, options.now)),
    random: deps.random,
    read: (text, request) => parser.read(text, request),
    maxItems: limits.maxItems,
    parseBudgetMs: limits.parseBudgetMs,
    fetch: {
      userAgent: config.userAgent,
      allowPrivate: config.allowPrivateFeeds,
      connectTimeoutMs: limits.connectTimeoutMs,
      totalTimeoutMs: limits.totalTimeoutMs,
      maxBytes: limits.maxBytes,
      maxRedirects: limits.maxRedirects,
      lookup: deps.lookup,
      allowAddress: deps.allowAddress,
      signal: options.signal,
      now: () => options.now,
    },
  };
  const refresh = async (feed: Feed, at: RefreshContext = ctx): Promise<FeedResult> => {
    try {
      const r = await refreshFeed(at, feed);
      if (r.status === 'error') await releaseFeed(db, feed.id, owner);
      return r;
    } catch (error) {
      await releaseFeed(db, feed.id, owner).catch(() => undefined);
      log.error(`feed ${feed.url} crashed the refresh`, { error: (error as Error).message });
      const message = `internal: ${(error as Error).message}`;
      return { url: feed.url, status: 'error', new: 0, updated: 0, unchanged: 0, error: message };
    }
  };
  const limit = { global: config.maxConcurrentFetches, perKey: config.maxPerHostFetches };
  if (!all) {
    const results: FeedResult[] = [];
    // One batch at a time, as many as may be fetched at once: a worker takes no more than it can start.
    for (;;) {
      if (options.signal?.aborted) break;
      let batch: Feed[];
      // A batch claimed late in a long run is timed from its claim: its next checks are one interval on
      // from when it was fetched, not from when the run began.
      const claimedAt = runClock();
      try {
        batch = await claimDueFeeds(db, owner, {
          now: claimedAt,
          dueBy: options.now,
          limit: config.maxConcurrentFetches,
        });
      } catch (thrown) {
        // e.g. SQLITE_BUSY past the busy timeout: the due feeds wait for the next run.
        log.warn('could not claim due feeds', { error: (userFacingDbError(thrown) as Error).message });
        break;
      }
      if (batch.length === 0) break;
      results.push(
        ...(await runLimited(
          batch.map((feed) => ({ key: hostOf(feed.url), run: () => refresh(feed, { ...ctx, now: claimedAt }) })),
          limit,
        )),
      );
    }
    return { feeds: results };
  }
  const tasks = feeds.map((feed) => ({
    key: hostOf(feed.url),
    run: async (): Promise<FeedResult> => {
      const skipped: FeedResult = { url: feed.url, status: 'skipped', new: 0, updated: 0, unchanged: 0, error: null };
      if (options.signal?.aborted) return { ...skipped, error: 'run aborted' };
      let claimed: boolean;
      try {
        claimed = await claimFeed(db, feed.id, owner, { now: runClock(), all });
      } catch (thrown) {
        // e.g. SQLITE_BUSY past the busy timeout: this feed waits for the next run, the others go on.
        const error = userFacingDbError(thrown) as Error;
        log.warn(`could not claim feed ${feed.url}`, { error: error.message });
        return { ...skipped, status: 'error', error: `storage: ${error.message}` };
      }
      if (!claimed) {
        log.info(`feed ${feed.url} is being refreshed by another run (or is no longer due); skipped`);
        return { ...skipped, error: 'another run holds this feed' };
      }
      return refresh(feed);
    },
  }));
  return { feeds: await runLimited(tasks, limit) };
}

/**
 * A scheduler job that runs the due feeds every `everyMs` (default 15 seconds; a run with nothing due is
 * one read). Every worker runs its own (not exclusive): the feeds themselves are claimed one worker each.
 */
export function ingestJob(
  deps: IngestDeps & { everyMs?: number; onRun?: (summary: IngestSummary) => Promise<void> | void },
): Job {
  return {
    name: 'ingest',
    everyMs: deps.everyMs ?? 15_000,
    exclusive: false,
    async run(now: Date): Promise<void> {
      const summary = await runIngest(deps, { now });
      const count = (s: FeedResult['status']) => summary.feeds.filter((f) => f.status === s).length;
      if (summary.feeds.length > 0) {
        deps.log.info('ingest run', {
          feeds: summary.feeds.length,
          ok: count('ok'),
          not_modified: count('not_modified'),
          error: count('error'),
          skipped: count('skipped'),
          new: summary.feeds.reduce((n, f) => n + f.new, 0),
          updated: summary.feeds.reduce((n, f) => n + f.updated, 0),
        });
      }
      await deps.onRun?.(summary);
    },
  };
}
