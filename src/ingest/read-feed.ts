// Feed text → feed fields and cleaned items (parse, then HTML → text): the CPU-heavy half of a refresh,
// which the parse pool runs in a worker thread. Pure: text and options in, data out.
import { htmlToText } from './clean.ts';
import { MAX_SUMMARY_CHARS, MAX_TEXT_CHARS, MAX_TITLE_CHARS } from './limits.ts';
import { parseFeed, type ParsedItem, type ParseOptions } from './parse.ts';
import type { CleanItem } from './prepare-items.ts';

export interface ReadFeed {
  title: string | null;
  link: string | null;
  language: string | null;
  items: CleanItem[];
}

/** Summary and content HTML → plain text; the title is already plain text from the parser. */
export function cleanItem(p: ParsedItem): CleanItem {
  const summary = htmlToText(p.summaryHtml, MAX_SUMMARY_CHARS);
  const text = p.contentHtml && p.contentHtml !== p.summaryHtml ? htmlToText(p.contentHtml, MAX_TEXT_CHARS) : '';
  return {
    guid: p.guid,
    link: p.link,
    title: p.title.slice(0, MAX_TITLE_CHARS),
    summary,
    text: text === summary ? '' : text,
    publishedAt: p.publishedAt,
  };
}

/** Parses and cleans a feed. Throws IngestError like parseFeed. */
export async function readFeed(text: string, options: ParseOptions): Promise<ReadFeed> {
  const feed = await parseFeed(text, options);
  return { title: feed.title, link: feed.link, language: feed.language, items: feed.items.map(cleanItem) };
}
