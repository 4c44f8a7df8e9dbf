// Backtest types: a library question (its pack, meta and corpus) and the engine settings the backtest fits.
import type { Modality, Polarity } from '../db/schema.ts';
import type { HistoryMeta } from '../pack/history.ts';
import type { Pack } from '../pack/schema.ts';

export interface CorpusLabel {
  indicator: string;
  side: 'a' | 'b' | null;
  polarity: Polarity;
  modality: Modality | null;
}

/** One corpus line of packs/history/<id>/corpus.jsonl (see docs/labelling.md). */
export interface CorpusItem {
  id: string;
  date: string;
  language: string | null;
  title: string;
  summary: string;
  labels: CorpusLabel[];
}

export interface LibraryQuestion {
  meta: HistoryMeta;
  pack: Pack;
  items: CorpusItem[];
}

/** The engine's free settings, fitted leave-one-question-out over a grid. */
export interface Params {
  /** The pack's evidence_scale λ. */
  evidenceScale: number;
  /** Every indicator's max_observations (saturation cap); null keeps each indicator's own. */
  maxObservations: number | null;
  /** Every indicator's half_life_days is multiplied by this. */
  halfLifeFactor: number;
  /** The pack's likelihood_shrinkage α. */
  shrinkage: number;
  /** The pack's deadline_decay: deadline scenarios lose prior mass as their window (from `opens`) runs out. */
  deadlineDecay: boolean;
  /** The pack's prior_weight w: the forecast is (1 − w) · posterior + w · priors. */
  priorWeight: number;
}

export type EvidenceSource = 'gold' | 'rules';

export const SOURCE_NAMES: Record<EvidenceSource, string> = {
  gold: 'gold labels (perfect tags)',
  rules: 'rule tagger (titles + summaries)',
};
