import { type Features, logits, probabilities, vectorize } from './featurize.js';
import { readModel, type RuntimeState } from './model-bytes.js';

/**
 * `apprentice/runtime`: runs a student.bin anywhere JavaScript runs (Node, a browser page, a Web
 * Worker, a service worker or edge function). It is bundled into one ES module with no imports and
 * no Node APIs, and imports nothing from the library (src/architecture.test.ts holds it to that);
 * featurize.ts repeats the library's arithmetic step for step, so the probabilities are the
 * library's bit for bit (runtime.test.ts and the browser test compare them).
 */
export { RuntimeModelError } from './model-bytes.js';

export interface RuntimePrediction {
  /** Predicted label(s): the most probable one (single-label), or every label over its threshold (multi-label). */
  labels: string[];
  /** Every label with its calibrated probability, highest first (ties in label order). */
  scores: { label: string; score: number }[];
}

export interface RuntimeStudent {
  readonly kind: 'hashed-linear';
  readonly labels: string[];
  readonly multiLabel: boolean;
  predict(text: string): RuntimePrediction;
}

/** A model's bytes, or a URL to fetch them from (relative URLs resolve against the page or worker). */
export type StudentSource = Uint8Array | ArrayBuffer | string | URL;

export async function loadStudent(source: StudentSource): Promise<RuntimeStudent> {
  let bytes: Uint8Array;
  if (source instanceof Uint8Array) bytes = source;
  else if (source instanceof ArrayBuffer) bytes = new Uint8Array(source);
  else if (typeof source === 'string' || source instanceof URL) {
    const response = await fetch(source);
    if (!response.ok) throw new Error(`cannot fetch model ${String(source)}: HTTP ${response.status}`);
    bytes = new Uint8Array(await response.arrayBuffer());
  } else throw new TypeError('loadStudent expects a Uint8Array, an ArrayBuffer or a URL');
  return studentFrom(readModel(bytes));
}

function studentFrom(s: RuntimeState): RuntimeStudent {
  const K = s.labels.length;
  const features: Features = { cfg: s.hashing, charWeight: s.charWeight, buckets: s.buckets, idf: s.idf };
  const z = new Float64Array(K);
  const labels = s.labels.slice();
  return {
    kind: 'hashed-linear',
    labels: s.labels.slice(),
    multiLabel: s.multiLabel,
    predict(text: string): RuntimePrediction {
      logits(s.weights, s.bias, vectorize(features, String(text)), z);
      const probs = probabilities(s.multiLabel, z, s.temperature);
      const scores = labels.map((label, k) => ({ label, score: probs[k] }));
      const picked = s.multiLabel ? decideMulti(s, probs) : [argmax(probs)];
      // Stable sort: equal scores stay in label order.
      scores.sort((a, b) => b.score - a.score);
      return { labels: picked.map((k) => labels[k]), scores };
    },
  };
}

/** First label with the highest probability, as HashedLinearStudent picks it. */
function argmax(probs: Float32Array): number {
  let best = 0;
  for (let k = 1; k < probs.length; k++) if (probs[k] > probs[best]) best = k;
  return best;
}

/** Every label at or over its threshold; the top one when none is and training had no unlabeled rows. */
function decideMulti(s: RuntimeState, probs: Float32Array): number[] {
  const picked: number[] = [];
  for (let k = 0; k < probs.length; k++) if (probs[k] >= s.thresholds![k]) picked.push(k);
  if (picked.length === 0 && s.atLeastOne && probs.length > 0) picked.push(argmax(probs));
  return picked;
}
