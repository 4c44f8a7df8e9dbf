// Serves the bundled demo corpus over HTTP on 127.0.0.1 "as if live": each feed shows only the
// items published up to the demo's simulated clock, in the file's own character encoding.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import iconv from 'iconv-lite';

export interface CorpusOutlet {
  file: string;
  name: string;
  tier: number;
  language: string;
  encoding: string;
}

export interface CorpusServer {
  /** Base URL such as http://127.0.0.1:41234 */
  url: string;
  feedUrl(outlet: CorpusOutlet): string;
  /** Requests served, by file name (for tests). */
  hits: Map<string, number>;
  close(): Promise<void>;
}

interface LoadedFeed {
  outlet: CorpusOutlet;
  head: string;
  tail: string;
  items: { at: number; xml: string }[];
}

export function readOutlets(dir: string): CorpusOutlet[] {
  return JSON.parse(readFileSync(path.join(dir, 'outlets.json'), 'utf8')) as CorpusOutlet[];
}

/** Splits an RSS 2.0 file into channel head, items (with their pubDate) and tail. */
export function splitFeed(text: string): { head: string; tail: string; items: { at: number; xml: string }[] } {
  const itemRe = /<item\b[\s\S]*?<\/item>/g;
  const items: { at: number; xml: string }[] = [];
  let first = -1;
  let last = -1;
  for (const m of text.matchAll(itemRe)) {
    if (first < 0) first = m.index;
    last = m.index + m[0].length;
    const date = /<pubDate>([^<]+)<\/pubDate>/.exec(m[0])?.[1];
    items.push({ at: date ? Date.parse(date) : 0, xml: m[0] });
  }
  if (first < 0) return { head: text, tail: '', items };
  return { head: text.slice(0, first), tail: text.slice(last), items };
}

export function loadCorpus(dir: string): LoadedFeed[] {
  return readOutlets(dir).map((outlet) => {
    const text = iconv.decode(readFileSync(path.join(dir, outlet.file)), outlet.encoding);
    return { outlet, ...splitFeed(text) };
  });
}

/** The feed as it looked at `now`: the newest items first, none from the future. */
export function renderFeedAt(feed: LoadedFeed, now: Date): Buffer {
  const visible = feed.items.filter((i) => i.at <= now.getTime()).sort((a, b) => b.at - a.at);
  return iconv.encode(`${feed.head}${visible.map((i) => i.xml).join('\n    ')}${feed.tail}`, feed.outlet.encoding);
}

export async function startCorpusServer(options: { dir: string; clock: () => Date }): Promise<CorpusServer> {
  const feeds = new Map(loadCorpus(options.dir).map((f) => [`/${f.outlet.file}`, f]));
  const hits = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const feed = feeds.get(new URL(req.url ?? '/', 'http://x').pathname);
    if (!feed) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('no such feed');
      return;
    }
    hits.set(feed.outlet.file, (hits.get(feed.outlet.file) ?? 0) + 1);
    const body = renderFeedAt(feed, options.clock());
    const etag = `"${createHash('sha1').update(body).digest('hex').slice(0, 20)}"`;
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, { etag }).end();
      return;
    }
    res
      .writeHead(200, {
        'content-type': `application/rss+xml; charset=${feed.outlet.encoding}`,
        etag,
        'content-length': body.length,
      })
      .end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    feedUrl: (outlet) => `${url}/${outlet.file}`,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
