// Word stems for rules and the model alike: Snowball (snowball-stemmers) for English and Russian, @nlpjs/lang-uk for Ukrainian.
import { createRequire } from 'node:module';
import { fold } from './normalise.ts';

export type StemLanguage = 'en' | 'ru' | 'uk';

/** The narrow slice of @nlpjs/lang-uk we call (it ships no types). */
interface UkStemmer {
  stemWord(word: string): string;
}

const require = createRequire(import.meta.url);
const snowball = require('snowball-stemmers') as typeof import('snowball-stemmers');
const { StemmerUk } = require('@nlpjs/lang-uk') as { StemmerUk: new () => UkStemmer };

const english = snowball.newStemmer('english');
const russian = snowball.newStemmer('russian');
const ukrainian = new StemmerUk();

/**
 * @nlpjs's Ukrainian stemmer leaves a final і of -ія/-ії/-ій nouns on some forms and not others
 * (санкції → санкці, санкцій → санкц); dropping it makes the forms agree.
 */
function stemUk(word: string): string {
  const s = ukrainian.stemWord(word);
  return s.length > 3 && /[іїи]$/.test(s) ? s.slice(0, -1) : s;
}

const STEMMERS: Record<StemLanguage, (word: string) => string> = {
  en: (w) => english.stem(w),
  ru: (w) => russian.stem(w),
  uk: stemUk,
};

/** Caches per language; cleared when full so a long-running tagger's memory stays bounded. */
const MAX_CACHED = 200_000;
const caches: Record<StemLanguage, Map<string, string>> = { en: new Map(), ru: new Map(), uk: new Map() };

/**
 * The folded stem of one lower-case word in a language: `переговорах` → `переговор`,
 * `мирный` → `мирн`, `talks` → `talk`. The stemmer sees the word before folding (folding й→и
 * would hide Russian endings such as -ый), and the stem is then folded like every text.
 */
export function stemWord(word: string, language: StemLanguage): string {
  const cache = caches[language];
  let s = cache.get(word);
  if (s === undefined) {
    s = fold(STEMMERS[language](word.replace(/ё/g, 'е')));
    if (cache.size >= MAX_CACHED) cache.clear();
    cache.set(word, s);
  }
  return s;
}

const CYRILLIC = /[\u0400-\u04ff]/;
const UKRAINIAN_ONLY = /[іїєґ]/;
const RUSSIAN_ONLY = /[ыэъё]/;

/**
 * The languages whose stemmer applies to a word written in a term: Latin → English, Cyrillic with
 * і ї є ґ → Ukrainian, with ы э ъ ё → Russian, other Cyrillic → both (its stem is taken in each).
 */
export function termLanguages(word: string): StemLanguage[] {
  if (!CYRILLIC.test(word)) return ['en'];
  if (UKRAINIAN_ONLY.test(word)) return ['uk'];
  if (RUSSIAN_ONLY.test(word)) return ['ru'];
  return ['ru', 'uk'];
}

/** The stemmer for a word of an article: by its script, and for Cyrillic by the article's language (else its letters). */
export function wordLanguage(word: string, articleLanguage: string | null): StemLanguage {
  const first = word.charCodeAt(0);
  if (first < 0x400 || first > 0x4ff) return 'en';
  if (articleLanguage === 'uk' || articleLanguage === 'ru') return articleLanguage;
  return UKRAINIAN_ONLY.test(word) ? 'uk' : 'ru';
}
