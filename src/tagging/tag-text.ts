// The pure tagger: an article's title, summary and text → at most one explainable tag per indicator.
import type { Modality, Polarity } from '../db/schema.ts';
import {
  type CompiledIndicator,
  type CompiledIndicators,
  type CompiledRule,
  type RuleMatch,
  groupSpans,
  matchGroups,
  matchRule,
  ruleMayMatch,
} from './compile.ts';
import { fold } from './normalise.ts';
import { type NumberValue, extractNumbers, unitsMayMatch } from './numbers.ts';
import { Collector } from './collector.ts';
import { type CueSpans, classify, cueSpans } from './polarity.ts';
import { sentenceBounds, splitSentences } from './sentences.ts';
import type { Span, TermHits } from './terms.ts';
import type { ModelFeature } from './model/tag-model.ts';
import { addModelTags } from './model-tags.ts';
import { FIELD_WEIGHT } from './field-weight.ts';

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
  /** A model tag's evidence: the features that pushed its probability up most (absent on rule tags). */
  features?: ModelFeature[] | null;
}

export interface TagInput {
  title: string;
  summary: string;
  text: string;
  language: string | null;
}

export { FIELD_WEIGHT } from './field-weight.ts';
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

interface SentenceView {
  text: string;
  folded: string;
}

function draftFor(
  rule: CompiledRule,
  sentence: SentenceView,
  match: RuleMatch,
  field: TagField,
  cues?: CueSpans,
): TagDraft {
  const cls = classify(sentence.folded, match.spans, match.tokens, rule.event && rule.modality === null, cues);
  return {
    indicatorId: rule.indicatorId,
    polarity: rule.polarity ?? cls.polarity,
    modality: rule.event ? (rule.modality ?? cls.modality) : null,
    confidence: rule.confidence * FIELD_WEIGHT[field],
    field,
    snippet: snippetOf(sentence.text),
    numbers: rule.units ? extractNumbers(sentence.folded, rule.units) : null,
    ruleId: rule.id,
  };
}

function countsDraft(ind: CompiledIndicator, sentence: SentenceView, field: TagField): TagDraft | null {
  const numbers = extractNumbers(sentence.folded, ind.units!);
  if (numbers.length === 0) return null;
  // A count is a reported fact: "not" near it does not undo the barrage.
  return {
    indicatorId: ind.id,
    polarity: 'affirmed',
    modality: null,
    confidence: FIELD_WEIGHT[field],
    field,
    snippet: snippetOf(sentence.text),
    numbers,
    ruleId: NUMBERS_RULE_ID,
  };
}

/** Index of the sentence holding offset `pos`, or -1 when it falls between sentences. */
function sentenceAt(bounds: readonly Span[], pos: number): number {
  let lo = 0;
  let hi = bounds.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const b = bounds[mid]!;
    if (pos < b.start) hi = mid - 1;
    else if (pos >= b.end) lo = mid + 1;
    else return mid;
  }
  return -1;
}

/** The matches of each group inside one sentence, shifted to the sentence's offsets; null if a group has none there. */
function withinSentence(perGroup: Span[][], b: Span): Span[][] | null {
  const out: Span[][] = [];
  for (const spans of perGroup) {
    const inside: Span[] = [];
    for (const s of spans)
      if (s.start >= b.start && s.end <= b.end) inside.push({ start: s.start - b.start, end: s.end - b.start });
    if (inside.length === 0) return null;
    out.push(inside);
  }
  return out;
}

interface FieldPart {
  field: TagField;
  text: string;
  start: number;
}

interface SentenceSlot extends Span {
  field: TagField;
}

/**
 * The whole article (fields joined by blank lines) when folding kept its length, the usual
 * case: one fold, one prefilter, each candidate term run once over the article; sentences
 * (split per field, so none spans two fields) are found only when some rule has all its groups
 * matching somewhere, and matches are assigned to sentences by offset.
 */
function tagWhole(
  whole: string,
  folded: string,
  hits: TermHits,
  parts: FieldPart[],
  language: string | null,
  rules: readonly CompiledRule[],
  counters: readonly CompiledIndicator[],
  out: Collector,
): void {
  let bounds: SentenceSlot[] | null = null;
  const getBounds = (): SentenceSlot[] =>
    (bounds ??= parts.flatMap((p) =>
      sentenceBounds(p.text, language).map((b) => ({ start: b.start + p.start, end: b.end + p.start, field: p.field })),
    ));
  const views = new Map<number, SentenceView & { cues?: CueSpans }>();
  const sentence = (i: number) => {
    let v = views.get(i);
    if (!v) {
      const b = bounds![i]!;
      v = { text: whole.slice(b.start, b.end), folded: folded.slice(b.start, b.end) };
      views.set(i, v);
    }
    return v;
  };
  for (const rule of rules) {
    const perGroup = groupSpans(rule, folded, hits);
    if (!perGroup) continue;
    const all = getBounds();
    const seen = new Set<number>();
    for (const s of perGroup[0]!) {
      const i = sentenceAt(all, s.start);
      if (i < 0 || seen.has(i)) continue;
      seen.add(i);
      const inside = withinSentence(perGroup, all[i]!);
      if (!inside) continue;
      const view = sentence(i);
      const match = matchGroups(rule, inside, view.folded);
      if (!match) continue;
      view.cues ??= cueSpans(view.folded);
      out.offer(draftFor(rule, view, match, all[i]!.field, view.cues));
    }
  }
  for (const ind of counters) {
    const spans = ind.units!.units.flatMap((u) => u.group.spans(folded, false, hits));
    if (spans.length === 0) continue;
    const all = getBounds();
    const seen = new Set<number>();
    for (const s of spans) {
      const i = sentenceAt(all, s.start);
      if (i < 0 || seen.has(i)) continue;
      seen.add(i);
      const draft = countsDraft(ind, sentence(i), all[i]!.field);
      if (draft) out.offer(draft);
    }
  }
}

/** Fallback when folding changed the text's length (already-decomposed input): fold sentence by sentence. */
function tagFieldBySentence(
  text: string,
  language: string | null,
  field: TagField,
  rules: readonly CompiledRule[],
  counters: readonly CompiledIndicator[],
  out: Collector,
): void {
  for (const view of splitSentences(text, language)) {
    for (const rule of rules) {
      const match = matchRule(rule, view.folded);
      if (match) out.offer(draftFor(rule, view, match, field));
    }
    for (const ind of counters) {
      const draft = countsDraft(ind, view, field);
      if (draft) out.offer(draft);
    }
  }
}

/** The non-empty fields, with their offsets in the fields joined by blank lines (a text equal to the summary is read once). */
function fieldParts(doc: TagInput): FieldPart[] {
  const parts: FieldPart[] = [];
  let offset = 0;
  for (const [field, text] of [
    ['title', doc.title],
    ['summary', doc.summary],
    ['text', doc.text === doc.summary ? '' : doc.text],
  ] as const) {
    if (!text) continue;
    parts.push({ field, text, start: offset });
    offset += text.length + 2;
  }
  return parts;
}

/**
 * Tags one article. Each field is folded once and prefiltered (every group of a rule must have
 * one of its literals somewhere in the field); the candidate rules then run over the field, and
 * only where all of a rule's groups match is it split into sentences and the rule tried in each
 * sentence. Pure: same input, same tags.
 */
export function tagText(compiled: CompiledIndicators, doc: TagInput): TagDraft[] {
  const language = languageOf(doc.language);
  const rules = compiled.rulesFor(language);
  const out = new Collector();
  const parts = fieldParts(doc);
  if (parts.length === 0) return [];
  const whole = parts.map((p) => p.text).join('\n\n');
  const folded = fold(whole);
  if (folded.length === whole.length) {
    const hits = compiled.table.scan(folded, whole);
    const candidates = rules.filter((r) => ruleMayMatch(r, hits));
    const counters = compiled.numbersOnly.filter((i) => unitsMayMatch(i.units!, hits));
    if (candidates.length > 0 || counters.length > 0)
      tagWhole(whole, folded, hits, parts, language, candidates, counters, out);
  } else {
    for (const p of parts) tagFieldBySentence(p.text, language, p.field, rules, compiled.numbersOnly, out);
  }
  if (compiled.model) addModelTags(compiled.model, doc, language, out);
  return out.drafts();
}
