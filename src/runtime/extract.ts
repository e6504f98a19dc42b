import { readSequenceModel, type SequenceRuntimeState } from './sequence-bytes.js';
import {
  biased,
  bioMask,
  type ChainWeights,
  emissions,
  forwardBackward,
  pathLogProb,
  spanProbability,
  sparseRows,
  transitionFactors,
  transitionSpread,
  viterbi,
} from './sequence-decode.js';
import { sentenceFeatures, tokenizeWithOffsets } from './sequence-features.js';

/**
 * `apprentice/runtime/extract`: runs an extraction student.bin (sequence-perceptron) anywhere
 * JavaScript runs. A separate entry from the classification runtime (src/runtime/index.ts), so a
 * page that only classifies never downloads the tagger. One ES module, no imports, no Node APIs;
 * its files copy the library's tokenizer, features and decoder step for step, so the spans and
 * scores are the library's bit for bit (src/export/runtime-extract.test.ts compares them).
 */
export { RuntimeModelError } from './model-bytes.js';

export interface RuntimeSpan {
  /** UTF-16 offsets into the text (what `slice` takes), end exclusive. */
  start: number;
  end: number;
  type: string;
  text: string;
  /** Probability, under the calibrated model, that exactly this span with this type is in the text. */
  score: number;
}

export interface RuntimeExtraction {
  spans: RuntimeSpan[];
  /** Probability of the whole tagging: low means the model is unsure about this text. */
  confidence: number;
}

export interface RuntimeExtractor {
  readonly kind: 'sequence-perceptron';
  /** Entity types (or attribute names) the model tags. */
  readonly types: string[];
  extract(text: string): RuntimeExtraction;
}

export type ModelSource = Uint8Array | ArrayBuffer | string | URL;

export async function loadExtractor(source: ModelSource): Promise<RuntimeExtractor> {
  let bytes: Uint8Array;
  if (source instanceof Uint8Array) bytes = source;
  else if (source instanceof ArrayBuffer) bytes = new Uint8Array(source);
  else if (typeof source === 'string' || source instanceof URL) {
    const response = await fetch(source);
    if (!response.ok) throw new Error(`cannot fetch model ${String(source)}: HTTP ${response.status}`);
    bytes = new Uint8Array(await response.arrayBuffer());
  } else throw new TypeError('loadExtractor expects a Uint8Array, an ArrayBuffer or a URL');
  return extractorFrom(readSequenceModel(bytes));
}

function extractorFrom(s: SequenceRuntimeState): RuntimeExtractor {
  const T = 1 + 2 * s.types.length;
  const rowOf = new Int32Array(1 << s.features.bits).fill(-1);
  s.buckets.forEach((b, i) => (rowOf[b] = i));
  const weights: ChainWeights = {
    T,
    emit: s.rows,
    rowOf,
    trans: s.trans,
    start: s.start,
    sparse: sparseRows(s.rows, T, rowOf),
  };
  const mask = bioMask(T);
  // Per model, as the library's SequencePerceptronStudent does: the decoders' sentence-independent parts.
  const factors = transitionFactors(weights, mask, s.temperature);
  const spread = transitionSpread(weights);
  const types = s.types.slice();
  return {
    kind: 'sequence-perceptron',
    types: s.types.slice(),
    extract(input: string): RuntimeExtraction {
      const text = String(input);
      const toks = tokenizeWithOffsets(text);
      const n = toks.length;
      if (n === 0) return { spans: [], confidence: 1 };
      const feats = sentenceFeatures(text, toks, s.features);
      const em = biased(emissions(feats, weights), n, T, s.outsideBias);
      const tags = viterbi(em, n, weights, mask, spread);
      const lattice = forwardBackward(em, n, weights, mask, s.temperature, factors);
      const spans: RuntimeSpan[] = [];
      for (let i = 0; i < n; ) {
        const tag = tags[i];
        if (tag === 0) {
          i++;
          continue;
        }
        const type = (tag - 1) >> 1;
        let last = i;
        while (last + 1 < n && tags[last + 1] === 2 + 2 * type) last++;
        const start = toks[i].start;
        const end = toks[last].end;
        spans.push({
          start,
          end,
          type: types[type],
          text: text.slice(start, end),
          score: spanProbability(lattice, i, last, type),
        });
        i = last + 1;
      }
      return { spans, confidence: Math.min(1, Math.exp(pathLogProb(lattice, tags))) };
    },
  };
}
