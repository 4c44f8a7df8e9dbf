// The model's features of a headline and lede: stemmed words, pairs of stemmed words and character n-grams of stems, hashed.
import { CHAR_CLASS, WORD } from '../chars.ts';
import { type StemLanguage, stemWord, wordLanguage } from '../stem.ts';

// Local bindings: under tsx and vitest an imported binding is read through a getter, which the
// per-character loops below would pay on every character.
const CLASS_OF: Uint8Array = CHAR_CLASS;
const WORD_CLASS: number = WORD;
const languageOfWord: typeof wordLanguage = wordLanguage;
const stemOf: typeof stemWord = stemWord;

/** Feature ids are hashes modulo 2^HASH_BITS (the hashing trick). */
export const HASH_BITS = 18;
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

export interface WordFeatures {
  stem: string;
  /** The stem's hash (for pairs). */
  hash: number;
  /** The stem's own feature and its character n-grams. */
  ids: number[];
}

const MAX_CACHED = 100_000;
const caches: Record<StemLanguage, Map<string, WordFeatures>> = { en: new Map(), ru: new Map(), uk: new Map() };

function wordFeatures(word: string, language: StemLanguage): WordFeatures {
  const cache = caches[language];
  let f = cache.get(word);
  if (f) return f;
  // Numbers are their size class: "653" and "480" say the same thing about a barrage.
  const stem = /^\d+$/.test(word) ? `#${Math.min(word.length, 5)}` : stemOf(word, language);
  const hash = fnv(`w${stem}`);
  const ids = [hash & MASK];
  const padded = `<${stem}>`;
  for (let n = CHAR_NGRAMS[0]; n <= CHAR_NGRAMS[1]; n += 1)
    for (let i = 0; i + n <= padded.length; i += 1) ids.push(fnv(`c${padded.slice(i, i + n)}`) & MASK);
  f = { stem, hash, ids };
  if (cache.size >= MAX_CACHED) cache.clear();
  cache.set(word, f);
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
  /** Each feature's value: its count over √(all feature occurrences of the document). */
  values: Float64Array;
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

/** The feature id of a document's language. */
export function languageFeature(language: string | null): { id: number; name: string } {
  const l = languageOf(language) ?? '?';
  return { id: fnv(`l${l}`) & MASK, name: `language:${l}` };
}

/**
 * Walks a title and summary word by word: `onWord` gets each word's features (its stem and the
 * stem's character n-grams) and, from the second word of a field on, the id of the pair it makes
 * with the word before (else -1). Returns the number of feature occurrences, the language's
 * included: the document's features are the language, every word's and every pair's, counted
 * with repetition (a word said twice counts twice).
 */
export function scanWords(
  doc: FeatureText,
  onWord: (f: WordFeatures, pairId: number, field: 'title' | 'summary', start: number, end: number) => void,
): number {
  const language = languageOf(doc.language);
  let n = 1;
  for (const field of ['title', 'summary'] as const) {
    const text = doc[field].toLowerCase();
    let prev = -1;
    let start = -1;
    // One pass over the characters: a word ends where a run of letters and digits does.
    for (let p = 0; p <= text.length; p += 1) {
      const isWord = p < text.length && CLASS_OF[text.charCodeAt(p)] === WORD_CLASS;
      if (isWord) {
        if (start < 0) start = p;
        continue;
      }
      if (start < 0) continue;
      const w = text.slice(start, p);
      const f = wordFeatures(w, languageOfWord(w, language));
      const pairId = prev >= 0 ? pairHash(prev, f.hash) & MASK : -1;
      n += f.ids.length + (pairId >= 0 ? 1 : 0);
      onWord(f, pairId, field, start, p);
      prev = f.hash;
      start = -1;
    }
  }
  return n;
}

/** The features of a title and summary as a sparse vector of length 1 in count terms (for training). */
export function featurize(doc: FeatureText, words?: StemmedWord[]): DocFeatures {
  const all: number[] = [languageFeature(doc.language).id];
  const n = scanWords(doc, (f, pairId, field, start, end) => {
    for (const id of f.ids) all.push(id);
    if (pairId >= 0) all.push(pairId);
    words?.push({ stem: f.stem, field, start, end });
  });
  const sorted = Int32Array.from(all).sort();
  const ids: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < sorted.length; i += 1) {
    if (i > 0 && sorted[i] === sorted[i - 1]) counts[counts.length - 1] = counts[counts.length - 1]! + 1;
    else {
      ids.push(sorted[i]!);
      counts.push(1);
    }
  }
  const scale = n > 0 ? 1 / Math.sqrt(n) : 0;
  return { ids: Int32Array.from(ids), values: Float64Array.from(counts, (c) => c * scale) };
}

/**
 * The feature occurrences of a title and summary grouped for explanation: per stem `word:<stem>`
 * (its own feature and its character n-grams, every time the word occurs), per neighbouring pair
 * `pair:<stem> <stem>`, and `language:<code>`.
 */
export function featureGroups(doc: FeatureText): { name: string; ids: number[] }[] {
  const groups = new Map<string, number[]>();
  const add = (name: string, id: number) => {
    let ids = groups.get(name);
    if (!ids) groups.set(name, (ids = []));
    ids.push(id);
  };
  const lang = languageFeature(doc.language);
  add(lang.name, lang.id);
  let prevStem = '';
  scanWords(doc, (f, pairId) => {
    for (const id of f.ids) add(`word:${f.stem}`, id);
    if (pairId >= 0) add(`pair:${prevStem} ${f.stem}`, pairId);
    prevStem = f.stem;
  });
  return [...groups].map(([name, ids]) => ({ name, ids }));
}
