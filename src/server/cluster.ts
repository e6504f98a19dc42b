import cluster, { type Worker } from 'node:cluster';
import { type ClusterMessage, isClusterMessage } from './cluster-messages.js';
import { primaryMetrics, workerMetrics } from './cluster-metrics.js';
import type { ServeListener } from './events.js';
import type { MetricsSnapshot } from './metrics.js';
import { type RunningServer, type ServeOptions, startServer } from './server.js';

/** A worker that keeps dying is a bug or a broken machine, not something to retry forever. */
const MAX_RESTARTS = 5;
const RESTART_WINDOW_MS = 60_000;

export interface PrimaryOptions {
  workers: number;
  /** How long in-flight requests get to finish after SIGTERM before connections are cut. */
  shutdownTimeoutMs: number;
  models: string[];
  auth: boolean;
  onEvent?: ServeListener;
}

/**
 * The cluster primary: forks the workers (each runs the same command and so the same
 * `startServer`; the primary hands them connections on the shared port), restarts a worker that
 * dies, sums their /metrics, and on SIGTERM or SIGINT tells them to drain and waits for them.
 * Resolves with the exit code.
 */
export function runPrimary(o: PrimaryOptions): Promise<number> {
  return new Promise((resolve) => {
    const workers = new Set<Worker>();
    const onMetrics = primaryMetrics(() => [...workers]);
    const started = Date.now();
    let listening = 0;
    let url = '';
    let stopping = false;
    let failedWith: number | undefined;
    const restarts: number[] = [];

    const fork = () => {
      const w = cluster.fork();
      workers.add(w);
      w.on('message', (m: unknown) => {
        if (!isClusterMessage(m)) return;
        if (m.apprentice === 'listening') {
          url = m.url;
          if (++listening === o.workers && !stopping)
            o.onEvent?.({ type: 'listening', url, workers: o.workers, models: o.models, auth: o.auth });
        } else if (m.apprentice === 'fatal') failedWith ??= m.exitCode;
        else onMetrics(w, m);
      });
      w.on('exit', (code, signal) => {
        workers.delete(w);
        if (stopping) {
          if (workers.size === 0) finish(failedWith ?? 0);
          return;
        }
        // A worker failing before all are up (port taken, bad model) fails the start: the worker printed why.
        const starting = listening < o.workers;
        const now = Date.now();
        while (restarts.length && now - restarts[0] > RESTART_WINDOW_MS) restarts.shift();
        const restarting = !starting && restarts.length < MAX_RESTARTS;
        o.onEvent?.({ type: 'worker-exited', worker: w.id, code, signal, restarting });
        if (restarting) {
          restarts.push(now);
          fork();
        } else stop(o.shutdownTimeoutMs, starting ? (failedWith ?? 1) : 1);
      });
    };

    const stop = (timeoutMs: number, exitCode?: number) => {
      if (exitCode !== undefined) failedWith ??= exitCode;
      if (stopping) return;
      stopping = true;
      o.onEvent?.({ type: 'draining', reason: exitCode ? 'a worker failed' : 'signal' });
      for (const w of workers)
        if (w.isConnected()) w.send({ apprentice: 'shutdown', timeoutMs } satisfies ClusterMessage);
      // Workers cut their connections at timeoutMs; this is for one that hangs anyway.
      setTimeout(() => {
        for (const w of workers) w.process.kill('SIGKILL');
      }, timeoutMs + 5000).unref();
      if (workers.size === 0) finish(failedWith ?? 0);
    };

    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping && signal === 'SIGINT') {
        // A second Ctrl-C: the user does not want to wait.
        for (const w of workers) w.process.kill('SIGKILL');
        return;
      }
      stop(o.shutdownTimeoutMs);
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);

    const finish = (code: number) => {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      o.onEvent?.({ type: 'stopped', ms: Date.now() - started });
      resolve(code);
    };

    for (let i = 0; i < o.workers; i++) fork();
  });
}

/**
 * A cluster worker: starts the server (listen() inside a worker shares the primary's port), then
 * drains when the primary says so or when it gets SIGTERM/SIGINT itself (a signal sent to the whole
 * process group, as Ctrl-C or `systemctl stop` do).
 */
export async function runWorker(options: ServeOptions, shutdownTimeoutMs: number): Promise<void> {
  const id = cluster.worker?.id;
  // Listen for the stop request before starting: it may come while models are still loading.
  let stopAsked: { timeoutMs: number; reason: string } | undefined;
  let onStop: (() => void) | undefined;
  const ask = (timeoutMs: number, reason: string) => {
    // The primary's message and a process-group signal usually both arrive; the first one counts.
    stopAsked ??= { timeoutMs, reason };
    onStop?.();
  };
  process.on('message', (m: unknown) => {
    if (isClusterMessage(m) && m.apprentice === 'shutdown') ask(m.timeoutMs, 'primary asked');
  });
  process.once('SIGTERM', () => ask(shutdownTimeoutMs, 'SIGTERM'));
  process.once('SIGINT', () => ask(shutdownTimeoutMs, 'SIGINT'));

  let collect: (() => Promise<MetricsSnapshot>) | undefined;
  const server: RunningServer = await startServer({
    ...options,
    worker: id,
    collectMetrics: () => collect!(),
  });
  // Registered before announcing: the primary may ask this worker for its figures (another
  // worker's scrape) before any client reached this one.
  collect = workerMetrics(server.localMetrics);
  process.send?.({ apprentice: 'listening', url: server.url } satisfies ClusterMessage);

  await new Promise<void>((resolve) => {
    onStop = () => {
      onStop = undefined;
      options.onEvent?.({ type: 'draining', reason: stopAsked!.reason, worker: id });
      void server.close(stopAsked!.timeoutMs).then(resolve);
    };
    if (stopAsked) onStop();
  });
  // Without the IPC channel nothing keeps the worker alive, and it exits with the code already set.
  if (process.connected) process.disconnect();
}

/** A worker that cannot start tells the primary the exit code to leave with, then lets go of the channel. */
export async function reportWorkerFailure(exitCode: number): Promise<void> {
  if (!process.connected) return;
  await new Promise<void>((resolve) =>
    process.send?.({ apprentice: 'fatal', exitCode } satisfies ClusterMessage, () => resolve()),
  );
  process.disconnect();
}
