import type { Rng } from '../../util/random.js';
import type { EpochReport } from '../types.js';
import { AsgdTrainer } from './asgd.js';
import type { HeldOut } from './calibration.js';
import type { HashingConfig } from './hashing.js';
import { LinearLayer, lossAndGrad, type LossKind } from './linear.js';
import type { HashedLinearParams } from './params.js';
import { dequantizeRows, quantizeRows, quantizeRowsTo, type QuantizedRows } from './quantize.js';
import { Vectorizer, type SparseRows } from './vectorizer.js';

/** Training rows in the shape the trainer wants: targets are K values per row. */
export interface Encoded {
  texts: string[];
  targets: Float32Array;
  weights: Float32Array;
  /** Stratum per row (label index) for splits. */
  strata: number[];
}

export function subset(d: Encoded, idx: readonly number[], K: number): Encoded {
  const targets = new Float32Array(idx.length * K);
  idx.forEach((r, i) => targets.set(d.targets.subarray(r * K, r * K + K), i * K));
  return {
    texts: idx.map((r) => d.texts[r]),
    targets,
    weights: Float32Array.from(idx, (r) => d.weights[r]),
    strata: idx.map((r) => d.strata[r]),
  };
}

export interface FitSettings {
  params: HashedLinearParams;
  hashing: HashingConfig;
  minDf: number;
  loss: LossKind;
  K: number;
}

export interface Fitted {
  vectorizer: Vectorizer;
  layer: LinearLayer;
  quantized?: QuantizedRows;
  /** Passes run. */
  epochs: number;
  /** Feature entries in the training rows (Σ nnz): with K, what one pass costs. */
  entries: number;
}

/**
 * Either a fixed number of passes, or early stopping on held-out rows; `allow` limits the
 * vocabulary to these buckets (a pruned refit).
 */
export type FitPlan = ({ epochs: number } | { val: Encoded; minEpochs: number }) & { allow?: Int32Array };

/** Below this, a class's gradient is skipped: after the first pass most classes sit near p = 0. */
const SKIP_GRADIENT = 3e-3;

/** A pass must cut the held-out loss by this fraction to count as progress. */
const MIN_LOSS_GAIN = 0.01;

export function fitModel(
  data: Encoded,
  s: FitSettings,
  plan: FitPlan,
  rng: Rng,
  onEpoch?: (r: EpochReport) => void,
  epochOffset = 0,
): Fitted {
  const { params, K, loss } = s;
  const { vectorizer, rows: X } = Vectorizer.fit(
    data.texts,
    s.hashing,
    params.charWeight,
    s.minDf,
    params.maxFeatures,
    plan.allow,
  );
  const n = data.texts.length;
  const trainer = new AsgdTrainer(vectorizer.size, K, loss, {
    learningRate: params.learningRate,
    l2: params.l2,
    skip: SKIP_GRADIENT,
    averageFrom: n,
  });
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const pass = () => {
    shuffle(order, rng);
    return trainer.epoch(X, data.targets, data.weights, order);
  };

  if ('epochs' in plan) {
    for (let e = 1; e <= plan.epochs; e++) {
      const trainLoss = pass();
      onEpoch?.({ epoch: epochOffset + e, loss: trainLoss });
    }
    return finish(vectorizer, trainer.snapshot(), s, plan.epochs, X.indices.length);
  }

  // Early stopping decides when to stop, not which pass to keep: the averaged weights change slowly,
  // and picking the "best" pass by a few hundred held-out rows mostly picks noise.
  const valX = vectorizer.vectorizeMany(plan.val.texts);
  let since = 0;
  let prevLoss = Infinity;
  let e = 0;
  let snap: ReturnType<typeof trainer.snapshot>;
  do {
    e++;
    const trainLoss = pass();
    snap = trainer.snapshot();
    const layer = new LinearLayer(vectorizer.size, K, snap.weights, Float32Array.from(snap.bias));
    const held = scoreHeldOut(layer, valX, plan.val, K);
    const { loss: valLoss, accuracy: valAccuracy } = heldOutQuality(loss, held);
    onEpoch?.({ epoch: epochOffset + e, loss: trainLoss, valLoss, valAccuracy });
    // Stalled = a pass cut the held-out loss by under MIN_LOSS_GAIN (or raised it).
    since = valLoss < prevLoss && prevLoss - valLoss >= MIN_LOSS_GAIN * prevLoss ? 0 : since + 1;
    prevLoss = valLoss;
  } while (e < params.maxEpochs && (since < params.patience || e < plan.minEpochs));
  return finish(vectorizer, snap, s, e, X.indices.length);
}

/** Quantizes (when asked) and swaps in the dequantized weights, so every later use sees the stored model. */
function finish(
  vectorizer: Vectorizer,
  snap: { weights: Float32Array; bias: Float64Array },
  s: FitSettings,
  epochs: number,
  entries: number,
): Fitted {
  const F = vectorizer.size;
  const bias = Float32Array.from(snap.bias);
  if (s.params.quantize === 'none')
    return { vectorizer, layer: new LinearLayer(F, s.K, snap.weights, bias), epochs, entries };
  const quantized =
    s.params.quantize === 'int4' ? quantizeRowsTo(snap.weights, F, s.K, 7, 4) : quantizeRows(snap.weights, F, s.K);
  return {
    vectorizer,
    layer: new LinearLayer(F, s.K, dequantizeRows(quantized, s.K), bias),
    quantized,
    epochs,
    entries,
  };
}

/** Logits of held-out rows (at temperature 1) with their targets. */
export function scoreHeldOut(layer: LinearLayer, X: SparseRows, data: Encoded, K: number): HeldOut {
  const n = data.texts.length;
  const logits = new Float64Array(n * K);
  const z = new Float64Array(K);
  for (let r = 0; r < n; r++) logits.set(layer.logits(X.indices, X.values, X.indptr[r], X.indptr[r + 1], z), r * K);
  return { n, K, logits, targets: data.targets, weights: data.weights };
}

/** Weighted mean loss, and accuracy (top-1 for softmax, exact label set at p ≥ 0.5 for sigmoid). */
export function heldOutQuality(loss: LossKind, h: HeldOut): { loss: number; accuracy: number } {
  const { n, K, logits, targets, weights } = h;
  const z = new Float64Array(K);
  const g = new Float64Array(K);
  let l = 0;
  let hits = 0;
  let wsum = 0;
  for (let r = 0; r < n; r++) {
    const at = r * K;
    for (let k = 0; k < K; k++) z[k] = logits[at + k];
    l += weights[r] * lossAndGrad(loss, z, targets, at, K, g);
    wsum += weights[r];
    let hit = true;
    if (loss === 'softmax') {
      let best = 0;
      for (let k = 1; k < K; k++) if (z[k] > z[best]) best = k;
      hit = targets[at + best] > 0;
    } else for (let k = 0; k < K && hit; k++) hit = z[k] >= 0 === targets[at + k] > 0;
    if (hit) hits += weights[r];
  }
  return wsum > 0 ? { loss: l / wsum, accuracy: hits / wsum } : { loss: 0, accuracy: 0 };
}

function shuffle(a: Int32Array, rng: Rng): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}

/**
 * The buckets of the `keep` features that weigh most in the model: largest L2 norm of the weight
 * row, times the feature's IDF (what a present feature's input value scales with). Ascending, as
 * `Vectorizer.fit` takes them. Like fastText's quantize -cutoff, which keeps the rows of largest norm.
 */
export function strongestBuckets(f: Fitted, keep: number): Int32Array {
  const F = f.vectorizer.size;
  const K = f.layer.classes;
  const W = f.layer.weights;
  const { buckets, idf } = f.vectorizer.vocab;
  if (keep >= F) return buckets.slice();
  const score = new Float64Array(F);
  for (let i = 0; i < F; i++) {
    let sq = 0;
    for (let k = 0; k < K; k++) sq += W[i * K + k] * W[i * K + k];
    score[i] = Math.sqrt(sq) * idf[i];
  }
  const order = Array.from({ length: F }, (_, i) => i).sort((a, b) => score[b] - score[a] || a - b);
  return Int32Array.from(order.slice(0, keep), (i) => buckets[i]).sort();
}
