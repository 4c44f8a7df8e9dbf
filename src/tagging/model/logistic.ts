// One logistic regression per indicator over shared sparse features, fitted by AdaGrad with a seeded order: same data, same weights.
import type { DocFeatures } from './features.ts';

export interface TrainSettings {
  epochs: number;
  learningRate: number;
  /** L2 penalty on the weights a document touches (applied as it is seen). */
  l2: number;
  /** Features seen in fewer training documents are left out (they cannot generalise, and they bloat the file). */
  minDf: number;
  seed: number;
}

export const DEFAULT_SETTINGS: TrainSettings = { epochs: 30, learningRate: 0.3, l2: 0.01, minDf: 2, seed: 1 };

export interface LinearModel {
  /** Feature ids kept, ascending; row r of the weights is vocab[r]. */
  vocab: Int32Array;
  /** Row-major: weights[r * k + j] is feature vocab[r]'s weight for indicator j. */
  weights: Float64Array;
  bias: Float64Array;
  k: number;
}

/** mulberry32: a small seeded generator, so the visiting order is the same on every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffled(n: number, random: () => number): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

/** Below this |gradient| an indicator's weights are left as they are for that document. */
const SKIP = 0.02;

const sigmoid = (z: number) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

/** Document rows: each document's features as rows of the vocabulary with their values (features outside it dropped). */
function rowsOf(
  docs: readonly DocFeatures[],
  rowOf: Map<number, number>,
): { rows: Int32Array; values: Float64Array }[] {
  return docs.map((d) => {
    const rows: number[] = [];
    const values: number[] = [];
    d.ids.forEach((id, i) => {
      const r = rowOf.get(id);
      if (r === undefined) return;
      rows.push(r);
      values.push(d.values[i]!);
    });
    return { rows: Int32Array.from(rows), values: Float64Array.from(values) };
  });
}

/**
 * Fits k logistic regressions at once. `labels[i][j]` says whether document i carries indicator j.
 * Positives are weighted by √(negatives/positives) per indicator, so a rare indicator is not
 * drowned; the decision threshold is chosen afterwards anyway.
 */
export function trainLinear(
  docs: readonly DocFeatures[],
  labels: readonly (readonly boolean[])[],
  k: number,
  s: TrainSettings,
): LinearModel {
  const df = new Map<number, number>();
  for (const d of docs) for (const id of d.ids) df.set(id, (df.get(id) ?? 0) + 1);
  const vocab = Int32Array.from([...df].filter(([, n]) => n >= s.minDf).map(([id]) => id)).sort();
  const rowOf = new Map<number, number>();
  vocab.forEach((id, r) => rowOf.set(id, r));
  const rows = rowsOf(docs, rowOf);
  const weights = new Float64Array(vocab.length * k);
  const g2 = new Float64Array(vocab.length * k);
  const bias = new Float64Array(k);
  const biasG2 = new Float64Array(k);
  const posWeight = new Float64Array(k);
  for (let j = 0; j < k; j += 1) {
    const pos = labels.reduce((a, l) => a + (l[j] ? 1 : 0), 0);
    posWeight[j] = pos === 0 ? 1 : Math.max(1, Math.sqrt((docs.length - pos) / pos));
  }
  const random = seededRandom(s.seed);
  const z = new Float64Array(k);
  const todo = new Int32Array(k);
  const eps = 1e-8;
  for (let epoch = 0; epoch < s.epochs; epoch += 1) {
    for (const i of shuffled(docs.length, random)) {
      const { rows: r, values: xs } = rows[i]!;
      const y = labels[i]!;
      z.set(bias);
      for (let f = 0; f < r.length; f += 1) {
        const base = r[f]! * k;
        const x = xs[f]!;
        for (let j = 0; j < k; j += 1) z[j] = z[j]! + weights[base + j]! * x;
      }
      // Indicators this document already fits (|gradient| < SKIP) are not updated: most pairs, late in training.
      let active = 0;
      for (let j = 0; j < k; j += 1) {
        const grad = (sigmoid(z[j]!) - (y[j] ? 1 : 0)) * (y[j] ? posWeight[j]! : 1);
        if (Math.abs(grad) < SKIP) continue;
        todo[active] = j;
        active += 1;
        z[j] = grad;
        biasG2[j] = biasG2[j]! + grad * grad;
        bias[j] = bias[j]! - (s.learningRate * grad) / (Math.sqrt(biasG2[j]!) + eps);
      }
      if (active === 0) continue;
      for (let f = 0; f < r.length; f += 1) {
        const base = r[f]! * k;
        const x = xs[f]!;
        for (let a = 0; a < active; a += 1) {
          const j = todo[a]!;
          const w = weights[base + j]!;
          const g = z[j]! * x + s.l2 * w;
          g2[base + j] = g2[base + j]! + g * g;
          weights[base + j] = w - (s.learningRate * g) / (Math.sqrt(g2[base + j]!) + eps);
        }
      }
    }
  }
  return { vocab, weights, bias, k };
}

/** Probabilities of each indicator for one document under a fitted model (rows looked up by binary search). */
export function predictLinear(model: LinearModel, doc: DocFeatures): Float64Array {
  const z = Float64Array.from(model.bias);
  const { vocab, weights, k } = model;
  for (let f = 0; f < doc.ids.length; f += 1) {
    const id = doc.ids[f]!;
    let lo = 0;
    let hi = vocab.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const v = vocab[mid]!;
      if (v === id) {
        const base = mid * k;
        for (let j = 0; j < k; j += 1) z[j] = z[j]! + weights[base + j]! * doc.values[f]!;
        break;
      }
      if (v < id) lo = mid + 1;
      else hi = mid - 1;
    }
  }
  for (let j = 0; j < k; j += 1) z[j] = sigmoid(z[j]!);
  return z;
}
