// Pure: where a question stands in its life at `now` — open, a deadline passed unresolved, closed —
// and what an operator should do about it. Start-up, the dashboard, the API and `pack validate` share it.
import { deadlineEndMs } from './engine/prior.ts';
import type { Pack } from '../pack/schema.ts';

export interface ResolutionRecord {
  scenarioId: string;
  outcome: 'yes' | 'no';
  resolvedAt: string;
  /** The admin token's label or cli:<user>; null for resolutions recorded before it was kept. */
  resolvedBy: string | null;
  note: string | null;
}

export interface ScenarioState {
  id: string;
  /** The deadline has passed and nobody has resolved the scenario: it is spent but unrecorded. */
  deadlinePassed: boolean;
  resolution: ResolutionRecord | null;
}

export interface QuestionState {
  /** The horizon has passed, or a scenario resolved yes: the question can no longer move. */
  closed: boolean;
  horizonPassed: boolean;
  /** The scenario that resolved yes, if any. */
  outcome: string | null;
  scenarios: ScenarioState[];
  /** What an operator should do, one sentence each; empty when nothing is owed. */
  attention: string[];
}

const RESOLVE_HOW =
  'record it with `bellwether resolve SCENARIO --outcome yes|no` or POST /api/v1/admin/resolutions (ADMIN_TOKEN)';

export function questionState(pack: Pack, resolutions: readonly ResolutionRecord[], now: Date): QuestionState {
  const t = now.getTime();
  const inForce = new Map(resolutions.filter((r) => Date.parse(r.resolvedAt) <= t).map((r) => [r.scenarioId, r]));
  const outcome = pack.scenarios.find((s) => inForce.get(s.id)?.outcome === 'yes')?.id ?? null;
  const horizonPassed = t >= deadlineEndMs(pack.horizon);
  const scenarios = pack.scenarios.map((s) => {
    const resolution = inForce.get(s.id) ?? null;
    const deadlinePassed = !resolution && outcome === null && !!s.deadline && t >= deadlineEndMs(s.deadline);
    return { id: s.id, deadlinePassed, resolution };
  });
  const attention: string[] = [];
  if (horizonPassed && outcome === null) {
    attention.push(
      `The question "${pack.title}" closed at its horizon ${pack.horizon} and no scenario is resolved yes: ${RESOLVE_HOW}.`,
    );
  }
  for (const s of scenarios) {
    if (!s.deadlinePassed || horizonPassed) continue;
    const sc = pack.scenarios.find((x) => x.id === s.id)!;
    attention.push(
      `The deadline of "${sc.name}" (${sc.deadline}) has passed unresolved: it counts as spent; ${RESOLVE_HOW.replace('SCENARIO', sc.id)}.`,
    );
  }
  return { closed: horizonPassed || outcome !== null, horizonPassed, outcome, scenarios, attention };
}

/** True when every date the pack names (deadlines and horizon) lies before `now`: a question nobody can still forecast. */
export function allDatesPast(pack: Pack, now: Date): boolean {
  const dates = [pack.horizon, ...pack.scenarios.flatMap((s) => (s.deadline ? [s.deadline] : []))];
  return dates.every((d) => now.getTime() >= deadlineEndMs(d));
}
