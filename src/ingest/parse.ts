// Text → ParsedFeed: repair, strict parse with rss-parser's XML parser, tolerant cheerio fallback; one bad item never loses the feed.
import * as cheerio from 'cheerio/slim';
import RssParser from 'rss-parser';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { IngestError } from './errors.ts';
import { MAX_ITEMS_PER_FETCH, MAX_NESTING_DEPTH } from './limits.ts';
import { limitNesting } from './nesting.ts';
import { mapChannel, mapItem, type FeedKind } from './parse-map.ts';
import { domElements, domRoot, fromXml2js, type XmlNode } from './parse-nodes.ts';
import { capItems, repairXml, rootName } from './parse-repair.ts';

export interface ParsedItem {
  guid: string | null;
  link: string | null;
  /** Plain text already (HTML stripped, entities decoded once): do not clean it again. */
  title: string;
  /** HTML as published (text constructs escaped to HTML), capped at 100k characters. Clean with htmlToText. */
  summaryHtml: string;
  contentHtml: string;
  /** ISO-8601; the fetch time when the feed's date is missing, unreadable or absurd. */
  publishedAt: string;
  author: string | null;
}

export interface ParsedFeed {
  title: string | null;
  link: string | null;
  language: string | null;
  items: ParsedItem[];
}

interface Shape {
  kind: FeedKind;
  root: XmlNode;
  channel: XmlNode | null;
  items: XmlNode[];
}

const local = (name: string): string => name.slice(name.lastIndexOf(':') + 1).toLowerCase();
const ITEM_NAMES = new Set(['item', 'entry']);

type Xml2jsParser = { parseString(xml: string, cb: (err: Error | null, result: unknown) => void): void };

/**
 * rss-parser's own xml2js parser (strict, no entity expansion, null-prototype objects). We map
 * the tree ourselves instead of calling `parseString`, whose item builders compute the quadratic
 * `contentSnippet` and throw on one bad Atom date (RELIABILITY.md).
 */
function parseStrict(xml: string): Promise<Record<string, unknown>> {
  const parser = (new RssParser() as unknown as { xmlParser: Xml2jsParser }).xmlParser;
  return new Promise((resolve, reject) => {
    parser.parseString(xml, (err, result) => {
      if (err) reject(err);
      else if (!result || typeof result !== 'object') reject(new Error('Unable to parse XML.'));
      else resolve(result as Record<string, unknown>);
    });
  });
}

/**
 * The prefix a document binds to its own format's namespace, when it uses one instead of the
 * default namespace (`<r:rss xmlns:r=…>`, `<rdf:RDF xmlns:rss="http://purl.org/rss/1.0/">`).
 */
export function corePrefixOf(text: string): string | null {
  const root = rootName(text);
  if (!root) return null;
  const colon = root.indexOf(':');
  if (colon > 0 && ['rss', 'feed', 'channel'].includes(local(root))) return root.slice(0, colon);
  const start = text.indexOf(`<${root}`);
  const tag = text.slice(start, text.indexOf('>', start) + 1);
  return /xmlns:([\w.-]+)\s*=\s*["']http:\/\/purl\.org\/rss\/1\.0\/["']/.exec(tag)?.[1] ?? null;
}

function shapeOf(root: XmlNode): Shape | null {
  const name = local(root.name);
  // Atom 0.3 feeds in the wild (and feedparser) accept <item> for <entry>.
  if (name === 'feed')
    return { kind: 'atom', root, channel: root, items: [...root.children('entry'), ...root.children('item')] };
  if (name !== 'rss' && name !== 'rdf' && name !== 'channel') return null;
  const channel = name === 'channel' ? root : (root.children('channel')[0] ?? null);
  const items = [...root.children('item'), ...(channel && channel !== root ? channel.children('item') : [])];
  return { kind: 'rss', root, channel, items };
}

function strictShape(tree: Record<string, unknown>, corePrefix: string | null): Shape | null {
  const key = Object.keys(tree)[0];
  if (key === undefined) return null;
  return shapeOf(fromXml2js(key, tree[key] as Record<string, unknown>, corePrefix));
}

function tolerantShape(text: string, maxItems: number, corePrefix: string | null): Shape | null {
  const $ = cheerio.load(text, { xml: { xmlMode: true, decodeEntities: true } });
  const root = domRoot($, corePrefix);
  if (!root) return null;
  const shape = shapeOf(root);
  if (!shape) return null;
  // Malformed nesting can hide items anywhere: collect every item/entry element in the document.
  const items = domElements($, ITEM_NAMES, maxItems, corePrefix);
  const channel =
    shape.kind === 'rss' && !shape.channel
      ? (domElements($, new Set(['channel']), 1, corePrefix)[0] ?? null)
      : shape.channel;
  return { ...shape, channel, items };
}

/** An HTML page: its first markup after white space and comments opens a document. Linear (the old one-regex form backtracked exponentially over a run of comments). */
function looksLikeHtml(text: string): boolean {
  let i = 0;
  for (;;) {
    while (i < text.length && /\s/.test(text[i]!)) i++;
    if (!text.startsWith('<!--', i)) break;
    const end = text.indexOf('-->', i + 4);
    if (end < 0) return false;
    i = end + 3;
  }
  return /^(<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>])/i.test(text.slice(i, i + 20));
}

function closersFor(text: string): string {
  const root = rootName(text);
  if (!root) return '';
  return local(root) === 'rss' ? '</channel></rss>' : `</${root}>`;
}

/** Resolves a relative link against the document URL; absolute and unresolvable links are returned as they are. */
function resolveLink(link: string | null, base: string | undefined): string | null {
  if (!link || !base || /^[a-z][a-z0-9+.-]*:/i.test(link)) return link;
  try {
    return new URL(link, base).href;
  } catch {
    return link;
  }
}

async function buildFeed(shape: Shape, options: ParseOptions, maxItems: number): Promise<ParsedFeed> {
  const items: ParsedItem[] = [];
  let firstError: unknown = null;
  for (const [i, node] of shape.items.slice(0, maxItems).entries()) {
    if (i > 0 && i % 100 === 0) await yieldToLoop(); // keep the event loop responsive on big feeds
    try {
      const item = mapItem(node, shape.kind, options.fetchedAt);
      items.push({ ...item, link: resolveLink(item.link, options.baseUrl) });
    } catch (e) {
      firstError ??= e; // one item that defeats the mapper is dropped; the rest of the feed is kept
    }
  }
  if (items.length === 0 && shape.items.length > 0) {
    const message = (firstError as Error)?.message ?? String(firstError);
    throw new IngestError('parse_error', `none of the feed's ${shape.items.length} items could be read: ${message}`, {
      cause: firstError,
    });
  }
  const channel = mapChannel(shape.channel, shape.root, shape.kind);
  return { ...channel, link: resolveLink(channel.link, options.baseUrl), items };
}

export interface ParseOptions {
  fetchedAt: Date;
  /** Default 1,000 (MAX_ITEMS_PER_FETCH): the rest of a huge feed is cut before parsing. */
  maxItems?: number;
  /** The URL the feed was fetched from: relative item and feed links are resolved against it. */
  baseUrl?: string;
}

/** Parses feed text. Throws IngestError 'not_a_feed' (HTML, unknown root) or 'parse_error' (with the parser's message). */
export async function parseFeed(text: string, options: ParseOptions): Promise<ParsedFeed> {
  const maxItems = options.maxItems ?? MAX_ITEMS_PER_FETCH;
  if (looksLikeHtml(text)) throw new IngestError('not_a_feed', 'not a feed: the server returned an HTML page');
  let xml = repairXml(text);
  const capped = capItems(xml, maxItems);
  if (capped.capped) xml = capped.text + closersFor(xml);
  const corePrefix = corePrefixOf(xml);
  // Unclosed tags nest without end in a broken document (and xml2js spends seconds on 800,000 of
  // them before it fails): a document nested deeper than any feed goes to the tolerant parser only,
  // with its depth bounded so that parser stays linear too.
  const bounded = limitNesting(xml);
  let strictError: unknown =
    bounded === xml ? null : new Error(`elements are nested more than ${MAX_NESTING_DEPTH} deep`);
  if (strictError === null) {
    try {
      const shape = strictShape(await parseStrict(xml), corePrefix);
      if (shape) return await buildFeed(shape, options, maxItems);
    } catch (e) {
      strictError = e;
    }
  }
  const message = (e: unknown): string => (e as Error)?.message?.split('\n').join(' ') ?? String(e);
  const shape = tolerantShape(bounded, maxItems, corePrefix);
  // A broken document is worth what can be recovered from it: no item means a failed fetch, not an empty feed.
  if (shape && (shape.items.length > 0 || (shape.channel && strictError === null)))
    return buildFeed(shape, options, maxItems);
  if (shape?.channel) {
    throw new IngestError('parse_error', `malformed XML and no item could be recovered: ${message(strictError)}`, {
      cause: strictError,
    });
  }
  const root = rootName(xml);
  if (!root) throw new IngestError('not_a_feed', 'not a feed: the document holds no XML element');
  if (strictError === null || !['rss', 'rdf', 'feed', 'channel'].includes(local(root))) {
    throw new IngestError(
      'not_a_feed',
      `not a feed: the document's root element is <${root}>, not rss, rdf:RDF or feed`,
    );
  }
  throw new IngestError('parse_error', `malformed XML: ${message(strictError)}`, { cause: strictError });
}
