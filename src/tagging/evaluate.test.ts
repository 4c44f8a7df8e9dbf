// Tests for the labelled-set parser and the scoring: precision/recall/F1, macro-F1, polarity accuracy.
import { describe, expect, it } from 'vitest';
import { compileIndicators } from './compile.ts';
import { EvalError, type LabelledItem, evaluateTags, formatReport, parseLabelled } from './evaluate.ts';
import { ruleSchema } from '../pack/rule-schema.ts';

const compiled = compileIndicators([
  {
    id: 'meeting',
    kind: 'event',
    numbers: undefined,
    rules: [ruleSchema.parse({ id: 'm', all: [['Trump'], ['Putin'], ['meet*', 'summit']] })],
  },
  {
    id: 'truce',
    kind: 'event',
    numbers: undefined,
    rules: [ruleSchema.parse({ id: 't', any: ['truce', 'ceasefire'] })],
  },
]);

const item = (id: string, title: string, indicators: string[], negation: string[] = []): LabelledItem => ({
  id,
  date: '',
  title,
  summary: '',
  url: '',
  source: '',
  language: 'en',
  indicators,
  negation,
});

describe('evaluateTags', () => {
  it('counts hits, misses and false alarms per indicator, and judges polarity on hits only', () => {
    const report = evaluateTags(compiled, [
      item('1', 'Trump will meet Putin', ['meeting']),
      item('2', 'No summit: Trump will not meet Putin', ['meeting'], ['meeting']),
      item('3', 'Trump and Putin to hold a summit, but a truce is rejected', ['meeting', 'truce']),
      item('4', 'A truce in Gaza', []),
      item('5', 'Leaders talk in Alaska', ['meeting']),
    ]);
    expect(report.indicators.meeting).toEqual({
      precision: 1,
      recall: 0.75,
      f1: (2 * 0.75) / 1.75,
      support: 4,
      truePositives: 3,
      falsePositives: 0,
      falseNegatives: 1,
    });
    expect(report.indicators.truce).toEqual({
      precision: 0.5,
      recall: 1,
      f1: 2 / 3,
      support: 1,
      truePositives: 1,
      falsePositives: 1,
      falseNegatives: 0,
    });
    expect(report.macroF1).toBeCloseTo(((2 * 0.75) / 1.75 + 2 / 3) / 2, 10);
    // Item 3's truce is negated by the tagger but not labelled negated: 3 of 4 hits are right.
    expect(report.polarityAccuracy).toBe(0.75);
    expect(report.mistakes.map((m) => `${m.itemId}:${m.kind}`).sort()).toEqual([
      '3:wrong_polarity',
      '4:false_positive',
      '5:false_negative',
    ]);
    expect(formatReport(report)).toContain('macro-F1: 0.762');
  });

  it('averages F1 over indicators with support only, lists the rest with their false positives, counts confusions', () => {
    // Hand-computed: meeting tp 1 (item 1), fn 1 (item 2, where truce fired instead); truce has no support, 2 false positives.
    const labelled = (id: string, title: string, labels: LabelledItem['labels']): LabelledItem => ({
      ...item(id, title, [...new Set(labels!.map((l) => l.indicator))]),
      labels,
    });
    const report = evaluateTags(compiled, [
      labelled('1', 'Trump will meet Putin', [
        { indicator: 'meeting', polarity: 'affirmed', modality: 'scheduled' },
        // The same indicator reported both ways: either polarity is right.
        { indicator: 'meeting', polarity: 'negated', modality: 'cancelled' },
      ]),
      labelled('2', 'Leaders agree a truce in Alaska', [
        { indicator: 'meeting', polarity: 'affirmed', modality: 'held' },
      ]),
      labelled('3', 'A truce in Gaza', []),
    ]);
    expect(Object.keys(report.indicators)).toEqual(['meeting']);
    expect(report.indicators.meeting).toMatchObject({ precision: 1, recall: 0.5, support: 2 });
    expect(report.macroF1).toBeCloseTo(2 / 3, 12);
    expect(report.unsupported).toEqual({ truce: { falsePositives: 2 } });
    expect(report.polarityAccuracy).toBe(1);
    expect(report.polarityPairs).toBe(1);
    expect(report.confusions).toEqual([
      { labelled: 'meeting', tagged: 'truce', count: 1 },
      { labelled: null, tagged: 'truce', count: 1 },
    ]);
    const text = formatReport(report);
    expect(text).toContain('without support (not in the macro-F1): truce (2 false positives)');
    expect(text).toContain('meeting tagged as truce');
    expect(text).toContain('truce tagged on an item without it');
    expect(text).toContain('macro-F1: 0.667 (over 1 indicator with support)');
  });

  it('has no polarity accuracy when nothing was found, and a macro-F1 of 0 on nothing', () => {
    const report = evaluateTags(compiled, [item('1', 'Nothing', [])]);
    expect(report).toMatchObject({ macroF1: 0, polarityAccuracy: null, indicators: {} });
  });
});

describe('parseLabelled', () => {
  it('reads JSON lines, defaulting optional fields', () => {
    const items = parseLabelled(
      '{"id":"a","title":"T","indicators":["x"]}\n\n{"id":"b","title":"U","summary":"S","language":"ru","indicators":["x"],"negation":["x"]}\n',
      'f.jsonl',
    );
    expect(items.map((i) => [i.id, i.summary, i.language, i.negation])).toEqual([
      ['a', '', null, []],
      ['b', 'S', 'ru', ['x']],
    ]);
  });

  it.each([
    ['{oops', 'line 1: not JSON'],
    ['[1]', 'line 1: expected a JSON object'],
    [
      '{"id":1,"title":"t","indicators":"x"}',
      'line 1: expected id (a string), labels (an array of {indicator, polarity, modality}) or indicators (ids)',
    ],
    [
      '{"id":"n1","date":"2026-01-02","title":"t","labels":[{"indicator":"a","polarity":"maybe"}]}',
      'line 1 (n1): expected labels[0].polarity ("affirmed" or "negated")',
    ],
    ['{"id":"n2","title":"t","labels":[]}', 'line 1 (n2): expected date (YYYY-MM-DD)'],
    [
      '{"id":"n3","date":"2026-01-02","title":"t","labels":[{"indicator":"a","polarity":"negated"}],"hard_negative":true}',
      'line 1 (n3): hard_negative is true but the item has labels',
    ],
    [
      '{"id":"a","title":"t","indicators":[],"negation":["x"]}',
      'line 1 (a): negation lists x, which is not in indicators',
    ],
    ['{"id":"a","title":"t","indicators":[]}\n{"id":"a","title":"t","indicators":[]}', 'line 2: duplicate id "a"'],
  ])('rejects %s', (text, message) => {
    expect(() => parseLabelled(text, 'f.jsonl')).toThrow(EvalError);
    expect(() => parseLabelled(text, 'f.jsonl')).toThrow(`f.jsonl: ${message}`);
  });
});
