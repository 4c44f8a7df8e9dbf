// Turns parsed feed items into rows ready to store: plain text, canonical URL, identity hash
// (GUID, else canonical URL, else title), content hash, SimHash and event tokens. Pure.
import { createHash } from 'node:crypto';
import { canonicalUrl } from './canonical-url.ts';
import { type EventTokens, LEDE_CHARS, eventTokensOfWords } from './event-similarity.ts';
import { featureWords, simhashOfWords, stripSiteSuffix } from './simhash.ts';

import { MAX_SUMMARY_CHARS, MAX_TEXT_CHARS, MAX_TITLE_CHARS } from './limits.ts';

export { MAX_SUMMARY_CHARS, MAX_TEXT_CHARS, MAX_TITLE_CHARS };

/** What refresh-feed extracts from one parsed item (text already cleaned). */
export interface CleanItem {
  guid: string | null;
  link: string | null;
  title: string;
  summary: string;
  text: string;
  publishedAt: string;
  /** The item's own language, when its source says (archives); otherwise the feed's applies. */
  language?: string | null;
}

export interface PreparedItem extends CleanItem {
  canonicalUrl: string | null;
  guidHash: string;
  contentHash: string;
  simhash: string;
  /** Stemmed title and lede words for event-level clustering (not stored). */
  eventTokens: EventTokens;
}

function sha1(s: string): string {
  return createHash('sha1').update(s).digest('hex');
}

/** Identity of an item inside its feed: GUID, else canonical link, else title (+ first words). */
export function identityOf(item: CleanItem, canonical: string | null): string {
  if (item.guid && item.guid.trim() !== '') return sha1(`g:${item.guid.trim()}`);
  if (canonical) return sha1(`u:${canonical}`);
  return sha1(`t:${item.title.trim().toLowerCase()}\n${item.title ? '' : item.summary.slice(0, 200)}`);
}

export function prepareItem(item: CleanItem, feedUrl: string): PreparedItem {
  const title = item.title.slice(0, MAX_TITLE_CHARS);
  const summary = item.summary.slice(0, MAX_SUMMARY_CHARS);
  const text = item.text.slice(0, MAX_TEXT_CHARS);
  const canonical = canonicalUrl(item.link, feedUrl);
  const link = canonical ? new URL((item.link ?? '').trim(), feedUrl).href : null;
  const lede = (summary || text).slice(0, LEDE_CHARS);
  const titleWords = featureWords(stripSiteSuffix(title));
  const ledeWords = featureWords(lede);
  return {
    ...item,
    title,
    summary,
    text,
    link,
    canonicalUrl: canonical,
    guidHash: identityOf(item, canonical),
    contentHash: sha1(`${title}\u0000${summary}\u0000${text}\u0000${canonical ?? ''}`),
    simhash: simhashOfWords(titleWords, ledeWords),
    eventTokens: eventTokensOfWords(titleWords, ledeWords),
  };
}

/** Drops repeats inside one fetch (duplicate GUIDs or canonical URLs): the first occurrence wins. */
export function dedupeItems(items: PreparedItem[]): PreparedItem[] {
  const seenIds = new Set<string>();
  const seenUrls = new Set<string>();
  const out: PreparedItem[] = [];
  for (const it of items) {
    if (seenIds.has(it.guidHash) || (it.canonicalUrl && seenUrls.has(it.canonicalUrl))) continue;
    seenIds.add(it.guidHash);
    if (it.canonicalUrl) seenUrls.add(it.canonicalUrl);
    out.push(it);
  }
  return out;
}
