/**
 * Label-noise detection: the train split labeled by a dataset teacher that makes 15% LLM-like
 * mistakes (mostly towards similar labels), then confident learning over 5-fold out-of-fold student
 * probabilities. Scored against the dataset's own labels; then the student is trained on the noisy
 * labels, on them with the flagged rows relabeled by a noise-free teacher, and with them dropped.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dropIssues, findLabelIssues } from '../src/data/label-noise/index.js';
import { evaluate } from '../src/metrics/index.js';
import { MemoryStore } from '../src/store/memory-store.js';
import { trainStudent } from '../src/student/registry.js';
import { TeacherSettingsSchema } from '../src/task/schema.js';
import { CallGate } from '../src/teacher/call-gate.js';
import { createTeacher } from '../src/teacher/registry.js';
import { textId } from '../src/util/hash.js';
import { writeRows, type Dataset, type Row } from './lib/datasets.js';
import type { LabelNoiseResult } from './lib/types.js';
import { STUDENT_SEED } from './peers/student.js';

export const LABEL_NOISE = 0.15;
const FOLDS = 5;
const CHUNK = 500;

/** The train labels as the noisy teacher gives them: the loop's own noise, not a reimplementation of it. */
export async function noisyLabels(ds: Dataset, noise: number, seed: number): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), `bench-noise-${ds.name}-`));
  try {
    const file = join(dir, 'teacher.jsonl');
    writeRows(file, ds.train, ds.multiLabel);
    const settings = TeacherSettingsSchema.parse({ model: `dataset:${file}`, noise });
    const gate = new CallGate({
      store: new MemoryStore(),
      runId: 'bench-label-noise',
      teacherId: settings.model,
      budget: {},
    });
    const teacher = await createTeacher(settings, {
      task: {
        instruction: `Classify the text into the ${ds.name} labels.`,
        labels: ds.labels.map((name) => ({ name })),
        multiLabel: ds.multiLabel,
      },
      gate,
      taskDir: dir,
      seed,
    });
    const out: Row[] = [];
    for (let i = 0; i < ds.train.length; i += CHUNK) {
      const rows = ds.train.slice(i, i + CHUNK);
      const answers = await teacher.label(rows.map((r) => ({ id: textId(r.text), text: r.text })));
      // A text the teacher cannot answer keeps its own label: that is not noise being measured.
      answers.forEach((a, k) => out.push({ text: rows[k].text, labels: a.ok ? a.labels : [...rows[k].labels] }));
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));

export async function runLabelNoise(
  ds: Dataset,
  o: { seed: number; log: (msg: string) => void },
): Promise<LabelNoiseResult> {
  const noisy = await noisyLabels(ds, LABEL_NOISE, o.seed);
  const wrong = new Set(noisy.flatMap((r, i) => (same(r.labels, ds.train[i].labels) ? [] : [i])));
  const options = { labels: ds.labels, multiLabel: ds.multiLabel, seed: STUDENT_SEED };
  const issues = findLabelIssues(noisy, { ...options, folds: FOLDS });
  const hits = issues.filter((i) => wrong.has(i.index)).length;

  const accuracy = (rows: readonly Row[]) =>
    evaluate(trainStudent('hashed-linear', rows, options, {}), ds.test).accuracy;
  const flagged = new Set(issues.map((i) => i.index));
  const repaired = noisy.map((r, i) => (flagged.has(i) ? ds.train[i] : r));
  const result: LabelNoiseResult = {
    noise: LABEL_NOISE,
    wrong: wrong.size,
    flagged: issues.length,
    recall: wrong.size ? hits / wrong.size : 0,
    precision: issues.length ? hits / issues.length : 0,
    folds: FOLDS,
    accuracyClean: accuracy(ds.train),
    accuracyNoisy: accuracy(noisy),
    accuracyRepaired: accuracy(repaired),
    accuracyDropped: accuracy(dropIssues(noisy, issues)),
  };
  o.log(
    `  label noise ${ds.name}: ${result.wrong} wrong, ${result.flagged} flagged, recall ${result.recall.toFixed(3)}, precision ${result.precision.toFixed(3)}; ` +
      `test accuracy clean ${result.accuracyClean.toFixed(3)}, noisy ${result.accuracyNoisy.toFixed(3)}, repaired ${result.accuracyRepaired.toFixed(3)}, dropped ${result.accuracyDropped.toFixed(3)}`,
  );
  return result;
}
