import type { Explanation, Prediction, Student } from '../types.js';
import { encodeState } from './codec.js';
import { explainLinear } from './explain.js';
import type { HashingConfig } from './hashing.js';
import { LinearLayer, probabilities, type LossKind } from './linear.js';
import type { HashedLinearParams } from './params.js';
import type { QuantizedRows } from './quantize.js';
import { Vectorizer } from './vectorizer.js';

export const HASHED_LINEAR = 'hashed-linear';

/** Everything a trained hashed-linear model is; `codec.ts` writes exactly this and reads it back. */
export interface HashedLinearState {
  labels: string[];
  multiLabel: boolean;
  params: HashedLinearParams;
  hashing: HashingConfig;
  charWeight: number;
  buckets: Int32Array;
  idf: Float32Array;
  /** Quantized weights (int8 mode) or none (float32 mode, see `weights`). */
  quantized?: QuantizedRows;
  /** The weights used for prediction: the dequantized int8 values, or raw float32. */
  weights: Float32Array;
  bias: Float32Array;
  temperature: number;
  /** Multi-label: per-label cut on calibrated probability. */
  thresholds?: number[];
  /** Multi-label: no training row was unlabeled, so the top label is predicted even when none clears its cut. */
  atLeastOne?: boolean;
  /** Facts about training, for reports; never used to predict. */
  info: Record<string, number | string>;
}

export class HashedLinearStudent implements Student {
  readonly kind = HASHED_LINEAR;
  readonly labels: readonly string[];
  readonly multiLabel: boolean;
  readonly state: HashedLinearState;
  private readonly vectorizer: Vectorizer;
  private readonly layer: LinearLayer;
  private readonly loss: LossKind;
  private readonly z: Float64Array;

  constructor(state: HashedLinearState) {
    this.state = state;
    this.labels = state.labels;
    this.multiLabel = state.multiLabel;
    this.loss = state.multiLabel ? 'sigmoid' : 'softmax';
    this.vectorizer = new Vectorizer(state.hashing, state.charWeight, { buckets: state.buckets, idf: state.idf });
    this.layer = new LinearLayer(state.buckets.length, state.labels.length, state.weights, state.bias);
    this.z = new Float64Array(state.labels.length);
  }

  /** Uncalibrated scores, for diagnostics and tests. */
  logits(text: string): Float64Array {
    const x = this.vectorizer.vectorize(text);
    return this.layer.logits(x.indices, x.values, 0, x.indices.length, new Float64Array(this.labels.length));
  }

  /** Each n-gram's contribution to each label's logit; with the bias they sum to `logits(text)`. */
  explain(text: string): Explanation {
    return explainLinear(text, this.state.hashing, this.vectorizer, this.layer, this.labels, this.state.temperature);
  }

  predict(text: string): Prediction {
    const x = this.vectorizer.vectorizeInto(text);
    const z = this.layer.logits(x.indices, x.values, 0, x.n, this.z);
    const probs = probabilities(this.loss, z, this.state.temperature, new Float32Array(this.labels.length));
    return this.multiLabel ? this.decideMulti(probs) : this.decideSingle(probs);
  }

  predictBatch(texts: readonly string[]): Prediction[] {
    return texts.map((t) => this.predict(t));
  }

  toBytes(): Uint8Array {
    return encodeState(this.state);
  }

  private decideSingle(probs: Float32Array): Prediction {
    let best = 0;
    let second = -1;
    for (let k = 1; k < probs.length; k++) {
      if (probs[k] > probs[best]) {
        second = best;
        best = k;
      } else if (second < 0 || probs[k] > probs[second]) second = k;
    }
    const margin = second < 0 ? probs[best] : probs[best] - probs[second];
    return { labels: [this.labels[best]], probs, margin };
  }

  private decideMulti(probs: Float32Array): Prediction {
    const t = this.state.thresholds!;
    const labels: string[] = [];
    let margin = Infinity;
    let top = 0;
    for (let k = 0; k < probs.length; k++) {
      if (probs[k] >= t[k]) labels.push(this.labels[k]);
      if (probs[k] > probs[top]) top = k;
      margin = Math.min(margin, Math.abs(probs[k] - t[k]));
    }
    if (labels.length === 0 && this.state.atLeastOne && probs.length > 0) labels.push(this.labels[top]);
    return { labels, probs, margin: probs.length ? margin : 0 };
  }
}
