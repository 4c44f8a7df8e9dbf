// `bellwether eval tags [DATA...] [--data DATA...] [--split-date D]`: scores a pack's tagger (rules, and its model) on labelled sets, per date split.
import path from 'node:path';
import type { Command } from 'commander';
import { CliError } from '../errors.ts';
import { readConfig } from '../../pipeline/runtime.ts';
import { loadPack } from '../../pack/load.ts';
import { type EvalReport, evaluateTags, formatMistakes, formatReport } from '../../tagging/evaluate.ts';
import { hashItems, splitByDate, unknownIndicators } from '../../tagging/labelled.ts';
import { loadLabelled } from '../../pipeline/labelled-files.ts';
import { compilePack } from '../../tagging/tag-pending.ts';

export const DEFAULT_SPLIT_DATE = '2026-03-01';

const round = (x: number) => Math.round(x * 10_000) / 10_000;

export interface TaggerInfo {
  rulesHash: string;
  /** The pack's model, when used. */
  model: { file: string; sha256: string; trainingSha256: string; trainedOn: number } | null;
}

export interface EvalRun {
  files: string[];
  splitDate: string;
  tagger: TaggerInfo;
  all: EvalReport;
  train: EvalReport | null;
  after: EvalReport | null;
  /** The train split is exactly the model's training data: its figures are in-sample. */
  trainIsModelData: boolean;
}

function splitJson(report: EvalReport) {
  return {
    items: report.items,
    macroF1: round(report.macroF1),
    polarityAccuracy: report.polarityAccuracy === null ? null : round(report.polarityAccuracy),
    polarityPairs: report.polarityPairs,
    indicators: Object.fromEntries(
      Object.entries(report.indicators).map(([id, s]) => [
        id,
        {
          precision: round(s.precision),
          recall: round(s.recall),
          f1: round(s.f1),
          support: s.support,
          truePositives: s.truePositives,
          falsePositives: s.falsePositives,
          falseNegatives: s.falseNegatives,
        },
      ]),
    ),
    unsupported: report.unsupported,
    confusions: report.confusions,
  };
}

/**
 * The `--json` shape: macroF1, polarityAccuracy and indicators over every item first (as before
 * the splits existed), then the rest of the whole-set report, the split date, the tagger, and the
 * same report for each split (null when a split has no items).
 */
export function reportJson(run: EvalRun): string {
  const { macroF1, polarityAccuracy, indicators, ...rest } = splitJson(run.all);
  return JSON.stringify({
    macroF1,
    polarityAccuracy,
    indicators,
    ...rest,
    splitDate: run.splitDate,
    tagger: run.tagger,
    train: run.train ? { ...splitJson(run.train), inSample: run.trainIsModelData } : null,
    after: run.after ? splitJson(run.after) : null,
  });
}

export function runEvalTags(
  packFile: string,
  data: readonly string[],
  opts: { splitDate?: string; rulesOnly?: boolean } = {},
): EvalRun {
  const loaded = loadPack(path.resolve(packFile));
  const compiled = compilePack(loaded, { rulesOnly: opts.rulesOnly });
  const { items, files } = loadLabelled(data);
  const unknown = unknownIndicators(
    items,
    loaded.pack.indicators.map((i) => i.id),
  );
  if (unknown.length > 0)
    throw new CliError(
      `labels that do not fit the pack ${loaded.file}:\n${unknown.join('\n')}`,
      'invalid_labelled_set',
    );
  const splitDate = opts.splitDate ?? DEFAULT_SPLIT_DATE;
  const { train, after } = splitByDate(items, splitDate);
  const model = compiled.model?.model ?? null;
  return {
    files,
    splitDate,
    tagger: {
      rulesHash: loaded.rulesHash,
      model:
        model && loaded.modelFile
          ? {
              file: loaded.modelFile,
              sha256: model.sha256,
              trainingSha256: model.file.training.sha256,
              trainedOn: model.file.training.items,
            }
          : null,
    },
    all: evaluateTags(compiled, items),
    train: train.length > 0 ? evaluateTags(compiled, train) : null,
    after: after.length > 0 ? evaluateTags(compiled, after) : null,
    trainIsModelData: model !== null && train.length > 0 && hashItems(train) === model.file.training.sha256,
  };
}

export function formatRun(run: EvalRun): string {
  const { model } = run.tagger;
  const lines = [
    `tagger: rules ${run.tagger.rulesHash}${model ? ` + model ${model.file} (trained on ${model.trainedOn} items, data sha256 ${model.trainingSha256.slice(0, 16)}…)` : ' (rules only)'}`,
    `data: ${run.all.items} items from ${run.files.length} file${run.files.length === 1 ? '' : 's'}`,
  ];
  const section = (title: string, r: EvalReport | null) => {
    lines.push('', `== ${title} ==`);
    lines.push(r ? formatReport(r) : 'no items');
  };
  section(
    `train split: dated before ${run.splitDate} (${run.train?.items ?? 0} items)${run.trainIsModelData ? ' — the model was fitted on exactly these items: in-sample figures' : ''}`,
    run.train,
  );
  section(`after split: dated ${run.splitDate} or later (${run.after?.items ?? 0} items)`, run.after);
  section(`all items (${run.all.items})`, run.all);
  return lines.join('\n');
}

export function registerEval(program: Command): void {
  const evalCmd = program.command('eval').description('measure parts of the pipeline against labelled data');
  evalCmd
    .command('tags')
    .description(
      "score the pack's tagger (its rules, and its model if it names one) on labelled JSONL sets: for the items dated before --split-date, those on or after it, and all of them, macro-F1 over indicators with support, per-indicator precision/recall/F1, polarity accuracy, most frequent confusions",
    )
    .argument('[data...]', 'labelled JSONL files or directories of them (also --data)')
    .option('--data <paths...>', 'labelled JSONL files or directories of them')
    .option('--pack <file>', 'pack file (default: PACK)')
    .option('--split-date <date>', 'first day of the after split', DEFAULT_SPLIT_DATE)
    .option('--rules-only', "leave the pack's model out (measure the rules alone)")
    .option('--json', 'print one JSON object (see the README)')
    .option('--mistakes', 'also list every false positive, false negative and wrong polarity, on stderr')
    .action(
      (
        args: string[],
        opts: {
          data?: string[];
          pack?: string;
          splitDate?: string;
          rulesOnly?: boolean;
          json?: boolean;
          mistakes?: boolean;
        },
      ) => {
        const data = [...args, ...(opts.data ?? [])];
        if (data.length === 0) throw new CliError('eval tags: give labelled files or directories (or --data)');
        if (opts.splitDate && !/^\d{4}-\d{2}-\d{2}$/.test(opts.splitDate))
          throw new CliError(`--split-date: expected YYYY-MM-DD (got "${opts.splitDate}")`);
        const packFile = opts.pack ?? readConfig().packFile;
        const run = runEvalTags(packFile, data, opts);
        process.stdout.write(`${opts.json ? reportJson(run) : formatRun(run)}\n`);
        if (opts.mistakes && run.all.mistakes.length > 0) process.stderr.write(`\n${formatMistakes(run.all)}\n`);
      },
    );
}
