// The track record: every question of this instance that resolved, scored from its stored forecast history.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { LoadedPack } from '../../pack/load.ts';
import { questionState } from '../../scenarios/question-state.ts';
import { listResolutions } from '../../scenarios/resolutions.ts';
import { type CalibrationBin, type ScoreReport, type Scores, ScoreError, scorePack } from '../../scenarios/score.ts';

export interface ScoredQuestion {
  id: string;
  title: string;
  /** The scenario resolved yes, and its name. */
  outcome: string;
  outcomeName: string;
  resolvedAt: string;
  /** The scores, or why the question could not be scored (no forecast before its resolution). */
  report: ScoreReport | null;
  unscored: string | null;
}

export interface TrackRecord {
  questions: ScoredQuestion[];
  /** Means over the scored questions (each question weighs the same); null when none is scored. */
  pooled: { model: Scores; prior: Scores; uniform: Scores; questions: number } | null;
  /** The scored questions' calibration bins added up. */
  calibration: CalibrationBin[];
}

const mean = (xs: readonly Scores[]): Scores => ({
  brier: xs.reduce((a, x) => a + x.brier, 0) / xs.length,
  logScore: xs.reduce((a, x) => a + x.logScore, 0) / xs.length,
});

/** Adds up calibration bins (same edges): counts, and the forecast and hit totals behind the means. */
export function poolCalibration(tables: readonly (readonly CalibrationBin[])[]): CalibrationBin[] {
  const first = tables[0];
  if (!first) return [];
  return first.map((bin, k) => {
    const rows = tables.map((t) => t[k]!);
    const count = rows.reduce((a, r) => a + r.count, 0);
    const sum = rows.reduce((a, r) => a + r.meanForecast * r.count, 0);
    const hits = rows.reduce((a, r) => a + r.observed * r.count, 0);
    return {
      from: bin.from,
      to: bin.to,
      count,
      meanForecast: count ? sum / count : 0,
      observed: count ? hits / count : 0,
    };
  });
}

/** The questions of `packs` resolved yes by `now`, scored; a question resolved before any forecast is listed unscored. */
export async function buildTrackRecord(
  db: Kysely<Database>,
  packs: readonly LoadedPack[],
  now: Date,
): Promise<TrackRecord> {
  const questions: ScoredQuestion[] = [];
  for (const { pack } of packs) {
    const resolutions = await listResolutions(db, pack.id);
    const state = questionState(pack, resolutions, now);
    if (state.outcome === null) continue;
    const yes = resolutions.find((r) => r.scenarioId === state.outcome && r.outcome === 'yes')!;
    let report: ScoreReport | null = null;
    let unscored: string | null = null;
    try {
      report = await scorePack(db, pack);
    } catch (error) {
      if (!(error instanceof ScoreError)) throw error;
      unscored = error.message;
    }
    questions.push({
      id: pack.id,
      title: pack.title,
      outcome: state.outcome,
      outcomeName: pack.scenarios.find((s) => s.id === state.outcome)?.name ?? state.outcome,
      resolvedAt: yes.resolvedAt,
      report,
      unscored,
    });
  }
  const scored = questions.flatMap((q) => (q.report ? [q.report] : []));
  return {
    questions,
    pooled:
      scored.length === 0
        ? null
        : {
            model: mean(scored),
            prior: mean(scored.map((r) => r.baselines.prior)),
            uniform: mean(scored.map((r) => r.baselines.uniform)),
            questions: scored.length,
          },
    calibration: poolCalibration(scored.map((r) => r.calibration)),
  };
}
