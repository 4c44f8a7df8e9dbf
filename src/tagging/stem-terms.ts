// Stemmed rule terms (`~word`): found by the trie as a prefix of the stem, then kept only where the text's word has the same stem.
import { foldTerm } from './normalise.ts';
import { type StemLanguage, stemWord, termLanguages } from './stem.ts';
import { CHAR_CLASS, WORD } from './chars.ts';
import type { Span } from './trie.ts';

/** A word of a term: `~мирный` (by stem), `план*` (prefix) or `plan` (literal). */
interface TermWord {
  kind: 'stem' | 'prefix' | 'literal';
  /** Folded, without its `~` or `*`. */
  literal: string;
}

export interface StemTerm {
  /** Per stemming language: the trie key (stem words as prefixes) and each word's stem (null for non-stem words). */
  variants: { language: StemLanguage; key: string; stems: (string | null)[] }[];
}

/** Does a term use stems (`~` before one of its words)? */
export function isStemTerm(term: string): boolean {
  return /(^|\s)~/.test(term.trim());
}

/** Prefixes every word of a plain term that has a letter and no `*`/`~` with `~` (a rule's `stem: true`). */
export function stemAllWords(term: string): string {
  return term
    .trim()
    .split(/\s+/)
    .map((w) => (w.endsWith('*') || w.startsWith('~') || !/\p{L}/u.test(w) ? w : `~${w}`))
    .join(' ');
}

function commonPrefix(a: string, b: string): string {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i += 1;
  return a.slice(0, i);
}

function parseWords(term: string): TermWord[] {
  return foldTerm(term)
    .split(' ')
    .map((w) => {
      if (w.startsWith('~')) return { kind: 'stem', literal: w.slice(1) };
      if (w.endsWith('*')) return { kind: 'prefix', literal: w.slice(0, -1) };
      return { kind: 'literal', literal: w };
    });
}

/**
 * Compiles a `~` term. Each stemmed word becomes, for the trie, a prefix that every word with
 * its stem starts with: the stem's common part with the written word, one letter shorter for
 * English (Porter2 turns a final y into i: policy → polici). The stem is taken from the word as
 * written (lower case, before folding), in each language its letters allow (termLanguages).
 */
export function compileStemTerm(term: string): StemTerm {
  const raw = term.trim().toLowerCase().split(/\s+/);
  const words = parseWords(term);
  const languages = [...new Set(words.flatMap((w, i) => (w.kind === 'stem' ? termLanguages(raw[i]!.slice(1)) : [])))];
  const variants = languages.map((language) => {
    const stems: (string | null)[] = [];
    const keyWords = words.map((w, i) => {
      if (w.kind !== 'stem') {
        stems.push(null);
        return w.kind === 'prefix' ? `${w.literal}*` : w.literal;
      }
      const stem = stemWord(raw[i]!.slice(1), language);
      stems.push(stem);
      let prefix = commonPrefix(stem, w.literal);
      if (language === 'en' && prefix === stem && stem.length > 3) prefix = stem.slice(0, -1);
      return `${prefix || w.literal.slice(0, 1)}*`;
    });
    return { language, key: keyWords.join(' '), stems };
  });
  return { variants };
}

/** The words (runs of letters and digits) inside a span. */
function wordsIn(text: string, span: Span): Span[] {
  const out: Span[] = [];
  let start = -1;
  for (let p = span.start; p <= span.end; p += 1) {
    const word = p < span.end && CHAR_CLASS[text.charCodeAt(p)] === WORD;
    if (word && start < 0) start = p;
    else if (!word && start >= 0) {
      out.push({ start, end: p });
      start = -1;
    }
  }
  return out;
}

/**
 * Whether a match of a variant's trie key is a match of the term: every stemmed word of the
 * text has the term word's stem. `original` (same length as the folded text, not folded) gives
 * the stemmer the word as written; without it the folded word is stemmed.
 */
export function verifyStemSpan(
  variant: StemTerm['variants'][number],
  folded: string,
  original: string | null,
  span: Span,
): boolean {
  const words = wordsIn(folded, span);
  if (words.length !== variant.stems.length) return false;
  const source = original ?? folded;
  for (let i = 0; i < words.length; i += 1) {
    const stem = variant.stems[i];
    if (stem === null || stem === undefined) continue;
    const w = words[i]!;
    if (stemWord(source.slice(w.start, w.end).toLowerCase(), variant.language) !== stem) return false;
  }
  return true;
}
