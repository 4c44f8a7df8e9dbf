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

/** The regex source for one term: a word or phrase on Unicode word boundaries; a word ending in `*` is a prefix. */
export function termSource(term: string): string {
  const t = term.trim();
  if (isRegexTerm(t)) return `(?:${t.slice(1, -1)})`;
  const words = foldTerm(t)
    .split(' ')
    .map((w) => (w.endsWith('*') ? `${escapeRegex(w.slice(0, -1))}${LETTER_OR_DIGIT}*` : `${escapeRegex(w)}(?!${LETTER_OR_DIGIT})`));
  // Inside a phrase any run of spaces (or a hyphen) between words matches the one space in the term.
  return `(?<!${LETTER_OR_DIGIT})${words.join('[\\s-]+')}`;
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

/** Interns needles so each is searched for at most once per text; keeps each needle's character bigrams. */
export class NeedleTable {
  readonly needles: string[] = [];
  readonly bigrams: Uint16Array[] = [];
  private readonly index = new Map<string, number>();
  intern(needle: string): number {
    let i = this.index.get(needle);
    if (i === undefined) {
      i = this.needles.length;
      this.needles.push(needle);
      const grams = new Uint16Array(Math.max(0, needle.length - 1));
      for (let k = 0; k + 1 < needle.length; k += 1) grams[k] = bigramHash(needle.charCodeAt(k), needle.charCodeAt(k + 1));
      this.bigrams.push(grams);
      this.index.set(needle, i);
    }
    return i;
  }
}

/** One bitmap reused for every text (tagging is synchronous, so texts never overlap). */
const bitmap = new Uint8Array(BIGRAM_BITS >> 3);

/**
 * Per-text cache of needle lookups: 0 = not looked up yet, 1 = present, 2 = absent. A needle one
 * of whose character pairs never occurs in the text is absent without a search: most needles
 * are absent from most texts, and the bitmap answers in a few nanoseconds where includes()
 * takes half a microsecond on a 1 KB text.
 */
export class NeedleCache {
  private readonly state: Uint8Array;
  constructor(
    private readonly table: NeedleTable,
    private readonly text: string,
  ) {
    this.state = new Uint8Array(table.needles.length);
    bitmap.fill(0);
    for (let k = 0; k + 1 < text.length; k += 1) {
      const h = bigramHash(text.charCodeAt(k), text.charCodeAt(k + 1));
      bitmap[h >> 3]! |= 1 << (h & 7);
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
    const grams = this.table.bigrams[i]!;
    for (let k = 0; k < grams.length; k += 1) {
      const h = grams[k]!;
      if ((bitmap[h >> 3]! & (1 << (h & 7))) === 0) return false;
    }
    return this.text.includes(this.table.needles[i]!);
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
  private readonly re: RegExp;

  constructor(
    readonly terms: readonly string[],
    table: NeedleTable,
  ) {
    const needles = terms.map(termNeedle);
    this.needleIds = needles.some((n) => n === null) ? null : [...new Set(needles as string[])].map((n) => table.intern(n));
    // Longest first, so a phrase wins over the single word it starts with.
    const sources = terms.map(termSource).sort((a, b) => b.length - a.length);
    // The u flag (slower) only when an analyst's /regex/ term may need it.
    this.re = new RegExp(sources.join('|'), terms.some(isRegexTerm) ? 'gu' : 'g');
  }

  /** Could the group match somewhere in the text behind `cache`? (cheap, may say yes wrongly) */
  mayMatch(cache: NeedleCache): boolean {
    if (this.needleIds === null) return true;
    for (const i of this.needleIds) if (cache.has(i)) return true;
    return false;
  }

  /** Every match in a folded sentence. */
  spans(folded: string): Span[] {
    const out: Span[] = [];
    this.re.lastIndex = 0;
    for (let m = this.re.exec(folded); m !== null; m = this.re.exec(folded)) {
      if (m[0].length === 0) {
        this.re.lastIndex += 1;
        continue;
      }
      out.push({ start: m.index, end: m.index + m[0].length });
    }
    return out;
  }

  test(folded: string): boolean {
    this.re.lastIndex = 0;
    return this.re.test(folded);
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
