// `bellwether train tags --pack P DATA...`: fits the learned tagging model on the training split of labelled sets and writes its file.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { CliError } from '../errors.ts';
import { loadPack } from '../../pack/load.ts';
import { readConfig } from '../../pipeline/runtime.ts';
import { compileIndicators } from '../../tagging/compile.ts';
import { splitByDate, unknownIndicators } from '../../tagging/labelled.ts';
import { loadLabelled } from '../../pipeline/labelled-files.ts';
import type { ModelFile } from '../../tagging/model/tag-model.ts';
import { DEFAULT_TRAIN_OPTIONS, modelText, trainTagModel } from '../../tagging/model/train.ts';

export interface TrainResult {
  model: ModelFile;
  out: string;
  bytes: number;
  /** Items dated on or after the split date: not used. */
  heldOut: number;
  packFile: string;
  seconds: number;
}

/** Where the model goes: --out, else the file the pack names, else models/<pack file name>.model.json beside the pack. */
function defaultOut(packFile: string, modelFile: string | null | undefined): string {
  if (modelFile) return modelFile;
  return path.join(path.dirname(packFile), 'models', `${path.basename(packFile).replace(/\.ya?ml$/, '')}.model.json`);
}

export function runTrainTags(
  packFile: string,
  data: string[],
  opts: { out?: string; splitDate?: string; seed?: number },
): TrainResult {
  const loaded = loadPack(path.resolve(packFile), process.cwd(), { requireModel: false });
  const ids = loaded.pack.indicators.map((i) => i.id);
  const { items } = loadLabelled(data);
  const unknown = unknownIndicators(items, ids);
  if (unknown.length > 0)
    throw new CliError(
      `labels that do not fit the pack ${loaded.file}:\n${unknown.join('\n')}`,
      'invalid_labelled_set',
    );
  const splitDate = opts.splitDate ?? DEFAULT_TRAIN_OPTIONS.splitDate;
  const { train, after } = splitByDate(items, splitDate);
  if (train.length === 0)
    throw new CliError(`no labelled item is dated before ${splitDate}: nothing to train on`, 'empty');
  const started = performance.now();
  const model = trainTagModel(
    { packId: loaded.pack.id, indicatorIds: ids, rules: compileIndicators(loaded.pack.indicators), items: train },
    { ...DEFAULT_TRAIN_OPTIONS, splitDate, ...(opts.seed !== undefined ? { seed: opts.seed } : {}) },
  );
  const seconds = (performance.now() - started) / 1000;
  const out = opts.out ?? defaultOut(path.relative(process.cwd(), path.resolve(packFile)), loaded.modelFile);
  const text = modelText(model);
  mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
  writeFileSync(out, text);
  return { model, out, bytes: Buffer.byteLength(text), heldOut: after.length, seconds, packFile: loaded.file };
}

export function formatTrainResult(r: TrainResult, packModel: string | null | undefined): string {
  const { model } = r;
  const width = Math.max(9, ...model.indicators.map((id) => id.length));
  const lines = [
    `trained on ${model.training.items} items dated before ${model.training.splitDate} (${r.heldOut} later items left out) in ${r.seconds.toFixed(1)} s`,
    `training data sha256 ${model.training.sha256}`,
    `${'indicator'.padEnd(width)}  positives  threshold  cross-validated F1: rules, model, rules or model`,
  ];
  for (const id of model.indicators) {
    const m = model.models[id]!;
    lines.push(
      `${id.padEnd(width)}  ${String(model.training.positives[id] ?? 0).padEnd(9)}  ${(m.threshold === null ? 'off' : m.threshold.toFixed(3)).padEnd(9)}  ${m.cv.rulesF1.toFixed(3)}  ${m.cv.modelF1.toFixed(3)}  ${m.cv.combinedF1.toFixed(3)}`,
    );
  }
  lines.push(`wrote ${r.out} (${model.vocab.length} features, ${(r.bytes / 1024).toFixed(0)} KB)`);
  if (!packModel || path.resolve(packModel) !== path.resolve(r.out))
    lines.push(
      `the pack does not use it yet: add the line \`model: ${path.relative(path.dirname(path.resolve(r.packFile)), path.resolve(r.out))}\` to ${r.packFile}`,
    );
  return lines.join('\n');
}

export function registerTrain(program: Command): void {
  const train = program.command('train').description('train learned components');
  train
    .command('tags')
    .description(
      'fit the tagging model (logistic regression per indicator over stemmed word and character n-grams) on the labelled items dated before --split-date; thresholds by cross-validation inside that split',
    )
    .argument('<data...>', 'labelled JSONL files or directories of them')
    .option('--pack <file>', 'pack file (default: PACK)')
    .option('--out <file>', "model file to write (default: the pack's `model:` file, else models/<pack>.model.json)")
    .option('--split-date <date>', 'train on items dated before this day', DEFAULT_TRAIN_OPTIONS.splitDate)
    .option('--seed <n>', 'seed of the training order and folds', (v) => Number.parseInt(v, 10))
    .action((data: string[], opts: { pack?: string; out?: string; splitDate?: string; seed?: number }) => {
      if (opts.splitDate && !/^\d{4}-\d{2}-\d{2}$/.test(opts.splitDate))
        throw new CliError(`--split-date: expected YYYY-MM-DD (got "${opts.splitDate}")`);
      if (opts.seed !== undefined && !Number.isSafeInteger(opts.seed))
        throw new CliError('--seed: expected a whole number');
      const packFile = opts.pack ?? readConfig().packFile;
      const result = runTrainTags(packFile, data, opts);
      const loaded = loadPack(path.resolve(packFile));
      process.stdout.write(`${formatTrainResult(result, loaded.modelFile)}\n`);
    });
}
