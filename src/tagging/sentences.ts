// Sentence splitting for en/ru/uk news text: UAX #29-style breaks after . ! ? … that know abbreviations ("U.S.", "Mr.", "г.").
import { CHAR_CLASS, SEPARATOR } from './chars.ts';
import { fold } from './normalise.ts';
import type { Span } from './terms.ts';

export interface Sentence {
  /** The sentence as written (trimmed): what a tag shows as its snippet. */
  text: string;
  /** The folded sentence the matcher reads. */
  folded: string;
}

/**
 * Words that end in a full stop without ending the sentence. Intl.Segmenter (ICU without its
 * suppression lists) breaks "The U.S. President met Putin." after "U.S." and "Kushner in St.
 * Petersburg" after "St.", which would split an actor from its event; this list is why the
 * splitter is our own. Single letters (initials: "J. D. Vance") never end a sentence either.
 */
const ABBREVIATIONS = new Set(
  [
    'mr',
    'mrs',
    'ms',
    'dr',
    'st',
    'mt',
    'gen',
    'lt',
    'col',
    'sgt',
    'capt',
    'cmdr',
    'adm',
    'maj',
    'sen',
    'rep',
    'gov',
    'pres',
    'prof',
    'jr',
    'sr',
    'rev',
    'hon',
    'vs',
    'etc',
    'e.g',
    'i.e',
    'approx',
    'no',
    'nos',
    'vol',
    'fig',
    'jan',
    'feb',
    'mar',
    'apr',
    'jun',
    'jul',
    'aug',
    'sep',
    'sept',
    'oct',
    'nov',
    'dec',
    'u.s',
    'u.k',
    'u.n',
    'e.u',
    'u.s.a',
    'inc',
    'ltd',
    'co',
    'corp',
    'dept',
    'est',
    'min',
    'max',
    'г',
    'гг',
    'ст',
    'ул',
    'им',
    'т.е',
    'т.д',
    'т.п',
    'т.к',
    'т.н',
    'см',
    'проф',
    'ген',
    'обл',
    'руб',
    'млн',
    'млрд',
    'тыс',
    'трлн',
    'р',
    'стр',
    'пр',
    'др',
    'н.э',
    'с.ш',
    'грн',
    'див',
    'м',
    'вул',
    'рр',
    'тис',
    'пол',
    'с',
    'т.ч',
    'т.зв',
  ].map(fold),
);

/**
 * A candidate break: a run of terminal punctuation with closing quotes or brackets, then
 * whitespace; or a line break (as /[.!?…]+['"’”»)\]]*(?=\s)|\n/g would find them, read with a
 * character loop: the regex cost as much as the rest of the splitting).
 */
const BREAK_CLASS = new Uint8Array(65536);
const TERMINAL = 1;
const CLOSING = 2;
const LINE = 3;
for (const c of '.!?…') BREAK_CLASS[c.charCodeAt(0)] = TERMINAL;
for (const c of '\'"’”»)]') BREAK_CLASS[c.charCodeAt(0)] = CLOSING;
BREAK_CLASS[10] = LINE;
const LOWER = /\p{Ll}/u;
/** Per code unit: 0 = not asked yet, 1 = a lower-case letter, 2 = not. */
const lowerCache = new Uint8Array(65536);

function isLower(code: number): boolean {
  if (lowerCache[code] === 0) lowerCache[code] = LOWER.test(String.fromCharCode(code)) ? 1 : 2;
  return lowerCache[code] === 1;
}

function isSpace(code: number): boolean {
  return code !== 45 && CHAR_CLASS[code] === SEPARATOR;
}

function isWordChar(code: number): boolean {
  // Letters of the scripts we read (Latin, Latin-1, Greek, Cyrillic) and the dots inside "U.S".
  return (
    (code >= 97 && code <= 122) ||
    (code >= 65 && code <= 90) ||
    code === 46 ||
    (code >= 0xc0 && code <= 0x24f) ||
    (code >= 0x370 && code <= 0x52f)
  );
}

function endsSentence(text: string, punctStart: number, punct: string, next: number): boolean {
  // As in UAX #29 (rule SB8): a full stop followed by a lower-case word does not end a sentence.
  if (next >= 97 && next <= 122) return false;
  if (next > 127 && isLower(next)) return false;
  if (punct.charCodeAt(0) !== 46 || punct.startsWith('...')) return true;
  let k = punctStart;
  while (k > 0 && punctStart - k < 8 && isWordChar(text.charCodeAt(k - 1))) k -= 1;
  if (k === punctStart || (k > 0 && isWordChar(text.charCodeAt(k - 1)))) return true;
  const word = fold(text.slice(k, punctStart)).replace(/^\.+/, '');
  return !(word.length === 1 || ABBREVIATIONS.has(word));
}

function trimmed(text: string, start: number, end: number, out: Span[]): void {
  while (start < end && text.charCodeAt(start) <= 32) start += 1;
  while (end > start && text.charCodeAt(end - 1) <= 32) end -= 1;
  if (start < end) out.push({ start, end });
}

/** Start and end offsets of each sentence of `text`, leading and trailing whitespace trimmed off. */
export function sentenceBounds(text: string, _language: string | null = null): Span[] {
  const out: Span[] = [];
  const len = text.length;
  let start = 0;
  let p = 0;
  while (p < len) {
    const cls = BREAK_CLASS[text.charCodeAt(p)]!;
    let end = p + 1;
    if (cls !== LINE) {
      if (cls !== TERMINAL) {
        p += 1;
        continue;
      }
      let i = p + 1;
      while (i < len && BREAK_CLASS[text.charCodeAt(i)] === TERMINAL) i += 1;
      end = i;
      while (end < len && BREAK_CLASS[text.charCodeAt(end)] === CLOSING) end += 1;
      if (end >= len || !isSpace(text.charCodeAt(end))) {
        p = i;
        continue;
      }
      let k = end;
      while (k < len && text.charCodeAt(k) <= 32 && text.charCodeAt(k) !== 10) k += 1;
      if (k < len && text.charCodeAt(k) !== 10 && !endsSentence(text, p, text.slice(p, end), text.charCodeAt(k))) {
        p = end;
        continue;
      }
    }
    trimmed(text, start, end, out);
    start = end;
    p = end;
  }
  trimmed(text, start, len, out);
  return out;
}

/**
 * Splits `text` into sentences. `folded` is `fold(text)` when the caller has it already: when
 * it is as long as the original, sentences are sliced from it instead of folded again.
 */
export function splitSentences(text: string, language: string | null, folded: string | null = null): Sentence[] {
  const aligned = folded !== null && folded.length === text.length;
  return sentenceBounds(text, language).map(({ start, end }) => {
    const sentence = text.slice(start, end);
    return { text: sentence, folded: aligned ? folded.slice(start, end) : fold(sentence) };
  });
}
