import { ConfigError } from '../../errors.js';
import { Rng } from '../../util/random.js';
import type { TrainingRow, TrainOptions } from '../types.js';
import { fitTemperature, fitThresholds, type HeldOut } from './calibration.js';
import {
  type Encoded,
  type FitSettings,
  type Fitted,
  fitModel,
  heldOutQuality,
  scoreHeldOut,
  strongestBuckets,
  subset,
} from './fit.js';
import { probabilities } from './linear.js';
import { HashedLinearStudent } from './model.js';
import type { HashedLinearParams } from './params.js';
import { assignFolds, holdoutSplit } from './split.js';

/**
 * Trains a hashed-linear student.
 *
 * From `holdoutFrom` rows up: a stratified held-out split steers early stopping, then calibrates
 * (temperature; with `multiLabelDecision: label-f1`, per-label thresholds). Below it: a fixed number of passes, and
 * calibration on out-of-fold predictions from k-fold cross-fitting, since ten held-out rows would
 * calibrate nothing. Everything random comes from `options.seed`, so the same rows and seed give
 * byte-identical models.
 */
export function trainHashedLinear(
  rows: readonly TrainingRow[],
  options: TrainOptions,
  params: HashedLinearParams,
): HashedLinearStudent {
  const labels = [...options.labels];
  const K = labels.length;
  const data = encodeRows(rows, labels, options.multiLabel);
  const n = data.texts.length;
  const loss = options.multiLabel ? 'sigmoid' : 'softmax';
  const settings: FitSettings = {
    params,
    hashing: { bits: params.hashBits, wordNgrams: params.wordNgrams, charMin: params.charMin, charMax: params.charMax },
    minDf: params.minDf === 'auto' ? (n < 1000 ? 1 : 2) : params.minDf,
    loss,
    K,
  };
  const rng = new Rng(options.seed);
  const splitRng = rng.fork(1);
  const fitRng = rng.fork(2);
  const refitRng = rng.fork(3);

  let held: HeldOut | undefined;
  let fitted: Fitted;
  let mode: string;
  const valSize = Math.min(params.maxValidationRows, Math.round(n * params.validationFraction));
  const split = n >= params.holdoutFrom ? holdoutSplit(data.strata, valSize, splitRng) : undefined;
  if (split && split.val.length > 0) {
    mode = 'holdout';
    const train = subset(data, split.train, K);
    const val = subset(data, split.val, K);
    // Small sets keep gaining accuracy long after their held-out loss has flattened.
    const minEpochs = Math.min(params.maxEpochs, Math.ceil(MIN_UPDATES / split.train.length));
    const first = fitModel(train, settings, { val, minEpochs }, fitRng, options.onEpoch);
    // Pruning: refit on the strongest features for as many passes as early stopping chose, and
    // calibrate on that model, since dropping features changes the scale of its logits.
    const allow = pruneTo(first, params);
    const basis = allow ? fitModel(train, settings, { epochs: first.epochs, allow }, fitRng.fork(1)) : first;
    held = scoreHeldOut(basis.layer, basis.vectorizer.vectorizeMany(val.texts), val, K);
    const refit = params.refit === 'auto' ? n < REFIT_BELOW && first.entries * K < REFIT_WORK : params.refit;
    fitted = refit
      ? fitModel(data, settings, { epochs: first.epochs, allow }, refitRng, options.onEpoch, first.epochs)
      : basis;
    if (refit) mode = 'holdout+refit';
  } else {
    const epochs = fixedEpochs(n);
    const folds = Math.min(params.folds, n);
    mode = folds >= 2 && n >= Math.max(MIN_CROSS_FIT_ROWS, 2 * folds) ? 'cross-fit' : 'uncalibrated';
    if (mode === 'cross-fit') held = crossFit(data, settings, folds, epochs, splitRng, fitRng);
    fitted = fitModel(data, settings, { epochs }, refitRng, options.onEpoch);
    // Few rows: calibration stays with the unpruned cross-fitted models.
    const allow = pruneTo(fitted, params);
    if (allow) fitted = fitModel(data, settings, { epochs, allow }, refitRng.fork(1));
  }

  const temperature = held ? fitTemperature(loss, held) : 1;
  let thresholds: number[] | undefined;
  if (options.multiLabel) {
    if (held && params.multiLabelDecision === 'label-f1') {
      const probs = new Float32Array(held.n * K);
      for (let r = 0; r < held.n; r++)
        probabilities('sigmoid', held.logits.subarray(r * K, r * K + K), temperature, probs.subarray(r * K, r * K + K));
      thresholds = fitThresholds(held, probs);
    } else thresholds = labels.map(() => 0.5);
  }
  const quality = held ? heldOutQuality(loss, held) : undefined;
  const info: Record<string, number | string> = {
    rows: n,
    mode,
    epochs: fitted.epochs,
    features: fitted.vectorizer.size,
  };
  if (held) info.heldOutRows = held.n;
  if (quality) info.heldOutAccuracy = round(quality.accuracy);

  return new HashedLinearStudent({
    labels,
    multiLabel: options.multiLabel,
    params,
    hashing: settings.hashing,
    charWeight: params.charWeight,
    buckets: fitted.vectorizer.vocab.buckets,
    idf: fitted.vectorizer.vocab.idf,
    quantized: fitted.quantized,
    weights: fitted.layer.weights,
    bias: fitted.layer.bias,
    temperature,
    thresholds,
    atLeastOne: options.multiLabel ? rows.every((r) => r.labels.length > 0) : undefined,
    info,
  });
}

/** The buckets to refit on when pruning drops any feature, else undefined. */
function pruneTo(f: Fitted, params: HashedLinearParams): Int32Array | undefined {
  const keep = Math.max(params.keepAtLeast, Math.round(f.vectorizer.size * params.keepFraction));
  return keep < f.vectorizer.size ? strongestBuckets(f, keep) : undefined;
}

/** Fewer out-of-fold predictions than this would calibrate noise; such models keep temperature 1. */
const MIN_CROSS_FIT_ROWS = 20;

/**
 * `refit: auto` retrains on all rows below this many rows, where the held-out tenth is worth 1–2
 * points, and only while a pass stays cheap (feature entries × labels), which long documents are not.
 */
const REFIT_BELOW = 5000;
const REFIT_WORK = 5e7;

/** Row updates a model needs before small sets stop gaining accuracy (measured on trec, emotion, banking77 subsets). */
const MIN_UPDATES = 15000;

/** Passes for the fixed plan: at least MIN_UPDATES row updates, at least 10 passes. */
function fixedEpochs(n: number): number {
  return Math.min(200, Math.max(10, Math.ceil(MIN_UPDATES / Math.max(1, n))));
}

/** Out-of-fold logits for every row, in row order: each fold scored by a model that never saw it. */
function crossFit(data: Encoded, s: FitSettings, folds: number, epochs: number, splitRng: Rng, fitRng: Rng): HeldOut {
  const K = s.K;
  const n = data.texts.length;
  const fold = assignFolds(data.strata, folds, splitRng);
  const logits = new Float64Array(n * K);
  for (let f = 0; f < folds; f++) {
    const inFold: number[] = [];
    const rest: number[] = [];
    for (let r = 0; r < n; r++) (fold[r] === f ? inFold : rest).push(r);
    if (inFold.length === 0 || rest.length === 0) continue;
    const m = fitModel(subset(data, rest, K), s, { epochs }, fitRng.fork(f + 1));
    const part = subset(data, inFold, K);
    const h = scoreHeldOut(m.layer, m.vectorizer.vectorizeMany(part.texts), part, K);
    inFold.forEach((r, i) => logits.set(h.logits.subarray(i * K, i * K + K), r * K));
  }
  return { n, K, logits, targets: data.targets, weights: data.weights };
}

function encodeRows(rows: readonly TrainingRow[], labels: string[], multiLabel: boolean): Encoded {
  const K = labels.length;
  if (K === 0) throw new ConfigError('a student needs at least one label', { field: 'labels' });
  if (new Set(labels).size !== K) throw new ConfigError('labels must be distinct', { field: 'labels' });
  if (rows.length === 0)
    throw new ConfigError('no training rows', { hint: 'label some examples before training the student' });
  const index = new Map(labels.map((l, i) => [l, i]));
  const targets = new Float32Array(rows.length * K);
  const weights = new Float32Array(rows.length);
  const strata: number[] = [];
  rows.forEach((row, r) => {
    if (typeof row.text !== 'string')
      throw new ConfigError(`training row ${r} has no text`, { field: `rows.${r}.text` });
    if (!multiLabel && row.labels.length !== 1) {
      throw new ConfigError(
        `training row ${r} has ${row.labels.length} labels; a single-label task needs exactly one`,
        { field: `rows.${r}.labels` },
      );
    }
    let first = K;
    for (const l of row.labels) {
      const k = index.get(l);
      if (k === undefined)
        throw new ConfigError(`training row ${r} has unknown label "${l}"`, {
          field: `rows.${r}.labels`,
          hint: `known labels: ${labels.join(', ')}`,
        });
      targets[r * K + k] = 1;
      first = Math.min(first, k);
    }
    const w = row.weight ?? 1;
    if (!Number.isFinite(w) || w < 0)
      throw new ConfigError(`training row ${r} has weight ${w}; weights must be finite and ≥ 0`, {
        field: `rows.${r}.weight`,
      });
    weights[r] = w;
    strata.push(first);
  });
  return { texts: rows.map((r) => r.text), targets, weights, strata };
}

function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}
