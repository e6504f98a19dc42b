import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { assignFolds } from '../../data/label-noise/out-of-fold.js';
import { RUN_FILES } from '../../run/run-files.js';
import { trainStudent } from '../../student/registry.js';
import { hashObject } from '../../util/hash.js';

/** How a run's student was trained: the out-of-fold students are trained the same way. */
export interface FoldSettings {
  kind: string;
  params: unknown;
  labels: readonly string[];
  multiLabel: boolean;
  seed: number;
  /** Number of folds (default 5); fewer when the run has fewer rows. */
  folds?: number;
}

/** One row's out-of-fold prediction: from a student that never saw the row. */
export interface FoldPrediction {
  labels: string[];
  margin: number;
  /** Top 3 probabilities. */
  probs: { label: string; p: number }[];
}

export const DEFAULT_FOLDS = 5;

/**
 * Predicts every row with a student trained on the other folds (k-fold cross-prediction). A student
 * scoring its own training rows has fitted them, wrong labels included, so it agrees with most of
 * what it was taught; held out, a mislabeled row is judged by what the rest of the data says.
 * Needs at least two rows; each fold's student is trained with the run's own kind and parameters.
 */
export function outOfFold(
  rows: readonly { text: string; labels: string[] }[],
  settings: FoldSettings,
  onFold?: (done: number, folds: number) => void,
): FoldPrediction[] {
  const folds = Math.max(2, Math.min(settings.folds ?? DEFAULT_FOLDS, rows.length));
  if (rows.length < 2) throw new Error('out-of-fold predictions need at least two training rows');
  // Stratified by label set, as the label-noise check deals them: every fold sees every class.
  const fold = assignFolds(rows, folds, settings.seed);
  const out = new Array<FoldPrediction>(rows.length);
  for (let f = 0; f < folds; f++) {
    const train = rows.filter((_, i) => fold[i] !== f).map((r) => ({ text: r.text, labels: r.labels }));
    const student = trainStudent(
      settings.kind,
      train,
      { labels: settings.labels, multiLabel: settings.multiLabel, seed: settings.seed + f },
      settings.params,
    );
    rows.forEach((r, i) => {
      if (fold[i] !== f) return;
      const p = student.predict(r.text);
      out[i] = {
        labels: p.labels,
        margin: p.margin,
        probs: [...p.probs]
          .map((v, k) => ({ label: student.labels[k], p: Math.round(v * 1000) / 1000 }))
          .sort((a, b) => b.p - a.p)
          .slice(0, 3),
      };
    });
    onFold?.(f + 1, folds);
  }
  return out;
}

/**
 * The run's student settings from its task.json (kind, params, labels, seed); defaults as the task
 * schema has them. Undefined when the run has no readable task.json.
 */
export function foldSettingsOf(dir: string): FoldSettings | undefined {
  try {
    const task = JSON.parse(readFileSync(join(dir, RUN_FILES.task), 'utf8')) as {
      labels?: { name: string }[];
      multiLabel?: boolean;
      seed?: number;
      student?: { kind?: string; params?: unknown };
    };
    if (!Array.isArray(task.labels) || task.labels.length === 0) return undefined;
    return {
      kind: task.student?.kind ?? 'hashed-linear',
      params: task.student?.params ?? {},
      labels: task.labels.map((l) => l.name),
      multiLabel: task.multiLabel ?? false,
      seed: task.seed ?? 42,
      folds: DEFAULT_FOLDS,
    };
  } catch {
    return undefined;
  }
}

/** What out-of-fold predictions depend on: the training rows and the student settings. */
export function outOfFoldSig(dir: string): string {
  let rows = '-';
  try {
    const s = statSync(join(dir, RUN_FILES.training));
    rows = `${s.size}:${s.mtimeMs}`;
  } catch {
    // no training rows yet
  }
  return `${rows}|${hashObject(foldSettingsOf(dir) ?? null)}`;
}
