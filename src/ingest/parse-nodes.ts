// One read-only view over two XML trees: rss-parser's xml2js output (strict path) and cheerio's xmlMode DOM (tolerant path).
import * as cheerio from 'cheerio/slim';

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

/**
 * Which of an element's child names answers to `name`: the exact name, else the name in the
 * feed's core namespace when the document binds it to a prefix (`<r:title>` in `<r:rss>`),
 * else a case-insensitive match (CDF and other upper-case feeds).
 */
export function matchName(names: Iterable<string>, name: string, corePrefix: string | null): string | undefined {
  const list = [...names];
  if (list.includes(name)) return name;
  const prefixed = corePrefix && !name.includes(':') ? `${corePrefix}:${name}` : null;
  if (prefixed && list.includes(prefixed)) return prefixed;
  const lower = name.toLowerCase();
  return list.find(
    (n) => n.toLowerCase() === lower || (prefixed !== null && n.toLowerCase() === prefixed.toLowerCase()),
  );
}

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

const escapeText = (t: string): string => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A class rather than closures: one feed can hold thousands of these. */
class Xml2jsNode implements XmlNode {
  private readonly obj: Record<string, unknown> | null;

  constructor(
    readonly name: string,
    private readonly value: XValue,
    private readonly corePrefix: string | null,
  ) {
    this.obj = typeof value === 'object' && value !== null ? value : null;
  }

  attr(attrName: string): string | undefined {
    const attrs = this.obj ? own(this.obj, '$') : undefined;
    if (!attrs || typeof attrs !== 'object') return undefined;
    const record = attrs as Record<string, unknown>;
    const key = own(record, attrName) !== undefined ? attrName : matchName(Object.keys(record), attrName, null);
    const v = key === undefined ? undefined : own(record, key);
    return typeof v === 'string' ? v : undefined;
  }

  children(childName: string): XmlNode[] {
    const obj = this.obj;
    if (!obj) return [];
    let key: string | undefined = childName;
    let list = own(obj, childName);
    if (list === undefined) {
      key = matchName(
        Object.keys(obj).filter((k) => k !== '$' && k !== '_'),
        childName,
        this.corePrefix,
      );
      list = key === undefined ? undefined : own(obj, key);
    }
    if (!Array.isArray(list)) return [];
    const out: XmlNode[] = [];
    for (const x of list) {
      if (typeof x === 'string' || (x !== null && typeof x === 'object'))
        out.push(new Xml2jsNode(key as string, x as XValue, this.corePrefix));
    }
    return out;
  }

  text(): string {
    return xText(this.value);
  }

  // xml2js keeps no order for mixed content, so inline markup cannot be rebuilt: give back the text, escaped.
  inner(): string {
    return escapeText(xText(this.value));
  }
}

export function fromXml2js(name: string, value: XValue, corePrefix: string | null = null): XmlNode {
  return new Xml2jsNode(name, value, corePrefix);
}

// ---- cheerio / domhandler in xmlMode ----
interface DomElement {
  type: string;
  name: string;
  attribs: Record<string, string>;
  children: DomElement[];
}

export function fromDom($: cheerio.CheerioAPI, el: DomElement, corePrefix: string | null = null): XmlNode {
  const tags = (): DomElement[] => el.children.filter((c) => c.type === 'tag');
  return {
    name: el.name,
    attr: (attrName) => {
      const key = matchName(Object.keys(el.attribs), attrName, null);
      return key === undefined ? undefined : el.attribs[key];
    },
    children: (childName) => {
      const key = matchName(new Set(tags().map((c) => c.name)), childName, corePrefix);
      return key === undefined
        ? []
        : tags()
            .filter((c) => c.name === key)
            .map((c) => fromDom($, c, corePrefix));
    },
    text: () => $(el as never).text(),
    inner: () => $(el as never).html() ?? '',
  };
}

/** Every element in the document whose local name (lower-cased) is in `names`, in document order (tolerant path). */
export function domElements(
  $: cheerio.CheerioAPI,
  names: Set<string>,
  limit: number,
  corePrefix: string | null = null,
): XmlNode[] {
  const out: XmlNode[] = [];
  const walk = (nodes: DomElement[], depth: number): void => {
    for (const n of nodes) {
      if (out.length >= limit || depth > MAX_DEPTH * 4) return;
      if (n.type !== 'tag') continue;
      const localName = n.name.slice(n.name.lastIndexOf(':') + 1).toLowerCase();
      if (names.has(localName)) out.push(fromDom($, n, corePrefix));
      else walk(n.children, depth + 1);
    }
  };
  walk(($.root().toArray()[0]?.children as unknown as DomElement[]) ?? [], 0);
  return out;
}

/** The first element of the document (tolerant path). */
export function domRoot($: cheerio.CheerioAPI, corePrefix: string | null = null): XmlNode | null {
  const root = ($.root().toArray()[0]?.children as unknown as DomElement[] | undefined)?.find((c) => c.type === 'tag');
  return root ? fromDom($, root, corePrefix) : null;
}
