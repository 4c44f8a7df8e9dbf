// One read-only view over two XML trees: rss-parser's xml2js output (strict path) and cheerio's xmlMode DOM (tolerant path).
import * as cheerio from 'cheerio';

/** What the feed mapping needs from an element, whichever parser produced it. */
export interface XmlNode {
  name: string;
  attr(name: string): string | undefined;
  /** Child elements with exactly this (qualified) name. */
  children(name: string): XmlNode[];
  /** All text inside, entity-decoded once. Always a string, whatever the element holds. */
  text(): string;
  /** The inner markup (for xhtml content); the text when the tree cannot give it back. */
  inner(): string;
}

const MAX_DEPTH = 64;

// ---- xml2js (null-prototype objects: `{ _: text, $: attrs, child: [..] }` or a bare string) ----
type XValue = string | Record<string, unknown>;

function own(obj: Record<string, unknown>, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined;
}

function xText(v: unknown, depth = 0): string {
  if (typeof v === 'string') return v;
  if (v === null || typeof v !== 'object' || depth > MAX_DEPTH) return '';
  if (Array.isArray(v)) return v.map((x) => xText(x, depth + 1)).join('');
  const obj = v as Record<string, unknown>;
  const parts: string[] = [];
  const direct = own(obj, '_');
  if (typeof direct === 'string') parts.push(direct);
  for (const key of Object.keys(obj)) {
    if (key === '_' || key === '$' || key === 'script' || key === 'style') continue;
    parts.push(xText(obj[key], depth + 1));
  }
  return parts.join('');
}

export function fromXml2js(name: string, value: XValue): XmlNode {
  const obj = typeof value === 'object' && value !== null ? value : null;
  return {
    name,
    attr(attrName) {
      const attrs = obj ? own(obj, '$') : undefined;
      if (!attrs || typeof attrs !== 'object') return undefined;
      const v = own(attrs as Record<string, unknown>, attrName);
      return typeof v === 'string' ? v : undefined;
    },
    children(childName) {
      const list = obj ? own(obj, childName) : undefined;
      if (!Array.isArray(list)) return [];
      return list.filter((x) => typeof x === 'string' || (x !== null && typeof x === 'object')).map((x) => fromXml2js(childName, x as XValue));
    },
    text: () => xText(value),
    // xml2js keeps no order for mixed content, so inline markup cannot be rebuilt: give back the text, escaped.
    inner: () => xText(value).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'),
  };
}

// ---- cheerio / domhandler in xmlMode ----
interface DomElement {
  type: string;
  name: string;
  attribs: Record<string, string>;
  children: DomElement[];
}

export function fromDom($: cheerio.CheerioAPI, el: DomElement): XmlNode {
  return {
    name: el.name,
    attr: (attrName) => (Object.prototype.hasOwnProperty.call(el.attribs, attrName) ? el.attribs[attrName] : undefined),
    children: (childName) => el.children.filter((c) => c.type === 'tag' && c.name === childName).map((c) => fromDom($, c)),
    text: () => $(el as never).text(),
    inner: () => $(el as never).html() ?? '',
  };
}

/** Every element in the document with one of `names`, in document order (tolerant path). */
export function domElements($: cheerio.CheerioAPI, names: Set<string>, limit: number): XmlNode[] {
  const out: XmlNode[] = [];
  const walk = (nodes: DomElement[], depth: number): void => {
    for (const n of nodes) {
      if (out.length >= limit || depth > MAX_DEPTH * 4) return;
      if (n.type !== 'tag') continue;
      if (names.has(n.name)) out.push(fromDom($, n));
      else walk(n.children, depth + 1);
    }
  };
  walk($.root().toArray()[0]?.children as unknown as DomElement[] ?? [], 0);
  return out;
}

/** The first element of the document (tolerant path). */
export function domRoot($: cheerio.CheerioAPI): XmlNode | null {
  const root = ($.root().toArray()[0]?.children as unknown as DomElement[] | undefined)?.find((c) => c.type === 'tag');
  return root ? fromDom($, root) : null;
}
