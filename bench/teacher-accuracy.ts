import { join } from 'node:path';
import { MemoryStore } from '../src/store/memory-store.js';
import { CallGate } from '../src/teacher/call-gate.js';
import { createTeacher } from '../src/teacher/registry.js';
import { TeacherSettingsSchema } from '../src/task/schema.js';
import { textId } from '../src/util/hash.js';
import { writeRows, type Dataset } from './lib/datasets.js';
import { scoreLabels } from './lib/score.js';

/** Chunk size per `label` call; the teacher splits further if it wants. */
const CHUNK = 500;

/**
 * The noisy teacher's own accuracy on the gold test rows: a dataset teacher with the same noise and
 * seed, asked to label every test text; scored like the student. A rejected answer counts as an
 * empty (wrong) label set. Its file holds the test rows then the train rows: the test rows give the
 * answers (first row wins on a duplicate text), the train rows keep its idea of which labels are
 * similar, and so the shape of its mistakes, close to the loop's teacher.
 */
export async function teacherAccuracy(ds: Dataset, dir: string, noise: number, seed: number): Promise<number> {
  const file = join(dir, 'teacher-accuracy.jsonl');
  writeRows(file, [...ds.test, ...ds.train], ds.multiLabel);
  const settings = TeacherSettingsSchema.parse({ model: `dataset:${file}`, noise });
  const gate = new CallGate({
    store: new MemoryStore(),
    runId: 'bench-teacher-accuracy',
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
    taskDir: process.cwd(),
    seed,
  });
  const predictions: string[][] = [];
  for (let i = 0; i < ds.test.length; i += CHUNK) {
    const rows = ds.test.slice(i, i + CHUNK);
    const answers = await teacher.label(rows.map((r) => ({ id: textId(r.text), text: r.text })));
    for (const a of answers) predictions.push(a.ok ? a.labels : []);
  }
  return scoreLabels(ds, predictions).accuracy;
}
