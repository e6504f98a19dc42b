import type { EvalMetrics } from '../core/types.js';
import type { Student } from '../student/types.js';
import { computeMetrics } from './classification.js';

/** Scores a student on labeled rows (see `computeMetrics` for what each number means). */
export function evaluate(student: Student, rows: readonly { text: string; labels: readonly string[] }[]): EvalMetrics {
  const predictions = student.predictBatch(rows.map((r) => r.text));
  return computeMetrics({
    labels: student.labels,
    multiLabel: student.multiLabel,
    gold: rows.map((r) => r.labels),
    predicted: predictions.map((p) => p.labels),
  });
}
