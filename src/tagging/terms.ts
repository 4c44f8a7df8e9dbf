// Rule terms as matchers: groups of alternative terms read from the trie's hits on a whole text, or run as regexes on one sentence.
import { WORD_CHAR, isWordCode } from './chars.ts';
import { foldTerm } from './normalise.ts';
import { type StemTerm, compileStemTerm, isStemTerm, verifyStemSpan } from './stem-terms.ts';
import type { ScanText, Span, TermHits, TermTable } from './trie.ts';

/** A term written `/…/` is a regular expression over folded text (lower case, no diacritics). */
export function isRegexTerm(term: string): boolean {
  const t = term.trim();
  return t.length > 2 && t.startsWith('/') && t.endsWith('/');
}

export { WORD_CHAR, isWordCode } from './chars.ts';
export { TermTable, TermTable as NeedleTable, type Span, type TermHits } from './trie.ts';
const LETTER_OR_DIGIT = WORD_CHAR;

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** The regex for a plain term without its left boundary (TermGroup checks that in code). */
function plainBody(term: string): string {
  const words = foldTerm(term)
    .split(' ')
    .map((w) =>
      w.endsWith('*') ? `${escapeRegex(w.slice(0, -1))}${LETTER_OR_DIGIT}*` : `${escapeRegex(w)}(?!${LETTER_OR_DIGIT})`,
    );
  // Inside a phrase any run of spaces (or a hyphen) between words matches the one space in the term.
  return words.join('[\\s-]+');
}

/** The regex source for one term: a word or phrase on word boundaries; a word ending in `*` is a prefix. */
export function termSource(term: string): string {
  const t = term.trim();
  return isRegexTerm(t) ? `(?:${t.slice(1, -1)})` : `(?<!${LETTER_OR_DIGIT})${plainBody(t)}`;
}

/** A set of alternative terms: "one of these". */
export class TermGroup {
  /** False when a /regex/ term makes the group impossible to rule out from the text's term hits. */
  readonly prefilterable: boolean;
  /**
   * Plain terms as one alternation with no leading lookbehind: V8 then scans for the terms'
   * first characters instead of trying every branch at every position (a 40-term group with
   * lookbehinds took ~1 ms on 2 KB); the left word boundary is checked in code. Used on single
   * sentences (exclusions, units, and texts whose folding changed their length).
   */
  private readonly plain: RegExp | null;
  /** The analyst's /regex/ terms, run as written (u flag). */
  private readonly custom: RegExp | null;
  /** The plain terms in written order: their id in the table's trie, or their own regex when the trie cannot take them. */
  private readonly perTerm: { id: number | null; re: RegExp | null }[];
  /** The `~` terms: their id in the table (null: matched by regex), per stemming language the regex of its trie key. */
  private readonly stemmed: { id: number | null; parts: { variant: StemTerm['variants'][number]; re: RegExp }[] }[];

  constructor(
    readonly terms: readonly string[],
    table: TermTable,
  ) {
    // Longest first, so a phrase wins over the single word it starts with.
    const plainTerms = terms.filter((t) => !isRegexTerm(t) && !isStemTerm(t));
    const stemTerms = terms.filter((t) => !isRegexTerm(t) && isStemTerm(t)).map((t) => ({ t, c: compileStemTerm(t) }));
    const plain = plainTerms.map(plainBody).sort((a, b) => b.length - a.length);
    const custom = terms.filter(isRegexTerm).map(termSource);
    this.plain = plain.length > 0 ? new RegExp(plain.join('|'), 'g') : null;
    this.custom = custom.length > 0 ? new RegExp(custom.join('|'), 'gu') : null;
    this.prefilterable = custom.length === 0;
    this.perTerm = plainTerms.map((t) => {
      const id = table.intern(t);
      return { id, re: id === null ? new RegExp(plainBody(t), 'g') : null };
    });
    this.stemmed = stemTerms.map(({ t, c }) => ({
      id: table.internDerived(
        `~${foldTerm(t)}`,
        c.variants.map((v) => ({
          term: v.key,
          keep: (span: Span, text: ScanText) => verifyStemSpan(v, text.folded, text.original, span),
        })),
      ),
      parts: c.variants.map((variant) => ({ variant, re: new RegExp(plainBody(variant.key), 'g') })),
    }));
    for (const st of this.stemmed) if (st.id !== null) this.perTerm.push({ id: st.id, re: null });
  }

  /** Could the group match somewhere in the text whose hits these are? (no when none of its terms occurs) */
  mayMatch(hits: TermHits): boolean {
    if (!this.prefilterable) return true;
    for (const t of this.perTerm) if (t.id === null || hits[t.id] !== undefined) return true;
    return false;
  }

  /**
   * Every match in a folded text, in order; with `first`, stops at the first. Given the term
   * hits of this same text (TermTable.scan), the plain terms' matches are read from them; two
   * terms may then both match at one place ("no plans", "no"), which is harmless to the callers.
   */
  spans(folded: string, first = false, hits: TermHits | null = null): Span[] {
    const out: Span[] = [];
    if (hits) {
      for (const t of this.perTerm) {
        if (t.id === null) collect(t.re!, folded, out, false);
        else {
          const found = hits[t.id];
          if (found) for (const s of found) out.push(s);
        }
      }
      for (const st of this.stemmed) if (st.id === null) this.collectStemmed(st.parts, folded, out, false);
      if (out.length > 1) out.sort((a, b) => a.start - b.start);
    } else {
      if (this.plain) {
        collect(this.plain, folded, out, first);
        if (first && out.length > 0) return out;
      }
      if (this.stemmed.length > 0) {
        const before = out.length;
        for (const st of this.stemmed) {
          this.collectStemmed(st.parts, folded, out, first);
          if (first && out.length > 0) return out;
        }
        if (before > 0 && out.length > before) out.sort((a, b) => a.start - b.start);
      }
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

  /** The `~` terms by regex on a folded text (no original at hand: the folded words are stemmed). */
  private collectStemmed(
    parts: TermGroup['stemmed'][number]['parts'],
    folded: string,
    out: Span[],
    first: boolean,
  ): void {
    for (const { variant, re } of parts) {
      const found: Span[] = [];
      collect(re, folded, found, false);
      for (const s of found) {
        if (!verifyStemSpan(variant, folded, null, s)) continue;
        out.push(s);
        if (first) return;
      }
    }
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
    // Where a run of letters and digits begins (as the regex /W+/g would find them).
    let afterWord = false;
    for (let p = 0; p < folded.length; p += 1) {
      const word = isWordCode(folded.charCodeAt(p));
      if (word && !afterWord) this.starts.push(p);
      afterWord = word;
    }
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
