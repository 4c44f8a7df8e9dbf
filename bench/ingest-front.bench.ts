// Figures for the front half of ingestion, stage by stage: fetch over loopback, decode + parse vs bare rss-parser, HTML → text.
import RssParser from 'rss-parser';
import { startFeedServer } from '../test/helpers/feed-server.ts';
import { htmlToText } from '../src/ingest/clean.ts';
import { decodeFeed } from '../src/ingest/decode.ts';
import { fetchFeed } from '../src/ingest/fetch/fetch-feed.ts';
import { parseFeed } from '../src/ingest/parse.ts';

const FEEDS = 200;
const ITEMS = 50;

function feedXml(f: number): string {
  const items = Array.from(
    { length: ITEMS },
    (_, i) =>
      `<item><title>Story ${f}-${i}: talks &amp; ceasefire in Kyiv</title>` +
      `<link>https://news.example/${f}/${i}?utm_source=rss</link><guid>g-${f}-${i}</guid>` +
      `<description>&lt;p&gt;Lede ${i} about the negotiations, with &lt;a href="https://x.example/"&gt;a link&lt;/a&gt; and more words to make it a realistic length.&lt;/p&gt;</description>` +
      `<pubDate>Sat, 21 Nov 2026 10:${String(i % 60).padStart(2, '0')}:00 GMT</pubDate></item>`,
  ).join('');
  return `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Feed ${f}</title><link>https://news.example/${f}</link>${items}</channel></rss>`;
}

async function time<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t = performance.now();
  const r = await fn();
  return [performance.now() - t, r];
}

async function pool<T>(n: number, jobs: (() => Promise<T>)[]): Promise<T[]> {
  const out: T[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < jobs.length) out.push(await jobs[next++]!());
    }),
  );
  return out;
}

const xmls = Array.from({ length: FEEDS }, (_, f) => feedXml(f));
const bodies = xmls.map((x) => Buffer.from(x));
const fetchedAt = new Date();
const total = FEEDS * ITEMS;

// Warm up both parsers once so JIT and module loading do not count.
await parseFeed(xmls[0]!, { fetchedAt });
await new RssParser().parseString(xmls[0]!);

const [oursMs] = await time(async () => {
  for (const b of bodies) await parseFeed(decodeFeed(b, 'application/rss+xml').text, { fetchedAt });
});
const [bareMs] = await time(async () => {
  const p = new RssParser();
  for (const x of xmls) await p.parseString(x);
});
console.log(
  `decode + parse: ${(total / (oursMs / 1000)).toFixed(0)} items/s; bare rss-parser parseString: ${(total / (bareMs / 1000)).toFixed(0)} items/s; ratio ${(oursMs / bareMs).toFixed(2)}x`,
);

const summaries = (await parseFeed(xmls[0]!, { fetchedAt })).items.map((i) => i.summaryHtml);
const [cleanMs] = await time(async () => {
  for (let r = 0; r < FEEDS; r++) for (const s of summaries) htmlToText(s);
});
console.log(`htmlToText on summaries: ${(total / (cleanMs / 1000)).toFixed(0)} per s`);

const server = await startFeedServer({
  fallback: (req, res) => {
    const f = Number((req.url ?? '/0').slice(1));
    if (req.headers['if-none-match'] === `"v${f}"`) {
      res.writeHead(304);
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', etag: `"v${f}"` });
    res.end(bodies[f]);
  },
});
const opts = { userAgent: 'Bellwether/bench', allowPrivate: true };
const [coldMs] = await time(() =>
  pool(
    8,
    bodies.map((_, f) => () => fetchFeed(server.url(`/${f}`), opts)),
  ),
);
const [warmMs, warm] = await time(() =>
  pool(
    8,
    bodies.map((_, f) => () => fetchFeed(server.url(`/${f}`), { ...opts, etag: `"v${f}"` })),
  ),
);
await server.close();
console.log(
  `fetchFeed over 127.0.0.1, ${FEEDS} feeds, 8 at a time: 200s in ${coldMs.toFixed(0)} ms; all-304 re-poll in ${warmMs.toFixed(0)} ms (${warm.filter((w) => w.kind === 'not_modified').length} not modified)`,
);
console.log(`peak RSS ${(process.memoryUsage().rss / 1024 / 1024).toFixed(0)} MB`);
