import type { Teacher, GenerateRequest } from '../teacher/types.js';
import type { Emitter } from '../events.js';
import type { TrainingSet } from './training-set.js';
import { textId } from '../util/hash.js';
import { mapLimit } from '../util/map-limit.js';

export interface AcquireCounts {
  pool: number;
  generated: number;
  rejected: number;
}

/** Sends pool texts to the teacher and adds the answers (or the rejections) to the set. */
export async function labelPool(teacher: Teacher, texts: readonly string[], set: TrainingSet, round: number): Promise<AcquireCounts> {
  const counts: AcquireCounts = { pool: 0, generated: 0, rejected: 0 };
  if (texts.length === 0) return counts;
  const results = await teacher.label(texts.map((text) => ({ id: textId(text), text })));
  results.forEach((r, i) => {
    const text = texts[i];
    if (r.ok) {
      if (set.add({ text, labels: r.labels, source: 'pool', round, teacher: teacher.id, confidence: r.confidence })) counts.pool += 1;
    } else {
      set.reject({ kind: 'label', round, teacher: teacher.id, input: text, raw: r.raw, reason: r.reason });
      counts.rejected += 1;
    }
  });
  return counts;
}

/**
 * Asks the teacher to write examples. A dataset teacher's answers depend on what it has already
 * handed out, so its requests run one at a time to stay deterministic; LLM requests do not, and run
 * concurrently.
 */
export async function generateExamples(
  teacher: Teacher,
  requests: readonly GenerateRequest[],
  set: TrainingSet,
  round: number,
  options: { concurrency: number; emitter?: Emitter },
): Promise<AcquireCounts> {
  const counts: AcquireCounts = { pool: 0, generated: 0, rejected: 0 };
  const concurrency = teacher.kind === 'dataset' ? 1 : options.concurrency;
  const results = await mapLimit(requests, concurrency, (r) => teacher.generate(r));
  results.forEach((res, i) => {
    const req = requests[i];
    const attributes: Record<string, string> = { strategy: req.guidance?.confusedWith ? 'hard-negative' : 'weak-label' };
    if (req.guidance?.confusedWith) attributes.confusedWith = req.guidance.confusedWith;
    for (const text of res.texts) {
      if (set.add({ text, labels: [req.label], source: 'generated', round, teacher: teacher.id, attributes })) counts.generated += 1;
    }
    for (const r of res.rejected) {
      set.reject({ kind: 'generate', round, teacher: teacher.id, input: req.label, raw: r.raw, reason: r.reason });
      counts.rejected += 1;
    }
  });
  return counts;
}
