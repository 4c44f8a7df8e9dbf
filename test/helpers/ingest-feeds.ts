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
    .map((i) => [
      '<item>',
      `<title>${esc(i.title)}</title>`,
      i.link ? `<link>${esc(i.link)}</link>` : '',
      i.guid ? `<guid isPermaLink="false">${esc(i.guid)}</guid>` : '',
      i.description !== undefined ? `<description>${esc(i.description)}</description>` : '',
      `<pubDate>${i.pubDate ?? 'Sat, 21 Nov 2026 10:00:00 GMT'}</pubDate>`,
      '</item>',
    ].join(''))
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>${esc(title)}</title><link>https://example.org/</link><description>t</description>\n${body}\n</channel></rss>`;
}

const SYLLABLES = ['ka', 'lo', 'mir', 'den', 'sta', 'vol', 'ri', 'tan', 'bor', 'ne', 'gul', 'pa', 'zet', 'hu', 'dro', 'mes'];

/** A deterministic pseudo-random word (so distinct stories do not look like near-duplicates). */
function word(seed: number): string {
  let x = (seed * 2654435761) >>> 0;
  let w = '';
  for (let k = 0; k < 2 + (x % 3); k++) {
    w += SYLLABLES[x & 15];
    x = (Math.imul(x ^ (x >>> 13), 1274126177) >>> 0) + k;
  }
  return w;
}

function sentence(seed: number, n: number): string {
  return Array.from({ length: n }, (_, k) => word(seed * 31 + k)).join(' ');
}

/** `n` distinct items for feed `f`: distinct titles and ledes, so each is its own story. */
export function numberedItems(f: number, n: number, base = 'https://news.example'): TestItem[] {
  return Array.from({ length: n }, (_, i) => {
    const seed = f * 10_007 + i;
    return {
      guid: `feed${f}-item${i}`,
      link: `${base}/f${f}/story-${i}?utm_source=rss`,
      title: `${sentence(seed, 8)} ${f}-${i}`,
      description: `<p>${sentence(seed + 7, 25)} with <b>detail</b> &amp; context ${i * 13 + f}.</p><p>${sentence(seed + 11, 20)}</p>`,
    };
  });
}

/** Resolves every host name to 127.0.0.1 (the fetcher still pins and checks the answer). */
export const loopbackLookup = ((_host: string, options: unknown, cb: (...a: unknown[]) => void) => {
  const callback = typeof options === 'function' ? (options as typeof cb) : cb;
  if (typeof options === 'object' && options !== null && (options as { all?: boolean }).all) callback(null, [{ address: '127.0.0.1', family: 4 }]);
  else callback(null, '127.0.0.1', 4);
}) as unknown as LookupFunction;

export function testDeps(db: Kysely<Database>, over: Partial<IngestDeps['config']> = {}): IngestDeps {
  return {
    db,
    log: silentLogger,
    lookup: loopbackLookup,
    config: { userAgent: 'Bellwether-test/0.1 (+https://example.org)', allowPrivateFeeds: true, maxConcurrentFetches: 8, maxPerHostFetches: 2, ...over },
  };
}
