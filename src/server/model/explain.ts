// Pure: ranks one snapshot's evidence for and against a scenario, with exact leave-one-out values.
import { leaveOneOut, logOddsShift } from '../../scenarios/explain.ts';
import type { ContributionRow } from '../queries/contributions.ts';

export interface ExplainedContribution extends ContributionRow {
  /** How much this story raised the scenario's log-odds (negative = against). */
  shift: number;
  /** The scenario's probability without this story. */
  without: number;
}

export function explainScenario(
  probabilities: Record<string, number>,
  rows: ContributionRow[],
  scenarioId: string,
  top = 10,
) {
  const explained: ExplainedContribution[] = rows.map((r) => ({
    ...r,
    shift: logOddsShift(probabilities, r.logOdds, scenarioId),
    without: leaveOneOut(probabilities, r.logOdds)[scenarioId] ?? 0,
  }));
  const forIt = explained
    .filter((e) => e.shift > 1e-9)
    .sort((a, b) => b.shift - a.shift)
    .slice(0, top);
  const against = explained
    .filter((e) => e.shift < -1e-9)
    .sort((a, b) => a.shift - b.shift)
    .slice(0, top);
  return { forIt, against, total: explained.length };
}
