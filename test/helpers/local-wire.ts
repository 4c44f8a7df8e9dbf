// A local news wire for tests of `start`: an RSS feed of dated stories served on 127.0.0.1, and the poll a
// test uses to wait for the tracker to have tagged and forecast them.
import { type FeedServer, startFeedServer } from './feed-server.ts';

/** An RSS 2.0 document with one item per [title, RFC 822 date]. */
export const localWireRss = (items: Array<[string, string]>): string =>
  `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Local wire</title>${items
    .map(
      ([title, date], i) =>
        `<item><title>${title}</title><guid>local-${i}</guid><link>https://wire.example/${i}</link><pubDate>${date}</pubDate></item>`,
    )
    .join('')}</channel></rss>`;

/** A feed server answering /rss.xml with these titles, each published an hour ago; its URL is `url('/rss.xml')`. */
export async function startLocalWire(titles: string[]): Promise<FeedServer> {
  const feeds = await startFeedServer();
  const recent = new Date(Date.now() - 3_600_000).toUTCString();
  feeds.route('/rss.xml', {
    headers: { 'content-type': 'application/rss+xml' },
    body: localWireRss(titles.map((t) => [t, recent])),
  });
  return feeds;
}

/** Polls `probe` every 200 ms until it returns a value (not null); throws after `ms`. */
export async function waitFor<T>(probe: () => Promise<T | null>, ms: number): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== null) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 200));
  }
}
