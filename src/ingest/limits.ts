// Every bound ingestion puts on one feed, in one place (README "Hostile feeds" states them): sizes, item and field caps, time budgets.

/** Items kept per fetch: the rest of a bigger feed is cut before it is parsed. */
export const MAX_ITEMS_PER_FETCH = 1_000;
/** Characters kept of an item title (plain text). */
export const MAX_TITLE_CHARS = 1_000;
/** Characters kept of an item summary and of its full text (plain text). */
export const MAX_SUMMARY_CHARS = 4_000;
export const MAX_TEXT_CHARS = 50_000;
/** Characters kept of a summary or content field as published (HTML), before it is turned into text. */
export const MAX_HTML_CHARS = 100_000;
/** Element nesting the tolerant parsers keep; deeper tags are dropped (their text stays). */
export const MAX_NESTING_DEPTH = 256;

/** The tunable limits of one ingest run (tests inject small ones; production uses the defaults). */
export interface IngestLimits {
  /** TCP connect (plus TLS handshake) per hop. */
  connectTimeoutMs: number;
  /** The whole fetch: DNS, redirects, headers and body. */
  totalTimeoutMs: number;
  /** Body size, counted after decompression. */
  maxBytes: number;
  maxRedirects: number;
  maxItems: number;
  /** Time one feed's parse (and HTML → text) may take in the parse worker before it is abandoned. */
  parseBudgetMs: number;
}

export const DEFAULT_LIMITS: Readonly<IngestLimits> = Object.freeze({
  connectTimeoutMs: 10_000,
  totalTimeoutMs: 30_000,
  maxBytes: 10 * 1024 * 1024,
  maxRedirects: 5,
  maxItems: MAX_ITEMS_PER_FETCH,
  parseBudgetMs: 10_000,
});

/** The parse worker's heap limit (V8 old generation), in MB: a pool option (see parse-pool.ts). */
export const PARSE_MEMORY_MB = 512;
