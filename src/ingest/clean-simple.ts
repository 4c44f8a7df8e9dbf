// Fast path of htmlToText for the usual feed summary: a few well-formed <p>/<b>/<a …>/<br> tags
// around plain text. Gives exactly what the cheerio path gives for such input, and null for
// anything else (comments, raw-text or unknown elements, stray '<', odd attributes) so the
// caller falls back to the parser. Checked against the parser by a property test.

import { MAX_NESTING_DEPTH } from './limits.ts';

/** Inline elements that carry nothing but their text (no implicit closes, no raw text). */
const INLINE = new Set([
  'a',
  'abbr',
  'b',
  'bdi',
  'bdo',
  'cite',
  'code',
  'del',
  'dfn',
  'em',
  'i',
  'ins',
  'kbd',
  'mark',
  'q',
  's',
  'samp',
  'small',
  'span',
  'strong',
  'sub',
  'sup',
  'time',
  'u',
  'var',
]);
const VOID = new Set(['br', 'hr', 'img', 'wbr']);
/** htmlparser2's implied closes for the elements we accept: opening the key closes these while on top. */
const P = new Set(['p']);
const IMPLIES_CLOSE = new Map<string, ReadonlySet<string>>([
  ['tr', new Set(['tr', 'th', 'td'])],
  ['th', new Set(['th'])],
  ['td', new Set(['thead', 'th', 'td'])],
  ['li', new Set(['li'])],
  ['dd', new Set(['dd', 'dt'])],
  ['dt', new Set(['dd', 'dt'])],
  ...[
    'p',
    'h1',
    'h2',
    'h3',
    'h4',
    'h5',
    'h6',
    'address',
    'article',
    'aside',
    'blockquote',
    'div',
    'dl',
    'figcaption',
    'figure',
    'footer',
    'header',
    'hr',
    'main',
    'nav',
    'ol',
    'pre',
    'section',
    'table',
    'ul',
  ].map((t) => [t, P] as const),
]);
const ATTR = String.raw`\s+[a-zA-Z_:][-a-zA-Z0-9_:.]*(?:\s*=\s*(?:"[^"<>]*"|'[^'<>]*'|[^\s"'<>=\x60]+))?`;
/** An open tag (attributes quoted or simple; `/>` captured) or a bare close tag, at one position. */
const TAG = new RegExp(String.raw`<(?:([a-zA-Z][a-zA-Z0-9]*)((?:${ATTR})*)\s*(\/?)|\/([a-zA-Z][a-zA-Z0-9]*)\s*)>`, 'y');

/**
 * The text pieces of `html` joined, with '\n' at every block boundary (as clean.ts's tree walk
 * emits them), or null when the input needs the real parser. `decode` decodes a text run's
 * character references (null: needs the parser); `block` names the block elements.
 */
export function simpleMarkupText(
  html: string,
  decode: (text: string) => string | null,
  block: ReadonlySet<string>,
): string | null {
  if (html.includes('\0')) return null;
  const out: string[] = [];
  const open: string[] = [];
  let at = 0;
  while (at < html.length) {
    const lt = html.indexOf('<', at);
    const end = lt < 0 ? html.length : lt;
    if (end > at) {
      const text = decode(html.slice(at, end));
      if (text === null) return null;
      out.push(text);
    }
    if (lt < 0) break;
    TAG.lastIndex = lt;
    const m = TAG.exec(html);
    if (!m) return null;
    at = TAG.lastIndex;
    const name = (m[1] ?? m[4]!).toLowerCase();
    const isBlock = block.has(name);
    if (!isBlock && !INLINE.has(name)) return null;
    if (m[1] !== undefined) {
      if (m[3] && !VOID.has(name)) return null; // `<p/>` is an open tag in HTML: leave it to the parser
      const closes = IMPLIES_CLOSE.get(name);
      while (closes && open.length > 0 && closes.has(open[open.length - 1]!)) open.pop();
      if (isBlock) out.push('\n');
      if (!VOID.has(name)) open.push(name);
      if (open.length > MAX_NESTING_DEPTH) return null; // deep nesting: the parser path bounds it
      continue;
    }
    // A close tag: the parser closes the innermost open element of that name (and those inside
    // it, at this same position); an unmatched one is ignored, except </p> and </br>.
    const i = open.lastIndexOf(name);
    if (i >= 0) open.length = i;
    else if (name !== 'p' && name !== 'br') {
      if (VOID.has(name)) return null;
      continue;
    }
    if (isBlock) out.push('\n');
  }
  return out.join('');
}
