import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { TextPool } from '../core/types.js';
import { nearCopyTest } from './near-copy-test.js';
import { startWorker } from '../util/ts-worker.js';

/** Pool texts sent to a thread at a time: large enough to amortize a message, small enough to spread. */
const CHUNK = 5000;
/** Below this many pool texts one thread is faster than starting others. */
const MIN_PARALLEL = 4 * CHUNK;

/** Threads for per-text work: every core but one, at most 8 (the pool on disk feeds them from one thread). */
export function defaultThreads(): number {
  return Math.max(1, Math.min(8, availableParallelism() - 1));
}

/**
 * Positions of pool texts that nearly copy an evaluation row (MinHash-LSH over character shingles,
 * data/near-dup). A pass over the whole pool, and at a million texts the costliest step before the
 * first teacher answer, so large pools are split over worker threads. Each thread builds the same
 * index and tests its own positions, so the set found does not depend on the number of threads.
 */
export async function nearCopies(
  pool: TextPool,
  evalTexts: readonly string[],
  threshold: number,
  threads = defaultThreads(),
): Promise<Set<number>> {
  if (evalTexts.length === 0) return new Set();
  if (threads <= 1 || pool.size < MIN_PARALLEL) return nearCopiesHere(pool, evalTexts, threshold);
  return nearCopiesOnThreads(pool, evalTexts, threshold, threads);
}

function nearCopiesHere(pool: TextPool, evalTexts: readonly string[], threshold: number): Set<number> {
  const out = new Set<number>();
  const isCopy = nearCopyTest(evalTexts, threshold);
  let p = 0;
  for (const t of pool.texts()) {
    if (isCopy(t)) out.add(p);
    p++;
  }
  return out;
}

async function nearCopiesOnThreads(
  pool: TextPool,
  evalTexts: readonly string[],
  threshold: number,
  threads: number,
): Promise<Set<number>> {
  const out = new Set<number>();
  const workers = Array.from({ length: threads }, () =>
    startWorker(import.meta.url, 'near-copies.worker', { evalTexts: [...evalTexts], threshold }),
  );
  let next = 0;
  const feed = (w: Worker): boolean => {
    if (next >= pool.size) return false;
    const start = next;
    const stop = Math.min(pool.size, start + CHUNK);
    next = stop;
    const at = Array.from({ length: stop - start }, (_, i) => start + i);
    w.postMessage({ start, texts: pool.textsAt(at) });
    return true;
  };
  try {
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((resolve, reject) => {
            w.on('error', reject);
            w.on('exit', (code) => {
              if (code !== 0) reject(new Error(`near-copy thread exited with code ${code}`));
            });
            w.on('message', (m: { hits: number[] }) => {
              for (const p of m.hits) out.add(p);
              if (!feed(w)) resolve();
            });
            if (!feed(w)) resolve();
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return out;
}
