import { spansToTags } from '../../text/spans/bio.js';
import { tokenizeWithOffsets } from '../../text/spans/tokenize.js';
import { ConfigError } from '../../errors.js';
import { Rng } from '../../util/random.js';
import { dequantizeRows, quantizeRows } from '../hashed-linear/quantize.js';
import {
  biased,
  bioMask,
  type ChainWeights,
  emissions,
  forwardBackward,
  pathLogProb,
  transitionFactors,
  viterbi,
} from './decode.js';
import { crf } from './crf.js';
import { type FeatureConfig, sentenceFeatures } from './features.js';
import { heldOutF1, runEpochs, type Sentence, type TrainedChain } from './heldout.js';
import { SequencePerceptronStudent, type SequenceState } from './model.js';
import { resolveHashBits, type SequencePerceptronParams } from './params.js';
import type { SpanTrainingRow, SpanTrainOptions } from './types.js';

/**
 * Averaged structured perceptron (Collins 2002) over BIO tags with BIO-constrained Viterbi.
 *
 * Each pass visits the training sentences in a seeded order; on a wrong tagging the gold path's
 * features gain and the predicted path's lose (scaled by the row weight). The model used is the
 * average of the weights over all steps, kept lazily (w − u/c), which is what makes a perceptron
 * generalize like a max-margin model. From `holdoutFrom` rows up, a seeded held-out share picks the
 * pass count by entity F1 (early stopping with `patience`) and fits the softmax temperature that
 * turns scores into span probabilities; then, with `refit`, training repeats on every row for that
 * many passes. Same rows + seed ⇒ byte-identical model.
 */

export function trainSequencePerceptron(
  rows: readonly SpanTrainingRow[],
  options: SpanTrainOptions,
  params: SequencePerceptronParams,
): SequencePerceptronStudent {
  const types = [...options.types];
  if (types.length === 0 || new Set(types).size !== types.length) {
    throw new ConfigError('an extraction student needs at least one type, each named once', { field: 'types' });
  }
  const T = 1 + 2 * types.length;
  const features: FeatureConfig = {
    bits: resolveHashBits(params, T),
    window: params.window,
    charNgramMax: params.charNgramMax,
    affixMax: params.affixMax,
  };
  let tokenCount = 0;
  const data: Sentence[] = [];
  for (const row of rows) {
    const tokens = row.tokens ?? tokenizeWithOffsets(row.text);
    if (tokens.length === 0) continue;
    tokenCount += tokens.length;
    data.push({
      feats: sentenceFeatures(row.text, tokens, features),
      gold: spansToTags(tokens, row.spans, types).tags,
      weight: row.weight ?? 1,
    });
  }
  const rng = new Rng(options.seed);
  const all = data.map((_, i) => i);
  const n = data.length;
  const valSize = Math.min(params.maxValidationRows, Math.round(n * params.validationFraction));
  const heldOut = n >= params.holdoutFrom && valSize > 0;
  const shuffled = rng.fork(1).shuffle(all.slice());
  const val = heldOut ? shuffled.slice(0, valSize).sort((a, b) => a - b) : [];
  const train = heldOut ? shuffled.slice(valSize).sort((a, b) => a - b) : all;

  const mask = bioMask(T);
  const learn = params.trainer === 'crf' ? crf : perceptron;
  const first = learn(data, train, val, T, features.bits, params, mask, rng.fork(2), options);
  const outsideBias =
    params.outsideBias === 'auto'
      ? heldOut
        ? fitOutsideBias(data, val, first.weights, mask)
        : 0
      : Math.fround(params.outsideBias * outsideUnit(data, heldOut ? val : train, first.weights));
  const temperature = heldOut ? fitTemperature(data, val, first.weights, mask, outsideBias) : 1;
  const final =
    heldOut && params.refit
      ? learn(data, all, [], T, features.bits, { ...params, maxEpochs: first.epochs }, mask, rng.fork(3), options)
      : first;

  // Keep only bucket rows with any weight, then quantize; the model answers from the dequantized
  // rows, so in-memory and reloaded predictions are the same numbers.
  const used: number[] = [];
  const w = final.weights.emit;
  for (let b = 0; b < 1 << features.bits; b++) {
    for (let t = 0; t < T; t++) {
      if (w[b * T + t] !== 0) {
        used.push(b);
        break;
      }
    }
  }
  let compact: Float32Array = new Float32Array(used.length * T);
  used.forEach((b, r) => compact.set(w.subarray(b * T, b * T + T), r * T));
  let quantized: SequenceState['quantized'];
  if (params.quantize === 'int8') {
    quantized = quantizeRows(compact, used.length, T);
    compact = dequantizeRows(quantized, T);
  }
  const state: SequenceState = {
    types,
    params,
    features,
    buckets: Int32Array.from(used),
    rows: compact,
    quantized,
    trans: Float32Array.from(final.weights.trans),
    start: Float32Array.from(final.weights.start),
    temperature,
    outsideBias,
    info: {
      rows: n,
      tokens: tokenCount,
      epochs: final.epochs,
      mode: heldOut ? (params.refit ? 'holdout+refit' : 'holdout') : 'fixed',
      ...(heldOut ? { valF1: round4(first.bestF1), valRows: val.length } : {}),
    },
  };
  return new SequencePerceptronStudent(state);
}

const round4 = (x: number) => Math.round(x * 1e4) / 1e4;

function perceptron(
  data: readonly Sentence[],
  train: readonly number[],
  val: readonly number[],
  T: number,
  bits: number,
  params: SequencePerceptronParams,
  mask: ReturnType<typeof bioMask>,
  rng: Rng,
  options: SpanTrainOptions,
): TrainedChain {
  const size = (1 << bits) * T;
  // Current weights (what the perceptron decodes with) and u = Σ c·Δ for the lazy average.
  const cur = { T, emit: new Float64Array(size), trans: new Float64Array(T * T), start: new Float64Array(T) };
  const u = { emit: new Float64Array(size), trans: new Float64Array(T * T), start: new Float64Array(T) };
  const avg = { T, emit: new Float32Array(size), trans: new Float32Array(T * T), start: new Float32Array(T) };
  let em: Float64Array = new Float64Array(0);
  let c = 1;
  return runEpochs({ T, size }, data, train, val, params, mask, rng, options, (order) => {
    let mistakes = 0;
    let seen = 0;
    for (const s of order) {
      const { feats, gold, weight } = data[s];
      if (weight <= 0) continue;
      seen++;
      const len = gold.length;
      em = emissions(feats, cur, em.length >= len * T ? em : new Float64Array(len * T * 2));
      const pred = viterbi(em, len, cur, mask);
      let wrong = false;
      for (let i = 0; i < len; i++) if (pred[i] !== gold[i]) wrong = true;
      if (wrong) {
        mistakes++;
        const cw = c * weight;
        for (let i = 0; i < len; i++) {
          const g = gold[i];
          const p = pred[i];
          if (g !== p) {
            for (let k = feats.offsets[i]; k < feats.offsets[i + 1]; k++) {
              const row = feats.ids[k] * T;
              cur.emit[row + g] += weight;
              u.emit[row + g] += cw;
              cur.emit[row + p] -= weight;
              u.emit[row + p] -= cw;
            }
          }
          if (i === 0) {
            if (g !== p) {
              cur.start[g] += weight;
              u.start[g] += cw;
              cur.start[p] -= weight;
              u.start[p] -= cw;
            }
          } else {
            const gp = gold[i - 1] * T + g;
            const pp = pred[i - 1] * T + p;
            if (gp !== pp) {
              cur.trans[gp] += weight;
              u.trans[gp] += cw;
              cur.trans[pp] -= weight;
              u.trans[pp] -= cw;
            }
          }
        }
      }
      c++;
    }
    for (let k = 0; k < size; k++) avg.emit[k] = cur.emit[k] - u.emit[k] / c;
    for (let k = 0; k < T * T; k++) avg.trans[k] = cur.trans[k] - u.trans[k] / c;
    for (let k = 0; k < T; k++) avg.start[k] = cur.start[k] - u.start[k] / c;
    // A pass with no mistakes is the last one, so it may be kept however early it comes.
    return { loss: seen ? mistakes / seen : 0, weights: avg, converged: mistakes === 0 };
  });
}

/**
 * The temperature that makes held-out gold taggings most probable (min NLL), on a log grid from
 * 1/8 to 256: perceptron scores have no scale of their own, so without this the span
 * probabilities would be all but 0 or 1.
 */
function fitTemperature(
  data: readonly Sentence[],
  val: readonly number[],
  w: ChainWeights,
  mask: ReturnType<typeof bioMask>,
  outsideBias: number,
): number {
  const cached = val.map((s) => ({
    em: biased(emissions(data[s].feats, w), data[s].gold.length, w.T, outsideBias),
    gold: data[s].gold,
  }));
  let bestT = 1;
  let bestNll = Infinity;
  for (let k = -6; k <= 16; k++) {
    const temp = 2 ** (k / 2);
    const factors = transitionFactors(w, mask, temp);
    let nll = 0;
    for (const { em, gold } of cached) {
      const lat = forwardBackward(em, gold.length, w, mask, temp, factors);
      nll -= pathLogProb(lat, gold);
    }
    if (nll < bestNll) {
      bestNll = nll;
      bestT = temp;
    }
  }
  return bestT;
}

/**
 * The amount taken off every token's O score that maximizes held-out entity F1, from a small grid
 * in units of the model's own score scale (the mean absolute O emission). A perceptron trained on
 * mostly-O text under-predicts entities; trading some precision for recall usually pays in F1.
 * Ties go to the smaller bias.
 */
function fitOutsideBias(
  data: readonly Sentence[],
  val: readonly number[],
  w: ChainWeights,
  mask: ReturnType<typeof bioMask>,
): number {
  const unit = outsideUnit(data, val, w);
  let best = 0;
  let bestF1 = heldOutF1(data, val, w, mask, 0);
  for (const k of [0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1]) {
    const bias = Math.fround(k * unit);
    const f1 = heldOutF1(data, val, w, mask, bias);
    if (f1 > bestF1) {
      bestF1 = f1;
      best = bias;
    }
  }
  return best;
}

/** The model's own score scale: the mean absolute O emission over `rows`. */
function outsideUnit(data: readonly Sentence[], rows: readonly number[], w: ChainWeights): number {
  let total = 0;
  let count = 0;
  for (const s of rows) {
    const em = emissions(data[s].feats, w);
    for (let i = 0; i < data[s].gold.length; i++) {
      total += Math.abs(em[i * w.T]);
      count++;
    }
  }
  return count ? total / count : 0;
}
