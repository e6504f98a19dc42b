import { hashText, type HashedText, type HashingConfig } from './hashing.js';

/**
 * Hashed buckets → sparse TF-IDF vectors over the buckets kept at training time (dense ids 0..F-1).
 * Words and char n-grams are normalized as separate blocks, then mixed by `charWeight`: char
 * n-grams outnumber words ~5:1 and would otherwise drown them.
 */
export interface VocabData {
  /** Bucket of each dense feature id, ascending. */
  buckets: Int32Array;
  /** IDF per dense feature id. */
  idf: Float32Array;
}

export interface SparseRows {
  /** Row r spans entries indptr[r]..indptr[r+1]. */
  indptr: Int32Array;
  indices: Int32Array;
  values: Float32Array;
}

/** Distinct buckets of one text with their counts: [word block | char block]. */
interface Counted {
  keys: Int32Array;
  counts: Int32Array;
  /** keys[0..split) are words, keys[split..n) are char n-grams. */
  split: number;
  n: number;
}

/**
 * Counts repeated buckets by sorting each block. Sorted keys also make every later lookup (vocabulary
 * index, weight rows) walk memory in ascending order, which matters once tables outgrow the cache.
 */
class BucketCounter {
  private sortBuf = new Int32Array(256);
  readonly out: Counted = { keys: new Int32Array(256), counts: new Int32Array(256), split: 0, n: 0 };

  count(h: HashedText): Counted {
    const out = this.out;
    const need = h.words.length + h.chars.length;
    if (out.keys.length < need) {
      out.keys = new Int32Array(need * 2);
      out.counts = new Int32Array(need * 2);
    }
    out.n = 0;
    this.block(h.words);
    out.split = out.n;
    this.block(h.chars);
    return out;
  }

  private block(list: number[]): void {
    if (this.sortBuf.length < list.length) this.sortBuf = new Int32Array(list.length * 2);
    const sorted = this.sortBuf.subarray(0, list.length);
    for (let i = 0; i < list.length; i++) sorted[i] = list[i];
    sorted.sort();
    const out = this.out;
    const first = out.n;
    for (let i = 0; i < sorted.length; i++) {
      if (out.n > first && out.keys[out.n - 1] === sorted[i]) out.counts[out.n - 1]++;
      else {
        out.keys[out.n] = sorted[i];
        out.counts[out.n++] = 1;
      }
    }
  }
}

/**
 * Which document frequencies to keep: every bucket with df > cut, plus the first `atCut` buckets
 * with df == cut, so that at most `maxFeatures` survive and none under `minDf`.
 */
function dfCutoff(df: Int32Array, minDf: number, maxFeatures: number): { cut: number; atCut: number } {
  const byDf = new Map<number, number>();
  for (const d of df) if (d >= minDf) byDf.set(d, (byDf.get(d) ?? 0) + 1);
  const levels = [...byDf.keys()].sort((a, b) => b - a);
  let kept = 0;
  for (const d of levels) {
    const here = byDf.get(d)!;
    if (kept + here > maxFeatures) return { cut: d, atCut: maxFeatures - kept };
    kept += here;
  }
  return { cut: Math.max(1, minDf), atCut: byDf.get(Math.max(1, minDf)) ?? 0 };
}

/** Append-only int32 buffer, so a whole corpus's features sit in one allocation. */
class IntList {
  data = new Int32Array(1024);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Int32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
}

export class Vectorizer {
  readonly cfg: HashingConfig;
  readonly charWeight: number;
  readonly vocab: VocabData;
  /** bucket → dense id, -1 when the bucket was not kept in training. */
  private readonly index: Int32Array;
  /**
   * One bit per bucket, set when it is kept: 1/32 of `index`, so it stays in cache, where most
   * lookups (every n-gram of a text, most of them not kept) would otherwise miss it.
   */
  private readonly kept: Int32Array;
  private readonly hashed: HashedText = { words: [], chars: [] };
  private counter?: BucketCounter;

  constructor(cfg: HashingConfig, charWeight: number, vocab: VocabData) {
    this.cfg = cfg;
    this.charWeight = charWeight;
    this.vocab = vocab;
    this.index = new Int32Array(1 << cfg.bits).fill(-1);
    this.kept = new Int32Array(Math.ceil((1 << cfg.bits) / 32));
    for (let i = 0; i < vocab.buckets.length; i++) {
      const b = vocab.buckets[i];
      this.index[b] = i;
      this.kept[b >>> 5] |= 1 << (b & 31);
    }
  }

  get size(): number {
    return this.vocab.buckets.length;
  }

  /** Dense feature id of a bucket, -1 when training did not keep it. */
  idOf(bucket: number): number {
    return this.index[bucket];
  }

  /**
   * Builds the vocabulary from training texts: buckets in at least `minDf` texts, at most
   * `maxFeatures` of them (the most frequent; ties to the lower bucket), only those in `allow` when
   * given, with smoothed IDF.
   */
  static fit(
    texts: readonly string[],
    cfg: HashingConfig,
    charWeight: number,
    minDf: number,
    maxFeatures = Infinity,
    allow?: Int32Array,
  ): { vectorizer: Vectorizer; rows: SparseRows } {
    const nb = 1 << cfg.bits;
    const counter = new BucketCounter();
    const hashed: HashedText = { words: [], chars: [] };
    const df = new Int32Array(nb);
    const seen = new Int32Array(nb);
    // Flat store of every text's counted buckets: keys, counts, and per text [start, split, end).
    const keys = new IntList();
    const counts = new IntList();
    const bounds = new Int32Array(texts.length * 2 + 1);
    for (let r = 0; r < texts.length; r++) {
      const c = counter.count(hashText(texts[r], cfg, hashed));
      for (let i = 0; i < c.n; i++) {
        keys.push(c.keys[i]);
        counts.push(c.counts[i]);
      }
      // A bucket can be in both blocks of one text (a collision); it still counts once towards df.
      for (let i = 0; i < c.n; i++) {
        const b = c.keys[i];
        if (seen[b] !== r + 1) {
          seen[b] = r + 1;
          df[b]++;
        }
      }
      bounds[2 * r + 1] = bounds[2 * r] + c.split;
      bounds[2 * r + 2] = bounds[2 * r] + c.n;
    }
    // A pruned model refits on the buckets an earlier fit chose: every other bucket counts as unseen.
    if (allow) {
      const allowed = new Uint8Array(nb);
      for (const b of allow) allowed[b] = 1;
      for (let b = 0; b < nb; b++) if (!allowed[b]) df[b] = 0;
    }
    const { cut, atCut } = dfCutoff(df, minDf, maxFeatures);
    let f = 0;
    let tiesLeft = atCut;
    for (let b = 0; b < nb; b++) if (df[b] > cut || (df[b] === cut && tiesLeft-- > 0)) f++;
    const buckets = new Int32Array(f);
    const idf = new Float32Array(f);
    const n = texts.length;
    tiesLeft = atCut;
    for (let b = 0, i = 0; b < nb; b++) {
      if (!(df[b] > cut || (df[b] === cut && tiesLeft-- > 0))) continue;
      buckets[i] = b;
      idf[i++] = Math.log((1 + n) / (1 + df[b])) + 1;
    }
    const vectorizer = new Vectorizer(cfg, charWeight, { buckets, idf });
    // Every text's entries live in one flat store; a view points at text r's [start, split, end).
    const view: Counted = { keys: keys.data, counts: counts.data, split: 0, n: 0 };
    const rows = vectorizer.emit(texts.length, (r) => {
      view.split = bounds[2 * r + 1];
      view.n = bounds[2 * r + 2];
      return { c: view, start: bounds[2 * r] };
    });
    return { vectorizer, rows };
  }

  vectorize(text: string): { indices: Int32Array; values: Float32Array } {
    const row = this.vectorizeInto(text);
    return { indices: row.indices.slice(0, row.n), values: row.values.slice(0, row.n) };
  }

  /**
   * One text's row in buffers reused from call to call (valid until the next call): what `predict`
   * uses. The same numbers as `vectorizeMany` in the same order, since buckets map to ids in
   * ascending order; but each bucket is looked up before sorting, so buckets the model does not keep
   * (most of them in a pruned model) are never sorted or counted.
   */
  vectorizeInto(text: string): { indices: Int32Array; values: Float32Array; n: number } {
    const h = hashText(text, this.cfg, this.hashed);
    const one = this.one;
    const need = h.words.length + h.chars.length;
    if (one.ids.length < need) {
      one.ids = new Int32Array(need * 2);
      one.indices = new Int32Array(need * 2);
      one.values = new Float32Array(need * 2);
    }
    const wordSq = this.oneBlock(h.words, 0);
    const splitAt = one.n;
    const charSq = this.oneBlock(h.chars, splitAt);
    const at = one.n;
    const values = one.values;
    const wChars = this.charWeight;
    const hasWords = wordSq > 0;
    const hasChars = charSq > 0 && wChars > 0;
    const mix = Math.sqrt((hasWords ? 1 : 0) + (hasChars ? wChars * wChars : 0));
    const sWords = hasWords ? 1 / (Math.sqrt(wordSq) * mix) : 0;
    const sChars = hasChars ? wChars / (Math.sqrt(charSq) * mix) : 0;
    for (let i = 0; i < splitAt; i++) values[i] *= sWords;
    for (let i = splitAt; i < at; i++) values[i] *= sChars;
    return one;
  }

  private readonly one = {
    ids: new Int32Array(256),
    indices: new Int32Array(256),
    values: new Float32Array(256),
    n: 0,
  };

  /** Kept ids of one block, sorted and counted into `one` from `start`; returns the block's squared norm. */
  private oneBlock(list: number[], start: number): number {
    const { one, index } = this;
    const { idf } = this.vocab;
    let m = 0;
    const kept = this.kept;
    for (let i = 0; i < list.length; i++) {
      const b = list[i];
      if ((kept[b >>> 5] >>> (b & 31)) & 1) one.ids[m++] = index[b];
    }
    const ids = one.ids.subarray(0, m).sort();
    let at = start;
    let sq = 0;
    for (let i = 0; i < m; ) {
      const id = ids[i];
      let tf = 1;
      while (++i < m && ids[i] === id) tf++;
      // Sublinear TF, as in `emit`.
      const v = (tf === 1 ? 1 : 1 + Math.log(tf)) * idf[id];
      one.indices[at] = id;
      one.values[at++] = v;
      sq += v * v;
    }
    one.n = at;
    return sq;
  }

  vectorizeMany(texts: readonly string[]): SparseRows {
    this.counter ??= new BucketCounter();
    const counter = this.counter;
    return this.emit(texts.length, (r) => ({ c: counter.count(hashText(texts[r], this.cfg, this.hashed)), start: 0 }));
  }

  /** Writes TF-IDF rows; `rowAt(r)` gives text r's counted buckets, from `start` on. */
  private emit(nRows: number, rowAt: (r: number) => { c: Counted; start: number }): SparseRows {
    const indptr = new Int32Array(nRows + 1);
    let indices = new Int32Array(Math.max(16, nRows * 64));
    let values = new Float32Array(indices.length);
    const { idf } = this.vocab;
    const index = this.index;
    const wWords = 1;
    const wChars = this.charWeight;
    let at = 0;
    for (let r = 0; r < nRows; r++) {
      const { c, start } = rowAt(r);
      if (at + (c.n - start) > indices.length) {
        const size = Math.max(indices.length * 2, at + c.n - start);
        const ni = new Int32Array(size);
        ni.set(indices);
        indices = ni;
        const nv = new Float32Array(size);
        nv.set(values);
        values = nv;
      }
      const rowStart = at;
      let wordSq = 0;
      let splitAt = at;
      let charSq = 0;
      for (let i = start; i < c.n; i++) {
        if (i === c.split) splitAt = at;
        const id = index[c.keys[i]];
        if (id < 0) continue;
        // Sublinear TF: a word said twice is not twice the evidence.
        const tf = c.counts[i];
        const v = (tf === 1 ? 1 : 1 + Math.log(tf)) * idf[id];
        indices[at] = id;
        values[at++] = v;
        if (i < c.split) wordSq += v * v;
        else charSq += v * v;
      }
      if (c.split >= c.n) splitAt = at;
      // Each non-empty block gets unit norm times its weight; then the whole row gets unit norm.
      const hasWords = wordSq > 0;
      const hasChars = charSq > 0 && wChars > 0;
      const mix = Math.sqrt((hasWords ? wWords * wWords : 0) + (hasChars ? wChars * wChars : 0));
      const sWords = hasWords ? wWords / (Math.sqrt(wordSq) * mix) : 0;
      const sChars = hasChars ? wChars / (Math.sqrt(charSq) * mix) : 0;
      for (let i = rowStart; i < splitAt; i++) values[i] *= sWords;
      for (let i = splitAt; i < at; i++) values[i] *= sChars;
      indptr[r + 1] = at;
    }
    return { indptr, indices: indices.slice(0, at), values: values.slice(0, at) };
  }
}
