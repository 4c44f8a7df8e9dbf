// Likelihood tables: shrinkage toward the mean and the negated_<modality> tables.
import { describe, expect, it } from 'vitest';
import { testPack, item } from '../../../test/helpers/engine.ts';
import { computeForecast } from './compute.ts';
import { centredLogs, pickTable, shrinkTable } from './likelihood.ts';

const NOW = '2026-11-20T12:00:00.000Z';

describe('likelihood shrinkage', () => {
  it('pulls the table toward its mean: {9, 1} at α = 0.5 → {7, 3}', () => {
    expect(shrinkTable({ a: 9, b: 1 }, ['a', 'b'], 0.5)).toEqual({ a: 7, b: 3 });
    expect(shrinkTable({ a: 9, b: 1 }, ['a', 'b'], 0)).toEqual({ a: 9, b: 1 });
    const [a, b] = centredLogs({ a: 9, b: 1 }, ['a', 'b'], false, 0.5);
    expect(a! - b!).toBeCloseTo(Math.log(7 / 3), 12);
  });
  it('the pack’s likelihood_shrinkage reaches the posterior: L = 3:1 at α = 0.5 → 2.5:1.5', () => {
    const p = computeForecast(testPack({ likelihood_shrinkage: 0.5 }), [item()], [], new Date(NOW)).probabilities;
    expect(p.a).toBeCloseTo(2.5 / 4, 12);
  });
});

describe('negated_<modality> tables', () => {
  const ind = {
    likelihoods: { a: 1, b: 1 },
    when: { held: { a: 3, b: 1 }, negated_held: { a: 1, b: 2 } },
  } as unknown as Parameters<typeof pickTable>[0];
  it('a negated held signal (a truce violated) takes negated_held, not the held table', () => {
    expect(pickTable(ind, 'negated', 'held').table).toEqual({ a: 1, b: 2 });
    expect(pickTable(ind, 'affirmed', 'held').table).toEqual({ a: 3, b: 1 });
  });
  it('without one, the modality table still wins (as before)', () => {
    expect(pickTable(ind, 'negated', 'proposed').reciprocal).toBe(true);
    const noBoth = { ...ind, when: { held: { a: 3, b: 1 } } } as typeof ind;
    expect(pickTable(noBoth, 'negated', 'held').table).toEqual({ a: 3, b: 1 });
  });
});
