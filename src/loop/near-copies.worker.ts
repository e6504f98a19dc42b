import { parentPort, workerData } from 'node:worker_threads';
import { NearDupIndex } from '../data/near-dup/near-dup-index.js';

/**
 * One thread of the near-copy pass (near-copies.ts): builds the same index of the evaluation texts
 * as the main thread would, then answers chunks of pool texts with the offsets that nearly copy one.
 */
const { evalTexts, threshold } = workerData as { evalTexts: string[]; threshold: number };
const index = new NearDupIndex({ threshold });
evalTexts.forEach((t, i) => index.add(String(i), t));
parentPort!.on('message', (chunk: { start: number; texts: string[] }) => {
  const hits: number[] = [];
  chunk.texts.forEach((t, i) => {
    if (index.nearest(t)) hits.push(chunk.start + i);
  });
  parentPort!.postMessage({ start: chunk.start, hits });
});
