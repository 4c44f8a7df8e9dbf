// The pure tagger: an article's title, summary and text → at most one explainable tag per indicator.
import type { Modality, Polarity } from '../db/schema.ts';
import { type CompiledIndicator, type CompiledIndicators, type CompiledRule, matchRule, ruleMayMatch } from './compile.ts';
import { fold } from './normalise.ts';
import { type NumberValue, extractNumbers, unitsMayMatch } from './numbers.ts';
import { classify } from './polarity.ts';
import { splitSentences } from './sentences.ts';
import { NeedleCache } from './terms.ts';

export { compileIndicators } from './compile.ts';
export type { CompiledIndicators } from './compile.ts';

export type TagField = 'title' | 'summary' | 'text';

export interface TagDraft {
  indicatorId: string;
  polarity: Polarity;
  modality: Modality | null;
  confidence: number;
  field: TagField;
  snippet: string;
  numbers: NumberValue[] | null;
  ruleId: string;
}

export interface TagInput {
  title: string;
  summary: string;
  text: string;
  language: string | null;
}

/** A headline states what the story is about; a match deep in the body is weaker evidence. */
export const FIELD_WEIGHT: Record<TagField, number> = { title: 1, summary: 0.9, text: 0.8 };
/** Rule id recorded for level indicators without rules, tagged from their counts alone. */
export const NUMBERS_RULE_ID = 'numbers';
const MAX_SNIPPET = 400;

function snippetOf(sentence: string): string {
  return sentence.length <= MAX_SNIPPET ? sentence : `${sentence.slice(0, MAX_SNIPPET - 1)}…`;
}

function languageOf(language: string | null): string | null {
  if (!language) return null;
  const l = language.trim().toLowerCase().slice(0, 2);
  return /^[a-z]{2}$/.test(l) ? l : null;
}

class Collector {
  readonly best = new Map<string, TagDraft>();
  private readonly numbers = new Map<string, Map<string, number>>();

  offer(draft: TagDraft): void {
    const prev = this.best.get(draft.indicatorId);
    // Strongest wins; on a tie the earlier field (title, then summary, then text) stays.
    if (!prev || draft.confidence > prev.confidence) this.best.set(draft.indicatorId, draft);
    if (draft.numbers) {
      let perUnit = this.numbers.get(draft.indicatorId);
      if (!perUnit) this.numbers.set(draft.indicatorId, (perUnit = new Map()));
      for (const n of draft.numbers) perUnit.set(n.unit, Math.max(perUnit.get(n.unit) ?? 0, n.value));
    }
  }

  /** One tag per indicator; a level indicator's numbers are the largest count per unit over the article. */
  drafts(): TagDraft[] {
    return [...this.best.values()].map((d) => {
      const perUnit = this.numbers.get(d.indicatorId);
      return perUnit ? { ...d, numbers: [...perUnit].map(([unit, value]) => ({ value, unit })) } : d;
    });
  }
}

function fireRule(rule: CompiledRule, sentence: { text: string; folded: string }, field: TagField): TagDraft | null {
  const match = matchRule(rule, sentence.folded);
  if (!match) return null;
  const cls = classify(sentence.folded, match.spans, match.tokens, rule.event && rule.modality === null);
  const numbers = rule.units ? extractNumbers(sentence.folded, rule.units) : null;
  return {
    indicatorId: rule.indicatorId,
    polarity: rule.polarity ?? cls.polarity,
    modality: rule.event ? (rule.modality ?? cls.modality) : null,
    confidence: rule.confidence * FIELD_WEIGHT[field],
    field,
    snippet: snippetOf(sentence.text),
    numbers,
    ruleId: rule.id,
  };
}

function fireNumbersOnly(ind: CompiledIndicator, sentence: { text: string; folded: string }, field: TagField): TagDraft | null {
  const numbers = extractNumbers(sentence.folded, ind.units!);
  if (numbers.length === 0) return null;
  // A count is a reported fact: "not" near it does not undo the barrage.
  return { indicatorId: ind.id, polarity: 'affirmed', modality: null, confidence: FIELD_WEIGHT[field], field, snippet: snippetOf(sentence.text), numbers, ruleId: NUMBERS_RULE_ID };
}

/**
 * Tags one article. Each field is folded once and prefiltered (every group of a rule must have
 * one of its literals somewhere in the field); only then is the field split into sentences and
 * the candidate rules tried sentence by sentence. Pure: same input, same tags.
 */
export function tagText(compiled: CompiledIndicators, doc: TagInput): TagDraft[] {
  const language = languageOf(doc.language);
  const rules = compiled.rulesFor(language);
  const out = new Collector();
  const fields: [TagField, string][] = [['title', doc.title], ['summary', doc.summary], ['text', doc.text]];
  for (const [field, text] of fields) {
    if (!text || (field === 'text' && text === doc.summary)) continue;
    const folded = fold(text);
    const cache = new NeedleCache(compiled.table, folded);
    const candidates = rules.filter((r) => ruleMayMatch(r, cache));
    const counters = compiled.numbersOnly.filter((i) => unitsMayMatch(i.units!, cache));
    if (candidates.length === 0 && counters.length === 0) continue;
    for (const sentence of splitSentences(text, language, folded)) {
      for (const rule of candidates) {
        const draft = fireRule(rule, sentence, field);
        if (draft) out.offer(draft);
      }
      for (const ind of counters) {
        const draft = fireNumbersOnly(ind, sentence, field);
        if (draft) out.offer(draft);
      }
    }
  }
  return out.drafts();
}
