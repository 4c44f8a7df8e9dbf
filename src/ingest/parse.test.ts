// Unit tests for parsing: RSS/Atom variants and the RELIABILITY.md bad-input scenarios 5–9, 11, 12.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { isIngestError } from './errors.ts';
import { MAX_ITEMS_PER_FETCH } from './limits.ts';
import { parseFeed } from './parse.ts';

const fetchedAt = new Date('2026-11-21T12:00:00.000Z');
const parse = (text: string, maxItems?: number) => parseFeed(text, { fetchedAt, maxItems });
const rss = (items: string, channel = '<title>Feed</title>') =>
  `<?xml version="1.0"?><rss version="2.0"><channel>${channel}${items}</channel></rss>`;
const atom = (entries: string) =>
  `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>A</title>${entries}</feed>`;

async function errorOf(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  if (!isIngestError(e)) throw new Error(`expected an IngestError, got ${String(e)}`);
  return e;
}

describe('formats', () => {
  it('reads RSS 2.0 items with all fields', async () => {
    const feed = await parse(
      rss(
        `<item><title>One &amp; two</title><link>https://e.x/1</link><guid>g1</guid>
      <description>&lt;p&gt;Sum&lt;/p&gt;</description><content:encoded><![CDATA[<p>Body</p>]]></content:encoded>
      <pubDate>Sat, 21 Nov 2026 10:00:00 GMT</pubDate><dc:creator>Ann</dc:creator></item>`,
        '<title>Feed</title><link>https://e.x/</link><language>uk</language>',
      ),
    );
    expect(feed).toEqual({
      title: 'Feed',
      link: 'https://e.x/',
      language: 'uk',
      items: [
        {
          guid: 'g1',
          link: 'https://e.x/1',
          title: 'One & two',
          summaryHtml: '<p>Sum</p>',
          contentHtml: '<p>Body</p>',
          publishedAt: '2026-11-21T10:00:00.000Z',
          author: 'Ann',
        },
      ],
    });
  });
  it('reads RSS 1.0 (RDF) and RSS 0.91', async () => {
    const rdf =
      await parse(`<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">
      <channel rdf:about="x"><title>R</title></channel><item rdf:about="https://e.x/a"><title>A</title><link>https://e.x/a</link></item></rdf:RDF>`);
    expect(rdf.items.map((i) => [i.guid, i.title])).toEqual([['https://e.x/a', 'A']]);
    const r091 = await parse(
      '<rss version="0.91"><channel><title>Old</title><item><title>I</title></item></channel></rss>',
    );
    expect(r091.items).toHaveLength(1);
  });
  it('reads feeds that put their own namespace on a prefix, CDF, and Atom 0.3 <item>', async () => {
    const prefixed = await parse(
      '<r:rss version="2.0" xmlns:r="http://backend.userland.com/rss2"><r:channel><r:title>P</r:title><r:item><r:title>I</r:title></r:item></r:channel></r:rss>',
    );
    expect([prefixed.title, prefixed.items.map((i) => i.title)]).toEqual(['P', ['I']]);
    const rdf = await parse(
      '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:rss="http://purl.org/rss/1.0/"><rss:channel><rss:title>R</rss:title></rss:channel><rss:item><rss:title>A</rss:title></rss:item></rdf:RDF>',
    );
    expect([rdf.title, rdf.items.map((i) => i.title)]).toEqual(['R', ['A']]);
    const cdf = await parse('<CHANNEL><TITLE>C</TITLE><ITEM HREF="https://e.x/c"><TITLE>Item</TITLE></ITEM></CHANNEL>');
    expect([cdf.title, cdf.items.map((i) => [i.title, i.link])]).toEqual(['C', [['Item', 'https://e.x/c']]]);
    const atom03 = await parse(
      '<feed version="0.3" xmlns="http://purl.org/atom/ns#"><item><title mode="base64">PGI+Qm9sZDwvYj4=</title></item></feed>',
    );
    expect(atom03.items.map((i) => i.title)).toEqual(['Bold']);
  });
  it('reads Atom text constructs by type', async () => {
    const feed = await parse(
      atom(`<entry><title type="text">a &lt;b&gt; c</title><id>urn:1</id><link rel="alternate" href="https://e.x/1"/>
      <link rel="self" href="https://e.x/self"/><summary type="html">&lt;i&gt;s&lt;/i&gt;</summary><content type="text">x &lt; y</content>
      <published>2026-11-20T08:00:00Z</published><author><name>Bo</name></author></entry>`),
    );
    expect(feed.items[0]).toEqual({
      guid: 'urn:1',
      link: 'https://e.x/1',
      title: 'a <b> c',
      summaryHtml: '<i>s</i>',
      contentHtml: 'x &lt; y',
      publishedAt: '2026-11-20T08:00:00.000Z',
      author: 'Bo',
    });
  });
});

describe('links', () => {
  it('resolves relative links against baseUrl and leaves absolute ones alone', async () => {
    const text = rss(
      '<item><link>/a/1</link></item><item><link>https://other.example/x</link></item><item><link>mailto:x@y.z</link></item>',
      '<link>/</link>',
    );
    const feed = await parseFeed(text, { fetchedAt, baseUrl: 'https://news.example/feeds/rss.xml' });
    expect([feed.link, ...feed.items.map((i) => i.link)]).toEqual([
      'https://news.example/',
      'https://news.example/a/1',
      'https://other.example/x',
      'mailto:x@y.z',
    ]);
    expect((await parse(text)).items[0]?.link).toBe('/a/1');
  });
});

describe('scenario 5: malformed XML is recovered or fails with the parser message', () => {
  it('repairs a bare & and HTML named entities', async () => {
    const feed = await parse(rss('<item><title>Fish & chips &eacute;t&eacute; &nbsp;&mdash; ok</title></item>'));
    expect(feed.items[0]?.title).toBe('Fish & chips été — ok');
  });
  it('ignores junk before the declaration and after the root', async () => {
    const feed = await parse(`\uFEFF  garbage <<< ${rss('<item><title>x</title></item>')}<div>trailing junk`);
    expect(feed.items.map((i) => i.title)).toEqual(['x']);
  });
  it('recovers items from mismatched and truncated documents', async () => {
    const mismatched = await parse(rss('<item><title>a</title></item><item><title>b</titel></item>'));
    expect(mismatched.items.map((i) => i.title)[0]).toBe('a');
    const truncated = await parse(
      rss('<item><title>a</title></item><item><title>b</title></item>').slice(0, -'</channel></rss>'.length),
    );
    expect(truncated.items.map((i) => i.title)).toEqual(['a', 'b']);
    const midTag = await parse(rss('<item><title>a</title></item><item><title>b</title></item>').slice(0, -30));
    expect(midTag.items.map((i) => i.title)[0]).toBe('a');
  });
  it('keeps CDATA literally while repairing around it', async () => {
    const feed = await parse(
      rss('<item><title>A & B</title><description><![CDATA[x &amp; <b>y</b> <!DOCTYPE]]></description></item>'),
    );
    expect(feed.items[0]).toMatchObject({ title: 'A & B', summaryHtml: 'x &amp; <b>y</b> <!DOCTYPE' });
  });
  it('reports parse_error with the parser message when nothing is recoverable', async () => {
    const e = await errorOf(parse('<rss version="2.0"><channel'));
    expect(e.code).toBe('parse_error');
    expect(e.message).toMatch(/malformed XML: .+/);
  });
});

describe('scenario 6: an HTML page is not a feed', () => {
  it.each([
    '<!DOCTYPE html><html><head><title>Home</title></head><body><p>Hi</p></body></html>',
    '<html><body>login</body></html>',
    '<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body/></html>',
    'just some text',
    '{"json": true}',
  ])('%j → not_a_feed', async (text) => expect((await errorOf(parse(text))).code).toBe('not_a_feed'));
});

describe('scenario 7: entity expansion and XXE are not performed', () => {
  it('does not expand a billion-laughs DTD', async () => {
    const lol = [
      '<!ENTITY lol "lol">',
      ...Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`),
    ].join('');
    const heapBefore = process.memoryUsage().heapUsed;
    const started = Date.now();
    const feed = await parse(
      `<?xml version="1.0"?><!DOCTYPE rss [${lol}]><rss version="2.0"><channel><title>&lol9;</title><item><title>t</title></item></channel></rss>`,
    );
    expect(Date.now() - started).toBeLessThan(1000);
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(50 * 1024 * 1024);
    expect(feed.title).toBe('&lol9;');
    expect(feed.items).toHaveLength(1);
  });
  it('does not read a file: external entity', async () => {
    const feed = await parse(
      '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><rss version="2.0"><channel><title>&xxe;</title></channel></rss>',
    );
    expect(feed.title).toBe('&xxe;');
    expect(JSON.stringify(feed)).not.toContain('root:');
  });
});

describe('scenario 8: bad dates fall back to the fetch time', () => {
  it.each([
    'garbage',
    '',
    'Sat, 00 Xyz 0000 00:00:00 EDT',
    '0000-01-01T00:00:00Z',
    '9999-12-31T23:59:59Z',
    'Mon, 32 Jan 2026 25:61:00 GMT',
    // The Unix epoch itself is what a publisher's unset timestamp prints as (issue 18's 1970 items).
    'Thu, 01 Jan 1970 00:00:00 GMT',
    '1970-01-01T00:00:00Z',
  ])('RSS pubDate %j', async (d) => {
    const feed = await parse(rss(`<item><title>t</title><pubDate>${d}</pubDate></item><item><title>u</title></item>`));
    expect(feed.items.map((i) => i.publishedAt)).toEqual([fetchedAt.toISOString(), fetchedAt.toISOString()]);
  });
  it('reads "EDT" and keeps the feed when an Atom date is garbage', async () => {
    const r = await parse(rss('<item><title>t</title><pubDate>Fri, 20 Nov 2026 10:00:00 EDT</pubDate></item>'));
    expect(r.items[0]?.publishedAt).toBe('2026-11-20T14:00:00.000Z');
    const a = await parse(
      atom(
        '<entry><title>bad</title><published>not a date</published></entry><entry><title>good</title><updated>2026-11-01T00:00:00Z</updated></entry>',
      ),
    );
    expect(a.items.map((i) => i.publishedAt)).toEqual([fetchedAt.toISOString(), '2026-11-01T00:00:00.000Z']);
  });
});

describe('scenario 9: type confusion keeps strings strings', () => {
  it('handles <link> with children, two guids, attributes on dates', async () => {
    const feed = await parse(
      rss(`<item><title a="1">T</title><link><span>https://e.x/1</span></link><guid>g1</guid><guid>g2</guid>
      <pubDate tz="x">Sat, 21 Nov 2026 10:00:00 GMT</pubDate><author><name>N</name><email>e</email></author></item>`),
    );
    const item = feed.items[0]!;
    for (const v of [
      item.title,
      item.link,
      item.guid,
      item.publishedAt,
      item.author,
      item.summaryHtml,
      item.contentHtml,
    ])
      expect(typeof v).toBe('string');
    expect(item).toMatchObject({
      title: 'T',
      link: 'https://e.x/1',
      guid: 'g1',
      publishedAt: '2026-11-21T10:00:00.000Z',
      author: 'N',
    });
  });
});

describe('scenario 11: oversized input is bounded', () => {
  it('truncates a 5 MB description to ~100 KB', async () => {
    const feed = await parse(
      rss(`<item><title>big</title><description>${'x'.repeat(5 * 1024 * 1024)}</description></item>`),
    );
    expect(feed.items[0]!.summaryHtml.length).toBe(100_000);
  });
  it('caps 100k items and keeps the event loop responsive', async () => {
    const items = Array.from({ length: 100_000 }, (_, i) => `<item><title>t${i}</title><guid>${i}</guid></item>`).join(
      '',
    );
    const h = monitorEventLoopDelay({ resolution: 10 });
    h.enable();
    const feed = await parse(rss(items));
    h.disable();
    expect(feed.items).toHaveLength(MAX_ITEMS_PER_FETCH);
    expect(feed.items[MAX_ITEMS_PER_FETCH - 1]?.guid).toBe(String(MAX_ITEMS_PER_FETCH - 1));
    expect(h.max / 1e6).toBeLessThan(2000); // a hang guard; the bench reports real figures
  });
  it('handles 200 KB of &lt; in a description without a quadratic blow-up', async () => {
    const started = Date.now();
    const feed = await parse(rss(`<item><title>t</title><description>${'&lt;'.repeat(50_000)}</description></item>`));
    expect(feed.items[0]!.summaryHtml).toBe('<'.repeat(50_000));
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe('scenario 12: prototype pollution', () => {
  it('leaves Object.prototype unchanged', async () => {
    const feed = await parse(
      rss(
        '<__proto__><polluted>yes</polluted></__proto__><constructor><prototype><x>1</x></prototype></constructor><item><title>t</title><__proto__><admin>1</admin></__proto__></item>',
      ),
    );
    expect(feed.items).toHaveLength(1);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
    expect(Object.keys(Object.prototype)).toEqual([]);
  });
  it('also on the tolerant path', async () => {
    await parse(
      '<rss version="2.0"><channel><__proto__><polluted>yes</polluted></__proto__><item><title>t</item></channel></rss>',
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
