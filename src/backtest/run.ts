// The backtest core (pure): every question replayed under every grid setting, LOO-fitted, scored against baselines.
import { ruleAgreement } from './agreement.ts';
import { DEFAULT_GRID, bestPoint, defaultParams, gridPoints, leaveOneOut, packParams, singlePoint } from './fit.ts';
import { evidenceFor } from './evidence.ts';
import { type DailyForecast, replayDays, scoredDays } from './replay.ts';
import type {
  BacktestOptions,
  BacktestReport,
  Pooled,
  QuestionResult,
  SourceResult,
  SourceSummary,
} from './results.ts';
import { type Scores, calibrationTable, score, scoreMarket, staticPriors, uniform } from './scoring.ts';
import type { EvidenceSource, LibraryQuestion, Params } from './types.ts';

export type { BacktestOptions, BacktestReport, QuestionResult, SourceResult, SourceSummary } from './results.ts';

const mean = (xs: readonly number[]) => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length);
const meanScores = (xs: readonly Scores[]): Scores => ({
  brier: mean(xs.map((x) => x.brier)),
  logScore: mean(xs.map((x) => x.logScore)),
});

interface Prepared {
  q: LibraryQuestion;
  days: string[];
}

/** The questions with at least one day to score; the others are listed as skipped. */
function prepare(library: readonly LibraryQuestion[]): {
  prepared: Prepared[];
  skipped: { id: string; reason: string }[];
} {
  const skipped: { id: string; reason: string }[] = [];
  const prepared: Prepared[] = [];
  for (const q of library) {
    const days = scoredDays(q.meta.opens, q.meta.outcome.date);
    if (days.length === 0) skipped.push({ id: q.meta.id, reason: 'resolved on the day it opens: no day to score' });
    else prepared.push({ q, days });
  }
  return { prepared, skipped };
}

/** loss[g][q]: question q's mean daily Brier under grid point g. */
function lossMatrix(
  prepared: readonly Prepared[],
  source: EvidenceSource,
  pointsFor: (q: LibraryQuestion) => readonly Params[],
  onQuestion?: () => void,
): number[][] {
  const rows = prepared.length === 0 ? 0 : pointsFor(prepared[0]!.q).length;
  const loss = Array.from({ length: rows }, () => new Array<number>(prepared.length).fill(0));
  prepared.forEach(({ q, days }, qi) => {
    const evidence = evidenceFor(q, source);
    pointsFor(q).forEach((p, g) => {
      const f = replayDays(q.pack, evidence, days, q.meta.opens, p);
      loss[g]![qi] = score(
        f.map((d) => d.probabilities),
        q.pack,
        q.meta.outcome.scenario,
      ).brier;
    });
    onQuestion?.();
  });
  return loss;
}

export function runBacktest(library: readonly LibraryQuestion[], options: BacktestOptions = {}): BacktestReport {
  const shipped = options.shipped === true && library.length > 0;
  const grid = shipped ? singlePoint(packParams(library[0]!.pack)) : (options.grid ?? DEFAULT_GRID);
  const sources = options.sources ?? (['gold', 'rules'] as EvidenceSource[]);
  const points = gridPoints(grid);
  const { prepared, skipped } = prepare(library);
  const total = sources.length * prepared.length;
  let done = 0;
  const perSource = new Map<
    EvidenceSource,
    { results: SourceResult[]; forecasts: DailyForecast[][]; summary: SourceSummary }
  >();
  // Held-out: the questions the settings are fitted on (all of them), apart from the ones scored.
  const fitOn = shipped ? [] : prepare(options.fitOn ?? []).prepared;
  const heldOut = !shipped && options.fitOn !== undefined;
  for (const source of sources) {
    const evidence = prepared.map(({ q }) => evidenceFor(q, source));
    const fitLoss = heldOut ? lossMatrix(fitOn, source, () => points) : null;
    const gFit = fitLoss
      ? bestPoint(
          fitLoss,
          fitOn.map((_, i) => i),
        )
      : null;
    // Shipped: each question's own pack settings (the one grid point stands for them in the report).
    const pointsFor = (q: LibraryQuestion) => (shipped ? [packParams(q.pack)] : points);
    // Held-out questions are scored with gFit only: their loss over the grid is never needed.
    const loss = heldOut ? null : lossMatrix(prepared, source, pointsFor, () => options.onProgress?.(++done, total));
    if (heldOut) prepared.forEach(() => options.onProgress?.(++done, total));
    const loo = loss ? leaveOneOut(loss, prepared.length) : prepared.map(() => gFit);
    const forecasts: DailyForecast[][] = [];
    const results = prepared.map(({ q, days }, qi) => {
      const g = shipped ? 0 : loo[qi];
      // Nothing to fit on (a library of one): the pack's own settings.
      const params = g === null || g === undefined ? packParams(q.pack) : pointsFor(q)[g]!;
      const f = replayDays(q.pack, evidence[qi]!, days, q.meta.opens, params);
      forecasts.push(f);
      return {
        params,
        fitted: !shipped && g !== null && g !== undefined,
        model: score(
          f.map((d) => d.probabilities),
          q.pack,
          q.meta.outcome.scenario,
        ),
        market: scoreMarket(q.meta, q.pack, q.meta.outcome.scenario, f),
        last: f[f.length - 1]!.probabilities,
        daily: f,
        evidence: evidence[qi]!.length,
      };
    });
    const allIdx = prepared.map((_, i) => i);
    const gAll = loss ? bestPoint(loss, allIdx) : gFit;
    const fittedAll = gAll === null ? defaultParams(0.6) : points[gAll]!; // gAll is null only for an empty library
    const fittedAllModel = meanScores(
      prepared.map(({ q, days }, qi) =>
        score(
          replayDays(q.pack, evidence[qi]!, days, q.meta.opens, fittedAll).map((d) => d.probabilities),
          q.pack,
          q.meta.outcome.scenario,
        ),
      ),
    );
    perSource.set(source, {
      results,
      forecasts,
      summary: summarise(prepared, results, forecasts, fittedAll, fittedAllModel),
    });
  }
  const questions: QuestionResult[] = prepared.map(({ q, days }, qi) => {
    const priors = staticPriors(q.pack);
    const outcome = q.meta.outcome.scenario;
    return {
      id: q.meta.id,
      title: q.meta.title,
      outcome,
      outcomeDate: q.meta.outcome.date,
      opens: q.meta.opens,
      days: days.length,
      scenarios: q.pack.scenarios.map((s) => s.id),
      priors,
      prior: score(
        days.map(() => priors),
        q.pack,
        outcome,
      ),
      uniform: score(
        days.map(() => uniform(q.pack)),
        q.pack,
        outcome,
      ),
      marketPoints: q.meta.market.length,
      sources: Object.fromEntries(sources.map((s) => [s, perSource.get(s)!.results[qi]!])) as Record<
        EvidenceSource,
        SourceResult
      >,
    };
  });
  return {
    mode: shipped ? 'shipped' : heldOut ? 'held-out' : 'loo',
    grid,
    gridSize: points.length,
    questions,
    skipped,
    tagging: sources.includes('rules') ? ruleAgreement(prepared.map((p) => p.q)) : null,
    sources: Object.fromEntries(sources.map((s) => [s, perSource.get(s)!.summary])) as Record<
      EvidenceSource,
      SourceSummary
    >,
  };
}

function summarise(
  prepared: readonly Prepared[],
  results: readonly SourceResult[],
  forecasts: readonly DailyForecast[][],
  fittedAll: Params,
  fittedAllModel: Scores,
): SourceSummary {
  const priorScores = prepared.map(({ q, days }) =>
    score(
      days.map(() => staticPriors(q.pack)),
      q.pack,
      q.meta.outcome.scenario,
    ),
  );
  const uniformScores = prepared.map(({ q, days }) =>
    score(
      days.map(() => uniform(q.pack)),
      q.pack,
      q.meta.outcome.scenario,
    ),
  );
  const pooled: Pooled = {
    model: meanScores(results.map((r) => r.model)),
    prior: meanScores(priorScores),
    uniform: meanScores(uniformScores),
  };
  let worst: { id: string; ratio: number } | null = null;
  results.forEach((r, i) => {
    const ratio = r.model.brier / priorScores[i]!.brier;
    if (!worst || ratio > worst.ratio) worst = { id: prepared[i]!.q.meta.id, ratio };
  });
  const calibration = calibrationTable(
    forecasts.flatMap((f, i) =>
      f.map((d) => ({ probabilities: d.probabilities, outcome: prepared[i]!.q.meta.outcome.scenario })),
    ),
  );
  return { pooled, ratio: pooled.model.brier / pooled.prior.brier, worst, calibration, fittedAll, fittedAllModel };
}
