import { parentPort, workerData } from 'node:worker_threads';
import { type FoldSettings, outOfFold, outOfFoldSig } from './out-of-fold.js';
import { RowIndex } from './row-index.js';

/**
 * Out-of-fold predictions on their own thread: training k students takes seconds to minutes, and
 * on the server's thread it would stall every request (and the progress the page shows meanwhile).
 * The thread also writes them into the row index, so the server never blocks on 100,000 updates.
 */
const { rows, settings, run, dir, sig, indexFile } = workerData as {
  rows: { text: string; labels: string[] }[];
  settings: FoldSettings;
  run: string;
  dir: string;
  sig: string;
  indexFile: string;
};
try {
  let folds = 0;
  const predictions = outOfFold(rows, settings, (done, n) => {
    folds = n;
    parentPort!.postMessage({ type: 'fold', done, folds: n });
  });
  // Stored only if the rows are still the ones they were computed from.
  if (outOfFoldSig(dir) === sig) {
    const index = new RowIndex(indexFile);
    try {
      index.saveOutOfFold(run, dir, sig, folds, predictions);
    } finally {
      index.close();
    }
  }
  parentPort!.postMessage({ type: 'done' });
} catch (err) {
  parentPort!.postMessage({ type: 'failed', error: err instanceof Error ? err.message : String(err) });
}
