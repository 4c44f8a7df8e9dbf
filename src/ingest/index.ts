// Public surface of the ingest stage: feed management, one run over the due feeds, the scheduler job.
export {
  syncPackFeeds,
  addFeed,
  removeFeed,
  ensureArchiveFeed,
  listFeeds,
  markFeedsDue,
  validateFeedUrl,
  FeedError,
  DEFAULT_INTERVAL_MINUTES,
} from './feeds.ts';
export type { AddFeedInput, FeedHealth, SyncResult } from './feeds.ts';
export { importOpml, exportOpml, parseOpml } from './opml.ts';
export type { ImportResult, OpmlFeed } from './opml.ts';
export { runIngest, ingestJob } from './run-ingest.ts';
export type { IngestDeps, IngestOptions, IngestSummary } from './run-ingest.ts';
export { refreshFeed } from './refresh-feed.ts';
export type { FeedResult } from './refresh-feed.ts';
export { canonicalUrl } from './canonical-url.ts';
export { simhash, hammingDistance, NEAR_DUPLICATE_BITS } from './simhash.ts';
export { CLUSTER_WINDOW_MS, loadClusterIndex } from './cluster.ts';
export { storeArchivedItems } from './store.ts';
export { readArchivedFeed, type ArchivedFeed } from './archive.ts';
export type { StoreCounts } from './store.ts';
export { IngestError, isIngestError } from './errors.ts';
export type { IngestErrorCode } from './errors.ts';
export { marketJobs, marketRetryMs, storeMarketPoint, MARKET_RETRY_MS } from './market/market-jobs.ts';
export type { MarketJobDeps, MarketPointInput } from './market/market-jobs.ts';
export { pollMarket } from './market/poll-market.ts';
export type { MarketConfig } from './market/poll-market.ts';
export { MarketError } from './market/market-error.ts';
