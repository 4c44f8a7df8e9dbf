// Sentence splitting with Intl.Segmenter (UAX #29), one segmenter per language, each sentence also folded.
import { fold } from './normalise.ts';

export interface Sentence {
  /** The sentence as written (trimmed): what a tag shows as its snippet. */
  text: string;
  /** The folded sentence the matcher reads. */
  folded: string;
}

const segmenters = new Map<string, Intl.Segmenter>();

function segmenterFor(language: string | null): Intl.Segmenter {
  const key = language === 'ru' || language === 'uk' ? language : 'en';
  let s = segmenters.get(key);
  if (!s) {
    s = new Intl.Segmenter(key, { granularity: 'sentence' });
    segmenters.set(key, s);
  }
  return s;
}

/**
 * Splits `text` into sentences. `folded` is `fold(text)` when the caller has it already: when
 * it is as long as the original, sentences are sliced from it instead of folded again.
 */
export function splitSentences(text: string, language: string | null, folded: string | null = null): Sentence[] {
  const out: Sentence[] = [];
  const aligned = folded !== null && folded.length === text.length;
  for (const seg of segmenterFor(language).segment(text)) {
    const raw = seg.segment;
    let start = 0;
    let end = raw.length;
    while (start < end && raw.charCodeAt(start) <= 32) start += 1;
    while (end > start && raw.charCodeAt(end - 1) <= 32) end -= 1;
    if (start === end) continue;
    const sentence = raw.slice(start, end);
    const f = aligned ? folded.slice(seg.index + start, seg.index + end) : fold(sentence);
    out.push({ text: sentence, folded: f });
  }
  return out;
}
