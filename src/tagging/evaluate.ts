// Scores a pack's rules against a labelled set (pure): per-indicator precision/recall/F1, macro-F1, polarity accuracy.
import { BellwetherError } from '../errors.ts';
import type { CompiledIndicators } from './compile.ts';
import { type TagDraft, tagText } from './tag-text.ts';

export interface LabelledItem {
  id: string;
  date: string;
  title: string;
  summary: string;
  url: string;
  source: string;
  language: string | null;
  indicators: string[];
  /** Ids (among `indicators`) the story reports in the negative. */
  negation: string[];
}

export class EvalError extends BellwetherError<'invalid_labelled_set'> {
  readonly code = 'invalid_labelled_set';
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(problems.map((p) => `${file}: ${p}`).join('\n'));
  }
}

const str = (v: unknown): v is string => typeof v === 'string';
const strArray = (v: unknown): v is string[] => Array.isArray(v) && v.every(str);

function parseLine(line: string, n: number, problems: string[]): LabelledItem | null {
  let data: unknown;
  try {
    data = JSON.parse(line);
  } catch (cause) {
    problems.push(`line ${n}: not JSON (${(cause as Error).message})`);
    return null;
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    problems.push(`line ${n}: expected a JSON object`);
    return null;
  }
  const o = data as Record<string, unknown>;
  const bad: string[] = [];
  if (!str(o.id)) bad.push('id (a string)');
  if (!str(o.title)) bad.push('title (a string)');
  if (o.summary !== undefined && !str(o.summary)) bad.push('summary (a string)');
  if (o.language !== undefined && o.language !== null && !str(o.language)) bad.push('language (a string or null)');
  if (!strArray(o.indicators)) bad.push('indicators (an array of ids)');
  if (o.negation !== undefined && !strArray(o.negation)) bad.push('negation (an array of ids)');
  if (bad.length > 0) {
    problems.push(`line ${n}: expected ${bad.join(', ')}`);
    return null;
  }
  const item: LabelledItem = {
    id: o.id as string,
    date: str(o.date) ? o.date : '',
    title: o.title as string,
    summary: (o.summary as string | undefined) ?? '',
    url: str(o.url) ? o.url : '',
    source: str(o.source) ? o.source : '',
    language: (o.language as string | null | undefined) ?? null,
    indicators: o.indicators as string[],
    negation: (o.negation as string[] | undefined) ?? [],
  };
  const stray = item.negation.filter((id) => !item.indicators.includes(id));
  if (stray.length > 0)
    problems.push(`line ${n} (${item.id}): negation lists ${stray.join(', ')}, which is not in indicators`);
  return item;
}

/** Parses JSON Lines; every problem is reported at once with its line number. Blank lines are skipped. */
export function parseLabelled(text: string, file: string): LabelledItem[] {
  const problems: string[] = [];
  const items: LabelledItem[] = [];
  const seen = new Set<string>();
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    const item = parseLine(line, i + 1, problems);
    if (!item) return;
    if (seen.has(item.id)) problems.push(`line ${i + 1}: duplicate id "${item.id}"`);
    seen.add(item.id);
    items.push(item);
  });
  if (problems.length > 0) throw new EvalError(file, problems);
  return items;
}

export interface IndicatorScore {
  precision: number;
  recall: number;
  f1: number;
  /** Labelled items carrying the indicator. */
  support: number;
}

export interface EvalMistake {
  itemId: string;
  title: string;
  indicatorId: string;
  kind: 'false_positive' | 'false_negative' | 'wrong_polarity';
  /** For false positives and wrong polarity: what fired. */
  tag: TagDraft | null;
}

export interface EvalReport {
  macroF1: number;
  /** Null when no indicator was correctly found, so polarity could not be judged. */
  polarityAccuracy: number | null;
  indicators: Record<string, IndicatorScore>;
  items: number;
  mistakes: EvalMistake[];
}

const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);

/**
 * Tags each item's title and summary and compares with its labels. Macro-F1 is the mean F1 over
 * indicators present in the labels or the predictions; polarity accuracy is over correctly found
 * (item, indicator) pairs: right when the tag is negated exactly if the id is in `negation`.
 */
export function evaluateTags(compiled: CompiledIndicators, items: readonly LabelledItem[]): EvalReport {
  const counts = new Map<string, { tp: number; fp: number; fn: number }>();
  const count = (id: string) => counts.get(id) ?? (counts.set(id, { tp: 0, fp: 0, fn: 0 }), counts.get(id)!);
  const mistakes: EvalMistake[] = [];
  let pairs = 0;
  let polarityRight = 0;
  for (const item of items) {
    const tags = new Map(
      tagText(compiled, { title: item.title, summary: item.summary, text: '', language: item.language }).map((t) => [
        t.indicatorId,
        t,
      ]),
    );
    const labels = new Set(item.indicators);
    for (const [id, tag] of tags) {
      if (labels.has(id)) {
        count(id).tp += 1;
        pairs += 1;
        const right = (tag.polarity === 'negated') === item.negation.includes(id);
        if (right) polarityRight += 1;
        else mistakes.push({ itemId: item.id, title: item.title, indicatorId: id, kind: 'wrong_polarity', tag });
      } else {
        count(id).fp += 1;
        mistakes.push({ itemId: item.id, title: item.title, indicatorId: id, kind: 'false_positive', tag });
      }
    }
    for (const id of labels) {
      if (!tags.has(id)) {
        count(id).fn += 1;
        mistakes.push({ itemId: item.id, title: item.title, indicatorId: id, kind: 'false_negative', tag: null });
      }
    }
  }
  const indicators: Record<string, IndicatorScore> = {};
  for (const id of [...counts.keys()].sort()) {
    const c = counts.get(id)!;
    const precision = ratio(c.tp, c.tp + c.fp);
    const recall = ratio(c.tp, c.tp + c.fn);
    indicators[id] = { precision, recall, f1: ratio(2 * precision * recall, precision + recall), support: c.tp + c.fn };
  }
  const f1s = Object.values(indicators).map((s) => s.f1);
  return {
    macroF1: ratio(
      f1s.reduce((a, b) => a + b, 0),
      f1s.length,
    ),
    polarityAccuracy: pairs === 0 ? null : polarityRight / pairs,
    indicators,
    items: items.length,
    mistakes,
  };
}

const pct = (x: number) => x.toFixed(3);

/** The human-readable report: one line per indicator, then the summary figures. */
export function formatReport(report: EvalReport): string {
  const ids = Object.keys(report.indicators);
  const width = Math.max(9, ...ids.map((id) => id.length));
  const lines = [`${'indicator'.padEnd(width)}  precision  recall  f1     support`];
  for (const id of ids) {
    const s = report.indicators[id]!;
    lines.push(
      `${id.padEnd(width)}  ${pct(s.precision).padEnd(9)}  ${pct(s.recall).padEnd(6)}  ${pct(s.f1).padEnd(5)}  ${s.support}`,
    );
  }
  lines.push(
    '',
    `items: ${report.items}`,
    `macro-F1: ${pct(report.macroF1)}`,
    `polarity accuracy: ${report.polarityAccuracy === null ? 'n/a (no indicator found)' : pct(report.polarityAccuracy)}`,
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
