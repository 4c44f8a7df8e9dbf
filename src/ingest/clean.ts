// HTML → plain text with cheerio: entities decoded once, white space normalised. It extracts; it does not sanitise (escape on output).
// cheerio/slim (htmlparser2 only) for fragments; the full cheerio (parse5, undici: ~11 MB more RSS)
// is loaded only when a full-text feed needs a whole article page parsed the way browsers do.
import type { Cheerio, CheerioAPI } from 'cheerio';
import * as cheerio from 'cheerio/slim';
import { simpleMarkupText } from './clean-simple.ts';
import { limitNesting } from './nesting.ts';

/** The slice of domhandler's node shape we walk (kept local: we depend on cheerio, not its internals). */
interface DomNode {
  type: string;
  data?: string;
  name?: string;
  children?: DomNode[];
}

const BLOCK = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'br',
  'dd',
  'div',
  'dl',
  'dt',
  'figcaption',
  'figure',
  'footer',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hr',
  'li',
  'main',
  'nav',
  'ol',
  'p',
  'pre',
  'section',
  'table',
  'td',
  'th',
  'tr',
  'ul',
]);
const SKIP = new Set(['script', 'style', 'noscript', 'template', 'head', 'iframe']);
const DEFAULT_MAX = 100_000;

function collect(node: DomNode, out: string[]): void {
  if (node.type === 'text') {
    out.push(node.data ?? '');
    return;
  }
  if (node.type === 'cdata') {
    for (const child of node.children ?? []) collect(child, out);
    return;
  }
  if (node.type !== 'tag' && node.type !== 'root') return; // comments, directives, script/style nodes
  const name = node.name ?? '';
  if (SKIP.has(name)) return;
  const block = BLOCK.has(name);
  if (block) out.push('\n');
  for (const child of node.children ?? []) collect(child, out);
  if (block) out.push('\n');
}

/** Collapses white space within lines, drops empty lines; single-line input stays one line. */
export function normalizeWhitespace(text: string): string {
  return text
    .split('\n')
    .map((line) => line.replace(/[\s\u00a0\u200b\ufeff]+/g, ' ').trim())
    .filter((line) => line !== '')
    .join('\n');
}

function truncate(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  let cut = maxChars;
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut--; // never split a surrogate pair
  return text.slice(0, cut);
}

function nodesToText(nodes: DomNode[], maxChars: number): string {
  const out: string[] = [];
  for (const n of nodes) collect(n, out);
  return truncate(normalizeWhitespace(out.join('')), maxChars);
}

const htmlEntityCache = new Map<string, string | null>();

/** Decodes one HTML named entity (`eacute` → `é`) with cheerio's HTML decoder; null when unknown. Cached. */
export function htmlEntity(name: string): string | null {
  const cached = htmlEntityCache.get(name);
  if (cached !== undefined) return cached;
  const ref = `&${name};`;
  const decoded = cheerio.load(ref, { xml: { xmlMode: false, decodeEntities: true } }, false).text();
  const value = decoded === ref ? null : decoded;
  if (htmlEntityCache.size < 5000) htmlEntityCache.set(name, value);
  return value;
}

// Every '&' starts a complete, semicolon-terminated reference, or is not a reference at all.
const SIMPLE_REFS = /&(?:#\d{1,7};|#[xX][0-9a-fA-F]{1,6};|[A-Za-z][A-Za-z0-9]{0,31};|(?![#A-Za-z]))/g;

/** Tag-free text whose references are all simple decodes without a parser; null when a parser is needed. */
function decodeSimple(text: string): string | null {
  if (text.replace(SIMPLE_REFS, '').includes('&')) return null;
  let unknown = false;
  const out = text.replace(/&(?:#(\d+)|#[xX]([0-9a-fA-F]+)|([A-Za-z][A-Za-z0-9]*));/g, (m, dec, hex, name) => {
    if (name !== undefined) {
      const v = htmlEntity(name);
      if (v === null) unknown = true;
      return v ?? m;
    }
    const cp = dec !== undefined ? Number(dec) : parseInt(hex as string, 16);
    // HTML maps NUL, surrogates and out-of-range references to U+FFFD, and 0x80-0x9F to windows-1252: leave those to the parser.
    if (cp === 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) || (cp >= 0x80 && cp <= 0x9f)) unknown = true;
    return unknown ? m : String.fromCodePoint(cp);
  });
  return unknown ? null : out;
}

/**
 * Plain text of an HTML fragment (or of text that merely contains entities). `&amp;lt;b&amp;gt;`
 * becomes the literal text `&lt;b&gt;`: entities are decoded exactly once.
 */
export function htmlToText(html: string, maxChars = DEFAULT_MAX): string {
  if (!html) return '';
  // Parsing cost is linear, but there is no point parsing far past what we keep.
  const input = html.length > maxChars * 4 ? html.slice(0, maxChars * 4) : html;
  if (!/[<&]/.test(input)) return truncate(normalizeWhitespace(input), maxChars);
  if (!input.includes('<')) {
    const decoded = decodeSimple(input); // most titles: "Talks &amp; tanks" needs no parser
    if (decoded !== null) return truncate(normalizeWhitespace(decoded), maxChars);
  }
  const simple = simpleMarkupText(input, decodeSimple, BLOCK); // most summaries: <p>, <b>, <a href>
  if (simple !== null) return truncate(normalizeWhitespace(simple), maxChars);
  return htmlToTextWithParser(input, maxChars);
}

/** htmlToText through cheerio alone (no fast paths); exported for the fast paths' property test. */
export function htmlToTextWithParser(html: string, maxChars = DEFAULT_MAX): string {
  // Bounded nesting keeps htmlparser2 linear and the tree walk below off the call stack's limit.
  const $ = cheerio.load(limitNesting(html, { html: true }), { xml: { xmlMode: false, decodeEntities: true } }, false);
  return nodesToText($.root().toArray() as unknown as DomNode[], maxChars);
}

const BOILERPLATE =
  'script, style, noscript, template, nav, header, footer, aside, form, iframe, svg, [role=navigation], [aria-hidden=true]';

/** Picks the node whose direct <p> children hold the most text: the usual shape of an article body. */
function densestParagraphParent($: CheerioAPI): Cheerio<never> | null {
  const scores = new Map<unknown, number>();
  $('p').each((_i, p) => {
    const parent = (p as unknown as { parent: unknown }).parent;
    scores.set(parent, (scores.get(parent) ?? 0) + $(p).text().trim().length);
  });
  let best: unknown = null;
  let bestScore = 0;
  for (const [node, score] of scores) {
    if (score > bestScore) {
      best = node;
      bestScore = score;
    }
  }
  return best ? ($(best as never) as Cheerio<never>) : null;
}

/** Main body text of a full article page (for `fullText` feeds): article → main → densest paragraphs → body. */
export async function extractArticleText(html: string, maxChars = DEFAULT_MAX): Promise<string> {
  if (!html) return '';
  const $ = (await import('cheerio')).load(html);
  $(BOILERPLATE).remove();
  const candidates = [$('article'), $('main'), $('[role=main]')];
  for (const c of candidates) {
    if (c.length === 0) continue;
    // Several <article>s (teasers): take the longest.
    const longest = c.toArray().reduce((a, b) => ($(b).text().length > $(a).text().length ? b : a));
    const text = nodesToText([longest] as unknown as DomNode[], maxChars);
    if (text.length >= 200) return text;
  }
  const dense = densestParagraphParent($);
  if (dense) {
    const text = nodesToText(dense.toArray() as unknown as DomNode[], maxChars);
    if (text.length > 0) return text;
  }
  return nodesToText($('body').toArray() as unknown as DomNode[], maxChars);
}
