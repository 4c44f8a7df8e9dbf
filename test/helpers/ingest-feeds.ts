// Builders for ingest tests and the benchmark: RSS documents, a DNS stub mapping any name to
// 127.0.0.1 (so many "hosts" share one local server), and the config a test run uses.
import type { LookupFunction } from 'node:net';
import type { IngestDeps } from '../../src/ingest/run-ingest.ts';
import { silentLogger } from '../../src/logger.ts';
import type { Database } from '../../src/db/schema.ts';
import type { Kysely } from 'kysely';

export interface TestItem {
  guid?: string | null;
  link?: string | null;
  title: string;
  description?: string;
  pubDate?: string;
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function rss(items: TestItem[], title = 'Test feed'): string {
  const body = items
    .map((i) =>
      [
        '<item>',
        `<title>${esc(i.title)}</title>`,
        i.link ? `<link>${esc(i.link)}</link>` : '',
        i.guid ? `<guid isPermaLink="false">${esc(i.guid)}</guid>` : '',
        i.description !== undefined ? `<description>${esc(i.description)}</description>` : '',
        `<pubDate>${i.pubDate ?? 'Sat, 21 Nov 2026 10:00:00 GMT'}</pubDate>`,
        '</item>',
      ].join(''),
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>${esc(title)}</title><link>https://example.org/</link><description>t</description>\n${body}\n</channel></rss>`;
}

const SYLLABLES = [
  'ka',
  'lo',
  'mir',
  'den',
  'sta',
  'vol',
  'ri',
  'tan',
  'bor',
  'ne',
  'gul',
  'pa',
  'zet',
  'hu',
  'dro',
  'mes',
  'bi',
  'cor',
  'fen',
  'gam',
  'jo',
  'kus',
  'lim',
  'nor',
  'pev',
  'qua',
  'sil',
  'tro',
  'ub',
  'vek',
  'wa',
  'yor',
];

/** murmur3's 32-bit finaliser. */
function mix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * A deterministic pseudo-random word of 2-4 syllables (so distinct stories do not look alike). The
 * seed is mixed per syllable: with one weakly mixed number, word k of neighbouring seeds shared
 * its first syllables, and 16 syllables gave too few distinct word starts for event-level
 * clustering, which compares stemmed words.
 */
function word(seed: number): string {
  let x = mix(seed);
  let w = '';
  for (let k = 0; k < 2 + (x % 3); k++) {
    x = mix(x + k);
    w += SYLLABLES[x % SYLLABLES.length];
  }
  return w;
}

function sentence(seed: number, n: number): string {
  return Array.from({ length: n }, (_, k) => word(seed * 31 + k)).join(' ');
}

const LEDE_SEEDS = 3_000_000;

/** `n` distinct items for feed `f`: distinct titles and ledes, so each is its own story. */
export function numberedItems(f: number, n: number, base = 'https://news.example'): TestItem[] {
  return Array.from({ length: n }, (_, i) => {
    const seed = f * 10_007 + i;
    return {
      guid: `feed${f}-item${i}`,
      link: `${base}/f${f}/story-${i}?utm_source=rss`,
      title: `${sentence(seed, 8)} ${f}-${i}`,
      // Lede seeds sit apart from every title seed: with `seed + 7` an item's lede repeated the
      // headline of item i + 7, which event-level clustering rightly took for the same story.
      description: `<p>${sentence(seed + LEDE_SEEDS, 25)} with <b>detail</b> &amp; context ${i * 13 + f}.</p><p>${sentence(seed + 2 * LEDE_SEEDS, 20)}</p>`,
    };
  });
}

/** Resolves every host name to 127.0.0.1 (the fetcher still pins and checks the answer). */
export const loopbackLookup = ((_host: string, options: unknown, cb: (...a: unknown[]) => void) => {
  const callback = typeof options === 'function' ? (options as typeof cb) : cb;
  if (typeof options === 'object' && options !== null && (options as { all?: boolean }).all)
    callback(null, [{ address: '127.0.0.1', family: 4 }]);
  else callback(null, '127.0.0.1', 4);
}) as unknown as LookupFunction;

export function testDeps(db: Kysely<Database>, over: Partial<IngestDeps['config']> = {}): IngestDeps {
  return {
    db,
    log: silentLogger,
    lookup: loopbackLookup,
    config: {
      userAgent: 'Bellwether-test/0.1 (+https://example.org)',
      allowPrivateFeeds: true,
      maxConcurrentFetches: 8,
      maxPerHostFetches: 2,
      ...over,
    },
  };
}

/** Feed rows for a benchmark's local feeds (tiers 1-5 in turn), all due at `now`. */
export function localFeedRows(urls: string[], now: Date) {
  return urls.map((url, f) => ({
    url,
    original_url: null,
    tier: 1 + (f % 5),
    poll_interval_minutes: 15,
    full_text: 0,
    origin: 'cli' as const,
    status: 'active' as const,
    consecutive_failures: 0,
    next_check_at: now.toISOString(),
    created_at: now.toISOString(),
  }));
}
