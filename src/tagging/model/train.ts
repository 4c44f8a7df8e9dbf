// Trains the tagging model on a labelled training split (pure, deterministic): cross-validated thresholds, then one fit on it all.
import type { CompiledIndicators } from '../compile.ts';
import { type LabelledItem, hashItems, labelsOf } from '../labelled.ts';
import { tagText } from '../tag-text.ts';
import { CHAR_NGRAMS, HASH_BITS, type DocFeatures, featurize } from './features.ts';
import {
  DEFAULT_SETTINGS,
  type TrainSettings,
  predictLinear,
  seededRandom,
  shuffled,
  trainLinear,
} from './logistic.ts';
import { Collector } from '../collector.ts';
import { type CompiledModel, addModelTags } from '../model-tags.ts';
import { MODEL_FORMAT, MODEL_VERSION, type ModelFile, TagModel } from './tag-model.ts';

export interface TrainOptions extends TrainSettings {
  /** Cross-validation folds inside the training split, for the thresholds. */
  folds: number;
  splitDate: string;
}

export const DEFAULT_TRAIN_OPTIONS: TrainOptions = { ...DEFAULT_SETTINGS, folds: 5, splitDate: '2026-03-01' };

export const STEMMERS = 'snowball-stemmers 0.6 (en, ru), @nlpjs/lang-uk 4.26 (uk)';

/** Thresholds tried, from 0.05 to 0.95. */
const GRID = Array.from({ length: 37 }, (_, i) => Math.round((0.05 + i * 0.025) * 1000) / 1000);

export interface TrainInput {
  packId: string;
  /** Every indicator of the pack, in pack order. */
  indicatorIds: readonly string[];
  /** The pack's rules alone (no model): a tag fires on a rule hit or the model, so thresholds are chosen for the pair. */
  rules: CompiledIndicators;
  /** The training split only. */
  items: readonly LabelledItem[];
}

function f1(tp: number, fp: number, fn: number): number {
  return tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
}

/**
 * The threshold that maximises F1 of "rule hit or probability ≥ t" over out-of-fold
 * probabilities; null when no threshold beats the rules alone (ties go to the higher threshold).
 */
export function chooseThreshold(
  labels: readonly boolean[],
  ruleHits: readonly boolean[],
  probs: readonly number[],
): { threshold: number | null; rulesF1: number; combinedF1: number; modelF1: number } {
  const score = (fires: (i: number) => boolean) => {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    labels.forEach((y, i) => {
      const p = fires(i);
      if (p && y) tp += 1;
      else if (p) fp += 1;
      else if (y) fn += 1;
    });
    return f1(tp, fp, fn);
  };
  const rulesF1 = score((i) => ruleHits[i]!);
  let best: { threshold: number | null; f: number } = { threshold: null, f: rulesF1 };
  for (const t of GRID) {
    const f = score((i) => ruleHits[i]! || probs[i]! >= t);
    if (f >= best.f + 1e-12 || (best.threshold !== null && Math.abs(f - best.f) <= 1e-12)) best = { threshold: t, f };
  }
  // The model alone at its own best threshold: how much it learned, whatever the rules do.
  const modelF1 = Math.max(...GRID.map((t) => score((i) => probs[i]! >= t)));
  return { threshold: best.threshold, rulesF1, combinedF1: best.f, modelF1 };
}

const round = (x: number, digits: number) => {
  const m = 10 ** digits;
  const r = Math.round(x * m) / m;
  return r === 0 ? 0 : r; // no -0 in the file
};

/** Trains and returns the model file's content (deterministic: the same items give the same bytes). */
export function trainTagModel(input: TrainInput, options: TrainOptions = DEFAULT_TRAIN_OPTIONS): ModelFile {
  const { indicatorIds: ids } = input;
  // In id order: the same items in any order give the same model.
  const items = [...input.items].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const k = ids.length;
  const docs: DocFeatures[] = items.map((i) => featurize(i));
  const labels = items.map((i) => ids.map((id) => i.indicators.includes(id)));
  const ruleHits = items.map((i) => {
    const fired = new Set(
      tagText(input.rules, { title: i.title, summary: i.summary, text: '', language: i.language }).map(
        (t) => t.indicatorId,
      ),
    );
    return ids.map((id) => fired.has(id));
  });
  // Out-of-fold probabilities: each item scored by a model that never saw it.
  const folds = Math.max(2, Math.min(options.folds, items.length));
  const foldOf = new Array<number>(items.length);
  shuffled(items.length, seededRandom(options.seed + 1)).forEach((item, pos) => (foldOf[item] = pos % folds));
  const oof: Float64Array[] = new Array(items.length);
  for (let f = 0; f < folds; f += 1) {
    const inFold = items.map((_, i) => i).filter((i) => foldOf[i] === f);
    const rest = items.map((_, i) => i).filter((i) => foldOf[i] !== f);
    const model = trainLinear(
      rest.map((i) => docs[i]!),
      rest.map((i) => labels[i]!),
      k,
      options,
    );
    for (const i of inFold) oof[i] = predictLinear(model, docs[i]!);
  }
  const final = trainLinear(docs, labels, k, options);
  // Rows whose weights all round to 0 carry nothing: left out of the file.
  const keep: number[] = [];
  for (let r = 0; r < final.vocab.length; r += 1) {
    let max = 0;
    for (let j = 0; j < k; j += 1) max = Math.max(max, Math.abs(final.weights[r * k + j]!));
    if (max >= 5e-4) keep.push(r);
  }
  const models: ModelFile['models'] = {};
  ids.forEach((id, j) => {
    const chosen = chooseThreshold(
      labels.map((l) => l[j]!),
      ruleHits.map((h) => h[j]!),
      oof.map((p) => p[j]!),
    );
    models[id] = {
      bias: round(final.bias[j]!, 4),
      threshold: chosen.threshold,
      cv: {
        rulesF1: round(chosen.rulesF1, 4),
        modelF1: round(chosen.modelF1, 4),
        combinedF1: round(chosen.combinedF1, 4),
      },
      weights: keep.map((r) => round(final.weights[r * k + j]!, 4)),
    };
  });
  const file: ModelFile = {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    pack: input.packId,
    indicators: [...ids],
    training: {
      sha256: hashItems(items),
      items: items.length,
      splitDate: options.splitDate,
      positives: Object.fromEntries(ids.map((id, j) => [id, labels.filter((l) => l[j]).length])),
    },
    settings: {
      hashBits: HASH_BITS,
      charNgrams: [CHAR_NGRAMS[0], CHAR_NGRAMS[1]],
      epochs: options.epochs,
      learningRate: options.learningRate,
      l2: options.l2,
      minDf: options.minDf,
      seed: options.seed,
      folds,
      stemmers: STEMMERS,
    },
    vocab: keep.map((r) => final.vocab[r]!),
    models,
  };
  choosePolarity(file, input, items);
  return file;
}

/**
 * Per indicator, how its model tags' polarity is read: by cue words, unless always `affirmed` was
 * right more often on the training items the model tags (in-sample; each item's labels for the
 * indicator say which polarities are right).
 */
function choosePolarity(file: ModelFile, input: TrainInput, items: readonly LabelledItem[]): void {
  const model = new TagModel(file, '');
  const compiled: CompiledModel = {
    model,
    indicators: model.ids.map((id) => input.rules.indicators.find((i) => i.id === id) ?? null),
  };
  const right = new Map<string, { cues: number; affirmed: number }>();
  for (const item of items) {
    const out = new Collector();
    addModelTags(
      compiled,
      { title: item.title, summary: item.summary, text: '', language: item.language },
      item.language,
      out,
    );
    const labels = labelsOf(item);
    for (const tag of out.drafts()) {
      const mine = labels.filter((l) => l.indicator === tag.indicatorId);
      if (mine.length === 0) continue;
      const r = right.get(tag.indicatorId) ?? { cues: 0, affirmed: 0 };
      if (mine.some((l) => l.polarity === tag.polarity)) r.cues += 1;
      if (mine.some((l) => l.polarity === 'affirmed')) r.affirmed += 1;
      right.set(tag.indicatorId, r);
    }
  }
  for (const [id, m] of Object.entries(file.models)) {
    const r = right.get(id);
    m.polarity = r && r.affirmed > r.cues ? 'affirmed' : 'cues';
  }
}

/** The model file's text: compact JSON and a newline (the same model, the same bytes). */
export function modelText(model: ModelFile): string {
  return `${JSON.stringify(model)}\n`;
}
