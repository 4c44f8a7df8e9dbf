// Text folding for matching: lower case, no diacritics, ё/й/ї folded like е/и/і, odd spaces and quotes unified.

/** Characters whose diacritics NFD can split off (Latin, Greek, combining marks, Cyrillic ё й ї ў). */
const DECOMPOSABLE = /[\u00c0-\u024f\u0370-\u03ff\u1e00-\u1eff\u0401\u0407\u0419\u040e\u0439\u0451\u0457\u045e]|\p{M}/u;
const MARKS = /\p{M}/gu;
/** One-for-one replacements keep the folded text as long as the original, so offsets carry over. */
const ODD = /[\t\n\r\f\v\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff\u2018\u2019\u02bc\u2010\u2011]/g;
const ODD_MAP: Record<string, string> = { '\u2018': "'", '\u2019': "'", '\u02bc': "'", '\u2010': '-', '\u2011': '-' };

function replaceOdd(ch: string): string {
  return ODD_MAP[ch] ?? ' ';
}

/**
 * Folds text for matching: `Путина` → `путина`, `Zürich` → `zurich`, `Ёлка` → `елка`,
 * `й` → `и`, `ї` → `і` (NFD splits their marks off like any other diacritic), typographic
 * apostrophes → `'`, non-breaking and other spaces → ` `. Rules and texts are folded alike.
 * The result usually has the same length as the input (not for already-decomposed text).
 */
export function fold(text: string): string {
  let t = text.toLowerCase();
  if (DECOMPOSABLE.test(t)) t = t.normalize('NFD').replace(MARKS, '');
  return t.replace(ODD, replaceOdd);
}

/** Folds a rule term the way texts are folded, and collapses its inner whitespace to one space. */
export function foldTerm(term: string): string {
  return fold(term.trim()).replace(/ +/g, ' ');
}
