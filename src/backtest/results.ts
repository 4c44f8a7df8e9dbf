// The backtest's results: per question and evidence source, pooled summaries, the whole report.
import type { TagAgreement } from './agreement.ts';
import type { Grid } from './fit.ts';
import type { DailyForecast } from './replay.ts';
import type { CalibrationRow, MarketScores, Scores } from './scoring.ts';
import type { EvidenceSource, LibraryQuestion, Params } from './types.ts';

export interface SourceResult {
  /** Settings fitted on the other questions (the pack's own when there is no other question). */
  params: Params;
  fitted: boolean;
  model: Scores;
  market: MarketScores | null;
  /** The forecast on the last scored day. */
  last: Record<string, number>;
  /** The forecast at the end of every scored day (for charts). */
  daily: DailyForecast[];
  /** The evidence rows the replay used. */
  evidence: number;
}

export interface QuestionResult {
  id: string;
  title: string;
  outcome: string;
  outcomeDate: string;
  opens: string;
  days: number;
  scenarios: string[];
  priors: Record<string, number>;
  prior: Scores;
  uniform: Scores;
  marketPoints: number;
  sources: Record<EvidenceSource, SourceResult>;
}

export interface Pooled {
  model: Scores;
  prior: Scores;
  uniform: Scores;
}

export interface SourceSummary {
  /** Means over questions (every question weighs the same), LOO forecasts. */
  pooled: Pooled;
  /** model Brier / prior Brier, pooled and for the worst question. */
  ratio: number;
  worst: { id: string; ratio: number } | null;
  calibration: CalibrationRow[];
  /** The settings fitted on every question: what the library recommends for a new question. */
  fittedAll: Params;
  /** The pooled in-sample scores of fittedAll (optimistic: for comparison with the LOO figures only). */
  fittedAllModel: Scores;
}

export interface BacktestReport {
  /** loo: settings fitted leave-one-question-out over the grid; shipped: each pack's own settings. */
  /** loo: leave-one-question-out; shipped: each pack's own settings; held-out: settings fitted on `fitOn`. */
  mode: 'loo' | 'shipped' | 'held-out';
  grid: Grid;
  gridSize: number;
  questions: QuestionResult[];
  skipped: { id: string; reason: string }[];
  sources: Record<EvidenceSource, SourceSummary>;
  /** The rule tagger against the gold labels (when the rules source is run). */
  tagging: TagAgreement | null;
}

export interface BacktestOptions {
  grid?: Grid;
  /**
   * Score every question with the settings its pack carries, no fitting (how a new question is scored
   * with the shipped base pack). Otherwise the settings are fitted leave-one-question-out over `grid`.
   */
  shipped?: boolean;
  /**
   * Held-out scoring: fit the settings on ALL of these questions (over `grid`) and score the library's
   * questions with them, unchanged — how a question nobody tuned on fares with the fitted settings.
   */
  fitOn?: readonly LibraryQuestion[];
  sources?: EvidenceSource[];
  /** Called after each (source, question) has been replayed under the whole grid. */
  onProgress?: (done: number, total: number) => void;
}
