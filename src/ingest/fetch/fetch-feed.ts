// Fetches a feed URL with our own HTTP client: SSRF guard per hop, manual redirects, conditional GET, timeouts, decoded size cap.
import type http from 'node:http';
import type { LookupFunction } from 'node:net';
import { IngestError } from '../errors.ts';
import { DEFAULT_LIMITS } from '../limits.ts';
import { resolveChecked } from './address-guard.ts';
import { toIngestError } from './http-errors.ts';
import { Deadline, requestHop } from './http-hop.ts';
import { readBody } from './read-body.ts';
import { parseRetryAfter } from './retry-after.ts';

export interface FetchOptions {
  etag?: string | null;
  lastModified?: string | null;
  userAgent: string;
  allowPrivate: boolean;
  connectTimeoutMs?: number;
  totalTimeoutMs?: number;
  /** Counted after decompression. Default 10 MiB. */
  maxBytes?: number;
  maxRedirects?: number;
  /** Injectable DNS (tests). Called once per hop; the connection is pinned to its checked answer. */
  lookup?: LookupFunction;
  signal?: AbortSignal;
  now?: () => Date;
  accept?: string;
  /** Extra request headers (e.g. an API token), sent only to the origin of `url`: a redirect elsewhere drops them. */
  headers?: Record<string, string>;
  /** Allow an address the SSRF guard would refuse, per host name (tests: a stub "public" host on loopback). */
  allowAddress?: (address: string, hostname: string) => boolean;
}

export type FetchOutcome =
  | {
      kind: 'ok';
      status: number;
      /** Final URL after redirects. */
      url: string;
      /** Target of a 301/308 chain from the original URL, only when every hop was permanent. */
      permanentRedirect: string | null;
      contentType: string | null;
      body: Buffer;
      etag: string | null;
      lastModified: string | null;
    }
  | { kind: 'not_modified'; url: string };

const DEFAULT_ACCEPT =
  'application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.8';
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export function parseFeedUrl(raw: string, what = 'feed URL'): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch (cause) {
    throw new IngestError('bad_url', `invalid ${what}: ${JSON.stringify(raw.slice(0, 200))}`, { cause });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new IngestError('bad_url', `unsupported scheme ${url.protocol} in ${what} (http and https only)`);
  }
  return url;
}

function buildHeaders(options: FetchOptions): Record<string, string> {
  const headers: Record<string, string> = {
    'user-agent': options.userAgent,
    accept: options.accept ?? DEFAULT_ACCEPT,
    'accept-encoding': 'gzip, deflate, br',
  };
  if (options.etag) headers['if-none-match'] = options.etag;
  if (options.lastModified) headers['if-modified-since'] = options.lastModified;
  return headers;
}

function header(res: http.IncomingMessage, name: string): string | null {
  const v = res.headers[name];
  return (Array.isArray(v) ? v[0] : v) ?? null;
}

/** Throws for 4xx/5xx (and unusable 3xx) responses. */
function checkStatus(res: http.IncomingMessage, url: URL, now: Date): void {
  const status = res.statusCode ?? 0;
  if (status >= 200 && status < 300) return;
  res.destroy();
  if (status === 410) throw new IngestError('gone', `HTTP 410 Gone: ${url.href} was removed`, { status });
  if (status === 429 || status === 503) {
    const retryAfter = parseRetryAfter(res.headers['retry-after'], now);
    if (retryAfter) {
      throw new IngestError('rate_limited', `HTTP ${status}: retry after ${retryAfter.toISOString()}`, {
        status,
        retryAfter,
      });
    }
  }
  if (status >= 300 && status < 400)
    throw new IngestError('redirect', `HTTP ${status} without a usable Location header`, { status });
  throw new IngestError('http_status', `HTTP ${status} ${res.statusMessage ?? ''}`.trim(), { status });
}

/** The next URL of a redirect chain, refusing loops, too many hops and non-http targets. */
function redirectTarget(
  status: number,
  location: string,
  current: URL,
  seen: Set<string>,
  hops: number,
  maxRedirects: number,
): URL {
  if (hops > maxRedirects)
    throw new IngestError('redirect', `too many redirects (more than ${maxRedirects})`, { status });
  let next: URL;
  try {
    next = new URL(location, current);
  } catch (cause) {
    throw new IngestError(
      'redirect',
      `HTTP ${status} to an invalid Location ${JSON.stringify(location.slice(0, 200))}`,
      { status, cause },
    );
  }
  next = parseFeedUrl(next.href, 'redirect target');
  if (seen.has(next.href)) throw new IngestError('redirect', `redirect loop at ${next.href}`, { status });
  seen.add(next.href);
  return next;
}

/** Reads a 2xx body under the cap; the socket is closed rather than drained when reading stops early. */
async function readOkBody(res: http.IncomingMessage, maxBytes: number): Promise<Buffer> {
  try {
    const declared = Number(header(res, 'content-length') ?? NaN);
    if (!header(res, 'content-encoding') && declared > maxBytes) {
      throw new IngestError('too_large', `response body exceeds ${maxBytes} bytes (Content-Length ${declared})`);
    }
    return await readBody(res, header(res, 'content-encoding') ?? undefined, maxBytes);
  } finally {
    if (!res.complete) res.destroy();
  }
}

/** GETs `url`; returns the body or a 304. Throws IngestError for every failure. */
export async function fetchFeed(url: string, options: FetchOptions): Promise<FetchOutcome> {
  let current = parseFeedUrl(url); // before the deadline exists, so a bad URL leaves no timer behind
  const deadline = new Deadline(options.totalTimeoutMs ?? DEFAULT_LIMITS.totalTimeoutMs, options.signal);
  const headers = buildHeaders(options);
  const origin = current.origin;
  const seen = new Set<string>([current.href]);
  let allPermanent = true;
  let hops = 0;
  try {
    for (;;) {
      const pinned = await deadline.race(resolveChecked(current.hostname, options)); // getaddrinfo can hang too
      const res = await requestHop(current, pinned, {
        headers: current.origin === origin ? { ...headers, ...options.headers } : headers,
        connectTimeoutMs: options.connectTimeoutMs ?? DEFAULT_LIMITS.connectTimeoutMs,
        deadline,
      });
      const status = res.statusCode ?? 0;
      const location = header(res, 'location');
      if (REDIRECTS.has(status) && location) {
        res.destroy();
        current = redirectTarget(
          status,
          location,
          current,
          seen,
          ++hops,
          options.maxRedirects ?? DEFAULT_LIMITS.maxRedirects,
        );
        allPermanent &&= status === 301 || status === 308;
        continue;
      }
      if (status === 304) {
        res.destroy();
        return { kind: 'not_modified', url: current.href };
      }
      checkStatus(res, current, (options.now ?? (() => new Date()))());
      const body = await readOkBody(res, options.maxBytes ?? DEFAULT_LIMITS.maxBytes);
      return {
        kind: 'ok',
        status,
        url: current.href,
        permanentRedirect: hops > 0 && allPermanent ? current.href : null,
        contentType: header(res, 'content-type'),
        body,
        etag: header(res, 'etag'),
        lastModified: header(res, 'last-modified'),
      };
    }
  } catch (e) {
    if (e instanceof IngestError && e.code !== 'connection_reset' && e.code !== 'network') throw e;
    throw deadline.failure ?? toIngestError(e, current.host);
  } finally {
    deadline.dispose();
  }
}
