// Bad input end to end over HTTP on 127.0.0.1 (fetchFeed → decodeFeed → parseFeed): RELIABILITY.md (a) 1–9, 11, 12, plus the Cyrillic fixtures.
import { readFileSync } from 'node:fs';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeFeed } from '../src/ingest/decode.ts';
import { isIngestError } from '../src/ingest/errors.ts';
import { fetchFeed } from '../src/ingest/fetch/fetch-feed.ts';
import { MAX_ITEMS_PER_FETCH } from '../src/ingest/limits.ts';
import { parseFeed, type ParsedFeed } from '../src/ingest/parse.ts';
import { startFeedServer, type FeedServer } from './helpers/feed-server.ts';

const fetchedAt = new Date('2026-11-21T12:00:00.000Z');
const fixture = (name: string): Buffer => readFileSync(new URL(`./fixtures/ingest/${name}`, import.meta.url));
const rss = (items: string, channel = '<title>Feed</title>') =>
  `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>${channel}${items}</channel></rss>`;

let server: FeedServer;
let canary: FeedServer;
beforeAll(async () => {
  server = await startFeedServer();
  canary = await startFeedServer();
});
afterAll(async () => {
  await server.close();
  await canary.close();
});

/** Serves `body` once under a fresh path and runs the front half of ingestion on it. */
async function ingest(
  body: string | Buffer,
  contentType = 'application/rss+xml',
): Promise<ParsedFeed & { encoding: string }> {
  const path = `/f${server.hits()}-${Math.random().toString(36).slice(2)}`;
  server.route(path, { headers: { 'content-type': contentType }, body });
  const out = await fetchFeed(server.url(path), { userAgent: 'Bellwether/test', allowPrivate: true });
  if (out.kind !== 'ok') throw new Error('unexpected 304');
  const { text, encoding } = decodeFeed(out.body, out.contentType);
  return { ...(await parseFeed(text, { fetchedAt })), encoding };
}

async function ingestError(body: string | Buffer, contentType?: string): Promise<{ code: string; message: string }> {
  const e = await ingest(body, contentType).then(
    () => null,
    (x: unknown) => x,
  );
  if (!isIngestError(e)) throw new Error(`expected an IngestError, got ${String(e)}`);
  return e;
}

describe('scenarios 1–3: charsets', () => {
  it('1: a windows-1251 feed (header and declaration) comes out as exact Ukrainian', async () => {
    const feed = await ingest(fixture('uk-windows-1251.xml'), 'application/rss+xml; charset=windows-1251');
    expect(feed.encoding).toBe('windows-1251');
    expect(feed.title).toBe('Новини України');
    expect(feed.items[0]?.title).toBe('Переговори про мир: Київ і Брюссель узгодили позицію');
    expect(feed.items[0]?.summaryHtml).toBe('Сторони домовилися про припинення вогню — ґрунтовна угода, є надія.');
    expect(JSON.stringify(feed)).not.toContain('\uFFFD');
  });
  it('2: a koi8-r feed served as text/xml without charset comes out as exact Russian', async () => {
    const feed = await ingest(fixture('ru-koi8-r.xml'), 'text/xml');
    expect(feed.encoding).toBe('koi8-r');
    expect(feed.title).toBe('Новости дня');
    expect(feed.items[0]?.title).toBe('Переговоры о мире продолжатся в Стамбуле');
    expect(feed.items[0]?.summaryHtml).toBe('Съезд делегаций назначен на четверг; ёлки, щи и объявление.');
  });
  it('3: conflicting charsets resolve as specified', async () => {
    const title = 'Київ';
    const utf8WithCp1251Decl = Buffer.from(
      rss(`<item><title>${title}</title></item>`).replace('utf-8', 'windows-1251'),
    );
    expect((await ingest(utf8WithCp1251Decl, 'text/xml')).items[0]?.title).toBe(title);
    const cp1251WithUtf8Decl = iconv.encode(rss(`<item><title>${title}</title></item>`), 'windows-1251');
    expect((await ingest(cp1251WithUtf8Decl, 'text/xml; charset=windows-1251')).items[0]?.title).toBe(title);
    const bomBeatsHeader = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from(rss(`<item><title>${title}</title></item>`)),
    ]);
    expect((await ingest(bomBeatsHeader, 'text/xml; charset=koi8-r')).items[0]?.title).toBe(title);
  });
});

describe('scenario 4: control characters and invalid bytes', () => {
  it('strips illegal characters so strings stay JSON- and XML-safe', async () => {
    const [head, tail] = rss('<item><title>a\u0001b\u001Fc|d</title></item>').split('|') as [string, string];
    const body = Buffer.concat([Buffer.from(head), Buffer.from([0xff, 0xfe, 0x80]), Buffer.from(tail)]);
    const feed = await ingest(body, 'application/rss+xml; charset=utf-8');
    expect(feed.items).toHaveLength(1);
    expect(feed.items[0]?.title).toMatch(/^abc.*d$/);
    expect(feed.items[0]?.title).not.toMatch(/[\x00-\x08\x0B\x0C\x0E-\x1F]/);
    expect(JSON.parse(JSON.stringify(feed))).toEqual(feed);
  });
});

describe('scenario 5: malformed XML', () => {
  it.each([
    ['a bare &', rss('<item><title>Q&A</title></item>'), ['Q&A']],
    ['&eacute;', rss('<item><title>caf&eacute;</title></item>'), ['café']],
    ['junk before the declaration', `junk\n${rss('<item><title>x</title></item>')}`, ['x']],
    ['junk after the root', `${rss('<item><title>x</title></item>')}<junk>`, ['x']],
    ['mismatched tags', rss('<item><title>x</title></item><item><title>y</b></title></item>'), ['x', 'y']],
    ['truncated', rss('<item><title>x</title></item><item><title>y</title></item>').slice(0, -16), ['x', 'y']],
  ])('%s is recovered', async (_name, body, titles) => {
    expect((await ingest(body)).items.map((i) => i.title)).toEqual(titles);
  });
  it('an unrecoverable document fails with the parser message', async () => {
    const e = await ingestError('<?xml version="1.0"?><rss version="2.0"><channel');
    expect(e.code).toBe('parse_error');
    expect(e.message.startsWith('malformed XML: ')).toBe(true);
  });
});

describe('scenario 6: an HTML page served with 200', () => {
  it('is not a feed', async () => {
    const e = await ingestError(
      '<!doctype html><html><head><title>Login</title></head><body>Please log in</body></html>',
      'text/html; charset=utf-8',
    );
    expect([e.code, e.message]).toEqual(['not_a_feed', 'not a feed: the server returned an HTML page']);
  });
});

describe('scenario 7: billion laughs and XXE', () => {
  it('expands nothing and fetches nothing', async () => {
    const lol = [
      '<!ENTITY lol "lol">',
      ...Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`),
    ].join('');
    const started = Date.now();
    const laughs = await ingest(
      `<?xml version="1.0"?><!DOCTYPE rss [${lol}]>${rss('<item><title>&lol9;</title></item>').replace(/^<\?xml[^>]*>/, '')}`,
    );
    expect(laughs.items[0]?.title).toBe('&lol9;');
    expect(Date.now() - started).toBeLessThan(1000);
    const xxe =
      `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY file SYSTEM "file:///etc/passwd"><!ENTITY net SYSTEM "${canary.url('/xxe')}">]>` +
      '<rss version="2.0"><channel><title>&file;</title><item><title>&net;</title></item></channel></rss>';
    const feed = await ingest(xxe);
    expect([feed.title, feed.items[0]?.title]).toEqual(['&file;', '&net;']);
    expect(canary.hits()).toBe(0);
  });
});

describe('scenario 8: bad dates', () => {
  it('fall back to the fetch time without failing the feed', async () => {
    const dates = [
      'garbage',
      '',
      '0000-00-00T00:00:00Z',
      'Fri, 31 Dec 9999 23:59:59 GMT',
      'Sat, 21 Nov 2026 08:00:00 EDT',
    ];
    const feed = await ingest(
      rss(dates.map((d, i) => `<item><title>${i}</title><pubDate>${d}</pubDate></item>`).join('')),
    );
    const iso = fetchedAt.toISOString();
    expect(feed.items.map((i) => i.publishedAt)).toEqual([iso, iso, iso, iso, '2026-11-21T12:00:00.000Z']);
    const atom = await ingest(
      '<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title><entry><title>x</title><published>yesterday</published></entry></feed>',
    );
    expect(atom.items[0]?.publishedAt).toBe(iso);
  });
});

describe('scenario 9: type confusion', () => {
  it('keeps every field a string', async () => {
    const feed = await ingest(
      rss(
        '<item><title><b>T</b></title><link><a>https://e.x/1</a></link><guid>1</guid><guid>2</guid><pubDate zone="x">bad</pubDate></item>',
      ),
    );
    const item = feed.items[0]!;
    expect(Object.values(item).every((v) => v === null || typeof v === 'string')).toBe(true);
    expect(item).toMatchObject({ title: 'T', link: 'https://e.x/1', guid: '1' });
  });
});

describe('scenarios 11–12: oversized fields and prototype keys', () => {
  it('truncates a 5 MB description and caps 100k items', async () => {
    const big = await ingest(
      rss(`<item><title>big</title><description>${'y'.repeat(5 * 1024 * 1024)}</description></item>`),
    );
    expect(big.items[0]?.summaryHtml.length).toBe(100_000);
    const many = await ingest(
      rss(Array.from({ length: 100_000 }, (_, i) => `<item><guid>${i}</guid></item>`).join('')),
    );
    expect(many.items).toHaveLength(MAX_ITEMS_PER_FETCH);
  });
  it('leaves Object.prototype alone', async () => {
    await ingest(
      rss(
        '<item><title>t</title><__proto__><polluted>1</polluted></__proto__><constructor><prototype><p>1</p></prototype></constructor></item>',
      ),
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(Object.prototype)).toEqual([]);
  });
});
