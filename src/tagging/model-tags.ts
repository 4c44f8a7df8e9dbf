// Model tags: where the learned model passes an indicator's threshold and no rule fired, a tag with its strongest features.
import type { CompiledIndicator } from './compile.ts';
import type { Collector } from './collector.ts';
import { type StemmedWord, featurize } from './model/features.ts';
import type { ModelFeature, TagModel } from './model/tag-model.ts';
import { extractNumbers } from './numbers.ts';
import { classify, cueSpans } from './polarity.ts';
import { splitSentences } from './sentences.ts';
import { FIELD_WEIGHT } from './field-weight.ts';
import type { TagDraft, TagInput } from './tag-text.ts';
import { type Span, TokenIndex } from './terms.ts';

/** Rule id recorded on tags the model made (their evidence is `features`). */
export const MODEL_RULE_ID = 'model';
const MAX_SNIPPET = 400;

export interface CompiledModel {
  model: TagModel;
  /** Per model indicator (model order): the pack's compiled indicator, or null when the pack lacks it. */
  indicators: (CompiledIndicator | null)[];
}

interface Candidate {
  field: 'title' | 'summary';
  text: string;
  folded: string;
  /** Sum of the top features' weights found in the sentence. */
  score: number;
  /** Where the top word features stand in the sentence (the window for polarity cues). */
  spans: Span[];
}

/** The title or summary sentence holding most of the top word and pair features' weight: the snippet, and where polarity is read. */
function bestSentence(doc: TagInput, language: string | null, top: readonly ModelFeature[]): Candidate | null {
  const weights = new Map(top.map((f) => [f.feature, f.weight]));
  let best: Candidate | null = null;
  for (const field of ['title', 'summary'] as const) {
    for (const s of splitSentences(doc[field], language)) {
      const words: StemmedWord[] = [];
      featurize({ title: s.text, summary: '', language }, words);
      let score = 0;
      const spans: Span[] = [];
      const seen = new Set<string>();
      words.forEach((w, i) => {
        const names = [`word:${w.stem}`, ...(i > 0 ? [`pair:${words[i - 1]!.stem} ${w.stem}`] : [])];
        for (const name of names) {
          const weight = weights.get(name);
          if (weight === undefined) continue;
          if (name.startsWith('word:')) spans.push({ start: w.start, end: w.end });
          if (!seen.has(name)) score += weight;
          seen.add(name);
        }
      });
      if (best && score <= best.score) continue;
      // Word offsets are in the lower-cased sentence; they hold in the folded one when folding kept its length.
      best = { field, text: s.text, folded: s.folded, score, spans: s.folded.length === s.text.length ? spans : [] };
    }
  }
  return best;
}

/**
 * Adds a tag for every indicator the model is confident of (probability ≥ its threshold) and no
 * rule tagged. The model reads the title and summary only (what it was trained on). The tag's
 * polarity and modality come from the cue words around the sentence's strongest features; its
 * confidence is the probability; a level indicator's tag needs a count in that sentence.
 */
export function addModelTags(compiled: CompiledModel, doc: TagInput, language: string | null, out: Collector): void {
  const { model } = compiled;
  const text = { title: doc.title, summary: doc.summary, language };
  const probs = model.probabilities(text);
  for (let j = 0; j < probs.length; j += 1) {
    const threshold = model.thresholds[j];
    const ind = compiled.indicators[j];
    if (threshold === null || threshold === undefined || !ind || probs[j]! < threshold) continue;
    if (out.best.has(ind.id)) continue;
    const features = model.topFeatures(text, j);
    const sentence = bestSentence(doc, language, features);
    if (!sentence) continue;
    const numbers = ind.units ? extractNumbers(sentence.folded, ind.units) : null;
    if (ind.kind === 'level' && (!numbers || numbers.length === 0)) continue;
    const event = ind.kind !== 'level';
    // A model's strong word may itself be a negation cue ("не", "rejects"): it places the window, but unlike a
    // rule's own term it still counts as a cue (an indicator whose words are refusals is read `affirmed` instead).
    const cues = cueSpans(sentence.folded);
    const spans = sentence.spans.filter((s) => !cues.negated.some((c) => c.start < s.end && s.start < c.end));
    const cls = classify(sentence.folded, spans, new TokenIndex(sentence.folded), event, cues);
    const draft: TagDraft = {
      indicatorId: ind.id,
      polarity: model.polarity[j] === 'affirmed' ? 'affirmed' : cls.polarity,
      modality: event ? cls.modality : null,
      confidence: Math.round(probs[j]! * FIELD_WEIGHT[sentence.field] * 1000) / 1000,
      field: sentence.field,
      snippet: sentence.text.length <= MAX_SNIPPET ? sentence.text : `${sentence.text.slice(0, MAX_SNIPPET - 1)}…`,
      numbers: numbers && numbers.length > 0 ? numbers : null,
      ruleId: MODEL_RULE_ID,
      features,
    };
    out.offer(draft);
  }
}
