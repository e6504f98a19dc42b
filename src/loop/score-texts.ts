import type { Worker } from 'node:worker_threads';
import type { Student } from '../student/types.js';
import { startWorker } from '../util/ts-worker.js';

/** What choosing pool texts needs of a prediction. */
export interface TextScore {
  margin: number;
  /** Top label ('' when none). */
  predicted: string;
}

/** Below this many texts a round's scoring stays on the loop's thread: starting threads costs more. */
export const MIN_PARALLEL_SCORING = 2000;

/**
 * The student's margin and top label for each text, in order. With threads > 1 and enough texts,
 * the texts are cut into one contiguous slice per thread; each thread loads the student from its
 * saved bytes and scores its slice. A student's prediction of a text depends on nothing else in the
 * batch and its saved weights are its weights, so the result equals one thread's (tested).
 */
export async function scoreTexts(student: Student, texts: readonly string[], threads: number): Promise<TextScore[]> {
  if (threads <= 1 || texts.length < MIN_PARALLEL_SCORING) {
    return student.predictBatch(texts).map((p) => ({ margin: p.margin, predicted: p.labels[0] ?? '' }));
  }
  const bytes = student.toBytes();
  const size = Math.ceil(texts.length / threads);
  const slices = Array.from({ length: threads }, (_, i) => texts.slice(i * size, (i + 1) * size)).filter(
    (s) => s.length > 0,
  );
  const workers: Worker[] = slices.map(() => startWorker(import.meta.url, 'score-texts.worker', {}));
  try {
    const parts = await Promise.all(
      slices.map(
        (slice, i) =>
          new Promise<TextScore[]>((resolve, reject) => {
            const w = workers[i];
            w.once('error', reject);
            w.once('message', (m: { margins: Float64Array; top: string[] }) =>
              resolve(m.top.map((predicted, j) => ({ margin: m.margins[j], predicted }))),
            );
            w.postMessage({ bytes, texts: slice });
          }),
      ),
    );
    return parts.flat();
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
