// Labelled sets for eval and training (pure): JSON Lines in either shape (labels[], or the older indicators[] + negation[]), split by date, hashed.
import { createHash } from 'node:crypto';
import type { Modality, Polarity } from '../db/schema.ts';
import { BellwetherError } from '../errors.ts';

export interface Label {
  indicator: string;
  polarity: Polarity;
  modality: Modality | null;
}

export interface LabelledItem {
  id: string;
  /** YYYY-MM-DD ('' when the older shape left it out). */
  date: string;
  title: string;
  summary: string;
  url: string;
  /** The outlet (`outlet`), or the older shape's `source`. */
  source: string;
  language: string | null;
  /** The indicator ids the item carries, each once. */
  indicators: string[];
  /** Ids (among `indicators`) the item reports only in the negative. */
  negation: string[];
  /** Every label with its polarity and modality; derived from indicators/negation for the older shape. */
  labels?: Label[];
  /** No label, but the question's actors or words (`hard_negative`). */
  hardNegative?: boolean;
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
const POLARITIES = new Set(['affirmed', 'negated']);
const MODALITIES = new Set(['held', 'scheduled', 'proposed', 'cancelled', 'speculative']);
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The labels of an item: its own, or those of the older shape (negated exactly when listed in `negation`). */
export function labelsOf(item: LabelledItem): Label[] {
  return (
    item.labels ??
    item.indicators.map((indicator) => ({
      indicator,
      polarity: item.negation.includes(indicator) ? 'negated' : 'affirmed',
      modality: null,
    }))
  );
}

function parseLabels(v: unknown, bad: string[]): Label[] | null {
  if (!Array.isArray(v)) {
    bad.push('labels (an array of {indicator, polarity, modality})');
    return null;
  }
  const labels: Label[] = [];
  v.forEach((l: unknown, i) => {
    const o = (l ?? {}) as Record<string, unknown>;
    if (typeof l !== 'object' || l === null || !str(o.indicator)) bad.push(`labels[${i}].indicator (an id)`);
    else if (!str(o.polarity) || !POLARITIES.has(o.polarity))
      bad.push(`labels[${i}].polarity ("affirmed" or "negated")`);
    else if (o.modality !== undefined && o.modality !== null && !(str(o.modality) && MODALITIES.has(o.modality)))
      bad.push(`labels[${i}].modality (held, scheduled, proposed, cancelled, speculative or null)`);
    else
      labels.push({
        indicator: o.indicator,
        polarity: o.polarity as Polarity,
        modality: (o.modality as Modality | null | undefined) ?? null,
      });
  });
  return labels;
}

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
  const shaped = o.labels !== undefined;
  if (!str(o.id)) bad.push('id (a string)');
  if (!str(o.title)) bad.push('title (a string)');
  if (o.summary !== undefined && !str(o.summary)) bad.push('summary (a string)');
  if (o.language !== undefined && o.language !== null && !str(o.language)) bad.push('language (a string or null)');
  if (shaped ? !(str(o.date) && DATE.test(o.date)) : o.date !== undefined && !str(o.date))
    bad.push('date (YYYY-MM-DD)');
  let labels: Label[] | null = null;
  if (shaped) labels = parseLabels(o.labels, bad);
  else {
    if (!strArray(o.indicators)) bad.push('labels (an array of {indicator, polarity, modality}) or indicators (ids)');
    if (o.negation !== undefined && !strArray(o.negation)) bad.push('negation (an array of ids)');
  }
  if (o.hard_negative !== undefined && typeof o.hard_negative !== 'boolean') bad.push('hard_negative (true or false)');
  if (bad.length > 0) {
    problems.push(`line ${n}${str(o.id) ? ` (${o.id})` : ''}: expected ${bad.join(', ')}`);
    return null;
  }
  const indicators = labels ? [...new Set(labels.map((l) => l.indicator))] : (o.indicators as string[]);
  const negation = labels
    ? indicators.filter((id) => labels.every((l) => l.indicator !== id || l.polarity === 'negated'))
    : ((o.negation as string[] | undefined) ?? []);
  const item: LabelledItem = {
    id: o.id as string,
    date: str(o.date) ? o.date : '',
    title: o.title as string,
    summary: (o.summary as string | undefined) ?? '',
    url: str(o.url) ? o.url : '',
    source: str(o.outlet) ? o.outlet : str(o.source) ? o.source : '',
    language: (o.language as string | null | undefined) ?? null,
    indicators,
    negation,
    ...(labels ? { labels } : {}),
    hardNegative: o.hard_negative === true,
  };
  const stray = item.negation.filter((id) => !item.indicators.includes(id));
  if (stray.length > 0)
    problems.push(`line ${n} (${item.id}): negation lists ${stray.join(', ')}, which is not in indicators`);
  if (item.hardNegative && item.indicators.length > 0)
    problems.push(`line ${n} (${item.id}): hard_negative is true but the item has labels`);
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

/** Labels naming indicators the pack does not have: one line per unknown id with a few of its items. */
export function unknownIndicators(items: readonly LabelledItem[], packIds: readonly string[]): string[] {
  const known = new Set(packIds);
  const unknown = new Map<string, string[]>();
  for (const item of items)
    for (const id of item.indicators) if (!known.has(id)) unknown.set(id, [...(unknown.get(id) ?? []), item.id]);
  return [...unknown].map(
    ([id, ids]) =>
      `indicator "${id}" is not in the pack (items ${ids.slice(0, 3).join(', ')}${ids.length > 3 ? ', …' : ''})`,
  );
}

/** Items dated before the split date (train) and on or after it (after); an undated item is an error. */
export function splitByDate(
  items: readonly LabelledItem[],
  splitDate: string,
): { train: LabelledItem[]; after: LabelledItem[] } {
  const undated = items.filter((i) => !DATE.test(i.date.slice(0, 10)));
  if (undated.length > 0)
    throw new EvalError('(labelled set)', [
      `${undated.length} item(s) have no date YYYY-MM-DD, so they fall in neither split: ${undated
        .slice(0, 5)
        .map((i) => i.id)
        .join(', ')}`,
    ]);
  return {
    train: items.filter((i) => i.date.slice(0, 10) < splitDate),
    after: items.filter((i) => i.date.slice(0, 10) >= splitDate),
  };
}

/** A hash of what a model learns from: each item's id, date, language, title, summary and labels, in id order. */
export function hashItems(items: readonly LabelledItem[]): string {
  const h = createHash('sha256');
  for (const i of [...items].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    const labels = labelsOf(i)
      .map((l) => `${l.indicator}/${l.polarity}/${l.modality ?? ''}`)
      .sort();
    h.update(`${JSON.stringify([i.id, i.date, i.language, i.title, i.summary, labels])}\n`);
  }
  return h.digest('hex');
}
