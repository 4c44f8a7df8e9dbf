// Text folding for matching: lower case, no diacritics, ё/й/ї folded like е/и/і, odd spaces and quotes unified.

/**
 * Latin and Greek letters with diacritics, and combining marks: NFD splits the marks off.
 * Explicit ranges, not \p{M}: a Unicode-property test costs 20 µs on a 1 KB Cyrillic text.
 */
const ACCENTED = new RegExp(
  // eslint-disable-next-line no-misleading-character-class -- ranges of combining marks on purpose, not a combined character
  '[\\u00c0-\\u024f\\u0370-\\u03ff\\u1e00-\\u1eff\\u0300-\\u036f\\u0483-\\u0489\\u1ab0-\\u1aff\\u1dc0-\\u1dff\\u20d0-\\u20ff\\ufe20-\\ufe2f]',
);
const MARKS = /\p{M}/gu;
/**
 * One-for-one replacements, so the folded text is as long as the original and offsets carry
 * over: odd spaces, typographic apostrophes and hyphens, and the Cyrillic letters whose marks
 * NFD would split off (ё й ї ў), done by hand because NFD over every Cyrillic text is slow.
 */
const ODD =
  /[\t\n\r\f\v\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff\u2018\u2019\u02bc\u2010\u2011\u0451\u0439\u0457\u045e]/g;
const ODD_MAP: Record<string, string> = {
  '\u2018': "'",
  '\u2019': "'",
  '\u02bc': "'",
  '\u2010': '-',
  '\u2011': '-',
  '\u0451': '\u0435', // ё → е
  '\u0439': '\u0438', // й → и
  '\u0457': '\u0456', // ї → і
  '\u045e': '\u0443', // ў → у
};

function replaceOdd(ch: string): string {
  return ODD_MAP[ch] ?? ' ';
}

/** Per UTF-16 code unit: 0 = kept, ACCENTED_CODE = needs NFD (the slow path), else the code it becomes (the ODD swaps). */
const ACCENTED_CODE = 0xffff;
const FOLD_TABLE = new Uint16Array(65536);
/** The code units of a one-character regex class written as in ACCENTED and ODD: single `\uXXXX` / `\t` escapes and ranges. */
function classRanges(re: RegExp): [number, number][] {
  const escapes: Record<string, number> = { t: 9, n: 10, r: 13, f: 12, v: 11 };
  const units = [...re.source.slice(1, -1).matchAll(/\\(u[0-9a-f]{4}|[tnrfv])|(-)/gi)].map((m) =>
    m[2] ? -1 : m[1]!.length === 5 ? parseInt(m[1]!.slice(1), 16) : escapes[m[1]!]!,
  );
  const out: [number, number][] = [];
  for (let i = 0; i < units.length; i += 1) {
    if (units[i + 1] === -1) {
      out.push([units[i]!, units[i + 2]!]);
      i += 2;
    } else out.push([units[i]!, units[i]!]);
  }
  return out;
}
for (const [lo, hi] of classRanges(ODD))
  for (let c = lo; c <= hi; c += 1) FOLD_TABLE[c] = replaceOdd(String.fromCharCode(c)).charCodeAt(0);
for (const [lo, hi] of classRanges(ACCENTED)) FOLD_TABLE.fill(ACCENTED_CODE, lo, hi + 1);

/**
 * Folds text for matching: `Путина` → `путина`, `Zürich` → `zurich`, `Ёлка` → `елка`,
 * `й` → `и`, `ї` → `і` (as NFD would, by splitting off their marks), typographic apostrophes →
 * `'`, non-breaking and other spaces → ` `. Rules and texts are folded alike. The result has the
 * same length as the input unless the input holds combining marks (already-decomposed text).
 */
export function fold(text: string): string {
  const t = text.toLowerCase();
  // One pass over a table (an article is folded on every tagging): most texts need only a few one-for-one swaps.
  let pieces: string[] | null = null;
  let from = 0;
  for (let i = 0; i < t.length; i += 1) {
    const r = FOLD_TABLE[t.charCodeAt(i)]!;
    if (r === 0) continue;
    if (r === ACCENTED_CODE) return t.normalize('NFD').replace(MARKS, '').replace(ODD, replaceOdd);
    (pieces ??= []).push(t.slice(from, i), String.fromCharCode(r));
    from = i + 1;
  }
  if (!pieces) return t;
  pieces.push(t.slice(from));
  return pieces.join('');
}

/** Folds a rule term the way texts are folded, and collapses its inner whitespace to one space. */
export function foldTerm(term: string): string {
  return fold(term.trim()).replace(/ +/g, ' ');
}
