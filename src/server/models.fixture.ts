import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TOPIC_LABELS, topicRows } from '../../test/fixtures/topics.js';
import { saveStudent, trainStudent } from '../student/registry.js';
import { SPAN_TYPES, spanRows } from '../student/sequence/synthetic-spans.js';
import { saveSpanStudent } from '../student/load-model.js';
import { trainSpanStudent } from '../student/span-registry.js';

/**
 * Test support: real students trained on the small synthetic topic set, saved the way `apprentice
 * train` saves them (<dir>/model/student.bin), in a temp directory of the test's own.
 */
export function trainTopicModel(file: string, options: { seed?: number; labels?: string[]; rows?: number } = {}) {
  const labels = options.labels ?? TOPIC_LABELS;
  const rows = topicRows(options.rows ?? 160, options.seed ?? 1)
    .filter((r) => labels.includes(r.label))
    .map((r) => ({ text: r.text, labels: [r.label] }));
  const student = trainStudent('hashed-linear', rows, { labels, multiLabel: false, seed: options.seed ?? 1 });
  mkdirSync(path.dirname(file), { recursive: true });
  saveStudent(student, file);
  return student;
}

export function tempModels(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'apprentice-serve-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A multi-label student: each row is one or two topics' sentences joined, labeled with both. */
export function trainMultiLabelTopicModel(file: string) {
  const singles = topicRows(200, 3);
  const rows = singles.map((r, i) => {
    const other = singles[(i * 7 + 3) % singles.length];
    return i % 2 && other.label !== r.label
      ? { text: `${r.text} ${other.text}`, labels: [r.label, other.label] }
      : { text: r.text, labels: [r.label] };
  });
  const student = trainStudent('hashed-linear', rows, { labels: TOPIC_LABELS, multiLabel: true, seed: 3 });
  mkdirSync(path.dirname(file), { recursive: true });
  saveStudent(student, file);
  return student;
}

/** An extraction student (sequence-perceptron) on the synthetic person/city/product task, saved as `train` saves it. */
export function trainSpanModel(file: string, options: { seed?: number; rows?: number } = {}) {
  const student = trainSpanStudent('sequence-perceptron', spanRows(options.rows ?? 150, options.seed ?? 1), {
    types: [...SPAN_TYPES],
    seed: options.seed ?? 1,
  });
  saveSpanStudent(student, file);
  return student;
}
