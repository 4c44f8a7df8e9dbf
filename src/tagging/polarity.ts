// Polarity (affirmed/negated) and modality (held/scheduled/proposed/cancelled/speculative) from cue words near a match, in en/ru/uk.
import type { Modality, Polarity } from '../db/schema.ts';
import { type Span, TermGroup, TermTable, type TokenIndex, WORD_CHAR } from './terms.ts';

/** Cue lexicons, written in the rule language (`*` = prefix), folded like texts (й→и, ї→і, ё→е). */
export const CUES = {
  /** Phrases that look negative but are not ("not only", "did not rule out", "не исключено"). */
  neutral: [
    'not only',
    'not least',
    'no doubt',
    'no later than',
    'not rule out',
    'not ruling out',
    'not ruled out',
    "didn't rule out",
    "doesn't rule out",
    "don't rule out",
    'not excluded',
    'не только',
    'не позднее',
    'не менее',
    'не исключ*',
    'нельзя исключать',
    'не лише',
    'не пізніше',
    'не менш',
    'не виключ*',
    'не відкида*',
    'не можна виключати',
  ],
  negated: [
    'not',
    'no',
    'never',
    'none',
    'no longer',
    "won't",
    "don't",
    "doesn't",
    "didn't",
    "isn't",
    "aren't",
    "wasn't",
    "weren't",
    "hasn't",
    "haven't",
    "hadn't",
    "can't",
    'cannot',
    "wouldn't",
    'no plans',
    'no plan',
    'ruled out',
    'rules out',
    'rule out',
    'ruling out',
    'postpone*',
    'delay*',
    'put off',
    'called off',
    'call off',
    'cancel*',
    'scrap*',
    'reject*',
    'refus*',
    'denied',
    'denies',
    'deny',
    'dismiss*',
    'turned down',
    'turns down',
    'halt*',
    'pause*',
    'paused',
    'suspend*',
    'broke down',
    'collaps*',
    'unlikely',
    'failed to',
    'fails to',
    'pushed back',
    'hold off',
    'holds off',
    'held off',
    'shelve*',
    'spurn*',
    'brush* aside',
    'rebuff*',
    'expires',
    'expired',
    'frays',
    'не',
    'нет',
    'ни',
    'никак*',
    'отказ*',
    'отклон*',
    'отверг*',
    'отлож*',
    'отмен*',
    'исключил*',
    'исключа*',
    'сорва*',
    'сорван*',
    'перенес*',
    'перенос*',
    'приостанов*',
    'прерва*',
    'провал*',
    'отрица*',
    'опроверг*',
    'ні',
    'немає',
    'нема',
    'жодн*',
    'відклад*',
    'відклал*',
    'відмов*',
    'скасув*',
    'скасов*',
    'відхил*',
    'відкин*',
    'призупин*',
    'зірва*',
    'зрив*',
    'виключив',
    'виключа*',
    'виключил*',
    'заперечу*',
    'спростува*',
  ],
  cancelled: [
    'cancel*',
    'called off',
    'call off',
    'calls off',
    'scrapped',
    'scraps',
    'postpone*',
    'put off',
    'delayed',
    'delays',
    'pushed back',
    'shelve*',
    'held off',
    'holds off',
    'отмен*',
    'отлож*',
    'перенес*',
    'перенос*',
    'сорва*',
    'сорван*',
    'скасув*',
    'скасов*',
    'відклад*',
    'відклал*',
    'зірва*',
  ],
  speculative: [
    'could',
    'might',
    'may',
    'possibl*',
    'perhaps',
    'maybe',
    'potential*',
    'would',
    'if',
    'rumour*',
    'rumor*',
    'not rule out',
    'not ruling out',
    "didn't rule out",
    "doesn't rule out",
    'может',
    'могут',
    'мог бы',
    'возможн*',
    'вероятн*',
    'не исключ*',
    'если',
    'може',
    'можуть',
    'можлив*',
    'ймовірн*',
    'не виключ*',
    'не відкида*',
    'якщо',
  ],
  proposed: [
    'propos*',
    'offer*',
    'suggest*',
    'invit*',
    'called for',
    'calls for',
    'call for',
    'ready to',
    'open to',
    'willing to',
    'pushing for',
    'pushed for',
    'предлож*',
    'приглас*',
    'приглаш*',
    'готов*',
    'призвал*',
    'призыва*',
    'запропон*',
    'запросив',
    'запросил*',
    'запрош*',
    'закликал*',
    'закликав',
    'заклика*',
  ],
  scheduled: [
    'will',
    "'ll",
    'schedul*',
    'set to',
    'due to',
    'planned',
    'plans to',
    'plan to',
    'planning to',
    'next week',
    'tomorrow',
    'later this week',
    'later this month',
    'expected to',
    'upcoming',
    'to be held',
    'arranging',
    'arranged',
    'запланир*',
    'планиру*',
    'состоится',
    'пройдет',
    'пройдут',
    'проведут',
    'встретятся',
    'на следующей неделе',
    'завтра',
    'намечен*',
    'ожида*',
    'будет',
    'будут',
    'заплан*',
    'планує',
    'планують',
    'відбудеться',
    'пройде',
    'проведуть',
    'зустрінуться',
    'наступного тижня',
    'очіку*',
    'буде',
    'будуть',
  ],
  held: [
    'met',
    'meets',
    'held',
    'holds talks',
    'hosted',
    'hosts',
    'spoke',
    'speaks',
    'talked',
    'took place',
    'had a call',
    'had talks',
    'concluded',
    'wrapped up',
    'ended',
    'discussed',
    'встретил*',
    'провел*',
    'состоял*',
    'прошл*',
    'прошел',
    'обсудил*',
    'поговорил*',
    'созвонил*',
    'зустрів*',
    'зустріл*',
    'провів',
    'відбул*',
    'обговорил*',
    'обговорив',
    'поговорив',
    'розмовлял*',
  ],
} as const;

/** Modalities in order of precedence: a cancellation outweighs a plan, a "could" outweighs a "will". */
const MODALITY_ORDER: Modality[] = ['cancelled', 'speculative', 'proposed', 'scheduled', 'held'];

/** How many tokens before the first and after the last matched term a cue may stand. */
export const CUE_WINDOW = 6;

const table = new TermTable();
const groups = {
  neutral: new TermGroup(CUES.neutral, table),
  negated: new TermGroup(CUES.negated, table),
  cancelled: new TermGroup(CUES.cancelled, table),
  speculative: new TermGroup(CUES.speculative, table),
  proposed: new TermGroup(CUES.proposed, table),
  scheduled: new TermGroup(CUES.scheduled, table),
  held: new TermGroup(CUES.held, table),
};

/** Clause breaks: a cue on the other side of one speaks of something else ("…, but a truce was rejected"). */
const CLAUSE_BREAK = new RegExp(
  `;|(?<!${WORD_CHAR})(?:but|while|whereas|но|однако|тогда как|але|проте|тоді як)(?!${WORD_CHAR})`,
  'g',
);

function clauseOf(folded: string, from: number, to: number): Span {
  let start = 0;
  let end = folded.length;
  CLAUSE_BREAK.lastIndex = 0;
  for (let m = CLAUSE_BREAK.exec(folded); m !== null; m = CLAUSE_BREAK.exec(folded)) {
    if (m.index + m[0].length <= from) start = m.index + m[0].length;
    else if (m.index >= to) {
      end = m.index;
      break;
    }
  }
  return { start, end };
}

/** The cue words found in one folded sentence, by kind: computed once per sentence, shared by every rule firing there. */
export type CueSpans = Record<keyof typeof CUES, Span[]>;

export function cueSpans(folded: string): CueSpans {
  // One scan of the sentence finds every cue term; each kind then reads its own terms' hits.
  const hits = table.scan(folded);
  const out = {} as CueSpans;
  for (const k of Object.keys(groups) as (keyof typeof CUES)[]) out[k] = groups[k].spans(folded, false, hits);
  return out;
}

export interface Classification {
  polarity: Polarity;
  modality: Modality | null;
}

function overlaps(a: Span, spans: readonly Span[]): boolean {
  for (const b of spans) if (a.start < b.end && b.start < a.end) return true;
  return false;
}

function inWindow(s: Span, tokens: TokenIndex, from: number, to: number, clause: Span): boolean {
  if (s.start < clause.start || s.end > clause.end) return false;
  const t = tokens.at(s.start);
  return t >= from && t <= to;
}

/**
 * Classifies one rule match in a folded sentence. `matched` are the spans of the rule's terms:
 * cues inside them are the indicator's own words ("rejected" in a rule about rejection), so
 * they do not negate it. Only cues within CUE_WINDOW tokens of the match and in the same
 * clause count, so a "not" elsewhere in a long sentence leaves it affirmed. No spans = the
 * whole sentence is the window.
 */
export function classify(
  folded: string,
  matched: readonly Span[],
  tokens: TokenIndex,
  withModality: boolean,
  cues: CueSpans = cueSpans(folded),
): Classification {
  let first = Infinity;
  let last = -Infinity;
  let startChar = folded.length;
  let endChar = 0;
  for (const s of matched) {
    first = Math.min(first, tokens.at(s.start));
    last = Math.max(last, tokens.at(Math.max(s.start, s.end - 1)));
    startChar = Math.min(startChar, s.start);
    endChar = Math.max(endChar, s.end);
  }
  if (matched.length === 0) {
    first = 0;
    last = Number.MAX_SAFE_INTEGER;
    startChar = 0;
    endChar = folded.length;
  }
  const from = first - CUE_WINDOW;
  const to = last + CUE_WINDOW;
  const clause = clauseOf(folded, startChar, endChar);
  const neutral = cues.neutral;
  const negated = cues.negated.some(
    (c) => inWindow(c, tokens, from, to, clause) && !overlaps(c, matched) && !overlaps(c, neutral),
  );
  let modality: Modality | null = null;
  if (withModality) {
    for (const m of MODALITY_ORDER) {
      if (cues[m].some((c) => inWindow(c, tokens, from, to, clause))) {
        modality = m;
        break;
      }
    }
  }
  return { polarity: negated ? 'negated' : 'affirmed', modality };
}
