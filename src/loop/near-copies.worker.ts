import { parentPort, workerData } from 'node:worker_threads';
import { nearCopyTest } from './near-copy-test.js';

/**
 * One thread of the near-copy pass (near-copies.ts): builds the same test of the evaluation texts
 * as the main thread would, then answers chunks of pool texts with the offsets that nearly copy one.
 */
const { evalTexts, threshold } = workerData as { evalTexts: string[]; threshold: number };
const isCopy = nearCopyTest(evalTexts, threshold);
parentPort!.on('message', (chunk: { start: number; texts: string[] }) => {
  const hits: number[] = [];
  chunk.texts.forEach((t, i) => {
    if (isCopy(t)) hits.push(chunk.start + i);
  });
  parentPort!.postMessage({ start: chunk.start, hits });
});
