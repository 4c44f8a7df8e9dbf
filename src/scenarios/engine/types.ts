// Engine input and output types: evidence rows in, posterior and per-evidence contributions out.
import type { Modality, Polarity } from '../../db/schema.ts';
import type { LevelState } from '../snapshot-event.ts';

export const DAY_MS = 86_400_000;

/** Code-unit order: deterministic everywhere (unlike localeCompare) and much faster. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** One tag joined with its article, feed and cluster: the engine's unit of input. */
export interface EvidenceItem {
  tagId: number;
  articleId: number;
  clusterId: number | null;
  feedId: number | null;
  /** Hash of the article text: identical texts on different feeds are syndicated copies, not corroboration. */
  contentHash: string | null;
  indicatorId: string;
  polarity: Polarity;
  modality: Modality | null;
  confidence: number;
  /** Source tier 1–5 (1 = most reliable). */
  tier: number;
  /** ISO time the story was published. */
  publishedAt: string;
  numbers: { value: number; unit: string }[] | null;
}

export interface ResolutionInput {
  scenarioId: string;
  outcome: 'yes' | 'no';
  resolvedAt: string;
}

export type ScenarioStatus = 'open' | 'spent' | 'yes' | 'no';

/** One observation's effect: c(s) = k · w · d(now) · log L(s) for each scenario s (k: saturation). */
export interface Contribution {
  /** Stable key: indicator|polarity|modality|story (or level|indicator|day). */
  key: string;
  kind: 'event' | 'level';
  indicatorId: string;
  polarity: Polarity | null;
  modality: Modality | null;
  clusterId: number | null;
  /** Representative article (the earliest report). */
  articleId: number | null;
  articleIds: number[];
  /** Combined weight in [0, 1] (tier × confidence, corroborated across independent sources). */
  weight: number;
  /** Decay factor 2^(−age/half-life) at `now`. */
  decay: number;
  /**
   * The signal's saturation factor k = W / Σ w_j·d_j ∈ (0, 1] (1 when the story is its signal's only
   * observation): c(s) = k · w · d · log L(s). See saturation.ts.
   */
  saturation: number;
  /** ISO time the observation counts from. */
  at: string;
  /** Level bands only: the band label that fired and the z-score. */
  band: string | null;
  z: number | null;
  /** c(s) per scenario, natural log. */
  logOdds: Record<string, number>;
}

export interface EngineResult {
  at: string;
  probabilities: Record<string, number>;
  /** Deadline-adjusted priors p0'(s) (normalised). */
  priors: Record<string, number>;
  status: Record<string, ScenarioStatus>;
  contributions: Contribution[];
  levels: Record<string, LevelState>;
}

export interface EngineOptions {
  /** Start of every deadline window (ISO); defaults to `now` (no deadline decay yet). */
  windowStart?: string;
  /** Smallest fraction of its prior a deadline scenario keeps before it is spent. */
  deadlineFloor?: number;
}
