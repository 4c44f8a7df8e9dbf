// Scores a pack's rules against a labelled set (pure): per-indicator precision/recall/F1, macro-F1, polarity accuracy.
import type { CompiledIndicators } from './compile.ts';
import { type LabelledItem, labelsOf } from './labelled.ts';
import { type TagDraft, tagText } from './tag-text.ts';

export { EvalError, type LabelledItem, parseLabelled } from './labelled.ts';

export interface IndicatorScore {
  precision: number;
  recall: number;
  f1: number;
  /** Labelled items carrying the indicator. */
  support: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
}

export interface EvalMistake {
  itemId: string;
  title: string;
  indicatorId: string;
  kind: 'false_positive' | 'false_negative' | 'wrong_polarity';
  /** For false positives and wrong polarity: what fired. */
  tag: TagDraft | null;
}

/** How often, on one item, labelled indicator `labelled` was missed while `tagged` fired without a label (null: nothing). */
export interface Confusion {
  labelled: string | null;
  tagged: string | null;
  count: number;
}

export interface EvalReport {
  /** Mean F1 over the indicators with support (labelled at least once in these items). */
  macroF1: number;
  /** Null when no indicator was correctly found, so polarity could not be judged. */
  polarityAccuracy: number | null;
  /** Correctly found (item, indicator) pairs: the polarity accuracy's denominator. */
  polarityPairs: number;
  /** Indicators with support. */
  indicators: Record<string, IndicatorScore>;
  /** The pack's (and the tagger's) indicators without support here, with the false positives they drew. */
  unsupported: Record<string, { falsePositives: number }>;
  /** Most frequent first. */
  confusions: Confusion[];
  items: number;
  mistakes: EvalMistake[];
}

const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);
/** Names in order, null (nothing) last. */
const byName = (a: string | null, b: string | null) =>
  a === b ? 0 : a === null ? 1 : b === null ? -1 : a < b ? -1 : 1;

/** Counts each (missed A, wrongly tagged B) pair of an item; a miss with no wrong tag is (A, null), a wrong tag with no miss (null, B). */
function confusionsOf(missed: string[], extra: string[], into: Map<string, Confusion>): void {
  const add = (labelled: string | null, tagged: string | null) => {
    const key = `${labelled ?? ''}\u0000${tagged ?? ''}`;
    const c = into.get(key) ?? { labelled, tagged, count: 0 };
    c.count += 1;
    into.set(key, c);
  };
  if (missed.length > 0 && extra.length > 0) for (const a of missed) for (const b of extra) add(a, b);
  else if (missed.length > 0) for (const a of missed) add(a, null);
  else for (const b of extra) add(null, b);
}

/**
 * Tags each item's title and summary and compares with its labels. Macro-F1 is the mean F1 over
 * the indicators with support in these items (those without are reported apart with their false
 * positives); polarity accuracy is over correctly found (item, indicator) pairs: right when one
 * of the item's labels for that indicator has the tag's polarity.
 */
export function evaluateTags(compiled: CompiledIndicators, items: readonly LabelledItem[]): EvalReport {
  const counts = new Map<string, { tp: number; fp: number; fn: number }>();
  const count = (id: string) => counts.get(id) ?? (counts.set(id, { tp: 0, fp: 0, fn: 0 }), counts.get(id)!);
  for (const ind of compiled.indicators) count(ind.id);
  const mistakes: EvalMistake[] = [];
  const confusions = new Map<string, Confusion>();
  let pairs = 0;
  let polarityRight = 0;
  for (const item of items) {
    const tags = new Map(
      tagText(compiled, { title: item.title, summary: item.summary, text: '', language: item.language }).map((t) => [
        t.indicatorId,
        t,
      ]),
    );
    const labels = labelsOf(item);
    const labelled = new Set(item.indicators);
    const extra: string[] = [];
    for (const [id, tag] of tags) {
      if (labelled.has(id)) {
        count(id).tp += 1;
        pairs += 1;
        if (labels.some((l) => l.indicator === id && l.polarity === tag.polarity)) polarityRight += 1;
        else mistakes.push({ itemId: item.id, title: item.title, indicatorId: id, kind: 'wrong_polarity', tag });
      } else {
        count(id).fp += 1;
        extra.push(id);
        mistakes.push({ itemId: item.id, title: item.title, indicatorId: id, kind: 'false_positive', tag });
      }
    }
    const missed: string[] = [];
    for (const id of labelled) {
      if (!tags.has(id)) {
        count(id).fn += 1;
        missed.push(id);
        mistakes.push({ itemId: item.id, title: item.title, indicatorId: id, kind: 'false_negative', tag: null });
      }
    }
    confusionsOf(missed, extra, confusions);
  }
  const indicators: Record<string, IndicatorScore> = {};
  const unsupported: Record<string, { falsePositives: number }> = {};
  for (const id of [...counts.keys()].sort()) {
    const c = counts.get(id)!;
    if (c.tp + c.fn === 0) {
      unsupported[id] = { falsePositives: c.fp };
      continue;
    }
    const precision = ratio(c.tp, c.tp + c.fp);
    const recall = ratio(c.tp, c.tp + c.fn);
    indicators[id] = {
      precision,
      recall,
      f1: ratio(2 * precision * recall, precision + recall),
      support: c.tp + c.fn,
      truePositives: c.tp,
      falsePositives: c.fp,
      falseNegatives: c.fn,
    };
  }
  const f1s = Object.values(indicators).map((s) => s.f1);
  return {
    macroF1: ratio(
      f1s.reduce((a, b) => a + b, 0),
      f1s.length,
    ),
    polarityAccuracy: pairs === 0 ? null : polarityRight / pairs,
    polarityPairs: pairs,
    indicators,
    unsupported,
    confusions: [...confusions.values()].sort(
      (a, b) => b.count - a.count || byName(a.labelled, b.labelled) || byName(a.tagged, b.tagged),
    ),
    items: items.length,
    mistakes,
  };
}

const pct = (x: number) => x.toFixed(3);

/** One confusion in words: "A tagged as B", "missed A", "B tagged without a label". */
export function describeConfusion(c: Confusion): string {
  if (c.labelled && c.tagged) return `${c.labelled} tagged as ${c.tagged}`;
  if (c.labelled) return `missed ${c.labelled} (nothing tagged instead)`;
  return `${c.tagged} tagged on an item without it (no label missed)`;
}

/** The human-readable report: one line per indicator with support, those without, confusions, then the summary figures. */
export function formatReport(report: EvalReport, topConfusions = 10): string {
  const ids = Object.keys(report.indicators);
  const width = Math.max(9, ...ids.map((id) => id.length));
  const lines = [`${'indicator'.padEnd(width)}  precision  recall  f1     support  tp   fp   fn`];
  for (const id of ids) {
    const s = report.indicators[id]!;
    lines.push(
      `${id.padEnd(width)}  ${pct(s.precision).padEnd(9)}  ${pct(s.recall).padEnd(6)}  ${pct(s.f1).padEnd(5)}  ${String(s.support).padEnd(7)}  ${String(s.truePositives).padEnd(3)}  ${String(s.falsePositives).padEnd(3)}  ${s.falseNegatives}`,
    );
  }
  const unsupported = Object.entries(report.unsupported);
  if (unsupported.length > 0)
    lines.push(
      '',
      `without support (not in the macro-F1): ${unsupported.map(([id, u]) => `${id} (${u.falsePositives} false positive${u.falsePositives === 1 ? '' : 's'})`).join(', ')}`,
    );
  if (report.confusions.length > 0) {
    lines.push('', 'most frequent confusions:');
    for (const c of report.confusions.slice(0, topConfusions))
      lines.push(`  ${String(c.count).padStart(4)}  ${describeConfusion(c)}`);
  }
  lines.push(
    '',
    `items: ${report.items}`,
    `macro-F1: ${pct(report.macroF1)} (over ${ids.length} indicator${ids.length === 1 ? '' : 's'} with support)`,
    `polarity accuracy: ${report.polarityAccuracy === null ? 'n/a (no indicator found)' : `${pct(report.polarityAccuracy)} (${report.polarityPairs} correctly found pairs)`}`,
  );
  return lines.join('\n');
}
/** One line per mistake, for tuning rules: what was missed, what fired wrongly and why. */
export function formatMistakes(report: EvalReport): string {
  return report.mistakes
    .map((m) => {
      const why = m.tag
        ? ` [${m.tag.ruleId} ${m.tag.polarity}${m.tag.modality ? `/${m.tag.modality}` : ''}: "${m.tag.snippet}"]`
        : '';
      return `${m.kind.padEnd(14)} ${m.indicatorId.padEnd(22)} ${m.itemId}: ${m.title}${why}`;
    })
    .join('\n');
}
