// One pass over a folded text finds every plain term at every word start: a character trie standing in for one regex per term.
import { CHAR_CLASS, SEPARATOR, WORD } from './chars.ts';
import { foldTerm } from './normalise.ts';

export interface Span {
  start: number;
  end: number;
}

/** A folded text, and the same text as written when folding kept its length (else null). */
export interface ScanText {
  folded: string;
  original: string | null;
}

/** Per term id, its matches in one text, in order (undefined: none). */
export type TermHits = (Span[] | undefined)[];

/**
 * The words of a plain term when the trie can match it exactly as its regex would (every word
 * non-empty; no word after the first starting with a space or hyphen, where the regex's
 * separator run could give characters back); else null and the term keeps its regex.
 */
function trieWords(term: string): { literal: string; prefix: boolean }[] | null {
  const words = foldTerm(term)
    .split(' ')
    .map((w) => (w.endsWith('*') ? { literal: w.slice(0, -1), prefix: true } : { literal: w, prefix: false }));
  for (let i = 0; i < words.length; i += 1) {
    const lit = words[i]!.literal;
    if (lit.length === 0 || (i > 0 && CHAR_CLASS[lit.charCodeAt(0)] === SEPARATOR)) return null;
  }
  return words;
}

/**
 * Interns plain terms and matches them all in one scan. Each term means what its regex means
 * (terms.ts plainBody): at a position not preceded by a letter or digit, its words in order, a
 * `word*` taking every letter and digit that follows, a whole word not followed by one, words
 * joined by one or more spaces or hyphens; per term, matches do not overlap (the leftmost wins,
 * as a global regex scan). From each word start the scan walks the trie: literal characters,
 * then the word-end steps, so every term sharing a beginning is tried at once.
 */
export class TermTable {
  private readonly ids = new Map<string, number>();
  /** Each interned term by id, folded (`мирн* план*`): a term in the rule language again. */
  readonly keys: string[] = [];
  private size = 0;
  /** Per node: literal children by char code; the node after a whole-word end; after a prefix end; after a separator run; the terms ending here. */
  private readonly children: Map<number, number>[] = [new Map()];
  private readonly exact: number[] = [-1];
  private readonly prefix: number[] = [-1];
  private readonly sep: number[] = [-1];
  private readonly accept: (number[] | null)[] = [null];
  /** The literal edges frozen for scanning (rebuilt after an intern): the root's by char code, the rest in one open-addressed hash. */
  private rootEdges: Int32Array | null = null;
  private edgeNode = new Int32Array(0);
  private edgeCode = new Int32Array(0);
  private edgeTo = new Int32Array(0);
  private edgeMask = 0;
  /** Terms found through other terms' matches (stemmed terms): their id, and per base term id a test of each match. */
  private readonly derived: { id: number; bases: { id: number; keep: (span: Span, text: ScanText) => boolean }[] }[] =
    [];
  private readonly derivedIds = new Map<string, number>();

  /** The term's id, or null when the trie cannot match it exactly (it then keeps its own regex). */
  intern(term: string): number | null {
    const words = trieWords(term);
    if (!words) return null;
    const key = words.map((w) => (w.prefix ? `${w.literal}*` : w.literal)).join(' ');
    let id = this.ids.get(key);
    if (id !== undefined) return id;
    id = this.size;
    this.size += 1;
    this.rootEdges = null;
    this.ids.set(key, id);
    this.keys.push(key);
    let n = 0;
    words.forEach((w, i) => {
      for (let k = 0; k < w.literal.length; k += 1) n = this.step(this.childMap(n), w.literal.charCodeAt(k));
      n = w.prefix ? this.link(this.prefix, n) : this.link(this.exact, n);
      if (i < words.length - 1) n = this.link(this.sep, n);
    });
    (this.accept[n] ??= []).push(id);
    return id;
  }

  /**
   * A term whose matches are those of other (interned) terms that pass a test, under `name`:
   * a stemmed term is found by its stems as prefixes, then each match's words are stemmed.
   * Returns null when the trie cannot take one of the base terms.
   */
  internDerived(name: string, bases: { term: string; keep: (span: Span, text: ScanText) => boolean }[]): number | null {
    const known = this.derivedIds.get(name);
    if (known !== undefined) return known;
    const ids = bases.map((b) => this.intern(b.term));
    if (ids.some((id) => id === null)) return null;
    const id = this.size;
    this.size += 1;
    this.derivedIds.set(name, id);
    this.derived.push({ id, bases: bases.map((b, i) => ({ id: ids[i]!, keep: b.keep })) });
    return id;
  }

  get terms(): number {
    return this.size;
  }

  /**
   * Every interned term's matches in `text` (a folded text). `original` is the same text before
   * folding when it has the same length (stemmed terms stem the words as written).
   */
  scan(text: string, original: string | null = null): TermHits {
    const hits: TermHits = new Array<Span[] | undefined>(this.size);
    const root = this.rootEdges ?? this.freeze();
    let afterWord = false;
    for (let p = 0; p < text.length; p += 1) {
      const c = text.charCodeAt(p);
      if (!afterWord) {
        const child = root[c]!;
        if (child >= 0) this.walk(text, child, p, p + 1, hits);
      }
      afterWord = CHAR_CLASS[c] === WORD;
    }
    if (this.derived.length > 0) this.scanDerived({ folded: text, original }, hits);
    return hits;
  }

  private scanDerived(text: ScanText, hits: TermHits): void {
    for (const d of this.derived) {
      let out: Span[] | undefined;
      for (const b of d.bases) {
        const found = hits[b.id];
        if (!found) continue;
        for (const s of found) if (b.keep(s, text)) (out ??= []).push(s);
      }
      if (!out) continue;
      if (d.bases.length > 1 && out.length > 1) {
        // Matches of several bases: in order, and (as for any term) not overlapping.
        out.sort((a, b) => a.start - b.start || b.end - a.end);
        const kept: Span[] = [out[0]!];
        for (const s of out) if (s.start >= kept[kept.length - 1]!.end) kept.push(s);
        out = kept;
      }
      hits[d.id] = out;
    }
  }

  /** Follows literal edges from `node` as far as the text allows, ending words wherever a term's word may end. */
  private walk(text: string, node: number, start: number, pos: number, hits: TermHits): void {
    const len = text.length;
    const exactEdges = this.exact;
    const prefixEdges = this.prefix;
    for (;;) {
      const exact = exactEdges[node]!;
      if (exact >= 0 && (pos >= len || CHAR_CLASS[text.charCodeAt(pos)] !== WORD))
        this.wordEnd(text, exact, start, pos, hits);
      const prefix = prefixEdges[node]!;
      if (prefix >= 0) {
        let q = pos;
        while (q < len && CHAR_CLASS[text.charCodeAt(q)] === WORD) q += 1;
        this.wordEnd(text, prefix, start, q, hits);
      }
      if (pos >= len) return;
      node = this.edge(node, text.charCodeAt(pos));
      if (node < 0) return;
      pos += 1;
    }
  }

  private wordEnd(text: string, node: number, start: number, end: number, hits: TermHits): void {
    const accept = this.accept[node];
    if (accept) {
      for (const id of accept) {
        let spans = hits[id];
        if (!spans) hits[id] = spans = [];
        else if (start < spans[spans.length - 1]!.end) continue;
        spans.push({ start, end });
      }
    }
    const sep = this.sep[node]!;
    if (sep < 0) return;
    let q = end;
    while (q < text.length && CHAR_CLASS[text.charCodeAt(q)] === SEPARATOR) q += 1;
    if (q > end) this.walk(text, sep, start, q, hits);
  }

  private edge(node: number, code: number): number {
    const mask = this.edgeMask;
    for (let h = (Math.imul(node, 0x9e3779b1) ^ code) & mask; ; h = (h + 1) & mask) {
      const n = this.edgeNode[h]!;
      if (n === node && this.edgeCode[h] === code) return this.edgeTo[h]!;
      if (n < 0) return -1;
    }
  }

  private freeze(): Int32Array {
    const root = new Int32Array(65536).fill(-1);
    for (const [code, to] of this.children[0]!) root[code] = to;
    const edges = this.children.reduce((a, m) => a + m.size, 0);
    let size = 16;
    while (size < edges * 2) size *= 2;
    this.edgeMask = size - 1;
    this.edgeNode = new Int32Array(size).fill(-1);
    this.edgeCode = new Int32Array(size);
    this.edgeTo = new Int32Array(size);
    this.children.forEach((map, node) => {
      for (const [code, to] of map) {
        let h = (Math.imul(node, 0x9e3779b1) ^ code) & this.edgeMask;
        while (this.edgeNode[h]! >= 0) h = (h + 1) & this.edgeMask;
        this.edgeNode[h] = node;
        this.edgeCode[h] = code;
        this.edgeTo[h] = to;
      }
    });
    return (this.rootEdges = root);
  }

  private newNode(): number {
    this.children.push(new Map());
    this.exact.push(-1);
    this.prefix.push(-1);
    this.sep.push(-1);
    this.accept.push(null);
    return this.children.length - 1;
  }

  private childMap(n: number): Map<number, number> {
    return this.children[n]!;
  }

  private step(map: Map<number, number>, code: number): number {
    let n = map.get(code);
    if (n === undefined) map.set(code, (n = this.newNode()));
    return n;
  }

  private link(edges: number[], n: number): number {
    if (edges[n]! < 0) edges[n] = this.newNode();
    return edges[n]!;
  }
}
