// `bellwether backtest [--json | --markdown] [--library DIR] [--shipped | --fit-on DIR]`: the track record of the history library, leave-one-question-out.
import path from 'node:path';
import type { Command } from 'commander';
import { PACKAGE_ROOT } from '../../version.ts';
import { CliError } from '../errors.ts';
import { loadLibrary } from '../../backtest/library.ts';
import { formatMarkdown, formatText } from '../../backtest/report.ts';
import { runBacktest } from '../../backtest/run.ts';
import { progressBar } from '../progress.ts';

/** The library shipped with the program. */
export const DEFAULT_LIBRARY = path.join(PACKAGE_ROOT, 'packs/history');

export function registerBacktest(program: Command): void {
  program
    .command('backtest')
    .description(
      'replay every resolved question of the history library through the engine and score it (Brier, log score) against the priors, uniform and the market, leave-one-question-out',
    )
    .option('--library <dir>', 'folder of questions (<id>/meta.yaml + corpus.jsonl)', DEFAULT_LIBRARY)
    .option(
      '--shipped',
      'score every question with the settings its pack carries instead of fitting them (how a new question fares with the shipped base pack)',
    )
    .option(
      '--fit-on <dir>',
      'held-out scoring: fit the settings on every question of this library and score the --library questions with them (none of which was fitted on)',
    )
    .option('--json', 'print the whole report as one JSON document')
    .option('--markdown', 'print the report as Markdown (docs/track-record.md is this output)')
    .action((opts: { library: string; fitOn?: string; json?: boolean; markdown?: boolean; shipped?: boolean }) => {
      if (opts.json && opts.markdown) throw new CliError('choose one of --json and --markdown');
      if (opts.fitOn && opts.shipped) throw new CliError('choose one of --fit-on and --shipped');
      const { questions, problems } = loadLibrary(opts.library);
      for (const p of problems) process.stderr.write(`warning: ${p.where}: ${p.message}\n`);
      if (questions.length === 0)
        throw new CliError(`${opts.library}: no question found (expected <id>/meta.yaml and <id>/corpus.jsonl)`);
      const fitOn = opts.fitOn ? loadLibrary(opts.fitOn) : null;
      for (const p of fitOn?.problems ?? []) process.stderr.write(`warning: ${p.where}: ${p.message}\n`);
      if (fitOn && fitOn.questions.length === 0)
        throw new CliError(`--fit-on ${opts.fitOn}: no question found (expected <id>/meta.yaml and <id>/corpus.jsonl)`);
      const overlap = fitOn?.questions.filter((f) => questions.some((q) => q.meta.id === f.meta.id)) ?? [];
      if (overlap.length > 0)
        throw new CliError(
          `--fit-on ${opts.fitOn}: ${overlap.map((q) => q.meta.id).join(', ')} also in --library: a held-out question must not be fitted on`,
        );
      const bar = process.stderr.isTTY ? progressBar('backtest') : null;
      const report = runBacktest(questions, {
        shipped: opts.shipped,
        ...(fitOn ? { fitOn: fitOn.questions } : {}),
        onProgress: (done, total) => bar?.update(done, total),
      });
      bar?.finish();
      for (const s of report.skipped) process.stderr.write(`warning: ${s.id}: ${s.reason}\n`);
      if (opts.json) process.stdout.write(`${JSON.stringify(report)}\n`);
      else if (opts.markdown) process.stdout.write(formatMarkdown(report));
      else process.stdout.write(formatText(report));
    });
}
