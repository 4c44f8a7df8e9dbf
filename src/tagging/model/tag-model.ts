// The learned tagging model as shipped (a JSON file) and as used: per indicator a probability, a threshold and the features behind it.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { BellwetherError } from '../../errors.ts';
import {
  type FeatureText,
  HASH_BITS,
  type WordFeatures,
  featureGroups,
  languageFeature,
  scanWords,
} from './features.ts';

export const MODEL_FORMAT = 'bellwether-tag-model';
export const MODEL_VERSION = 1;

const finite = z.number().refine(Number.isFinite, { error: 'must be a finite number' });

export const modelFileSchema = z
  .object({
    format: z.literal(MODEL_FORMAT, { error: `expected "${MODEL_FORMAT}"` }),
    version: z.literal(MODEL_VERSION, { error: `expected version ${MODEL_VERSION}` }),
    pack: z.string(),
    /** The pack's indicator ids when the model was trained (in pack order). */
    indicators: z.array(z.string()).min(1),
    training: z
      .object({
        /** sha256 of the training items (labelled.ts hashItems). */
        sha256: z.string().regex(/^[0-9a-f]{64}$/),
        items: z.number().int(),
        splitDate: z.string(),
        positives: z.record(z.string(), z.number().int()),
      })
      .strict(),
    settings: z
      .object({
        hashBits: z.literal(HASH_BITS),
        charNgrams: z.tuple([z.number().int(), z.number().int()]),
        epochs: z.number().int(),
        learningRate: finite,
        l2: finite,
        minDf: z.number().int(),
        seed: z.number().int(),
        folds: z.number().int(),
        stemmers: z.string(),
      })
      .strict(),
    /** Feature ids (hashes) with a row of weights, ascending. */
    vocab: z.array(
      z
        .number()
        .int()
        .min(0)
        .max(2 ** HASH_BITS - 1),
    ),
    models: z.record(
      z.string(),
      z
        .object({
          bias: finite,
          /** Fire at probability ≥ threshold; null: the model never fires for this indicator (the rules alone did better). */
          threshold: finite.nullable(),
          /**
           * How a model tag's polarity is read: from cue words around its strongest words (`cues`, as for
           * rules), or always `affirmed` where the cues did worse on the training split (an indicator whose
           * own words are refusals: "rejects", "не отдадим").
           */
          polarity: z.enum(['cues', 'affirmed']).optional(),
          /** Cross-validated F1 on the training split: the rules alone, the model alone, rules or model at the threshold. */
          cv: z.object({ rulesF1: finite, modelF1: finite, combinedF1: finite }).strict(),
          weights: z.array(finite),
        })
        .strict(),
    ),
  })
  .strict();

export type ModelFile = z.output<typeof modelFileSchema>;

export class TagModelError extends BellwetherError<'invalid_model' | 'model_mismatch'> {
  constructor(
    readonly code: 'invalid_model' | 'model_mismatch',
    message: string,
    cause?: unknown,
  ) {
    super(message, cause === undefined ? undefined : { cause });
  }
}

export interface ModelFeature {
  /** `word:<stem>` (the stem and its character n-grams), `pair:<stem> <stem>` or `language:<code>`. */
  feature: string;
  /** Its contribution to the log-odds (weight × value). */
  weight: number;
}

/** A loaded model: scores a title and summary for every indicator in one pass over its features. */
export class TagModel {
  /** Per feature id (hash), its row, or -1. */
  private readonly rowOf = new Int32Array(2 ** HASH_BITS).fill(-1);
  private readonly weights: Float32Array;
  private readonly bias: Float64Array;
  readonly ids: readonly string[];
  readonly thresholds: readonly (number | null)[];
  readonly polarity: readonly ('cues' | 'affirmed')[];

  constructor(
    readonly file: ModelFile,
    /** sha256 of the file's bytes. */
    readonly sha256: string,
  ) {
    this.ids = Object.keys(file.models);
    const k = this.ids.length;
    this.thresholds = this.ids.map((id) => file.models[id]!.threshold);
    this.polarity = this.ids.map((id) => file.models[id]!.polarity ?? 'cues');
    this.bias = Float64Array.from(this.ids.map((id) => file.models[id]!.bias));
    this.weights = new Float32Array(file.vocab.length * k);
    file.vocab.forEach((id, r) => (this.rowOf[id] = r));
    this.ids.forEach((id, j) => {
      const w = file.models[id]!.weights;
      for (let r = 0; r < w.length; r += 1) this.weights[r * k + j] = w[r]!;
    });
  }

  /** Per word (the features' cache entry), the sum of its features' weight rows: a word costs one lookup. */
  private readonly wordRows = new WeakMap<WordFeatures, Float32Array>();

  private wordRow(f: WordFeatures): Float32Array {
    let row = this.wordRows.get(f);
    if (!row) {
      const k = this.ids.length;
      row = new Float32Array(k);
      for (const id of f.ids) {
        const r = this.rowOf[id]!;
        if (r < 0) continue;
        for (let j = 0; j < k; j += 1) row[j] = row[j]! + this.weights[r * k + j]!;
      }
      this.wordRows.set(f, row);
    }
    return row;
  }

  /** The probability of each indicator (in `ids` order) for a title and summary. */
  probabilities(doc: FeatureText): Float64Array {
    const k = this.ids.length;
    // Sum the weights of every feature occurrence, then scale once: each counts 1/√n.
    const sum = new Float64Array(k);
    const { rowOf, weights } = this;
    const addRow = (r: number) => {
      if (r < 0) return;
      const base = r * k;
      for (let j = 0; j < k; j += 1) sum[j] = sum[j]! + weights[base + j]!;
    };
    addRow(rowOf[languageFeature(doc.language).id]!);
    const n = scanWords(doc, (f, pairId) => {
      const row = this.wordRow(f);
      for (let j = 0; j < k; j += 1) sum[j] = sum[j]! + row[j]!;
      if (pairId >= 0) addRow(rowOf[pairId]!);
    });
    const value = 1 / Math.sqrt(n);
    for (let j = 0; j < k; j += 1) sum[j] = 1 / (1 + Math.exp(-(this.bias[j]! + sum[j]! * value)));
    return sum;
  }

  /**
   * What pushed indicator `j` up the most for this text, strongest first: per stemmed word its own
   * and its character n-grams' contributions summed, per word pair its contribution.
   */
  topFeatures(doc: FeatureText, j: number, n = 5): ModelFeature[] {
    const k = this.ids.length;
    const value = 1 / Math.sqrt(scanWords(doc, () => undefined));
    const out: ModelFeature[] = [];
    for (const g of featureGroups(doc)) {
      let weight = 0;
      for (const id of g.ids) {
        const r = this.rowOf[id]!;
        if (r >= 0) weight += this.weights[r * k + j]! * value;
      }
      if (weight > 0) out.push({ feature: g.name, weight: Math.round(weight * 1000) / 1000 });
    }
    return out.sort((a, b) => b.weight - a.weight || a.feature.localeCompare(b.feature)).slice(0, n);
  }
}

/** Validates a model file's text against the pack's indicator ids. */
export function parseModel(text: string, file: string, packIndicatorIds: readonly string[]): TagModel {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (cause) {
    throw new TagModelError('invalid_model', `${file}: not JSON (${(cause as Error).message})`, cause);
  }
  const parsed = modelFileSchema.safeParse(data);
  if (!parsed.success)
    throw new TagModelError(
      'invalid_model',
      parsed.error.issues.map((i) => `${file}: ${i.path.join('.') || '(root)'}: ${i.message}`).join('\n'),
    );
  const m = parsed.data;
  for (const [id, ind] of Object.entries(m.models))
    if (ind.weights.length !== m.vocab.length)
      throw new TagModelError(
        'invalid_model',
        `${file}: models.${id}.weights: expected ${m.vocab.length} weights (one per vocab entry), got ${ind.weights.length}`,
      );
  const missing = Object.keys(m.models).filter((id) => !packIndicatorIds.includes(id));
  if (missing.length > 0)
    throw new TagModelError(
      'model_mismatch',
      `${file}: the model was trained for indicators the pack does not have: ${missing.join(', ')} (retrain it with \`bellwether train tags\`)`,
    );
  return new TagModel(m, createHash('sha256').update(text).digest('hex'));
}
