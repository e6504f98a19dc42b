import type { Rng } from '../../util/random.js';
import { biased, type bioMask, type ChainWeights, emissions, viterbi } from './decode.js';
import type { SentenceFeatures } from './features.js';
import type { SequencePerceptronParams } from './params.js';
import type { SpanTrainOptions } from './types.js';

/** A training sentence as both trainers see it: hashed features, gold BIO tags, row weight. */
export interface Sentence {
  feats: SentenceFeatures;
  gold: Int32Array;
  weight: number;
}

export /** Entity-level micro F1 (exact token span and type) of the weights on held-out sentences. */
function heldOutF1(
  data: readonly Sentence[],
  val: readonly number[],
  w: ChainWeights,
  mask: ReturnType<typeof bioMask>,
  outsideBias: number,
): number {
  let tp = 0;
  let predicted = 0;
  let gold = 0;
  for (const s of val) {
    const { feats, gold: g } = data[s];
    const p = viterbi(biased(emissions(feats, w), g.length, w.T, outsideBias), g.length, w, mask);
    const gs = tokenSpans(g);
    const ps = tokenSpans(p);
    gold += gs.size;
    predicted += ps.size;
    for (const k of ps) if (gs.has(k)) tp++;
  }
  return predicted + gold === 0 ? 1 : (2 * tp) / (predicted + gold);
}

export function tokenSpans(tags: Int32Array): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i < tags.length; ) {
    if (tags[i] === 0) {
      i++;
      continue;
    }
    const I = tags[i] % 2 === 1 ? tags[i] + 1 : tags[i];
    let j = i;
    while (j + 1 < tags.length && tags[j + 1] === I) j++;
    out.add(`${i}:${j}:${I}`);
    i = j + 1;
  }
  return out;
}

/** A chain's weights as the trainers hand them out: emission rows, transitions, starts. */
export type ChainTables = ChainWeights & { emit: Float32Array; trans: Float32Array; start: Float32Array };

export interface TrainedChain {
  weights: ChainTables;
  /** Passes the returned weights come from. */
  epochs: number;
  bestF1: number;
}

/** What one pass of a trainer over the training sentences returns. */
export interface PassResult {
  /** The pass's training loss, for `onEpoch`. */
  loss: number;
  /** The weights this pass ends with, as they would be used (the perceptron's average, the CRF's snapshot). */
  weights: ChainTables;
  /** Nothing left to learn (the perceptron made no mistake): this pass is the last, and may be kept however early. */
  converged: boolean;
}

/**
 * The epoch loop both trainers share. Each pass visits the training sentences in a new seeded order;
 * `pass` does the trainer's updates. With held-out sentences, the pass with the best entity F1 is
 * kept (from `minEpochs` on, or a converged pass), stopping after `patience` passes without a better
 * one, and `epochs` is that pass; without them, up to `fixedEpochs` passes run and the last is kept.
 */
export function runEpochs(
  shape: { T: number; size: number },
  data: readonly Sentence[],
  train: readonly number[],
  val: readonly number[],
  params: SequencePerceptronParams,
  mask: ReturnType<typeof bioMask>,
  rng: Rng,
  options: SpanTrainOptions,
  pass: (order: readonly number[]) => PassResult,
): TrainedChain {
  const maxEpochs = val.length ? params.maxEpochs : Math.min(params.maxEpochs, params.fixedEpochs);
  // Zeros until a pass is kept, as the trainers' own tables start.
  const best = zeroTables(shape);
  let last = best;
  let bestF1 = -1;
  let bestEpoch = 0;
  let epochs = 0;
  const order = train.slice();
  for (let epoch = 1; epoch <= maxEpochs; epoch++) {
    epochs = epoch;
    rng.shuffle(order);
    const { loss, weights, converged } = pass(order);
    last = weights;
    if (val.length === 0) {
      options.onEpoch?.({ epoch, loss });
      if (converged) break;
      continue;
    }
    const f1 = heldOutF1(data, val, weights, mask, 0);
    options.onEpoch?.({ epoch, loss, valAccuracy: f1 });
    const eligible = epoch >= Math.min(params.minEpochs, maxEpochs) || converged;
    if (eligible && f1 > bestF1) {
      bestF1 = f1;
      bestEpoch = epoch;
      best.emit.set(weights.emit);
      best.trans.set(weights.trans);
      best.start.set(weights.start);
    } else if (epoch >= params.minEpochs && epoch - bestEpoch >= params.patience) break;
    if (converged) break;
  }
  return { weights: val.length ? best : last, epochs: val.length ? bestEpoch : epochs, bestF1 };
}

function zeroTables({ T, size }: { T: number; size: number }): ChainTables {
  return { T, emit: new Float32Array(size), trans: new Float32Array(T * T), start: new Float32Array(T) };
}
