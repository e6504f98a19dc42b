import type { Task } from '../task/schema.js';
import type { Teacher } from '../teacher/types.js';
import type { CallGate } from '../teacher/call-gate.js';
import type { LabeledText, TextPool } from '../core/types.js';
import type { Rng } from '../util/random.js';
import type { TrainingSet } from './training-set.js';
import { textId } from '../util/hash.js';
import { drawIndices } from './pool-positions.js';

/** Largest share of the answer budget a teacher-labeled validation split may take. */
export const MAX_VALIDATION_SHARE = 0.25;

/**
 * The rows every round is judged on. With a gold file, the gold rows. Without one, a random slice of
 * the pool labeled by the teacher, reserved so that it is never trained on: otherwise the loop
 * would grade itself on its own training data and never see that it stopped improving.
 */
export async function buildValidation(args: {
  task: Task;
  teacher: Teacher;
  gate: CallGate;
  pool: TextPool;
  gold?: readonly LabeledText[];
  set: TrainingSet;
  rng: Rng;
}): Promise<{ rows: LabeledText[]; split: 'gold' | 'validation' }> {
  const { task, teacher, gate, pool, gold, set, rng } = args;
  if (gold && gold.length > 0) {
    set.reserve(gold.map((g) => g.text));
    return { rows: gold.slice(), split: 'gold' };
  }
  const cap = Math.floor(gate.remainingAnswers() * MAX_VALIDATION_SHARE);
  const size = Math.min(task.loop.validationSize, Number.isFinite(cap) ? cap : Infinity, Math.floor(pool.size / 3));
  // Positions are drawn as the texts were (one shuffle of the pool's length, up to SHUFFLE_MAX), then read.
  const texts = pool.textsAt(drawIndices(pool.size, Math.max(0, size), rng));
  set.reserve(texts);
  if (texts.length === 0) return { rows: [], split: 'validation' };
  const results = await teacher.label(texts.map((text) => ({ id: textId(text), text })));
  const rows: LabeledText[] = [];
  results.forEach((r, i) => {
    if (r.ok) rows.push({ text: texts[i], labels: r.labels });
    else set.reject({ kind: 'label', round: 0, teacher: teacher.id, input: texts[i], raw: r.raw, reason: r.reason });
  });
  return { rows, split: 'validation' };
}
