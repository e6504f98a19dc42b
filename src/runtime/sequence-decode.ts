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
  const { emit, rowOf } = w;
  const { ids, offsets } = f;
  for (let i = 0; i < n; i++) {
    const base = i * T;
    for (let k = offsets[i]; k < offsets[i + 1]; k++) {
      const r = rowOf ? rowOf[ids[k]] : ids[k];
      if (r < 0) continue;
      const row = r * T;
      for (let t = 0; t < T; t++) em[base + t] += emit[row + t];
    }
  }
  return em;
}

/** Takes `bias` off every token's O score (tag 0), in place: the recall/precision trade-off. */
export function biased(em: Float64Array, n: number, T: number, bias: number): Float64Array {
  if (bias !== 0) for (let i = 0; i < n; i++) em[i * T] -= bias;
  return em;
}

/**
 * Viterbi over the BIO lattice. The loops lean on the tag layout (0 = O, odd = B-x, even = I-x,
 * `bioMask`'s rule): O and every B may follow any tag, so their best predecessor is one pass over
 * the previous token's scores in row order (contiguous in `trans`); I-x has exactly two, B-x and
 * I-x. Ties go to the lower predecessor, as a scan in tag order would.
 */
export function viterbi(em: Float64Array, n: number, w: ChainWeights, mask: ReturnType<typeof bioMask>): Int32Array {
  const T = w.T;
  const trans = w.trans;
  const tags = new Int32Array(n);
  if (n === 0) return tags;
  const score = new Float64Array(n * T);
  const back = new Int32Array(n * T);
  for (let t = 0; t < T; t++) score[t] = em[t] + w.start[t] + mask.start[t];
  for (let i = 1; i < n; i++) {
    const prev = (i - 1) * T;
    const cur = i * T;
    score[cur] = -Infinity;
    for (let t = 1; t < T; t += 2) score[cur + t] = -Infinity;
    for (let p = 0; p < T; p++) {
      const sp = score[prev + p];
      const row = p * T;
      let v = sp + trans[row];
      if (v > score[cur]) {
        score[cur] = v;
        back[cur] = p;
      }
      for (let t = 1; t < T; t += 2) {
        v = sp + trans[row + t];
        if (v > score[cur + t]) {
          score[cur + t] = v;
          back[cur + t] = p;
        }
      }
    }
    for (let t = 2; t < T; t += 2) {
      const fromB = score[prev + t - 1] + trans[(t - 1) * T + t];
      const fromI = score[prev + t] + trans[t * T + t];
      if (fromI > fromB) {
        score[cur + t] = fromI;
        back[cur + t] = t;
      } else {
        score[cur + t] = fromB;
        back[cur + t] = t - 1;
      }
    }
    for (let t = 0; t < T; t++) score[cur + t] += em[cur + t];
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

/**
 * The sentence-independent part of forward-backward: exp(transition / temperature − max) and the
 * start factors. With many types (103 tags on OA-Mine) this is T² exponentials, more than a short
 * product title's emissions, so a trained model computes it once (`transitionFactors`) and passes it in.
 */
export interface TransitionFactors {
  temperature: number;
  A: Float64Array;
  /** Max allowed transition / temperature (subtracted inside A). */
  mt: number;
  /** exp(start / temperature − ms); 0 where a sentence may not start. */
  S: Float64Array;
  ms: number;
}

export function transitionFactors(
  w: ChainWeights,
  mask: ReturnType<typeof bioMask>,
  temperature: number,
): TransitionFactors {
  const T = w.T;
  const A = new Float64Array(T * T);
  let mt = -Infinity;
  for (let k = 0; k < T * T; k++) if (mask.trans[k] === 0) mt = Math.max(mt, w.trans[k] / temperature);
  for (let k = 0; k < T * T; k++) A[k] = mask.trans[k] === 0 ? Math.exp(w.trans[k] / temperature - mt) : 0;
  let ms = -Infinity;
  for (let t = 0; t < T; t++) if (mask.start[t] === 0) ms = Math.max(ms, w.start[t] / temperature);
  const S = new Float64Array(T);
  for (let t = 0; t < T; t++) S[t] = mask.start[t] === 0 ? Math.exp(w.start[t] / temperature - ms) : 0;
  return { temperature, A, mt, S, ms };
}

export function forwardBackward(
  rawEm: Float64Array,
  n: number,
  w: ChainWeights,
  mask: ReturnType<typeof bioMask>,
  temperature: number,
  factors?: TransitionFactors,
): Lattice {
  const T = w.T;
  const f = factors && factors.temperature === temperature ? factors : transitionFactors(w, mask, temperature);
  const E = new Float64Array(n * T);
  const A = f.A;
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
  offset += (n - 1) * f.mt;
  offset += f.ms;
  let sum = 0;
  for (let t = 0; t < T; t++) {
    const v = f.S[t] * E[t];
    alpha[t] = v;
    sum += v;
  }
  scale[0] = sum;
  for (let t = 0; t < T; t++) alpha[t] /= sum;
  for (let i = 1; i < n; i++) {
    // Same layout trick as `viterbi`: O and B-x sum over every predecessor, row by row of A; I-x
    // over B-x and I-x. Sums run in predecessor order either way.
    const prev = (i - 1) * T;
    const cur = i * T;
    for (let t = 0; t < T; t += t === 0 ? 1 : 2) alpha[cur + t] = 0;
    for (let p = 0; p < T; p++) {
      const ap = alpha[prev + p];
      if (ap === 0) continue;
      const row = p * T;
      alpha[cur] += ap * A[row];
      for (let t = 1; t < T; t += 2) alpha[cur + t] += ap * A[row + t];
    }
    for (let t = 2; t < T; t += 2)
      alpha[cur + t] = alpha[prev + t - 1] * A[(t - 1) * T + t] + alpha[prev + t] * A[t * T + t];
    sum = 0;
    for (let t = 0; t < T; t++) {
      const v = alpha[cur + t] * E[cur + t];
      alpha[cur + t] = v;
      sum += v;
    }
    scale[i] = sum;
    for (let t = 0; t < T; t++) alpha[cur + t] /= sum;
  }
  for (let t = 0; t < T; t++) beta[(n - 1) * T + t] = 1;
  const next = new Float64Array(T);
  for (let i = n - 2; i >= 0; i--) {
    const nx = (i + 1) * T;
    for (let t = 0; t < T; t++) next[t] = E[nx + t] * beta[nx + t];
    for (let p = 0; p < T; p++) {
      // Successors of p: O, every B, and I of p's own type (A is 0 for every other I).
      const row = p * T;
      let acc = A[row] * next[0];
      for (let t = 1; t < T; t += 2) acc += A[row + t] * next[t];
      if (p > 0) {
        const I = p % 2 === 1 ? p + 1 : p;
        acc += A[row + I] * next[I];
      }
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
