import type { Worker } from 'node:cluster';
import { type ClusterMessage, isClusterMessage } from './cluster-messages.js';
import { type MetricsSnapshot, mergeSnapshots } from './metrics.js';

/** How long the primary waits for workers' figures; a stuck worker is left out rather than stalling the scrape. */
const COLLECT_TIMEOUT_MS = 2000;

/**
 * Worker side of /metrics: each worker counts its own requests; a scrape lands on one worker, which
 * asks the primary to collect every worker's snapshot and add them up (as prom-client's
 * AggregatorRegistry does). Also answers the primary's collection requests with this worker's figures.
 */
export function workerMetrics(local: () => MetricsSnapshot): () => Promise<MetricsSnapshot> {
  const waiting = new Map<number, (s: MetricsSnapshot) => void>();
  let next = 0;
  process.on('message', (m: unknown) => {
    if (!isClusterMessage(m)) return;
    if (m.apprentice === 'metrics-collect') send({ apprentice: 'metrics-snapshot', id: m.id, snapshot: local() });
    else if (m.apprentice === 'metrics-result') {
      waiting.get(m.id)?.(m.snapshot);
      waiting.delete(m.id);
    }
  });
  return () =>
    new Promise((resolve) => {
      const id = next++;
      const timer = setTimeout(() => {
        // The primary did not answer: this worker's own figures are better than none.
        waiting.delete(id);
        resolve(local());
      }, COLLECT_TIMEOUT_MS * 2);
      waiting.set(id, (s) => {
        clearTimeout(timer);
        resolve(s);
      });
      send({ apprentice: 'metrics-request', id });
    });
}

/** Primary side: collects from every live worker and answers the worker that asked. */
export function primaryMetrics(workers: () => Worker[]): (from: Worker, m: ClusterMessage) => void {
  let next = 0;
  const gathering = new Map<number, { snaps: MetricsSnapshot[]; done: (() => void) | undefined; left: number }>();
  return (from, m) => {
    if (m.apprentice === 'metrics-snapshot') {
      const g = gathering.get(m.id);
      if (!g) return;
      g.snaps.push(m.snapshot);
      if (--g.left === 0) g.done?.();
      return;
    }
    if (m.apprentice !== 'metrics-request') return;
    const id = next++;
    const live = workers().filter((w) => w.isConnected());
    const g = { snaps: [] as MetricsSnapshot[], done: undefined as (() => void) | undefined, left: live.length };
    gathering.set(id, g);
    const finish = () => {
      gathering.delete(id);
      clearTimeout(timer);
      const merged = mergeSnapshots(g.snaps);
      merged.values.apprentice_workers = { '': g.snaps.length };
      if (from.isConnected())
        from.send({ apprentice: 'metrics-result', id: m.id, snapshot: merged } satisfies ClusterMessage);
    };
    const timer = setTimeout(finish, COLLECT_TIMEOUT_MS);
    g.done = finish;
    for (const w of live) w.send({ apprentice: 'metrics-collect', id } satisfies ClusterMessage);
    if (live.length === 0) finish();
  };
}

function send(m: ClusterMessage): void {
  if (process.connected) process.send?.(m);
}
