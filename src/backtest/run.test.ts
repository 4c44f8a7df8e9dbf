// The backtest core on a tiny synthetic library: days scored, both evidence sources, baselines, market, no leakage.
import { describe, expect, it } from 'vitest';
import { buildQuestion, rejects, talks } from '../../test/helpers/history.ts';
import type { Grid } from './fit.ts';
import { formatMarkdown, formatText } from './report.ts';
import { runBacktest } from './run.ts';

const grid: Grid = {
  evidenceScale: [0.05, 1],
  maxObservations: [2],
  halfLifeFactor: [1],
  shrinkage: [0],
  deadlineDecay: [false],
  priorWeight: [0],
};
const days = ['2025-01-01', '2025-01-02', '2025-01-03', '2025-01-04', '2025-01-05'];

// Talks precede deals, rejections precede collapse: evidence that tells the truth on every question.
const library = () => [
  buildQuestion({ id: 'q-deal', outcome: 'deal', items: days.map(talks) }),
  buildQuestion({ id: 'q-collapse', outcome: 'collapse', items: days.map(rejects) }),
  buildQuestion({
    id: 'q-two',
    outcome: 'ceasefire',
    two: true,
    items: days.map(talks),
    market: 'market:\n  - { date: 2025-01-03, probability: 0.7, scenario: ceasefire, source: "Polymarket via O" }',
  }),
];

describe('runBacktest', () => {
  const r = runBacktest(library(), { grid });

  it('scores every day from opens to the day before the outcome, for both evidence sources', () => {
    for (const q of r.questions) {
      expect(q.days).toBe(5);
      expect(q.sources.gold.daily.map((d) => d.day)).toEqual(days);
      expect(q.sources.gold.evidence).toBe(5);
      expect(q.sources.rules.evidence).toBe(5); // the rules find the same signals in the titles
    }
  });

  it('fits each question on the others: truthful evidence → full strength, beating the priors', () => {
    for (const q of r.questions) {
      expect(q.sources.gold.fitted).toBe(true);
      expect(q.sources.gold.params.evidenceScale).toBe(1);
      expect(q.sources.gold.model.brier).toBeLessThan(q.prior.brier);
    }
    expect(r.sources.gold.ratio).toBeLessThan(0.8);
    expect(r.sources.gold.pooled.model.brier).toBeCloseTo(
      r.questions.reduce((a, q) => a + q.sources.gold.model.brier, 0) / 3,
      12,
    );
  });

  it('a question whose evidence misleads still gets the settings fitted on the others (no leakage)', () => {
    const lib = library();
    lib[0] = buildQuestion({ id: 'q-deal', outcome: 'collapse', items: days.map(talks) });
    const misled = runBacktest(lib, { grid });
    const q = misled.questions[0]!;
    expect(q.sources.gold.params.evidenceScale).toBe(1); // in sample it would pick 0.05
    expect(q.sources.gold.model.brier).toBeGreaterThan(q.prior.brier);
    expect(misled.sources.gold.worst).toEqual({ id: 'q-deal', ratio: q.sources.gold.model.brier / q.prior.brier });
  });

  it('maps a missing deal role onto ceasefire, scores the market only on its days, and pools a calibration table', () => {
    const two = r.questions[2]!;
    expect(two.scenarios).toEqual(['ceasefire', 'collapse']);
    expect(two.sources.gold.last.ceasefire).toBeGreaterThan(0.4);
    const m = two.sources.gold.market!;
    expect(m.days).toBe(3);
    expect(m.market.brier).toBeCloseTo(2 * 0.3 ** 2, 12);
    expect(r.questions[0]!.sources.gold.market).toBeNull();
    const counted = r.sources.gold.calibration.reduce((a, b) => a + b.count, 0);
    expect(counted).toBe(5 * 3 + 5 * 3 + 5 * 2);
  });

  it('does not use news from the outcome day', () => {
    const lib = library();
    const late = buildQuestion({
      id: 'q-deal',
      outcome: 'deal',
      items: [...days.map(talks), ...Array(5).fill(rejects('2025-01-06'))],
    });
    lib[0] = late;
    expect(runBacktest(lib, { grid }).questions[0]!.sources.gold.last).toEqual(r.questions[0]!.sources.gold.last);
  });

  it('--shipped scores every question with its own pack settings, fitting nothing', () => {
    const shipped = runBacktest(library(), { shipped: true });
    expect(shipped.mode).toBe('shipped');
    expect(shipped.gridSize).toBe(1);
    for (const q of shipped.questions) {
      expect(q.sources.gold.fitted).toBe(false);
      expect(q.sources.gold.params).toEqual({
        evidenceScale: 0.5, // the base pack's
        maxObservations: null,
        halfLifeFactor: 1,
        shrinkage: 0,
        deadlineDecay: true,
        priorWeight: 0,
      });
    }
    expect(formatMarkdown(shipped)).toContain('nothing is fitted');
  });

  it('a library of one question has nothing to fit on: its pack’s own settings, marked not fitted', () => {
    const one = runBacktest([library()[0]!], { grid }).questions[0]!.sources.gold;
    expect(one.fitted).toBe(false);
    expect(one.params).toMatchObject({ evidenceScale: 0.5, maxObservations: null, deadlineDecay: true });
  });

  it('reports progress per evidence source and question', () => {
    const seen: number[] = [];
    runBacktest(library(), { grid, onProgress: (d, t) => seen.push(d / t) });
    expect(seen).toEqual([1, 2, 3, 4, 5, 6].map((d) => d / 6));
  });

  it('renders a terminal table and the Markdown of docs/track-record.md', () => {
    const text = formatText(r);
    expect(text).toMatch(/^3 questions, 2 settings, leave-one-question-out/);
    expect(text).toMatch(/q-two\s+5\s+0\.720\s+0\.500/);
    expect(text).toContain('gold labels (perfect tags): pooled');
    const md = formatMarkdown(r);
    expect(md).toMatch(/^# Track record/);
    expect(md).toContain('| q-deal | deal | 5 |');
    expect(md).toContain('(target ≤ 0.8: met)');
    expect(md).toContain('| q-two | 1 | 2 | 1 | 0 | off |'); // its LOO settings
  });
});
