// Unit tests for picking the largest moves in a probability history.
import { describe, expect, it } from 'vitest';
import { largestMoves } from './overview.ts';

const s = (id: number, a: number, b: number) => ({
  id,
  at: `2026-11-${String(id).padStart(2, '0')}T12:00:00.000Z`,
  probabilities: { a, b },
});

describe('largestMoves', () => {
  it('ranks single-step moves by size, one per step, biggest scenario change first', () => {
    const moves = largestMoves(
      [s(1, 0.5, 0.5), s(2, 0.6, 0.4), s(3, 0.3, 0.7), s(4, 0.3, 0.7), s(5, 0.35, 0.65)],
      ['a', 'b'],
      2,
    );
    expect(moves.map((m) => [m.snapshotId, Math.round(m.delta * 100)])).toEqual([
      [3, -30],
      [2, 10],
    ]);
  });

  it('returns nothing for an empty or flat history', () => {
    expect(largestMoves([], ['a'], 5)).toEqual([]);
    expect(largestMoves([s(1, 0.5, 0.5), s(2, 0.5, 0.5)], ['a', 'b'], 5)).toEqual([]);
  });
});
