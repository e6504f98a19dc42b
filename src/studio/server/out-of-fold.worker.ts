import { parentPort, workerData } from 'node:worker_threads';
import { type FoldSettings, outOfFold } from './out-of-fold.js';

/**
 * Out-of-fold predictions on their own thread: training k students takes seconds to minutes, and
 * on the server's thread it would stall every request (and the progress the page shows meanwhile).
 */
const { rows, settings } = workerData as { rows: { text: string; labels: string[] }[]; settings: FoldSettings };
try {
  const predictions = outOfFold(rows, settings, (done, folds) =>
    parentPort!.postMessage({ type: 'fold', done, folds }),
  );
  parentPort!.postMessage({ type: 'done', predictions });
} catch (err) {
  parentPort!.postMessage({ type: 'failed', error: err instanceof Error ? err.message : String(err) });
}
