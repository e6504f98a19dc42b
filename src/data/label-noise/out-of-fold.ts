import { ConfigError } from '../../errors.js';
import { trainStudent } from '../../student/registry.js';
import { Rng } from '../../util/random.js';

export interface LabeledRow {
  text: string;
  labels: string[];
}

export interface OutOfFoldOptions {
  labels: readonly string[];
  multiLabel: boolean;
  seed: number;
  folds?: number;
  /** Student kind and its parameters: the same student the loop trains, so its mistakes are the ones that matter. */
  kind?: string;
  params?: unknown;
}

/**
 * Fold of each row: rows sharing a label set are shuffled and dealt round-robin, so every fold
 * sees every class in proportion and a small class is not left out of a training split.
 */
export function assignFolds(rows: readonly LabeledRow[], folds: number, seed: number): Int32Array {
  const groups = new Map<string, number[]>();
  rows.forEach((r, i) => {
    const key = [...r.labels].sort().join('\u0000');
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    g.push(i);
  });
  const rng = new Rng(seed);
  const out = new Int32Array(rows.length);
  let next = 0;
  // Continuing the deal across groups keeps fold sizes within one of each other.
  for (const key of [...groups.keys()].sort()) {
    for (const i of rng.shuffle(groups.get(key)!)) out[i] = next++ % folds;
  }
  return out;
}

/**
 * Probabilities for every row from a student that never saw it: K students, each trained on the
 * other folds. Rows come back aligned with `options.labels`.
 */
export function outOfFoldProbs(rows: readonly LabeledRow[], options: OutOfFoldOptions): Float32Array[] {
  const folds = options.folds ?? 5;
  if (!Number.isInteger(folds) || folds < 2)
    throw new ConfigError(`label-noise check needs at least 2 folds, got ${folds}`);
  if (rows.length < 2 * folds) {
    throw new ConfigError(`label-noise check needs at least ${2 * folds} rows for ${folds} folds, got ${rows.length}`, {
      hint: 'run it once the training set has grown, or use fewer folds',
    });
  }
  const fold = assignFolds(rows, folds, options.seed);
  const out: Float32Array[] = new Array(rows.length);
  for (let f = 0; f < folds; f++) {
    const train = rows.filter((_, i) => fold[i] !== f);
    const heldIdx = rows.map((_, i) => i).filter((i) => fold[i] === f);
    const student = trainStudent(
      options.kind ?? 'hashed-linear',
      train,
      { labels: options.labels, multiLabel: options.multiLabel, seed: options.seed + f },
      options.params ?? {},
    );
    // A student may order its labels its own way; map back by name.
    const column = options.labels.map((l) => student.labels.indexOf(l));
    const predictions = student.predictBatch(heldIdx.map((i) => rows[i].text));
    heldIdx.forEach((i, h) => {
      const p = predictions[h].probs;
      out[i] = Float32Array.from(column, (c) => (c >= 0 ? p[c] : 0));
    });
  }
  return out;
}
