/**
 * The sequence-perceptron student's decoder, for the extraction runtime: a copy of
 * src/student/sequence/decode.ts (BIO mask, emissions, Viterbi, forward-backward, span and path
 * probabilities) with the same arithmetic in the same order, minus what only training uses. The
 * runtime is a leaf; src/export/runtime-extract.test.ts holds the copy to the library's output.
 */
import type { SentenceFeatures } from './sequence-features.js';

const isInside = (tag: number) => tag > 0 && tag % 2 === 0;
const typeOf = (tag: number) => (tag - 1) >> 1;
export interface ChainWeights {
  /** Tag count. */
  T: number;
  /** Row-major [row][tag]. */
  emit: Float32Array | Float64Array;
  /** Bucket id → row of `emit` (−1: no weights); absent when rows are bucket ids (training). */
  rowOf?: Int32Array;
  /** [prev][tag]. */
  trans: Float32Array | Float64Array;
  start: Float32Array | Float64Array;
}

/**
 * 0 where the move is allowed, −∞ where BIO forbids it ([prev][tag], then the start row), and the
 * allowed moves as lists: an I tag has two possible predecessors, so with many types the decoders
 * do about half the work of a dense T×T loop.
 */
export function bioMask(T: number): {
  trans: Float64Array;
  start: Float64Array;
  preds: Int32Array[];
  succs: Int32Array[];
} {
  const trans = new Float64Array(T * T);
  const start = new Float64Array(T);
  for (let t = 0; t < T; t++) {
    if (!isInside(t)) continue;
    start[t] = -Infinity;
    for (let p = 0; p < T; p++) {
      const continues = p > 0 && typeOf(p) === typeOf(t);
      if (!continues) trans[p * T + t] = -Infinity;
    }
  }
  const preds: Int32Array[] = [];
  const succs: Int32Array[] = [];
  for (let t = 0; t < T; t++) {
    const into: number[] = [];
    const from: number[] = [];
    for (let o = 0; o < T; o++) {
      if (trans[o * T + t] === 0) into.push(o);
      if (trans[t * T + o] === 0) from.push(o);
    }
    preds.push(Int32Array.from(into));
    succs.push(Int32Array.from(from));
  }
  return { trans, start, preds, succs };
}

export function emissions(f: SentenceFeatures, w: ChainWeights, out?: Float64Array): Float64Array {
  const n = f.offsets.length - 1;
  const T = w.T;
  const em = out && out.length >= n * T ? out : new Float64Array(n * T);
  em.fill(0, 0, n * T);
  for (let i = 0; i < n; i++) {
    const base = i * T;
    for (let k = f.offsets[i]; k < f.offsets[i + 1]; k++) {
      const r = w.rowOf ? w.rowOf[f.ids[k]] : f.ids[k];
      if (r < 0) continue;
      const row = r * T;
      for (let t = 0; t < T; t++) em[base + t] += w.emit[row + t];
    }
  }
  return em;
}

/** Takes `bias` off every token's O score (tag 0), in place: the recall/precision trade-off. */
export function biased(em: Float64Array, n: number, T: number, bias: number): Float64Array {
  if (bias !== 0) for (let i = 0; i < n; i++) em[i * T] -= bias;
  return em;
}

export function viterbi(em: Float64Array, n: number, w: ChainWeights, mask: ReturnType<typeof bioMask>): Int32Array {
  const T = w.T;
  const tags = new Int32Array(n);
  if (n === 0) return tags;
  const score = new Float64Array(n * T);
  const back = new Int32Array(n * T);
  for (let t = 0; t < T; t++) score[t] = em[t] + w.start[t] + mask.start[t];
  for (let i = 1; i < n; i++) {
    for (let t = 0; t < T; t++) {
      let best = -Infinity;
      let arg = 0;
      for (const p of mask.preds[t]) {
        const s = score[(i - 1) * T + p] + w.trans[p * T + t];
        if (s > best) {
          best = s;
          arg = p;
        }
      }
      score[i * T + t] = best + em[i * T + t];
      back[i * T + t] = arg;
    }
  }
  let best = -Infinity;
  for (let t = 0; t < T; t++) {
    const s = score[(n - 1) * T + t];
    if (s > best) {
      best = s;
      tags[n - 1] = t;
    }
  }
  for (let i = n - 1; i > 0; i--) tags[i - 1] = back[i * T + tags[i]];
  return tags;
}

/**
 * Forward-backward over a softmax of the scores divided by `temperature`: turns the perceptron's
 * margins into probabilities (calibrated by the temperature fitted on held-out rows). Computed in
 * probability space with per-token rescaling (Rabiner's scaled recursions), which needs T
 * exponentials per token instead of the 2T² a log-space version pays; the max emission per token
 * and the max transition are subtracted before exponentiating so nothing overflows.
 * alpha[i][t]·beta[i][t] is the marginal of tag t at token i.
 */
export interface Lattice {
  n: number;
  T: number;
  /** Scaled forward values; each token's row sums to 1. */
  alpha: Float64Array;
  /** Scaled backward values. */
  beta: Float64Array;
  /** Per-token scale factors: log Z = Σ log scale + the subtracted offsets. */
  scale: Float64Array;
  /** exp(emission / temperature − max of the token's row). */
  E: Float64Array;
  /** exp(transition / temperature − max transition); 0 where BIO forbids the move. */
  A: Float64Array;
  logZ: number;
  /** For `pathLogProb`. */
  rawEm: Float64Array;
  weights: ChainWeights;
  temperature: number;
}

export function forwardBackward(
  rawEm: Float64Array,
  n: number,
  w: ChainWeights,
  mask: ReturnType<typeof bioMask>,
  temperature: number,
): Lattice {
  const T = w.T;
  const E = new Float64Array(n * T);
  const A = new Float64Array(T * T);
  const alpha = new Float64Array(n * T);
  const beta = new Float64Array(n * T);
  const scale = new Float64Array(n);
  const lattice = { n, T, alpha, beta, scale, E, A, logZ: 0, rawEm, weights: w, temperature };
  if (n === 0) return lattice;
  let offset = 0;
  for (let i = 0; i < n; i++) {
    let m = -Infinity;
    for (let t = 0; t < T; t++) m = Math.max(m, rawEm[i * T + t] / temperature);
    for (let t = 0; t < T; t++) E[i * T + t] = Math.exp(rawEm[i * T + t] / temperature - m);
    offset += m;
  }
  let mt = -Infinity;
  for (let k = 0; k < T * T; k++) if (mask.trans[k] === 0) mt = Math.max(mt, w.trans[k] / temperature);
  for (let k = 0; k < T * T; k++) A[k] = mask.trans[k] === 0 ? Math.exp(w.trans[k] / temperature - mt) : 0;
  offset += (n - 1) * mt;
  let ms = -Infinity;
  for (let t = 0; t < T; t++) if (mask.start[t] === 0) ms = Math.max(ms, w.start[t] / temperature);
  offset += ms;
  let sum = 0;
  for (let t = 0; t < T; t++) {
    const v = mask.start[t] === 0 ? Math.exp(w.start[t] / temperature - ms) * E[t] : 0;
    alpha[t] = v;
    sum += v;
  }
  scale[0] = sum;
  for (let t = 0; t < T; t++) alpha[t] /= sum;
  for (let i = 1; i < n; i++) {
    sum = 0;
    for (let t = 0; t < T; t++) {
      let acc = 0;
      for (const p of mask.preds[t]) acc += alpha[(i - 1) * T + p] * A[p * T + t];
      const v = acc * E[i * T + t];
      alpha[i * T + t] = v;
      sum += v;
    }
    scale[i] = sum;
    for (let t = 0; t < T; t++) alpha[i * T + t] /= sum;
  }
  for (let t = 0; t < T; t++) beta[(n - 1) * T + t] = 1;
  for (let i = n - 2; i >= 0; i--) {
    for (let p = 0; p < T; p++) {
      let acc = 0;
      for (const t of mask.succs[p]) acc += A[p * T + t] * E[(i + 1) * T + t] * beta[(i + 1) * T + t];
      beta[i * T + p] = acc / scale[i + 1];
    }
  }
  let logZ = offset;
  for (let i = 0; i < n; i++) logZ += Math.log(scale[i]);
  lattice.logZ = logZ;
  return lattice;
}

/** Log-probability of a whole tagging under the lattice's (temperature-scaled) model. */
export function pathLogProb(lat: Lattice, tags: Int32Array): number {
  const { T, rawEm, weights: w, temperature } = lat;
  let s = 0;
  for (let i = 0; i < tags.length; i++) {
    const move = i === 0 ? w.start[tags[i]] : w.trans[tags[i - 1] * T + tags[i]];
    const allowed = i === 0 ? !isInside(tags[i]) : lat.A[tags[i - 1] * T + tags[i]] > 0;
    if (!allowed) return -Infinity;
    s += (rawEm[i * T + tags[i]] + move) / temperature;
  }
  return s - lat.logZ;
}

/**
 * P(tokens first..last are exactly one span of type x): B-x at `first`, I-x through `last`, and the
 * token after (if any) not I-x.
 */
export function spanProbability(lat: Lattice, first: number, last: number, type: number): number {
  const { T, n, alpha, beta, E, A, scale } = lat;
  const B = 1 + 2 * type;
  const I = 2 + 2 * type;
  let p = alpha[first * T + B];
  let prev = B;
  for (let i = first + 1; i <= last; i++) {
    p *= (A[prev * T + I] * E[i * T + I]) / scale[i];
    prev = I;
  }
  if (last < n - 1) {
    let tail = 0;
    const i = last + 1;
    for (let y = 0; y < T; y++) if (y !== I) tail += A[prev * T + y] * E[i * T + y] * beta[i * T + y];
    p *= tail / scale[i];
  }
  return Math.min(1, p);
}
