// `bellwether score --pack FILE [--db URL] [--json]`: Brier and log scores of the forecast history.
import type { Command } from 'commander';
import { CliError } from '../errors.ts';
import { pickQuestion, type QuestionOptions, questionOptions, runtimeOptions } from '../question-option.ts';
import { openRuntime } from '../../pipeline/runtime.ts';
import { type ScoreReport, ScoreError, scorePack } from '../../scenarios/score.ts';

function marketLines(r: ScoreReport): string[] {
  const m = r.baselines.market;
  if (!m) return ['market          no market or crowd series recorded (pack `market:` or `market_sources:`)'];
  const f = (x: number) => x.toFixed(4);
  return [
    '',
    `market baseline: ${m.days} of ${r.days} days (${m.from} to ${m.to}), ${m.note}`,
    `market          ${f(m.brier).padEnd(26)}${f(m.logScore)}`,
    `pack, same days ${f(m.pack.brier).padEnd(26)}${f(m.pack.logScore)}`,
    `priors, same    ${f(m.prior.brier).padEnd(26)}${f(m.prior.logScore)}`,
  ];
}

export function formatScore(r: ScoreReport): string {
  const f = (x: number) => x.toFixed(4);
  const lines = [
    `outcome: ${r.outcome} (resolved ${r.resolvedAt}); ${r.days} daily forecasts`,
    '',
    'forecast        Brier (lower is better)   log score (higher is better)',
    `pack            ${f(r.brier).padEnd(26)}${f(r.logScore)}`,
    `uniform         ${f(r.baselines.uniform.brier).padEnd(26)}${f(r.baselines.uniform.logScore)}`,
    `static priors   ${f(r.baselines.prior.brier).padEnd(26)}${f(r.baselines.prior.logScore)}`,
    ...marketLines(r),
    '',
    'calibration     forecasts   mean forecast   observed',
  ];
  for (const b of r.calibration) {
    if (b.count === 0) continue;
    const range = `${Math.round(b.from * 100)}–${Math.round(b.to * 100)} %`;
    lines.push(
      `${range.padEnd(16)}${String(b.count).padEnd(12)}${`${(b.meanForecast * 100).toFixed(1)} %`.padEnd(16)}${(b.observed * 100).toFixed(1)} %`,
    );
  }
  return `${lines.join('\n')}\n`;
}

export function registerScore(program: Command): void {
  questionOptions(
    program
      .command('score')
      .description('score the daily forecasts against the resolutions (Brier, log score, baselines, calibration)')
      .option('--json', 'print one JSON document {"brier","logScore","days","baselines":{"uniform","prior","market"}}'),
  ).action(async (opts: QuestionOptions & { json?: boolean }) => {
    const rt = await openRuntime(runtimeOptions(opts));
    try {
      const r = await scorePack(rt.db, pickQuestion(rt.packs, opts.question).pack);
      const out = opts.json
        ? `${JSON.stringify({ brier: r.brier, logScore: r.logScore, days: r.days, baselines: r.baselines })}\n`
        : formatScore(r);
      process.stdout.write(out);
    } catch (error) {
      if (error instanceof ScoreError) throw CliError.wrap('', error);
      throw error;
    } finally {
      await rt.close();
    }
  });
}
