// Leave-one-question-out selection: a question's own scores never choose its settings.
import { describe, expect, it } from 'vitest';
import { DEFAULT_GRID, bestPoint, gridPoints, gridSize, leaveOneOut } from './fit.ts';

describe('grid', () => {
  it('enumerates every combination once', () => {
    const points = gridPoints(DEFAULT_GRID);
    expect(points).toHaveLength(gridSize(DEFAULT_GRID));
    expect(new Set(points.map((p) => JSON.stringify(p))).size).toBe(points.length);
  });
});

describe('leave-one-question-out', () => {
  // loss[g][q]: point 0 is best for question 0 alone, point 1 for questions 1 and 2.
  const loss = [
    [0.1, 0.9, 0.9],
    [0.6, 0.2, 0.3],
    [0.5, 0.6, 0.6],
  ];

  it('fits each question on the others only', () => {
    expect(leaveOneOut(loss, 3)).toEqual([1, 1, 1]);
    // In sample, question 0 would have picked point 0: that is the leak LOO avoids.
    expect(bestPoint(loss, [0])).toBe(0);
  });

  it('a question’s own losses cannot change its settings', () => {
    const changed = loss.map((row) => [...row]);
    changed[1]![0] = 100; // question 0 now hates point 1
    expect(leaveOneOut(changed, 3)[0]).toBe(1);
    expect(leaveOneOut(changed, 3)[1]).not.toBe(1); // but the others see it
  });

  it('takes the mean over the training questions; the first point wins a tie; no training data → null', () => {
    expect(
      bestPoint(
        [
          [0.4, 0.4],
          [0.2, 0.6],
          [0.4, 0.4],
        ],
        [0, 1],
      ),
    ).toBe(0);
    expect(bestPoint(loss, [])).toBeNull();
    expect(leaveOneOut(loss, 1)).toEqual([null]);
  });
});
