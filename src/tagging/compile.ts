// Compiles a pack's indicators into matchers: per rule, term groups with prefilter needles; per language, the rules that apply.
import type { Modality, Polarity } from '../db/schema.ts';
import type { Indicator } from '../pack/schema.ts';
import type { CompiledModel } from './model-tags.ts';
import type { TagModel } from './model/tag-model.ts';
import { type CompiledUnits, compileUnits } from './numbers.ts';
import { stemAllWords } from './stem-terms.ts';
import { type Span, TermGroup, type TermHits, TermTable, TokenIndex, isRegexTerm } from './terms.ts';

export interface CompiledRule {
  id: string;
  indicatorId: string;
  /** Event indicators get a modality; level indicators do not. */
  event: boolean;
  langs: readonly string[] | null;
  /** Every group must match (an `any` list is one group). */
  groups: TermGroup[];
  within: number | null;
  none: TermGroup | null;
  polarity: Polarity | null;
  modality: Modality | null;
  confidence: number;
  /** The indicator's units when it reads counts (level indicators). */
  units: CompiledUnits | null;
}

export interface CompiledIndicator {
  id: string;
  kind: 'event' | 'level';
  units: CompiledUnits | null;
  rules: CompiledRule[];
}

export interface CompiledIndicators {
  /** Every plain term of the pack, matched in one scan of a text. */
  table: TermTable;
  indicators: CompiledIndicator[];
  /** Level indicators without rules: they fire on any sentence with a count of one of their units. */
  numbersOnly: CompiledIndicator[];
  rulesFor(language: string | null): readonly CompiledRule[];
  /** The learned model beside the rules, when the pack has one. */
  model: CompiledModel | null;
}

export type IndicatorInput = Pick<Indicator, 'id' | 'kind' | 'rules' | 'numbers'>;

function compileRule(
  ind: IndicatorInput,
  rule: Indicator['rules'][number],
  table: TermTable,
  units: CompiledUnits | null,
): CompiledRule {
  // `stem: true`: every plain word matches by stem (`~word`).
  const words = (terms: readonly string[]) =>
    rule.stem ? terms.map((t) => (isRegexTerm(t) ? t : stemAllWords(t))) : terms;
  // Groups that can be prefiltered first, /regex/ groups last: matching stops at the first group that finds nothing.
  const groups = [...(rule.all ?? []), ...(rule.any ? [rule.any] : [])]
    .map((terms) => new TermGroup(words(terms), table))
    .sort((a, b) => Number(!a.prefilterable) - Number(!b.prefilterable));
  return {
    id: rule.id,
    indicatorId: ind.id,
    event: ind.kind !== 'level',
    langs: rule.lang ?? null,
    groups,
    within: rule.within ?? null,
    none: rule.none && rule.none.length > 0 ? new TermGroup(words(rule.none), table) : null,
    polarity: rule.polarity ?? null,
    modality: rule.modality ?? null,
    confidence: rule.confidence ?? 1,
    units,
  };
}

export function compileIndicators(
  indicators: readonly IndicatorInput[],
  model: TagModel | null = null,
): CompiledIndicators {
  const table = new TermTable();
  const compiled: CompiledIndicator[] = indicators.map((ind) => {
    const units = ind.numbers ? compileUnits(ind.numbers.units, table) : null;
    return {
      id: ind.id,
      kind: ind.kind ?? 'event',
      units,
      rules: ind.rules.map((r) => compileRule(ind, r, table, units)),
    };
  });
  const all = compiled.flatMap((c) => c.rules);
  const byLanguage = new Map<string, CompiledRule[]>();
  const byId = new Map(compiled.map((c) => [c.id, c]));
  return {
    table,
    indicators: compiled,
    model: model ? { model, indicators: model.ids.map((id) => byId.get(id) ?? null) } : null,
    numbersOnly: compiled.filter((c) => c.kind === 'level' && c.units !== null && c.rules.length === 0),
    rulesFor(language) {
      // An article of unknown language is read with every rule.
      if (language === null) return all;
      let rules = byLanguage.get(language);
      if (!rules) {
        rules = all.filter((r) => r.langs === null || r.langs.includes(language));
        byLanguage.set(language, rules);
      }
      return rules;
    },
  };
}

/** Cheap test on a whole folded text's term hits: could the rule fire in one of its sentences? */
export function ruleMayMatch(rule: CompiledRule, hits: TermHits): boolean {
  for (const g of rule.groups) if (!g.mayMatch(hits)) return false;
  return true;
}

export interface RuleMatch {
  /** The matched terms that make the match: one per group (the closest ones when `within` is set). */
  spans: Span[];
  tokens: TokenIndex;
}

/** Every group's matches in a folded text, or null as soon as one group has none. */
export function groupSpans(rule: CompiledRule, folded: string, hits: TermHits | null = null): Span[][] | null {
  const perGroup: Span[][] = [];
  for (const g of rule.groups) {
    const spans = g.spans(folded, false, hits);
    if (spans.length === 0) return null;
    perGroup.push(spans);
  }
  return perGroup;
}

/** Tries a rule on one folded sentence. */
export function matchRule(rule: CompiledRule, folded: string): RuleMatch | null {
  const perGroup = groupSpans(rule, folded);
  return perGroup ? matchGroups(rule, perGroup, folded) : null;
}

/** Finishes a match on one folded sentence given every group's matches in it: exclusions, distance. */
export function matchGroups(rule: CompiledRule, perGroup: Span[][], folded: string): RuleMatch | null {
  if (rule.none?.test(folded)) return null;
  const tokens = new TokenIndex(folded);
  if (rule.within === null) return { spans: perGroup.map((s) => s[0]!), tokens };
  const spans = closestWindow(perGroup, tokens, rule.within);
  return spans ? { spans, tokens } : null;
}

/**
 * The tightest set of one match per group, if the first and last are at most `within` tokens
 * apart (a sliding window over the matches sorted by token position).
 */
export function closestWindow(perGroup: Span[][], tokens: TokenIndex, within: number): Span[] | null {
  const items = perGroup
    .flatMap((spans, g) => spans.map((span) => ({ g, span, tok: tokens.at(span.start) })))
    .sort((a, b) => a.tok - b.tok);
  const counts = new Array<number>(perGroup.length).fill(0);
  let covered = 0;
  let best: { from: number; to: number; width: number } | null = null;
  let left = 0;
  for (let right = 0; right < items.length; right += 1) {
    const g = items[right]!.g;
    counts[g] = counts[g]! + 1;
    if (counts[g] === 1) covered += 1;
    while (covered === perGroup.length) {
      const width = items[right]!.tok - items[left]!.tok;
      if (!best || width < best.width) best = { from: left, to: right, width };
      const lg = items[left]!.g;
      counts[lg] = counts[lg]! - 1;
      if (counts[lg] === 0) covered -= 1;
      left += 1;
    }
  }
  if (!best || best.width > within) return null;
  const chosen: Span[] = [];
  const seen = new Set<number>();
  for (let i = best.to; i >= best.from; i -= 1) {
    const it = items[i]!;
    if (!seen.has(it.g)) {
      seen.add(it.g);
      chosen.push(it.span);
    }
  }
  return chosen;
}
