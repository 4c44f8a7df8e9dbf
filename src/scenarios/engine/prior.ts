// Time and resolutions: deadline-adjusted priors, spent and resolved scenarios.
import type { Pack } from '../../pack/schema.ts';
import { compareText, DAY_MS, type ResolutionInput, type ScenarioStatus } from './types.ts';

/** A date-only deadline means "by the end of that day" (UTC); a full timestamp is taken as is. */
export function deadlineEndMs(deadline: string): number {
  return /^\d{4}-\d{2}-\d{2}$/.test(deadline) ? Date.parse(`${deadline}T00:00:00Z`) + DAY_MS : Date.parse(deadline);
}

/**
 * The share of its prior a deadline scenario keeps at `now`: the remaining fraction of its window
 * (from `windowStart` to the end of the deadline day), floored at `floor` so the scenario stays
 * possible until the deadline passes:  f = max(floor, (end − now) / (end − start)).
 * Example: a 10-day window with 2 days left keeps max(0.1, 0.2) = 20 % of its prior.
 */
export function deadlineFactor(deadline: string, nowMs: number, windowStartMs: number, floor: number): number {
  const end = deadlineEndMs(deadline);
  if (!Number.isFinite(end) || nowMs >= end) return 0;
  const span = end - Math.min(windowStartMs, nowMs);
  if (!(span > 0)) return 1;
  return Math.max(floor, Math.min(1, (end - nowMs) / span));
}

/** Resolutions in force at `now` (resolved_at ≤ now), deadlines passed → spent. */
export function scenarioStatus(
  pack: Pack,
  resolutions: readonly ResolutionInput[],
  nowMs: number,
): Record<string, ScenarioStatus> {
  const status: Record<string, ScenarioStatus> = {};
  const inForce = resolutions
    .filter((r) => Date.parse(r.resolvedAt) <= nowMs)
    .sort((a, b) => compareText(a.resolvedAt, b.resolvedAt) || compareText(a.scenarioId, b.scenarioId));
  for (const s of pack.scenarios) {
    const r = inForce.find((x) => x.scenarioId === s.id);
    if (r) status[s.id] = r.outcome;
    else if (s.deadline && nowMs >= deadlineEndMs(s.deadline)) status[s.id] = 'spent';
    else status[s.id] = 'open';
  }
  return status;
}

/** log p0'(s): the pack prior times its deadline factor (−∞ for a zero prior). */
export function logPriors(pack: Pack, nowMs: number, windowStartMs: number, floor: number): number[] {
  return pack.scenarios.map((s) => {
    const f = s.deadline ? deadlineFactor(s.deadline, nowMs, windowStartMs, floor) : 1;
    const p = s.prior * (f === 0 ? 1 : f);
    return p > 0 && Number.isFinite(p) ? Math.log(p) : -Infinity;
  });
}

/**
 * Applies statuses to log-scores: a scenario resolved yes takes everything (the earliest yes if
 * several); resolved no or spent → −∞ (probability exactly 0, the rest renormalised by softmax).
 * If that would rule out every scenario, spent ones come back (a pack whose residual scenario
 * is missing must still give a distribution); if all are resolved no, the scores stay as they are.
 */
export function applyStatus(
  ids: readonly string[],
  scores: number[],
  status: Record<string, ScenarioStatus>,
  resolutions: readonly ResolutionInput[],
): number[] {
  const yes = resolutions
    .filter((r) => status[r.scenarioId] === 'yes' && r.outcome === 'yes')
    .sort((a, b) => compareText(a.resolvedAt, b.resolvedAt) || compareText(a.scenarioId, b.scenarioId))[0];
  if (yes) return ids.map((id) => (id === yes.scenarioId ? 0 : -Infinity));
  const masked = ids.map((id, i) => (status[id] === 'open' ? scores[i]! : -Infinity));
  if (masked.some((v) => v !== -Infinity)) return masked;
  const unspent = ids.map((id, i) => (status[id] === 'no' ? -Infinity : scores[i]!));
  return unspent.some((v) => v !== -Infinity) ? unspent : scores;
}
