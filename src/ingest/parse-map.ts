// Maps an XML tree (RSS 0.9x/1.0/2.0 or Atom 0.3/1.0) to ParsedFeed fields; every field comes out a bounded string, never an object.
import { htmlToText, normalizeWhitespace } from './clean.ts';
import { MAX_HTML_CHARS, MAX_TITLE_CHARS } from './limits.ts';
import type { XmlNode } from './parse-nodes.ts';
import type { ParsedItem } from './parse.ts';

const MAX_SHORT_CHARS = 2_048;

export type FeedKind = 'rss' | 'atom';

function cap(s: string, max: number): string {
  if (s.length <= max) return s;
  const code = s.charCodeAt(max - 1);
  return s.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}

export function firstNode(n: XmlNode, names: readonly string[]): XmlNode | undefined {
  for (const name of names) {
    for (const c of n.children(name)) if (c.text().trim() !== '' || c.attr('href')) return c;
  }
  return undefined;
}

export function firstText(n: XmlNode, names: readonly string[]): string {
  return cap(firstNode(n, names)?.text().trim() ?? '', MAX_SHORT_CHARS);
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

type Construct = 'text' | 'html' | 'xhtml';

/** Atom text constructs (RFC 4287 §3.1) and Atom 0.3's `mode`; RSS fields are HTML by convention. */
function construct(node: XmlNode, kind: FeedKind): { type: Construct; value: string } {
  const type = (node.attr('type') ?? '').toLowerCase();
  const mode = (node.attr('mode') ?? '').toLowerCase();
  let value = type === 'xhtml' || type === 'application/xhtml+xml' || mode === 'xml' ? node.inner() : node.text();
  // Atom 1.0 §3.1.1.3 / 4.1.3.3: a non-text, non-XML media type means base64; Atom 0.3 says mode="base64".
  const binary = type.includes('/') && !type.startsWith('text/') && !/[+/]xml$/.test(type);
  if (mode === 'base64' || binary) value = Buffer.from(value, 'base64').toString('utf8');
  if (mode === 'base64' && type === '') return { type: 'html', value }; // Atom 0.3: decoded base64 is treated as HTML
  if (type === 'xhtml' || type === 'application/xhtml+xml') return { type: 'xhtml', value };
  if (type === 'html' || type === 'text/html' || mode === 'escaped' || binary) return { type: 'html', value };
  if (type === 'text' || type === 'text/plain' || (kind === 'atom' && type === '')) return { type: 'text', value };
  return { type: 'html', value };
}

/** A title as plain text: HTML titles are stripped and entity-decoded once, text titles only trimmed. */
export function titleText(node: XmlNode | undefined, kind: FeedKind): string {
  if (!node) return '';
  const c = construct(node, kind);
  return cap(
    c.type === 'text'
      ? normalizeWhitespace(c.value).replace(/\n/g, ' ')
      : htmlToText(c.value, MAX_TITLE_CHARS).replace(/\n/g, ' '),
    MAX_TITLE_CHARS,
  );
}

/** A summary or content field as HTML (text constructs are escaped so the result is always HTML). */
export function htmlField(node: XmlNode | undefined, kind: FeedKind): string {
  if (!node) return '';
  const c = construct(node, kind);
  return cap(c.type === 'text' ? escapeHtml(c.value) : c.value, MAX_HTML_CHARS);
}

/** The alternate link of an Atom element, or an RSS `<link>` text, or an `href` on a namespaced link. */
export function linkOf(n: XmlNode, kind: FeedKind): string | null {
  const links = [...n.children('link'), ...n.children('atom:link'), ...n.children('atom10:link')];
  if (kind === 'atom' || links.some((l) => l.attr('href'))) {
    const withHref = links.filter((l) => l.attr('href'));
    const alt = withHref.find((l) => (l.attr('rel') ?? 'alternate') === 'alternate') ?? withHref[0];
    const href = alt?.attr('href')?.trim();
    if (href) return cap(href, MAX_SHORT_CHARS);
  }
  for (const l of n.children('link')) {
    const t = l.text().trim();
    if (t) return cap(t, MAX_SHORT_CHARS);
  }
  return null;
}

const OLDEST = Date.UTC(1970, 0, 1);

/**
 * Parses a feed date; anything missing, unreadable, at or before the Unix epoch (1970-01-01T00:00Z:
 * an unset timestamp printed as a date) or more than a day ahead of the fetch is the fetch time.
 */
export function parseDate(raw: string, fetchedAt: Date): string {
  const s = raw.trim().replace(/\s+/g, ' ');
  if (s === '') return fetchedAt.toISOString();
  let t = Date.parse(s);
  // RFC 822 with a weekday JavaScript dislikes or a trailing comment: try without them.
  if (Number.isNaN(t)) t = Date.parse(s.replace(/^[A-Za-z]+,?\s*/, '').replace(/\s*\(.*\)$/, ''));
  if (Number.isNaN(t) || t <= OLDEST || t > fetchedAt.getTime() + 86_400_000) return fetchedAt.toISOString();
  return new Date(t).toISOString();
}

const DATE_FIELDS = [
  'pubDate',
  'published',
  'dc:date',
  'issued',
  'updated',
  'modified',
  'created',
  'dcterms:issued',
  'dcterms:modified',
  'dcterms:created',
  'lastBuildDate',
];
const AUTHOR_FIELDS = ['author', 'dc:creator', 'creator', 'itunes:author'];

function authorOf(n: XmlNode): string | null {
  for (const name of AUTHOR_FIELDS) {
    for (const a of n.children(name)) {
      const named = a.children('name')[0]?.text().trim();
      const t = named || a.text().trim();
      if (t) return cap(normalizeWhitespace(t).replace(/\n/g, ' '), 500);
    }
  }
  return null;
}

function guidOf(n: XmlNode): string | null {
  const g = firstText(n, ['guid', 'id', 'dc:identifier']) || n.attr('rdf:about')?.trim() || '';
  return g === '' ? null : g;
}

/** A mapped item is the parser's public ParsedItem (see parse.ts for what each field holds). */
export type MappedItem = ParsedItem;

export function mapItem(item: XmlNode, kind: FeedKind, fetchedAt: Date): MappedItem {
  let link = linkOf(item, kind) ?? item.attr('href')?.trim() ?? null; // CDF: <ITEM HREF="…">
  if (!link) {
    // RSS 2.0: a guid without isPermaLink="false" is the item's permalink.
    const guid = item.children('guid')[0];
    const t = guid?.text().trim() ?? '';
    if (guid && guid.attr('isPermaLink')?.toLowerCase() !== 'false' && /^https?:\/\//i.test(t))
      link = cap(t, MAX_SHORT_CHARS);
  }
  const summary = firstNode(
    item,
    kind === 'atom'
      ? ['summary', 'content']
      : ['description', 'dc:description', 'summary', 'atom:summary', 'itunes:summary'],
  );
  const content = firstNode(
    item,
    kind === 'atom' ? ['content'] : ['content:encoded', 'content', 'atom:content', 'xhtml:body', 'body'],
  );
  return {
    guid: guidOf(item),
    link,
    title: titleText(firstNode(item, ['title', 'dc:title', 'atom:title', 'media:title']), kind),
    summaryHtml: htmlField(summary, kind),
    contentHtml: htmlField(content, kind),
    publishedAt: parseDate(firstText(item, DATE_FIELDS), fetchedAt),
    author: authorOf(item),
  };
}

export function mapChannel(
  channel: XmlNode | null,
  root: XmlNode,
  kind: FeedKind,
): { title: string | null; link: string | null; language: string | null } {
  const c = channel ?? root;
  const title = titleText(firstNode(c, ['title', 'dc:title', 'atom:title']), kind);
  const language = firstText(c, ['language', 'dc:language']) || root.attr('xml:lang') || c.attr('xml:lang') || '';
  return { title: title || null, link: linkOf(c, kind), language: language.trim() || null };
}
