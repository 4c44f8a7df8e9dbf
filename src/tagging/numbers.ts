// Counts with their unit from a folded sentence: "653 drones and 51 missiles", "more than 600 drones", "ракет — 51", "1 200 дронів".
import type { NumberValue } from '../db/json-columns.ts';
import { type Span, TermGroup, type TermHits, type TermTable, WORD_CHAR } from './terms.ts';

export type { NumberValue };

export interface CompiledUnits {
  units: { name: string; group: TermGroup }[];
}

export function compileUnits(units: Record<string, readonly string[]>, table: TermTable): CompiledUnits {
  return { units: Object.entries(units).map(([name, terms]) => ({ name, group: new TermGroup(terms, table) })) };
}

/** Could any unit occur in the text whose term hits these are? */
export function unitsMayMatch(units: CompiledUnits, hits: TermHits): boolean {
  return units.units.some((u) => u.group.mayMatch(hits));
}

/**
 * A count: digits with optional thousands separators ("1,200", "1 200"). Not part of a model
 * name ("Kh-101", "Shahed-136", "S-400") nor of a decimal ("1.5") or a longer digit run.
 */
const COUNT = new RegExp(`(?<!${WORD_CHAR}|[-.,])(\\d{1,3}(?:[ ,]\\d{3})+|\\d+)(?![0-9]|[.,]\\d)`, 'g');
/** Between a count and its unit: up to two words ("653 attack drones", "51 ballistic missiles"). */
const GAP_AFTER = new RegExp(`^(?:[\\s-]+(?:${WORD_CHAR}|['-])+){0,2}[\\s-]+$`);
/** Words that mean the count is of something else ("5 people killed by drones"). */
const NOT_A_BARRAGE = new RegExp(
  `(?<!${WORD_CHAR})(?:people|civilians|killed|injured|wounded|dead|children|человек|людей|погиб|ранен|дет|осіб|людей|загин|поранен|діт)`,
);
/** Between a unit and its count: a dash or colon ("ракет — 51", "drones: 653"). */
const GAP_BEFORE = /^\s*[:—–=-]?\s*$/;

interface UnitSpan extends Span {
  unit: string;
}

function unitSpans(folded: string, units: CompiledUnits): UnitSpan[] {
  const out: UnitSpan[] = [];
  for (const u of units.units) for (const s of u.group.spans(folded)) out.push({ ...s, unit: u.name });
  return out.sort((a, b) => a.start - b.start);
}

/**
 * Reads counts paired with a unit. A count takes the nearest unit after it (within two
 * words, nothing but words in between), else one right before it ("ракет — 51"). Qualifiers
 * ("more than", "nearly", "около") keep the stated number. Several counts of one unit in a
 * sentence ("653 drones ... 585 drones shot down") keep the largest: the size of the barrage.
 */
export function extractNumbers(folded: string, units: CompiledUnits): NumberValue[] {
  if (!/\d/.test(folded)) return [];
  const spans = unitSpans(folded, units);
  if (spans.length === 0) return [];
  const best = new Map<string, number>();
  COUNT.lastIndex = 0;
  for (let m = COUNT.exec(folded); m !== null; m = COUNT.exec(folded)) {
    const start = m.index;
    const end = start + m[0].length;
    const value = Number(m[1]!.replace(/[ ,]/g, ''));
    if (!Number.isSafeInteger(value)) continue;
    let unit: string | null = null;
    for (const s of spans) {
      if (s.start < end) continue;
      const gap = folded.slice(end, s.start);
      if (gap.length <= 40 && GAP_AFTER.test(gap) && !NOT_A_BARRAGE.test(gap)) unit = s.unit;
      break;
    }
    if (unit === null) {
      for (let i = spans.length - 1; i >= 0; i -= 1) {
        const s = spans[i]!;
        if (s.end <= start && GAP_BEFORE.test(folded.slice(s.end, start))) {
          unit = s.unit;
          break;
        }
      }
    }
    if (unit !== null) best.set(unit, Math.max(best.get(unit) ?? 0, value));
  }
  return [...best].map(([unit, value]) => ({ value, unit }));
}
