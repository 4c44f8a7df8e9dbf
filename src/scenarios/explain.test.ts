import { describe, expect, it } from 'vitest';
import { leaveOneOut, logOddsShift, logOddsShifter, softmax } from './explain.ts';

describe('softmax', () => {
  it('normalises and survives huge scores', () => {
    const p = softmax({ a: 1000, b: 1000 - Math.log(3) });
    expect(p.a).toBeCloseTo(0.75, 12);
    expect(p.b).toBeCloseTo(0.25, 12);
  });
  it('gives zero to -Infinity and uniform when nothing is finite', () => {
    expect(softmax({ a: 0, b: -Infinity })).toEqual({ a: 1, b: 0 });
    expect(softmax({ a: -Infinity, b: -Infinity })).toEqual({ a: 0.5, b: 0.5 });
  });
});

describe('leaveOneOut', () => {
  it('removes a contribution exactly', () => {
    const p = leaveOneOut({ a: 0.8, b: 0.2 }, { a: Math.log(4), b: 0 });
    expect(p.a).toBeCloseTo(0.5, 12);
    expect(p.b).toBeCloseTo(0.5, 12);
  });
  it('keeps a spent scenario at zero', () => {
    expect(leaveOneOut({ a: 0, b: 1 }, { a: 1, b: 0 }).a).toBe(0);
  });
  it('reports the log-odds push of a contribution', () => {
    expect(logOddsShift({ a: 0.8, b: 0.2 }, { a: Math.log(4), b: 0 }, 'a')).toBeCloseTo(Math.log(4), 10);
  });
});

describe('logOddsShifter', () => {
  it('gives logOddsShift bit for bit (zeros, infinities, a missing scenario, nothing finite)', () => {
    const vectors = [
      { a: 0.5, b: 0.3, c: 0.2 },
      { a: 1, b: 0, c: 0 },
      { a: 0.999999, b: 1e-7, c: 9e-7 },
    ];
    const contributions: Record<string, number>[] = [
      {},
      { a: 0.3, b: -0.2 },
      { a: -Infinity, b: 0 },
      { a: Infinity, b: Infinity, c: Infinity },
      { a: 700, c: -700 },
      { b: Number.NaN },
    ];
    for (const p of vectors)
      for (const s of ['a', 'b', 'c', 'missing']) {
        const shift = logOddsShifter(p, s);
        for (const c of contributions) expect(Object.is(shift(c), logOddsShift(p, c, s))).toBe(true);
      }
  });
});
