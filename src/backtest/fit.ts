// The settings grid and leave-one-question-out selection: question q is scored with settings fitted on the others.
import type { Pack } from '../pack/schema.ts';
import type { Params } from './types.ts';

export interface Grid {
  evidenceScale: number[];
  maxObservations: (number | null)[];
  halfLifeFactor: number[];
  shrinkage: number[];
  deadlineDecay: boolean[];
  priorWeight: number[];
}

/**
 * Small on purpose: 6 × 3 × 3 × 2 × 2 × 3 = 648 settings, every one replayed on every question. With eight
 * questions a larger grid mostly fits noise: the leave-one-out choice then varies from fold to fold.
 */
export const DEFAULT_GRID: Grid = {
  evidenceScale: [0.15, 0.3, 0.45, 0.6, 0.8, 1],
  maxObservations: [1, 2, 4],
  halfLifeFactor: [0.5, 1, 2],
  shrinkage: [0, 0.3],
  deadlineDecay: [true, false],
  priorWeight: [0, 0.3, 0.6],
};

/** The engine's settings before any fit (the base pack's λ, the engine defaults). */
export function defaultParams(evidenceScale: number): Params {
  return { evidenceScale, maxObservations: 2, halfLifeFactor: 1, shrinkage: 0, deadlineDecay: true, priorWeight: 0 };
}

/** The settings a pack carries, unchanged (a one-point grid of them scores the pack as shipped). */
export function packParams(pack: Pack): Params {
  return {
    evidenceScale: pack.evidence_scale,
    maxObservations: null,
    halfLifeFactor: 1,
    shrinkage: pack.likelihood_shrinkage,
    deadlineDecay: pack.deadline_decay,
    priorWeight: pack.prior_weight,
  };
}

/** A grid of one point. */
export function singlePoint(p: Params): Grid {
  return {
    evidenceScale: [p.evidenceScale],
    maxObservations: [p.maxObservations],
    halfLifeFactor: [p.halfLifeFactor],
    shrinkage: [p.shrinkage],
    deadlineDecay: [p.deadlineDecay],
    priorWeight: [p.priorWeight],
  };
}

export function gridPoints(grid: Grid): Params[] {
  const out: Params[] = [];
  for (const evidenceScale of grid.evidenceScale)
    for (const maxObservations of grid.maxObservations)
      for (const halfLifeFactor of grid.halfLifeFactor)
        for (const shrinkage of grid.shrinkage)
          for (const deadlineDecay of grid.deadlineDecay)
            for (const priorWeight of grid.priorWeight)
              out.push({ evidenceScale, maxObservations, halfLifeFactor, shrinkage, deadlineDecay, priorWeight });
  return out;
}

export function gridSize(grid: Grid): number {
  return (
    grid.evidenceScale.length *
    grid.maxObservations.length *
    grid.halfLifeFactor.length *
    grid.shrinkage.length *
    grid.deadlineDecay.length *
    grid.priorWeight.length
  );
}

/**
 * The grid point with the lowest mean loss over the questions in `train` (loss[g][q], e.g. a question's
 * mean daily Brier; every question weighs the same). The first point wins a tie. Null when `train` is empty.
 */
export function bestPoint(loss: readonly (readonly number[])[], train: readonly number[]): number | null {
  if (train.length === 0) return null;
  let best = -1;
  let bestLoss = Infinity;
  loss.forEach((row, g) => {
    let sum = 0;
    for (const q of train) sum += row[q]!;
    const mean = sum / train.length;
    if (mean < bestLoss) {
      bestLoss = mean;
      best = g;
    }
  });
  return best < 0 ? null : best;
}

/** For each question, the point fitted on all the other questions (null when there is no other question). */
export function leaveOneOut(loss: readonly (readonly number[])[], questions: number): (number | null)[] {
  const all = Array.from({ length: questions }, (_, q) => q);
  return all.map((q) =>
    bestPoint(
      loss,
      all.filter((x) => x !== q),
    ),
  );
}
