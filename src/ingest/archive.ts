// Reads a saved feed document (a file, not a poll) with the ingest stage's own decoder, parser and cleaner,
// so an archive replayed later is read exactly as live polling would have read it.
import { htmlToText } from './clean.ts';
import { decodeFeed } from './decode.ts';
import { parseFeed } from './parse.ts';

export interface ArchivedFeed {
  title: string | null;
  language: string | null;
  /** Items in document order; `publishedAt` is null when the item carries no date. */
  items: { guid: string | null; link: string | null; title: string; summary: string; publishedAt: string | null }[];
}

/** Decodes and parses one saved feed document; throws the parser's error when it is not a feed. */
export async function readArchivedFeed(bytes: Buffer): Promise<ArchivedFeed> {
  const { text } = decodeFeed(bytes, null);
  // The parser falls back to the fetch time for a missing date (and clamps future ones to it):
  // a sentinel far in the future makes a missing date recognisable while real dates pass.
  const sentinel = new Date('9000-01-01T00:00:00Z');
  const feed = await parseFeed(text, { fetchedAt: sentinel });
  return {
    title: feed.title ?? null,
    language: feed.language ?? null,
    items: feed.items.map((item) => ({
      guid: item.guid ?? null,
      link: item.link ?? null,
      title: item.title,
      summary: htmlToText(item.summaryHtml || item.contentHtml),
      publishedAt: item.publishedAt === sentinel.toISOString() ? null : item.publishedAt,
    })),
  };
}
