// Evidence for a replay, two ways: the corpus's gold labels, or the base pack's rules run on titles and summaries.
import type { EvidenceItem } from '../scenarios/engine/types.ts';
import { type CompiledIndicators, compileIndicators } from '../tagging/compile.ts';
import { tagText } from '../tagging/tag-text.ts';
import type { CorpusItem, CorpusLabel, EvidenceSource, LibraryQuestion } from './types.ts';

/** Indicators labelled per side: {indicator: rejection, side: a} is the pack indicator rejection_a. */
export const SIDED = new Set(['rejection', 'openness', 'red_lines', 'flexibility', 'pressure']);

/** A corpus item counts from noon UTC of its day (items carry a date only). */
export const publishedAt = (date: string) => `${date}T12:00:00.000Z`;

export function labelIndicator(label: CorpusLabel): string | null {
  if (!SIDED.has(label.indicator)) return label.indicator;
  return label.side === 'a' || label.side === 'b' ? `${label.indicator}_${label.side}` : null;
}

function row(
  item: CorpusItem,
  index: number,
  tagId: number,
): Omit<EvidenceItem, 'indicatorId' | 'polarity' | 'modality'> {
  // Every item is its own story from one tier-1 source: the corpus has no clusters or tiers.
  return {
    tagId,
    articleId: index + 1,
    clusterId: null,
    feedId: null,
    contentHash: null,
    confidence: 1,
    tier: 1,
    publishedAt: publishedAt(item.date),
    numbers: null,
  };
}

/** The gold labels as engine evidence (what the engine does with perfect tags). */
export function goldEvidence(items: readonly CorpusItem[]): EvidenceItem[] {
  const out: EvidenceItem[] = [];
  items.forEach((item, i) => {
    for (const label of item.labels) {
      const indicatorId = labelIndicator(label);
      if (indicatorId === null) continue;
      out.push({ ...row(item, i, out.length + 1), indicatorId, polarity: label.polarity, modality: label.modality });
    }
  });
  return out;
}

/** The pack's rules run on each item's title and summary, as the live tagger would. */
export function ruleEvidence(items: readonly CorpusItem[], compiled: CompiledIndicators): EvidenceItem[] {
  const out: EvidenceItem[] = [];
  items.forEach((item, i) => {
    const tags = tagText(compiled, { title: item.title, summary: item.summary, text: '', language: item.language });
    for (const t of tags)
      out.push({
        ...row(item, i, out.length + 1),
        indicatorId: t.indicatorId,
        polarity: t.polarity,
        modality: t.modality,
        confidence: t.confidence,
      });
  });
  return out;
}

export function evidenceFor(q: LibraryQuestion, source: EvidenceSource): EvidenceItem[] {
  return source === 'gold' ? goldEvidence(q.items) : ruleEvidence(q.items, compileIndicators(q.pack.indicators));
}
