import { tokenizeWithOffsets } from '../../text/spans/tokenize.js';
import type { TokenOffsets } from '../../text/spans/types.js';
import { encodeSequenceState } from './codec.js';
import {
  biased,
  bioMask,
  type ChainWeights,
  emissions,
  forwardBackward,
  pathLogProb,
  sparseRows,
  spanProbability,
  type TransitionFactors,
  transitionFactors,
  transitionSpread,
  viterbi,
} from './decode.js';
import { type FeatureConfig, sentenceFeatures } from './features.js';
import type { SequencePerceptronParams } from './params.js';
import type { PredictedSpan, SpanInput, SpanPrediction, SpanStudent } from './types.js';

export const SEQUENCE_PERCEPTRON = 'sequence-perceptron';

/** Everything a trained tagger is; what the codec writes and reads. */
export interface SequenceState {
  types: string[];
  params: SequencePerceptronParams;
  features: FeatureConfig;
  /** Ascending bucket ids that have weights. */
  buckets: Int32Array;
  /** [buckets.length][T] weights (dequantized when `quantized`). */
  rows: Float32Array;
  quantized?: { q: Int8Array; scales: Float32Array };
  trans: Float32Array;
  start: Float32Array;
  temperature: number;
  /** Taken off every O score before decoding (fitted on held-out rows; 0 without them). */
  outsideBias: number;
  info: Record<string, number | string>;
}

export class SequencePerceptronStudent implements SpanStudent {
  readonly kind = SEQUENCE_PERCEPTRON;
  readonly types: readonly string[];
  private readonly weights: ChainWeights;
  private readonly mask: ReturnType<typeof bioMask>;
  private readonly factors: TransitionFactors;
  private readonly spread: number;

  constructor(readonly state: SequenceState) {
    this.types = state.types;
    const T = 1 + 2 * state.types.length;
    const rowOf = new Int32Array(1 << state.features.bits).fill(-1);
    state.buckets.forEach((b, i) => (rowOf[b] = i));
    this.weights = {
      T,
      emit: state.rows,
      rowOf,
      trans: state.trans,
      start: state.start,
      sparse: sparseRows(state.rows, T, rowOf),
    };
    this.mask = bioMask(T);
    this.factors = transitionFactors(this.weights, this.mask, state.temperature);
    this.spread = transitionSpread(this.weights);
  }

  predict(text: string, tokens?: readonly TokenOffsets[]): SpanPrediction {
    const toks = tokens ? tokens.map(({ start, end }) => ({ start, end })) : tokenizeWithOffsets(text);
    const n = toks.length;
    if (n === 0) return { spans: [], tokens: [], confidence: 1 };
    const feats = sentenceFeatures(text, toks, this.state.features);
    const em = biased(emissions(feats, this.weights), n, this.weights.T, this.state.outsideBias);
    const tags = viterbi(em, n, this.weights, this.mask, this.spread);
    const lattice = forwardBackward(em, n, this.weights, this.mask, this.state.temperature, this.factors);
    const spans: PredictedSpan[] = [];
    for (let i = 0; i < n; ) {
      const tag = tags[i];
      if (tag === 0) {
        i++;
        continue;
      }
      // Viterbi is BIO-constrained, so a span is a B followed by its I's.
      const type = (tag - 1) >> 1;
      let last = i;
      while (last + 1 < n && tags[last + 1] === 2 + 2 * type) last++;
      const start = toks[i].start;
      const end = toks[last].end;
      spans.push({
        start,
        end,
        type: this.types[type],
        text: text.slice(start, end),
        confidence: spanProbability(lattice, i, last, type),
      });
      i = last + 1;
    }
    return { spans, tokens: toks, confidence: Math.min(1, Math.exp(pathLogProb(lattice, tags))) };
  }

  predictBatch(inputs: readonly (string | SpanInput)[]): SpanPrediction[] {
    return inputs.map((x) => (typeof x === 'string' ? this.predict(x) : this.predict(x.text, x.tokens)));
  }

  toBytes(): Uint8Array {
    return encodeSequenceState(this.state);
  }
}
