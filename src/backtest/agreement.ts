// How well the base pack's rules find the gold labels: presence of each indicator in each item, over the library.
import { compileIndicators } from '../tagging/compile.ts';
import { tagText } from '../tagging/tag-text.ts';
import { labelIndicator } from './evidence.ts';
import type { LibraryQuestion } from './types.ts';

export interface IndicatorAgreement {
  support: number;
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
  f1: number;
}

export interface TagAgreement {
  items: number;
  microF1: number;
  indicators: Record<string, IndicatorAgreement>;
}

const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);

export function ruleAgreement(questions: readonly LibraryQuestion[]): TagAgreement {
  const counts = new Map<string, { tp: number; fp: number; fn: number }>();
  const get = (id: string) => {
    let c = counts.get(id);
    if (!c) counts.set(id, (c = { tp: 0, fp: 0, fn: 0 }));
    return c;
  };
  let items = 0;
  for (const q of questions) {
    const compiled = compileIndicators(q.pack.indicators);
    for (const item of q.items) {
      items += 1;
      const gold = new Set(item.labels.map(labelIndicator).filter((x): x is string => x !== null));
      const found = new Set(
        tagText(compiled, { title: item.title, summary: item.summary, text: '', language: item.language }).map(
          (t) => t.indicatorId,
        ),
      );
      for (const id of gold) get(id)[found.has(id) ? 'tp' : 'fn'] += 1;
      for (const id of found) if (!gold.has(id)) get(id).fp += 1;
    }
  }
  let tp = 0;
  let fp = 0;
  let fn = 0;
  const indicators: Record<string, IndicatorAgreement> = {};
  for (const [id, c] of [...counts.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    tp += c.tp;
    fp += c.fp;
    fn += c.fn;
    const precision = ratio(c.tp, c.tp + c.fp);
    const recall = ratio(c.tp, c.tp + c.fn);
    indicators[id] = {
      support: c.tp + c.fn,
      ...c,
      precision,
      recall,
      f1: ratio(2 * precision * recall, precision + recall),
    };
  }
  return { items, microF1: ratio(2 * tp, 2 * tp + fp + fn), indicators };
}
