/**
 * The hashed-linear student's featurizer and linear layer, for the runtime. The runtime is a leaf
 * (it imports nothing from src/, see docs/architecture.md), so this is a copy of
 * src/text/fnv.ts, src/student/hashed-linear/hashing.ts, vectorizer.ts and linear.ts reduced to one
 * text at a time, with the same arithmetic in the same order: float32 rounding where the library
 * stores float32, float64 where it keeps doubles, and the same summation order. runtime.test.ts
 * and the browser test compare every probability with the library's, so a drift fails them.
 */

export interface HashingConfig {
  bits: number;
  wordNgrams: number;
  charMin: number;
  charMax: number;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const SEED_WORD = 0x2545f491;
const SEED_NGRAM = 0x68e31da4;
const SEED_CHAR = 0x1b873593;
const PAD_START = 0x3c;
const PAD_END = 0x3e;

const step = (h: number, c: number): number => Math.imul(h ^ c, FNV_PRIME);

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const ASCII = /^[\x00-\x7f]*$/;
const TOKEN = /[\p{L}\p{N}]+(?:'[\p{L}\p{N}]+)*|'[\p{L}]+|[^\s\p{L}\p{N}]/gu;
const ALNUM = /[\p{L}\p{N}]/u;

function normalizeText(text: string): string {
  if (ASCII.test(text)) return text.toLowerCase().replace(/`/g, "'");
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc`]/g, "'");
}

/** Word (and word n-gram) buckets, and char n-gram buckets, of one text. */
function hashText(text: string, cfg: HashingConfig): { words: number[]; chars: number[] } {
  const mask = (1 << cfg.bits) - 1;
  const words: number[] = [];
  const chars: number[] = [];
  const tokens = normalizeText(text).match(TOKEN) ?? [];
  const tokenHashes: number[] = [];
  for (const tok of tokens) {
    let h = FNV_OFFSET ^ SEED_WORD;
    for (let i = 0; i < tok.length; i++) h = step(h, tok.charCodeAt(i));
    h >>>= 0;
    tokenHashes.push(h);
    words.push(fmix32(h) & mask);
    if (cfg.charMax > 0 && (tok.length > 1 || ALNUM.test(tok))) {
      const len = tok.length + 2;
      const last = len - 1;
      for (let start = 0; start < len; start++) {
        let c = FNV_OFFSET ^ SEED_CHAR;
        const stop = Math.min(len, start + cfg.charMax);
        for (let i = start; i < stop; i++) {
          c = step(c, i === 0 ? PAD_START : i === last ? PAD_END : tok.charCodeAt(i - 1));
          const n = i - start + 1;
          if (n >= cfg.charMin && !(start === 0 && i === last)) chars.push(fmix32(c + n) & mask);
        }
      }
    }
  }
  for (let n = 2; n <= cfg.wordNgrams; n++) {
    for (let t = 0; t + n <= tokens.length; t++) {
      let h = SEED_NGRAM + n;
      for (let j = 0; j < n; j++) h = step(h, tokenHashes[t + j]) + j;
      words.push(fmix32(h) & mask);
    }
  }
  return { words, chars };
}

/** Distinct sorted buckets of a block with their counts. */
function counted(list: number[]): { keys: number[]; counts: number[] } {
  const sorted = Int32Array.from(list).sort();
  const keys: number[] = [];
  const counts: number[] = [];
  for (const b of sorted) {
    if (keys.length > 0 && keys[keys.length - 1] === b) counts[counts.length - 1]++;
    else {
      keys.push(b);
      counts.push(1);
    }
  }
  return { keys, counts };
}

export interface Features {
  cfg: HashingConfig;
  charWeight: number;
  /** Dense feature id → bucket, ascending. */
  buckets: Int32Array;
  idf: Float32Array;
}

function featureId(buckets: Int32Array, b: number): number {
  let lo = 0;
  let hi = buckets.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (buckets[mid] < b) lo = mid + 1;
    else if (buckets[mid] > b) hi = mid - 1;
    else return mid;
  }
  return -1;
}

/** Sparse TF-IDF row: word block and char block each at unit norm times its weight, then the row at unit norm. */
export function vectorize(f: Features, text: string): { indices: Int32Array; values: Float32Array } {
  const h = hashText(text, f.cfg);
  const w = counted(h.words);
  const c = counted(h.chars);
  const n = w.keys.length + c.keys.length;
  const indices = new Int32Array(n);
  const values = new Float32Array(n);
  let at = 0;
  const block = (b: { keys: number[]; counts: number[] }): number => {
    let sq = 0;
    for (let i = 0; i < b.keys.length; i++) {
      const id = featureId(f.buckets, b.keys[i]);
      if (id < 0) continue;
      const tf = b.counts[i];
      const v = (tf === 1 ? 1 : 1 + Math.log(tf)) * f.idf[id];
      indices[at] = id;
      values[at++] = v;
      sq += v * v;
    }
    return sq;
  };
  const wordSq = block(w);
  const splitAt = at;
  const charSq = block(c);
  const wChars = f.charWeight;
  const hasWords = wordSq > 0;
  const hasChars = charSq > 0 && wChars > 0;
  const mix = Math.sqrt((hasWords ? 1 : 0) + (hasChars ? wChars * wChars : 0));
  const sWords = hasWords ? 1 / (Math.sqrt(wordSq) * mix) : 0;
  const sChars = hasChars ? wChars / (Math.sqrt(charSq) * mix) : 0;
  for (let i = 0; i < splitAt; i++) values[i] *= sWords;
  for (let i = splitAt; i < at; i++) values[i] *= sChars;
  return { indices: indices.subarray(0, at), values: values.subarray(0, at) };
}

/** bias + x·W with W feature-major (W[f*K + k]), four features per sweep as the library sums them. */
export function logits(
  W: Float32Array,
  bias: Float32Array,
  x: { indices: Int32Array; values: Float32Array },
  out: Float64Array,
): Float64Array {
  const K = out.length;
  const { indices, values } = x;
  for (let k = 0; k < K; k++) out[k] = bias[k];
  let i = 0;
  for (; i + 3 < indices.length; i += 4) {
    const v0 = values[i];
    const v1 = values[i + 1];
    const v2 = values[i + 2];
    const v3 = values[i + 3];
    const b0 = indices[i] * K;
    const b1 = indices[i + 1] * K;
    const b2 = indices[i + 2] * K;
    const b3 = indices[i + 3] * K;
    for (let k = 0; k < K; k++) out[k] += v0 * W[b0 + k] + v1 * W[b1 + k] + v2 * W[b2 + k] + v3 * W[b3 + k];
  }
  for (; i < indices.length; i++) {
    const v = values[i];
    const b = indices[i] * K;
    for (let k = 0; k < K; k++) out[k] += v * W[b + k];
  }
  return out;
}

/** Calibrated probabilities at temperature T: softmax (single-label) or a sigmoid per label, as float32. */
export function probabilities(sigmoid: boolean, z: Float64Array, temperature: number): Float32Array {
  const K = z.length;
  const out = new Float32Array(K);
  if (sigmoid) {
    for (let k = 0; k < K; k++) out[k] = 1 / (1 + Math.exp(-z[k] / temperature));
    return out;
  }
  let max = -Infinity;
  for (let k = 0; k < K; k++) if (z[k] > max) max = z[k];
  const e = new Float64Array(K);
  let sum = 0;
  for (let k = 0; k < K; k++) sum += e[k] = Math.exp((z[k] - max) / temperature);
  for (let k = 0; k < K; k++) out[k] = e[k] / sum;
  return out;
}
