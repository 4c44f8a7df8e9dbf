// One poll of one market source: GET the public API through the feed fetcher (SSRF guard, timeouts,
// size cap), parse the JSON, and read the probability with the source's adapter.
import type { Config } from '../../config/index.ts';
import type { MarketSource } from '../../pack/schema.ts';
import { fetchFeed } from '../fetch/fetch-feed.ts';
import { MarketError } from './market-error.ts';
import { metaculusUrl, readMetaculus } from './metaculus.ts';
import { polymarketUrl, readPolymarket } from './polymarket.ts';
import type { MarketReading } from './types.ts';

export type MarketConfig = Pick<
  Config,
  'userAgent' | 'allowPrivateFeeds' | 'polymarketApiUrl' | 'metaculusApiUrl' | 'metaculusApiToken'
>;

export interface PollOptions {
  /** Whole-request deadline (default 20 s). */
  timeoutMs?: number;
  now?: () => Date;
}

interface Request {
  url: string;
  headers: Record<string, string>;
  read(json: unknown): MarketReading;
}

/** One case per kind of source: its URL, its headers and its reader. */
function request(source: MarketSource, config: MarketConfig): Request {
  if (source.kind === 'polymarket')
    return { url: polymarketUrl(source, config.polymarketApiUrl), headers: {}, read: (j) => readPolymarket(j, source) };
  const headers: Record<string, string> = {};
  if (config.metaculusApiToken) headers.authorization = `Token ${config.metaculusApiToken}`;
  return { url: metaculusUrl(source, config.metaculusApiUrl), headers, read: (j) => readMetaculus(j, source) };
}

/** Polls `source` once. Throws IngestError (network, HTTP status, timeout, too large) or MarketError (unreadable JSON). */
export async function pollMarket(
  source: MarketSource,
  config: MarketConfig,
  options: PollOptions = {},
): Promise<MarketReading> {
  const r = request(source, config);
  const res = await fetchFeed(r.url, {
    userAgent: config.userAgent,
    // The base URL is the operator's (an env variable) and the pack adds only a checked slug or id, but
    // the answer could still redirect inward: the same guard as feeds applies, on every hop.
    allowPrivate: config.allowPrivateFeeds,
    accept: 'application/json',
    headers: r.headers,
    totalTimeoutMs: options.timeoutMs ?? 20_000,
    connectTimeoutMs: Math.min(options.timeoutMs ?? 10_000, 10_000),
    maxBytes: 4 * 1024 * 1024,
    ...(options.now ? { now: options.now } : {}),
  });
  if (res.kind !== 'ok') throw new MarketError(`${r.url}: unexpected 304 Not Modified (no validator was sent)`);
  let json: unknown;
  try {
    json = JSON.parse(res.body.toString('utf8'));
  } catch (cause) {
    throw new MarketError(`${r.url}: the response is not JSON (${(cause as Error).message})`, { cause });
  }
  return r.read(json);
}
