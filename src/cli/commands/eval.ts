// `bellwether eval tags --pack FILE LABELLED.jsonl [--json]`: scores a pack's tagging rules against a labelled set.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { CliError } from '../errors.ts';
import { readConfig } from '../../pipeline/runtime.ts';
import { loadPack } from '../../pack/load.ts';
import { compileIndicators } from '../../tagging/compile.ts';
import {
  EvalError,
  type EvalReport,
  evaluateTags,
  formatMistakes,
  formatReport,
  parseLabelled,
} from '../../tagging/evaluate.ts';

const round = (x: number) => Math.round(x * 10_000) / 10_000;

/** The `--json` shape: exactly macroF1, polarityAccuracy and per-indicator scores. */
export function reportJson(report: EvalReport): string {
  const indicators = Object.fromEntries(
    Object.entries(report.indicators).map(([id, s]) => [
      id,
      { precision: round(s.precision), recall: round(s.recall), f1: round(s.f1), support: s.support },
    ]),
  );
  return JSON.stringify({
    macroF1: round(report.macroF1),
    polarityAccuracy: report.polarityAccuracy === null ? null : round(report.polarityAccuracy),
    indicators,
  });
}

export function runEvalTags(packFile: string, labelledFile: string): EvalReport {
  const loaded = loadPack(path.resolve(packFile));
  let text: string;
  try {
    text = readFileSync(labelledFile, 'utf8');
  } catch (cause) {
    throw new CliError(
      `${labelledFile}: cannot read the labelled set: ${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message}`,
    );
  }
  let items;
  try {
    items = parseLabelled(text, labelledFile);
  } catch (error) {
    if (error instanceof EvalError) throw CliError.wrap('', error);
    throw error;
  }
  return evaluateTags(compileIndicators(loaded.pack.indicators), items);
}

export function registerEval(program: Command): void {
  const evalCmd = program.command('eval').description('measure parts of the pipeline against labelled data');
  evalCmd
    .command('tags')
    .description(
      'per-indicator precision, recall, F1 and support, macro-F1 and polarity accuracy of the pack rules on a labelled JSONL set',
    )
    .argument(
      '<labelled>',
      'labelled set: one JSON object a line {id, date, title, summary, url, source, language, indicators, negation}',
    )
    .option('--pack <file>', 'pack file (default: PACK)')
    .option('--json', 'print one JSON document {"macroF1","polarityAccuracy","indicators"}')
    .option('--mistakes', 'also list every false positive, false negative and wrong polarity (for tuning rules)')
    .action((labelled: string, opts: { pack?: string; json?: boolean; mistakes?: boolean }) => {
      const packFile = opts.pack ?? readConfig().packFile;
      const report = runEvalTags(packFile, labelled);
      if (opts.json) process.stdout.write(`${reportJson(report)}\n`);
      else process.stdout.write(`${formatReport(report)}\n`);
      if (opts.mistakes && report.mistakes.length > 0) process.stderr.write(`\n${formatMistakes(report)}\n`);
    });
}
