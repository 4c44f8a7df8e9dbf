// Rule terms as fast matchers: literal needles for an includes() prefilter, then one small regex per group.
import { foldTerm } from './normalise.ts';

/** A term written `/…/` is a regular expression over folded text (lower case, no diacritics). */
export function isRegexTerm(term: string): boolean {
  const t = term.trim();
  return t.length > 2 && t.startsWith('/') && t.endsWith('/');
}

/**
 * A letter or digit, for word boundaries. Explicit blocks (Latin, Greek, Cyrillic, Armenian,
 * Hebrew, Arabic, Thai, CJK, Hangul) rather than [\p{L}\p{N}]: V8 runs Unicode-property
 * classes 4× slower on Cyrillic text, and this is the matcher's innermost loop.
 */
export const WORD_CHAR =
  '[0-9A-Za-z\\u00aa\\u00b5\\u00ba\\u00c0-\\u00d6\\u00d8-\\u00f6\\u00f8-\\u02af\\u0370-\\u03ff\\u0400-\\u0481\\u048a-\\u052f\\u0531-\\u0587\\u05d0-\\u05ea\\u0620-\\u064a\\u0660-\\u0669\\u0e00-\\u0e7f\\u1e00-\\u1fff\\u3040-\\u30ff\\u3400-\\u9fff\\uac00-\\ud7af]';
const LETTER_OR_DIGIT = WORD_CHAR;

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** The regex for a plain term without its left boundary (TermGroup checks that in code). */
function plainBody(term: string): string {
  const words = foldTerm(term)
    .split(' ')
    .map((w) => (w.endsWith('*') ? `${escapeRegex(w.slice(0, -1))}${LETTER_OR_DIGIT}*` : `${escapeRegex(w)}(?!${LETTER_OR_DIGIT})`));
  // Inside a phrase any run of spaces (or a hyphen) between words matches the one space in the term.
  return words.join('[\\s-]+');
}

/** The regex source for one term: a word or phrase on word boundaries; a word ending in `*` is a prefix. */
export function termSource(term: string): string {
  const t = term.trim();
  return isRegexTerm(t) ? `(?:${t.slice(1, -1)})` : `(?<!${LETTER_OR_DIGIT})${plainBody(t)}`;
}

const WORD_RANGES = [
  [48, 57], [65, 90], [97, 122], [0xaa, 0xaa], [0xb5, 0xb5], [0xba, 0xba], [0xc0, 0xd6], [0xd8, 0xf6], [0xf8, 0x2af], [0x370, 0x3ff], [0x400, 0x481], [0x48a, 0x52f],
  [0x531, 0x587], [0x5d0, 0x5ea], [0x620, 0x64a], [0x660, 0x669], [0xe00, 0xe7f], [0x1e00, 0x1fff], [0x3040, 0x30ff], [0x3400, 0x9fff], [0xac00, 0xd7af],
] as const;

/** Is this UTF-16 code unit a letter or digit (the same blocks as WORD_CHAR)? */
export function isWordCode(code: number): boolean {
  if (code < 128) return (code >= 97 && code <= 122) || (code >= 48 && code <= 57) || (code >= 65 && code <= 90);
  for (const [lo, hi] of WORD_RANGES) if (code >= lo && code <= hi) return true;
  return false;
}

/** The literal that must occur in the folded text for the term to match, or null (regex terms). */
export function termNeedle(term: string): string | null {
  const t = term.trim();
  if (isRegexTerm(t)) return null;
  // A phrase's words may be joined by a hyphen or several spaces: prefilter on its longest word.
  const words = foldTerm(t)
    .split(' ')
    .map((w) => (w.endsWith('*') ? w.slice(0, -1) : w));
  return words.reduce((a, b) => (b.length > a.length ? b : a), '');
}

const BIGRAM_BITS = 1 << 16;

function bigramHash(a: number, b: number): number {
  return ((a * 0x9e37) ^ b) & (BIGRAM_BITS - 1);
}

function trigramHash(a: number, b: number, c: number): number {
  return ((((a * 0x9e37) ^ b) * 0x2f1d) ^ c) & (BIGRAM_BITS - 1);
}

/** Interns needles so each is searched for at most once per text; keeps each needle's character bigrams. */
export class NeedleTable {
  readonly needles: string[] = [];
  readonly bigrams: Uint16Array[] = [];
  readonly trigrams: Uint16Array[] = [];
  private readonly index = new Map<string, number>();
  intern(needle: string): number {
    let i = this.index.get(needle);
    if (i === undefined) {
      i = this.needles.length;
      this.needles.push(needle);
      const grams = new Uint16Array(Math.max(0, needle.length - 1));
      for (let k = 0; k + 1 < needle.length; k += 1) grams[k] = bigramHash(needle.charCodeAt(k), needle.charCodeAt(k + 1));
      const tri = new Uint16Array(Math.max(0, needle.length - 2));
      for (let k = 0; k + 2 < needle.length; k += 1) tri[k] = trigramHash(needle.charCodeAt(k), needle.charCodeAt(k + 1), needle.charCodeAt(k + 2));
      this.trigrams.push(tri);
      this.bigrams.push(grams);
      this.index.set(needle, i);
    }
    return i;
  }
}

/** One bitmap reused for every text (tagging is synchronous, so texts never overlap). */
const bitmap = new Uint8Array(BIGRAM_BITS >> 3);
const triBitmap = new Uint8Array(BIGRAM_BITS >> 3);

/**
 * Per-text cache of needle lookups: 0 = not looked up yet, 1 = present, 2 = absent. A needle one
 * of whose character pairs never occurs in the text is absent without a search: most needles
 * are absent from most texts, and the bitmap answers in a few nanoseconds where includes()
 * takes half a microsecond on a 1 KB text.
 */
export class NeedleCache {
  private readonly state: Uint8Array;
  private readonly useBitmap: boolean;
  /** `useBitmap = false` for short texts (a sentence), and for any cache used while another is alive. */
  constructor(
    private readonly table: NeedleTable,
    private readonly text: string,
    useBitmap = true,
  ) {
    this.state = new Uint8Array(table.needles.length);
    this.useBitmap = useBitmap;
    if (!useBitmap) return;
    bitmap.fill(0);
    triBitmap.fill(0);
    let a = text.length > 0 ? text.charCodeAt(0) : 0;
    let b = text.length > 1 ? text.charCodeAt(1) : 0;
    if (text.length > 1) {
      const h = bigramHash(a, b);
      bitmap[h >> 3]! |= 1 << (h & 7);
    }
    for (let k = 2; k < text.length; k += 1) {
      const c = text.charCodeAt(k);
      const h = bigramHash(b, c);
      bitmap[h >> 3]! |= 1 << (h & 7);
      const t = trigramHash(a, b, c);
      triBitmap[t >> 3]! |= 1 << (t & 7);
      a = b;
      b = c;
    }
  }
  has(i: number): boolean {
    let s = this.state[i]!;
    if (s === 0) {
      s = this.lookup(i) ? 1 : 2;
      this.state[i] = s;
    }
    return s === 1;
  }
  private lookup(i: number): boolean {
    // The bitmap belongs to the latest NeedleCache; this one is only asked while it is the latest.
    if (!this.useBitmap) return this.text.includes(this.table.needles[i]!);
    const grams = this.table.bigrams[i]!;
    for (let k = 0; k < grams.length; k += 1) {
      const h = grams[k]!;
      if ((bitmap[h >> 3]! & (1 << (h & 7))) === 0) return false;
    }
    const tri = this.table.trigrams[i]!;
    for (let k = 0; k < tri.length; k += 1) {
      const h = tri[k]!;
      if ((triBitmap[h >> 3]! & (1 << (h & 7))) === 0) return false;
    }
    // Every pair and triple present: a needle of 3+ characters is almost surely there. A wrong
    // "yes" costs one regex run, never a missed match (the regexes decide).
    return tri.length > 0 || this.text.includes(this.table.needles[i]!);
  }
}

export interface Span {
  start: number;
  end: number;
}

/** A set of alternative terms: "one of these". */
export class TermGroup {
  /** Needle ids for the prefilter; null when a regex term makes prefiltering impossible. */
  readonly needleIds: number[] | null;
  /**
   * Plain terms as one alternation with no leading lookbehind: V8 then scans for the terms'
   * first characters instead of trying every branch at every position (a 40-term group with
   * lookbehinds took ~1 ms on 2 KB); the left word boundary is checked in code.
   */
  private readonly plain: RegExp | null;
  /** The analyst's /regex/ terms, run as written (u flag). */
  private readonly custom: RegExp | null;
  /** One small regex per plain term with its needle: on a whole field only the terms whose needle occurs run. */
  private readonly perTerm: { needle: number; re: RegExp }[];

  constructor(
    readonly terms: readonly string[],
    table: NeedleTable,
  ) {
    const needles = terms.map(termNeedle);
    this.needleIds = needles.some((n) => n === null) ? null : [...new Set(needles as string[])].map((n) => table.intern(n));
    // Longest first, so a phrase wins over the single word it starts with.
    const plain = terms.filter((t) => !isRegexTerm(t)).map(plainBody).sort((a, b) => b.length - a.length);
    const custom = terms.filter(isRegexTerm).map(termSource);
    this.plain = plain.length > 0 ? new RegExp(plain.join('|'), 'g') : null;
    this.custom = custom.length > 0 ? new RegExp(custom.join('|'), 'gu') : null;
    this.perTerm = terms.filter((t) => !isRegexTerm(t)).map((t) => ({ needle: table.intern(termNeedle(t)!), re: new RegExp(plainBody(t), 'g') }));
  }

  /** Could the group match somewhere in the text behind `cache`? (cheap, may say yes wrongly) */
  mayMatch(cache: NeedleCache): boolean {
    if (this.needleIds === null) return true;
    for (const i of this.needleIds) if (cache.has(i)) return true;
    return false;
  }

  /**
   * Every match in a folded text, in order; with `first`, stops at the first. Given the needle
   * cache of this same text, runs only the terms whose literal occurs in it (a 40-term
   * alternation costs ~100 µs per KB, the two or three terms present a few µs); then two terms
   * may both match at one place ("no plans", "no"), which is harmless to the callers.
   */
  spans(folded: string, first = false, cache: NeedleCache | null = null): Span[] {
    const out: Span[] = [];
    if (cache) {
      for (const t of this.perTerm) if (cache.has(t.needle)) collect(t.re, folded, out, false);
      if (out.length > 1) out.sort((a, b) => a.start - b.start);
    } else if (this.plain) {
      collect(this.plain, folded, out, first);
      if (first && out.length > 0) return out;
    }
    const custom = this.custom;
    if (custom) {
      const before = out.length;
      custom.lastIndex = 0;
      for (let m = custom.exec(folded); m !== null; m = custom.exec(folded)) {
        if (m[0].length === 0) {
          custom.lastIndex += 1;
          continue;
        }
        out.push({ start: m.index, end: m.index + m[0].length });
        if (first) return out;
      }
      if (before > 0 && out.length > before) out.sort((a, b) => a.start - b.start);
    }
    return out;
  }

  test(folded: string): boolean {
    return this.spans(folded, true).length > 0;
  }
}

/** Runs a plain-term regex (no leading lookbehind) and keeps the matches that start a word. */
function collect(re: RegExp, folded: string, out: Span[], first: boolean): void {
  re.lastIndex = 0;
  for (let m = re.exec(folded); m !== null; m = re.exec(folded)) {
    if (m.index > 0 && isWordCode(folded.charCodeAt(m.index - 1))) {
      re.lastIndex = m.index + 1;
      continue;
    }
    out.push({ start: m.index, end: m.index + m[0].length });
    if (first) return;
  }
}

/** Token positions of a sentence, to measure distances in words ("within N tokens"). */
export class TokenIndex {
  private readonly starts: number[] = [];
  constructor(folded: string) {
    const re = new RegExp(`${WORD_CHAR}+`, 'g');
    for (let m = re.exec(folded); m !== null; m = re.exec(folded)) this.starts.push(m.index);
  }
  /** Index of the token at or before character `pos`. */
  at(pos: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    let ans = 0;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.starts[mid]! <= pos) {
        ans = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return ans;
  }
}
