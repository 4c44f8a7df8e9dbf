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
  it('without one, a negated signal is never read as its affirmed modality: the negated table, else the reciprocal', () => {
    const noBoth = { ...ind, when: { held: { a: 3, b: 1 }, proposed: { a: 2, b: 1 } } } as typeof ind;
    // "Moscow rules out the proposed truce": evidence against what the proposal supports.
    expect(pickTable(noBoth, 'negated', 'proposed')).toEqual({ table: { a: 2, b: 1 }, reciprocal: true });
    expect(pickTable(noBoth, 'negated', 'held')).toEqual({ table: { a: 3, b: 1 }, reciprocal: true });
    expect(pickTable(noBoth, 'negated', null)).toEqual({ table: { a: 1, b: 1 }, reciprocal: true });
    const withNegated = { ...noBoth, when: { ...noBoth.when, negated: { a: 1, b: 4 } } } as typeof ind;
    expect(pickTable(withNegated, 'negated', 'proposed')).toEqual({ table: { a: 1, b: 4 }, reciprocal: false });
  });
  it('a cancellation is itself the negation: negated + cancelled takes the cancelled table', () => {
    const meeting = { ...ind, when: { cancelled: { a: 1, b: 3 }, negated: { a: 1, b: 2 } } } as typeof ind;
    expect(pickTable(meeting, 'negated', 'cancelled')).toEqual({ table: { a: 1, b: 3 }, reciprocal: false });
    expect(pickTable(meeting, 'affirmed', 'cancelled')).toEqual({ table: { a: 1, b: 3 }, reciprocal: false });
  });
});
