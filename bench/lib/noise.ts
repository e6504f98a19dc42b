/**
 * The benchmark's noisy teacher: text-dependent label noise, the way an LLM errs. A reference model
 * (nearest label centroid over IDF-weighted word and character-trigram vectors, src/text/label-similarity.ts;
 * not the student's model family) scores every label for a text without ever having seen that text:
 * train rows are scored by centroids of the other folds, other texts by centroids of all train rows.
 * A text's hardness is how close the best wrong label comes to its gold label(s); the chance of a wrong
 * answer rises linearly with the hardness rank, from 0 for the easiest text to twice the noise rate for
 * the hardest (mean: the noise rate). A wrong answer is the label the reference finds most likely
 * besides the gold one (multi-label: it replaces the gold label the reference finds least likely).
 * Whether a text is answered wrongly is decided by a hash of seed and text, so the same text always
 * gets the same answer (an LLM at temperature 0), however often and in whatever order it is asked.
 */
import { labelCentroids } from '../../src/text/label-similarity.js';
import { textVector } from '../../src/text/text-vector.js';
import { cosine } from '../../src/text/vector.js';
import { sha256 } from '../../src/util/hash.js';
import { Rng } from '../../src/util/random.js';
import type { Row } from './datasets.js';

export const NOISE_FOLDS = 5;
export const NOISE_MODEL = `text-dependent: flip to the runner-up label of a nearest-centroid reference (IDF-weighted word + char-trigram vectors, ${NOISE_FOLDS}-fold cross-fitted on train; fit on all of train for other texts), flip probability rising linearly with the reference's hardness rank (mean = noise rate)`;

/** Per text, the reference's score for each label (aligned with `labels`). */
type Scores = Float64Array;

function scoreWith(rows: readonly Row[], texts: readonly string[], labels: readonly string[]): Scores[] {
  const centroids = labelCentroids(rows);
  return texts.map((t) => {
    const v = textVector(t);
    const s = new Float64Array(labels.length);
    labels.forEach((l, k) => {
      const c = centroids.get(l);
      s[k] = c ? cosine(v, c) : -1;
    });
    return s;
  });
}

/** Reference scores for every train row from centroids of the folds it is not in. */
export function crossFittedScores(rows: readonly Row[], labels: readonly string[], seed: number): Scores[] {
  const fold = new Rng(seed).shuffle([...rows.keys()]).reduce<number[]>((acc, row, i) => {
    acc[row] = i % NOISE_FOLDS;
    return acc;
  }, []);
  const out: Scores[] = new Array(rows.length);
  for (let k = 0; k < NOISE_FOLDS; k++) {
    const inFold = [...rows.keys()].filter((i) => fold[i] === k);
    const scores = scoreWith(
      rows.filter((_, i) => fold[i] !== k),
      inFold.map((i) => rows[i].text),
      labels,
    );
    inFold.forEach((i, j) => {
      out[i] = scores[j];
    });
  }
  return out;
}

/**
 * The noisy labels of `rows` given reference scores: which rows flip and to what, as described above.
 * Pure, so the rule is unit-tested apart from the reference model.
 */
export function applyNoise(
  rows: readonly Row[],
  scores: readonly Scores[],
  labels: readonly string[],
  noise: number,
  seed: number,
): Row[] {
  const index = new Map(labels.map((l, k) => [l, k]));
  const info = rows.map((r, i) => {
    const s = scores[i];
    const gold = new Set(r.labels.map((l) => index.get(l)!));
    let bestWrong = -1;
    for (let k = 0; k < labels.length; k++) if (!gold.has(k) && (bestWrong < 0 || s[k] > s[bestWrong])) bestWrong = k;
    let weakestGold = -1;
    for (const k of gold) if (weakestGold < 0 || s[k] < s[weakestGold]) weakestGold = k;
    const hardness = bestWrong < 0 ? -Infinity : weakestGold < 0 ? s[bestWrong] : s[bestWrong] - s[weakestGold];
    return { bestWrong, weakestGold, hardness };
  });
  const order = [...rows.keys()].sort((a, b) => info[a].hardness - info[b].hardness || a - b);
  const rank = new Array<number>(rows.length);
  order.forEach((row, r) => {
    rank[row] = r + 1;
  });
  const n = rows.length;
  return rows.map((r, i) => {
    const p = Math.min(1, (noise * 2 * rank[i]) / (n + 1));
    const u = parseInt(sha256(`${seed}\u0000${r.text}`).slice(0, 8), 16) / 2 ** 32;
    const { bestWrong, weakestGold } = info[i];
    if (u >= p || bestWrong < 0) return { text: r.text, labels: [...r.labels] };
    if (weakestGold < 0) return { text: r.text, labels: [labels[bestWrong]] };
    const wrong = r.labels.map((l) => (l === labels[weakestGold] ? labels[bestWrong] : l));
    return { text: r.text, labels: wrong };
  });
}

/** The noisy teacher's labels for the train rows (cross-fitted reference). */
export function noisyTrain(rows: readonly Row[], labels: readonly string[], noise: number, seed: number): Row[] {
  return applyNoise(rows, crossFittedScores(rows, labels, seed), labels, noise, seed);
}

/** The same teacher's labels for texts outside train (its reference fit on all of train). */
export function noisyOther(
  rows: readonly Row[],
  train: readonly Row[],
  labels: readonly string[],
  noise: number,
  seed: number,
): Row[] {
  return applyNoise(
    rows,
    scoreWith(
      train,
      rows.map((r) => r.text),
      labels,
    ),
    labels,
    noise,
    seed,
  );
}

const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));

/** Share of rows whose noisy label set differs from the gold one. */
export function noiseRate(gold: readonly Row[], noisy: readonly Row[]): number {
  return gold.length ? gold.filter((r, i) => !same(r.labels, noisy[i].labels)).length / gold.length : 0;
}
