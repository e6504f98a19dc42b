import { parentPort } from 'node:worker_threads';
import { loadStudent } from '../student/registry.js';

/** One thread of score-texts.ts: loads the round's student from its bytes and scores a slice of texts. */
parentPort!.on('message', (job: { bytes: Uint8Array; texts: string[] }) => {
  const predictions = loadStudent(job.bytes).predictBatch(job.texts);
  parentPort!.postMessage({
    margins: Float64Array.from(predictions, (p) => p.margin),
    top: predictions.map((p) => p.labels[0] ?? ''),
  });
});
