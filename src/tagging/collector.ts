// Keeps the strongest tag per indicator over an article's sentences, and a level indicator's largest count per unit.
import type { TagDraft, TagField } from './tag-text.ts';

const FIELD_ORDER: Record<TagField, number> = { title: 0, summary: 1, text: 2 };

export class Collector {
  readonly best = new Map<string, TagDraft>();
  private readonly numbers = new Map<string, Map<string, number>>();

  offer(draft: TagDraft): void {
    const prev = this.best.get(draft.indicatorId);
    // Strongest wins; on a tie the earlier field (title, then summary, then text), then the earlier sentence.
    if (
      !prev ||
      draft.confidence > prev.confidence ||
      (draft.confidence === prev.confidence && FIELD_ORDER[draft.field] < FIELD_ORDER[prev.field])
    ) {
      this.best.set(draft.indicatorId, draft);
    }
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
