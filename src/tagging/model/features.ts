// The model's features of a headline and lede: stemmed words, pairs of stemmed words and character n-grams of stems, hashed.
import { CHAR_CLASS, WORD } from '../chars.ts';
import { type StemLanguage, stemWord, wordLanguage } from '../stem.ts';

/** Feature ids are hashes modulo 2^HASH_BITS (the hashing trick). */
export const HASH_BITS = 20;
const MASK = (1 << HASH_BITS) - 1;
/** Character n-grams of each stem, padded with < and >: 3 to 5 characters. */
export const CHAR_NGRAMS: readonly [number, number] = [3, 5];

/** 32-bit FNV-1a of a string. */
function fnv(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i += 1) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A word pair's id from its words' hashes (no string built per pair). */
function pairHash(a: number, b: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ b;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

interface WordFeatures {
  stem: string;
  /** The stem's hash (for pairs). */
  hash: number;
  /** The stem's own feature and its character n-grams. */
  ids: number[];
}

const MAX_CACHED = 200_000;
const cache = new Map<string, WordFeatures>();

function wordFeatures(word: string, language: StemLanguage): WordFeatures {
  const key = `${language}\u0000${word}`;
  let f = cache.get(key);
  if (f) return f;
  // Numbers are their size class: "653" and "480" say the same thing about a barrage.
  const stem = /^\d+$/.test(word) ? `#${Math.min(word.length, 5)}` : stemWord(word, language);
  const hash = fnv(`w${stem}`);
  const ids = [hash & MASK];
  const padded = `<${stem}>`;
  for (let n = CHAR_NGRAMS[0]; n <= CHAR_NGRAMS[1]; n += 1)
    for (let i = 0; i + n <= padded.length; i += 1) ids.push(fnv(`c${padded.slice(i, i + n)}`) & MASK);
  f = { stem, hash, ids };
  if (cache.size >= MAX_CACHED) cache.clear();
  cache.set(key, f);
  return f;
}

export interface FeatureText {
  title: string;
  summary: string;
  language: string | null;
}

export interface DocFeatures {
  /** Distinct feature ids, ascending. */
  ids: Int32Array;
  /** Each feature's value: 1/√(number of distinct features), so a vector has length 1. */
  value: number;
}

/** A word of the text with its stem, position and field (for explanations). */
export interface StemmedWord {
  stem: string;
  field: 'title' | 'summary';
  start: number;
  end: number;
}

function languageOf(language: string | null): string | null {
  const l = language?.trim().toLowerCase().slice(0, 2) ?? '';
  return /^[a-z]{2}$/.test(l) ? l : null;
}

/** Calls `onWord` for each run of letters and digits of a lower-cased field. */
function eachWord(text: string, onWord: (start: number, end: number) => void): void {
  let start = -1;
  for (let p = 0; p <= text.length; p += 1) {
    const word = p < text.length && CHAR_CLASS[text.charCodeAt(p)] === WORD;
    if (word && start < 0) start = p;
    else if (!word && start >= 0) {
      onWord(start, p);
      start = -1;
    }
  }
}

/**
 * The hashed features of a title and summary: per word its stem (`w`), its character n-grams
 * (`c`), and each pair of neighbouring stems within a field (`b`); plus the article's language.
 * With `words`, also lists each word's stem and place.
 */
export function featurize(doc: FeatureText, words?: StemmedWord[]): DocFeatures {
  const language = languageOf(doc.language);
  const out: number[] = [fnv(`l${language ?? '?'}`) & MASK];
  for (const field of ['title', 'summary'] as const) {
    const text = doc[field].toLowerCase();
    let prev = -1;
    eachWord(text, (start, end) => {
      const w = text.slice(start, end);
      const f = wordFeatures(w, wordLanguage(w, language));
      for (const id of f.ids) out.push(id);
      if (prev >= 0) out.push(pairHash(prev, f.hash) & MASK);
      prev = f.hash;
      words?.push({ stem: f.stem, field, start, end });
    });
  }
  const ids = Int32Array.from(out).sort();
  let n = 0;
  for (let i = 0; i < ids.length; i += 1) if (i === 0 || ids[i] !== ids[i - 1]) ids[n++] = ids[i]!;
  const unique = ids.subarray(0, n);
  return { ids: unique, value: n > 0 ? 1 / Math.sqrt(n) : 0 };
}

/**
 * The features of a title and summary grouped for explanation: per distinct stem `word:<stem>`
 * (its own feature and its character n-grams), per neighbouring pair `pair:<stem> <stem>`, and
 * `language:<code>`. A feature id shared by several groups belongs to the first.
 */
export function featureGroups(doc: FeatureText): { name: string; ids: number[] }[] {
  const claimed = new Set<number>();
  const groups = new Map<string, number[]>();
  const claim = (name: string, id: number) => {
    if (claimed.has(id)) return;
    claimed.add(id);
    let ids = groups.get(name);
    if (!ids) groups.set(name, (ids = []));
    ids.push(id);
  };
  const language = languageOf(doc.language);
  claim(`language:${language ?? '?'}`, fnv(`l${language ?? '?'}`) & MASK);
  const words: StemmedWord[] = [];
  featurize(doc, words);
  let prev: { stem: string; hash: number; field: string } | null = null;
  for (const w of words) {
    const text = doc[w.field].toLowerCase().slice(w.start, w.end);
    const f = wordFeatures(text, wordLanguage(text, language));
    for (const id of f.ids) claim(`word:${f.stem}`, id);
    if (prev && prev.field === w.field) claim(`pair:${prev.stem} ${f.stem}`, pairHash(prev.hash, f.hash) & MASK);
    prev = { stem: f.stem, hash: f.hash, field: w.field };
  }
  return [...groups].map(([name, ids]) => ({ name, ids }));
}
