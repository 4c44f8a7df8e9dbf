// 64-bit SimHash (Charikar) over the words of a title and its lede, as 16 hex digits; Hamming distance.

/** Words of the lede that count: syndicated copies share the first sentences, not the tails. */
const LEDE_WORDS = 40;
/** Title words weigh more: syndicated copies keep the headline and trim or prefix the lede. */
const TITLE_WEIGHT = 3;
/**
 * Two stories whose hashes differ in at most this many bits are near-duplicates. Measured on
 * wire copies (stopwords dropped): an added dateline or a changed word moves 0-5 bits; the same
 * actors in a different event ~22; unrelated stories ~28-32. 6 keeps a margin on both sides and
 * 7 lookup bands of 9 bits, a quarter of the candidates that 8 (9 bands of 7 bits) would scan.
 */
export const NEAR_DUPLICATE_BITS = 6;
const WORD = /[\p{L}\p{N}]+/gu;

/** Lower-cased words (letters and digits in any script). */
export function words(text: string): string[] {
  return text.toLowerCase().match(WORD) ?? [];
}

/**
 * Function words carry no story: left in, they pull every hash towards the same bits (weaker
 * separation, bigger lookup buckets). English, Russian and Ukrainian; words under 3 letters go too.
 */
const STOPWORDS = new Set(
  (
    'the and for that with from was were are has have had his her its this these those said says will would not but ' +
    'after over into who what when which their they them than then also about been more other some such there where ' +
    'что как для это его она они при или так уже также был была были будет после более ' +
    'що які який для від про але також його вона вони буде було після'
  ).split(' '),
);

/** The words that make features: no stopwords, no 1-2 letter words (numbers are kept: "19-point"). */
export function featureWords(text: string): string[] {
  return words(text).filter((w) => (w.length > 2 || /^\d+$/.test(w)) && !STOPWORDS.has(w));
}

/** A short trailing " | World" or " - BBC News" names the outlet or section, not the story. */
const SITE_SUFFIX = /\s+[|–—-]\s+[^|–—-]{1,40}$/u;

export function stripSiteSuffix(title: string): string {
  const m = SITE_SUFFIX.exec(title);
  if (!m || m[0].trim().split(/\s+/).length > 5) return title;
  const rest = title.slice(0, m.index);
  return words(rest).length >= 4 ? rest : title;
}

/** murmur3's 32-bit finaliser: spreads FNV's weak low bits over the whole word. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Two independent 32-bit FNV-1a hashes of a string (seeded differently), i.e. 64 bits. */
function hash64(s: string): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x01000193);
  }
  return [fmix32(a), fmix32(b ^ 0x9e3779b9)];
}

/** Adds `weight` to the counter of every set bit of the feature's hash (visiting set bits only). */
function vote(acc: Int32Array, feature: string, weight: number): void {
  const [hi, lo] = hash64(feature);
  for (let h = hi; h !== 0; h &= h - 1) acc[31 - Math.clz32(h & -h)]! += weight;
  for (let h = lo; h !== 0; h &= h - 1) acc[63 - Math.clz32(h & -h)]! += weight;
}

/**
 * SimHash of the title (words weighted TITLE_WEIGHT) and the first LEDE_WORDS words of the lede
 * (weighted 1). Near-identical texts give hashes a few bits apart; unrelated texts ~32.
 */
export function simhash(title: string, lede: string): string {
  return simhashOfWords(featureWords(stripSiteSuffix(title)), featureWords(lede));
}

/** SimHash from the feature words of the title and of the lede (so callers can share them). */
export function simhashOfWords(titleWords: string[], ledeWords: string[]): string {
  // A bit of the SimHash is set when the features with that bit set outweigh those without:
  // counting set bits only, that is "more than half the total weight".
  const acc = new Int32Array(64);
  let total = 0;
  for (const w of titleWords) {
    vote(acc, w, TITLE_WEIGHT);
    total += TITLE_WEIGHT;
  }
  for (const w of ledeWords.slice(0, LEDE_WORDS)) {
    vote(acc, w, 1);
    total += 1;
  }
  let hi = 0;
  let lo = 0;
  for (let bit = 0; bit < 32; bit++) {
    if (2 * acc[bit]! > total) hi |= 1 << bit;
    if (2 * acc[bit + 32]! > total) lo |= 1 << bit;
  }
  return (hi >>> 0).toString(16).padStart(8, '0') + (lo >>> 0).toString(16).padStart(8, '0');
}

function popcount32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/** Number of differing bits between two 16-hex-digit SimHashes. */
export function hammingDistance(a: string, b: string): number {
  const [aHi, aLo] = halves(a);
  const [bHi, bLo] = halves(b);
  return distanceOfHalves(aHi, aLo, bHi, bLo);
}

/** The two 32-bit halves of a 16-hex-digit SimHash. */
export function halves(hash: string): [number, number] {
  return [parseInt(hash.slice(0, 8), 16) >>> 0, parseInt(hash.slice(8, 16), 16) >>> 0];
}

/** Hamming distance of two hashes given as halves (the hot path of cluster lookup). */
export function distanceOfHalves(aHi: number, aLo: number, bHi: number, bLo: number): number {
  return popcount32((aHi ^ bHi) >>> 0) + popcount32((aLo ^ bLo) >>> 0);
}

/**
 * Splits a hash into `count` bands of bits, as numeric keys `band·2^16 + value`. Two hashes
 * within distance `count − 1` agree on at least one band (pigeonhole), so bands index
 * candidates for near-duplicate lookup.
 */
export function bands(hash: string, count: number): number[] {
  const [hi, lo] = halves(hash);
  const bit = (i: number): number => (i < 32 ? (hi >>> i) & 1 : (lo >>> (i - 32)) & 1);
  const out: number[] = [];
  for (let b = 0; b < count; b++) {
    const from = Math.floor((b * 64) / count);
    const to = Math.floor(((b + 1) * 64) / count);
    let v = 0;
    for (let i = from; i < to; i++) v = v * 2 + bit(i);
    out.push(b * 65_536 + v);
  }
  return out;
}
