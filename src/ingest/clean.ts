// HTML → plain text with cheerio: entities decoded once, white space normalised. It extracts; it does not sanitise (escape on output).
import * as cheerio from 'cheerio';

/** The slice of domhandler's node shape we walk (kept local: we depend on cheerio, not its internals). */
interface DomNode {
  type: string;
  data?: string;
  name?: string;
  children?: DomNode[];
}

const BLOCK = new Set([
  'address', 'article', 'aside', 'blockquote', 'br', 'dd', 'div', 'dl', 'dt', 'figcaption', 'figure', 'footer', 'h1', 'h2',
  'h3', 'h4', 'h5', 'h6', 'header', 'hr', 'li', 'main', 'nav', 'ol', 'p', 'pre', 'section', 'table', 'td', 'th', 'tr', 'ul',
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

/**
 * Plain text of an HTML fragment (or of text that merely contains entities). `&amp;lt;b&amp;gt;`
 * becomes the literal text `&lt;b&gt;`: entities are decoded exactly once.
 */
export function htmlToText(html: string, maxChars = DEFAULT_MAX): string {
  if (!html) return '';
  // Parsing cost is linear, but there is no point parsing far past what we keep.
  const input = html.length > maxChars * 4 ? html.slice(0, maxChars * 4) : html;
  if (!/[<&]/.test(input)) return truncate(normalizeWhitespace(input), maxChars);
  const $ = cheerio.load(input, { xml: { xmlMode: false, decodeEntities: true } }, false);
  return nodesToText($.root().toArray() as unknown as DomNode[], maxChars);
}

const BOILERPLATE = 'script, style, noscript, template, nav, header, footer, aside, form, iframe, svg, [role=navigation], [aria-hidden=true]';

/** Picks the node whose direct <p> children hold the most text: the usual shape of an article body. */
function densestParagraphParent($: cheerio.CheerioAPI): cheerio.Cheerio<never> | null {
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
  return best ? ($(best as never) as cheerio.Cheerio<never>) : null;
}

/** Main body text of a full article page (for `fullText` feeds): article → main → densest paragraphs → body. */
export function extractArticleText(html: string, maxChars = DEFAULT_MAX): string {
  if (!html) return '';
  const $ = cheerio.load(html);
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
