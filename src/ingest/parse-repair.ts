// Repairs the malformations that make a strict XML parser reject a whole feed: stray '&', HTML entities, DTDs, junk around the root.
import { htmlEntity } from './clean.ts';

const XML_ENTITIES = new Set(['amp', 'lt', 'gt', 'quot', 'apos']);
function isXmlChar(cp: number): boolean {
  return (
    cp === 0x9 ||
    cp === 0xa ||
    cp === 0xd ||
    (cp >= 0x20 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd) ||
    (cp >= 0x10000 && cp <= 0x10ffff)
  );
}

function toNumeric(value: string): string {
  return Array.from(value, (ch) => `&#${ch.codePointAt(0)};`).join('');
}

/**
 * Outside CDATA: a bare `&` becomes `&amp;`, an HTML entity (`&eacute;`) becomes its numeric
 * reference, an unknown one is kept as literal text, and references to illegal characters go.
 */
export function fixEntities(segment: string): string {
  return segment.replace(
    /&(?:#(\d{1,8});|#[xX]([0-9a-fA-F]{1,7});|([A-Za-z][A-Za-z0-9._-]{0,31});)?/g,
    (m, dec, hex, name) => {
      if (dec !== undefined || hex !== undefined) {
        const cp = dec !== undefined ? Number(dec) : parseInt(hex as string, 16);
        return isXmlChar(cp) ? m : '';
      }
      if (name === undefined) return '&amp;';
      if (XML_ENTITIES.has(name)) return m;
      const value = htmlEntity(name);
      return value === null ? `&amp;${name};` : toNumeric(value);
    },
  );
}

/** Applies `fix` to the text outside CDATA sections and comments (whose content is literal). */
function outsideLiterals(text: string, fix: (s: string) => string): string {
  const out: string[] = [];
  const re = /<!\[CDATA\[[\s\S]*?(?:\]\]>|$)|<!--[\s\S]*?(?:-->|$)/g;
  let last = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    out.push(fix(text.slice(last, m.index)), m[0]);
    last = m.index + m[0].length;
    if (m[0].length === 0) re.lastIndex++;
  }
  out.push(fix(text.slice(last)));
  return out.join('');
}

const ELEMENT_NAME = /[A-Za-z_][\w:.-]*/y;
const GT_OR_BRACKET = /[>[]/g;

/**
 * The name of the first element (skipping the declaration, comments, PIs and DOCTYPE). One pass:
 * a terminator found missing once is never searched for again (an unterminated `<!--` repeated
 * 300,000 times made the old regex quadratic).
 */
export function rootName(text: string): string | null {
  const missing = new Set<string>();
  /** Index after `end` searched from `from`, or -1 (remembered: a later search would fail too). */
  const past = (from: number, end: string): number => {
    if (missing.has(end)) return -1;
    const i = text.indexOf(end, from);
    if (i < 0) missing.add(end);
    return i < 0 ? -1 : i + end.length;
  };
  let i = 0;
  for (;;) {
    i = text.indexOf('<', i);
    if (i < 0) return null;
    let next = -1;
    if (text.startsWith('<!--', i)) next = past(i + 4, '-->');
    else if (text.startsWith('<?', i)) next = past(i + 2, '?>');
    else if (/^<!DOCTYPE/i.test(text.slice(i, i + 9))) {
      // An internal subset ([...]) may hold '>': skip past its ']' first.
      GT_OR_BRACKET.lastIndex = i;
      const stop = GT_OR_BRACKET.exec(text);
      if (stop?.[0] === '[') next = past(stop.index, ']');
      else if (stop) next = stop.index + 1;
    } else {
      ELEMENT_NAME.lastIndex = i + 1;
      const m = ELEMENT_NAME.exec(text);
      if (m) return m[0];
    }
    i = next < 0 ? i + 1 : next;
  }
}

/** Drops everything after the root element's closing tag ("junk after the root"). */
function cutAfterRoot(text: string): string {
  const name = rootName(text);
  if (!name) return text;
  const close = text.lastIndexOf(`</${name}`);
  if (close < 0) return text;
  const end = text.indexOf('>', close);
  return end < 0 ? text : text.slice(0, end + 1);
}

/** Repairs common malformations so a strict parser accepts the feed. Well-formed feeds keep their meaning. */
export function repairXml(text: string): string {
  let t = text;
  const decl = t.indexOf('<?xml');
  if (decl > 0 && decl < 4096)
    t = t.slice(decl); // junk before the declaration
  else {
    const first = t.search(/<[?!A-Za-z_]/);
    if (first > 0) t = t.slice(first);
  }
  // DTDs: internal subsets are how billion-laughs and XXE arrive; we never expand them.
  // Only the prolog's DOCTYPE: the same text inside a CDATA section is content.
  const prolog = /^(?:\s+|<\?[\s\S]*?\?>|<!--[\s\S]*?-->)*/.exec(t)?.[0].length ?? 0;
  const doctype = /^<!DOCTYPE[^>[]*(\[[\s\S]*?\])?\s*>/i.exec(t.slice(prolog));
  if (doctype) t = t.slice(0, prolog) + t.slice(prolog + doctype[0].length);
  t = outsideLiterals(t, fixEntities);
  return cutAfterRoot(t);
}

/**
 * Cuts a document after `maxItems` items/entries so a 100k-item feed never reaches the parser
 * whole; the tolerant path copes with the missing closing tags.
 */
export function capItems(text: string, maxItems: number): { text: string; capped: boolean } {
  const re = /<(?:[\w.-]+:)?(?:item|entry)[\s>/]/g;
  let count = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (++count > maxItems) return { text: text.slice(0, m.index), capped: true };
  }
  return { text, capped: false };
}
