// Pure helpers that turn stored snapshots and evidence contributions into explanations.
//
// A snapshot stores the posterior p(s) = softmax(log p0(s) + Σ_i c_i(s)), where each evidence
// contribution c_i(s) = w_i · d_i(t) · log L_i(s) is stored per scenario (evidence_contributions.log_odds).
// Removing one contribution is therefore exact without the rest of the evidence:
//   p_without(s) ∝ p(s) · exp(−c_i(s)).

export type ProbabilityVector = Record<string, number>;

/** Numerically stable softmax over log-scores. */
export function softmax(scores: Record<string, number>): ProbabilityVector {
  const entries = Object.entries(scores);
  const finite = entries.filter(([, v]) => Number.isFinite(v));
  if (finite.length === 0) return Object.fromEntries(entries.map(([k]) => [k, 1 / entries.length]));
  const max = Math.max(...finite.map(([, v]) => v));
  const exps = entries.map(([k, v]) => [k, Number.isFinite(v) ? Math.exp(v - max) : 0] as const);
  const sum = exps.reduce((a, [, e]) => a + e, 0);
  return Object.fromEntries(exps.map(([k, e]) => [k, e / sum]));
}

/**
 * What the probabilities would be without one contribution.
 * Example: p = {a: 0.8, b: 0.2}, c = {a: ln 4, b: 0} → without it, {a: 0.5, b: 0.5}.
 */
export function leaveOneOut(probabilities: ProbabilityVector, contribution: Record<string, number>): ProbabilityVector {
  const scores: Record<string, number> = {};
  for (const [s, p] of Object.entries(probabilities))
    scores[s] = (p > 0 ? Math.log(p) : -Infinity) - (contribution[s] ?? 0);
  return softmax(scores);
}

/**
 * A contribution's push on one scenario in log-odds: how much it raised log(p(s) / (1 − p(s)))
 * given the rest of the evidence. Positive = evidence for the scenario.
 */
export function logOddsShift(
  probabilities: ProbabilityVector,
  contribution: Record<string, number>,
  scenario: string,
): number {
  const without = leaveOneOut(probabilities, contribution);
  const logit = (p: number) => Math.log(Math.max(p, 1e-12) / Math.max(1 - p, 1e-12));
  return logit(probabilities[scenario] ?? 0) - logit(without[scenario] ?? 0);
}

/**
 * `logOddsShift(probabilities, c, scenario)` for many contributions: the same arithmetic in the same order
 * (so the same value, bit for bit), with the log-probabilities computed once and nothing allocated per call.
 */
export function logOddsShifter(
  probabilities: ProbabilityVector,
  scenario: string,
): (contribution: Record<string, number>) => number {
  const ids = Object.keys(probabilities);
  const logs = ids.map((s) => {
    const p = probabilities[s]!;
    return p > 0 ? Math.log(p) : -Infinity;
  });
  const at = ids.indexOf(scenario);
  const logit = (p: number) => Math.log(Math.max(p, 1e-12) / Math.max(1 - p, 1e-12));
  const before = logit(probabilities[scenario] ?? 0);
  const scores = new Float64Array(ids.length);
  return (contribution) => {
    let max = -Infinity;
    let finite = 0;
    for (let k = 0; k < ids.length; k++) {
      const v = logs[k]! - (contribution[ids[k]!] ?? 0);
      scores[k] = v;
      if (Number.isFinite(v)) {
        finite += 1;
        if (v > max) max = v;
      }
    }
    if (at < 0) return before - logit(0);
    if (finite === 0) return before - logit(1 / ids.length);
    let sum = 0;
    for (let k = 0; k < ids.length; k++) sum += Number.isFinite(scores[k]!) ? Math.exp(scores[k]! - max) : 0;
    const own = Number.isFinite(scores[at]!) ? Math.exp(scores[at]! - max) : 0;
    return before - logit(own / sum);
  };
}
