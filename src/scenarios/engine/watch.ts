// What to watch: the exact change one new, well-sourced story of each indicator would cause.
import type { Polarity } from '../../db/schema.ts';
import { evaluateWithEach } from './compute.ts';
import type { EngineState, Group } from './state.ts';
import type { EngineOptions, EvidenceItem, ResolutionInput } from './types.ts';

/** The story the probe adds: one source of the top tier, matched with full confidence, published at `now`. */
export const PROBE_TIER = 1;
export const POLARITIES: readonly Polarity[] = ['affirmed', 'negated'];

export interface WatchProbe {
  indicatorId: string;
  polarity: Polarity;
  /** The posterior with the probe story added. */
  probabilities: Record<string, number>;
  /** probabilities − the current posterior, per scenario (in probability, not points). */
  change: Record<string, number>;
}

export interface WatchResult {
  at: string;
  /** The current posterior the changes are measured from. */
  probabilities: Record<string, number>;
  probes: WatchProbe[];
}

/**
 * The synthetic story: its own story (no cluster, an article id no real article has), a plain report
 * (no modality), tier 1 and confidence 1, published at `now` (so no decay yet). Negative ids keep it
 * apart from every stored tag and article.
 */
export function probeItem(indicatorId: string, polarity: Polarity, now: Date, n: number): EvidenceItem {
  return {
    tagId: -1 - n,
    articleId: -1 - n,
    clusterId: null,
    feedId: null,
    contentHash: null,
    indicatorId,
    polarity,
    modality: null,
    confidence: 1,
    tier: PROBE_TIER,
    publishedAt: now.toISOString(),
    numbers: null,
  };
}

/**
 * For each event indicator and polarity, the posterior the engine gives when one probe story
 * (probeItem) is added to the evidence it holds, the story saturating against its signal's other
 * stories exactly as a real one would (evaluateWithEach: one evaluation, then per probe only the probe's
 * signal is redone and the sums are taken over the same values in the same order). Level indicators
 * are left out: what one story does to a level depends on the number it reports.
 *
 * Each probe's posterior is the one computeForecast(pack, evidence ∪ {probe}, …) gives, to the last
 * bit; the state is not changed.
 */
export function whatToWatch(
  state: EngineState,
  now: Date,
  resolutions: readonly ResolutionInput[] = [],
  options: EngineOptions = {},
): WatchResult {
  const probed: { indicatorId: string; polarity: Polarity; group: Group }[] = [];
  let n = 0;
  for (const ind of state.pack.indicators) {
    if (ind.kind === 'level') continue;
    for (const polarity of POLARITIES) {
      const group = state.detachedGroup(probeItem(ind.id, polarity, now, n++));
      if (group) probed.push({ indicatorId: ind.id, polarity, group });
    }
  }
  const { base, probabilities } = evaluateWithEach(
    state,
    probed.map((p) => p.group),
    now,
    resolutions,
    options,
  );
  const probes = probed.map(({ indicatorId, polarity }, i): WatchProbe => {
    const p = probabilities[i]!;
    const change: Record<string, number> = {};
    for (const s of state.ids) change[s] = p[s]! - base.probabilities[s]!;
    return { indicatorId, polarity, probabilities: p, change };
  });
  return { at: base.at, probabilities: base.probabilities, probes };
}
