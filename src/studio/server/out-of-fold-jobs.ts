import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { RUN_FILES } from '../../run/run-files.js';
import { startWorker } from '../../util/ts-worker.js';
import { foldSettingsOf, outOfFoldSig } from './out-of-fold.js';
import type { RowIndex } from './row-index.js';

/** Where a run's out-of-fold predictions stand, for the page to show. */
export type OutOfFoldStatus =
  | { state: 'done' }
  | { state: 'running'; done: number; folds: number }
  | { state: 'failed'; error: string }
  /** No student settings or too few rows; or the run has no student yet (it is still running). */
  | { state: 'unavailable'; reason: string };

interface Job {
  sig: string;
  worker: Worker;
  done: number;
  folds: number;
}

/**
 * Computes each completed run's out-of-fold predictions once, on a worker thread that stores them
 * in the row index and rescores the run's rows there. Started by the first look at
 * the run's rows; a failure is kept (and shown) until the run's rows or settings change.
 */
export class OutOfFoldJobs {
  private readonly jobs = new Map<string, Job>();
  private readonly failed = new Map<string, { sig: string; error: string }>();
  private readonly finished = new Set<Promise<void>>();

  constructor(
    private readonly index: RowIndex,
    /** The index's file, which the worker opens to store what it computed. */
    private readonly indexFile: string,
  ) {}

  /** The run's status, starting the computation when nothing is stored or running for its current rows. */
  ensure(run: string, dir: string): OutOfFoldStatus {
    if (!existsSync(join(dir, RUN_FILES.student)))
      return { state: 'unavailable', reason: 'the run has no student yet (it is saved when the run completes)' };
    const sig = outOfFoldSig(dir);
    if (this.index.hasOutOfFold(run, dir)) return { state: 'done' };
    const job = this.jobs.get(run);
    if (job && job.sig === sig) return { state: 'running', done: job.done, folds: job.folds };
    const fail = this.failed.get(run);
    if (fail && fail.sig === sig) return { state: 'failed', error: fail.error };
    const settings = foldSettingsOf(dir);
    if (!settings) return { state: 'unavailable', reason: 'the run has no task.json with its labels' };
    const rows = readFileSync(join(dir, RUN_FILES.training), 'utf8')
      .split('\n')
      .filter((l) => l.trim())
      .flatMap((l) => {
        try {
          const e = JSON.parse(l) as { text: string; labels: string[] };
          return [{ text: e.text, labels: e.labels }];
        } catch {
          return [];
        }
      });
    if (rows.length < 2) return { state: 'unavailable', reason: 'out-of-fold predictions need at least two rows' };
    if (job) void job.worker.terminate();
    const worker = startWorker(import.meta.url, 'out-of-fold.worker', {
      rows,
      settings,
      run,
      dir,
      sig,
      indexFile: this.indexFile,
    });
    const next: Job = { sig, worker, done: 0, folds: Math.min(settings.folds ?? 5, rows.length) };
    this.jobs.set(run, next);
    const ended = new Promise<void>((resolve) => {
      let over = false;
      const end = (error?: string) => {
        if (over) return;
        over = true;
        if (this.jobs.get(run) === next) this.jobs.delete(run);
        if (error !== undefined) this.failed.set(run, { sig, error });
        void worker.terminate();
        resolve();
      };
      worker.on(
        'message',
        (m: { type: 'fold'; done: number; folds: number } | { type: 'done' } | { type: 'failed'; error: string }) => {
          if (m.type === 'fold') {
            next.done = m.done;
            next.folds = m.folds;
          } else if (m.type === 'done') end();
          else end(m.error);
        },
      );
      worker.once('error', (err) => end(err.message));
      // Terminated by close() or by a newer job: nothing to report; otherwise an unexpected exit.
      worker.once('exit', (code) =>
        end(this.jobs.get(run) === next ? `the worker exited with code ${code}` : undefined),
      );
    });
    this.finished.add(ended);
    void ended.finally(() => this.finished.delete(ended));
    return { state: 'running', done: 0, folds: next.folds };
  }

  /** Resolves when no computation is running (tests and the bench wait on it). */
  async idle(): Promise<void> {
    while (this.finished.size > 0) await Promise.all([...this.finished]);
  }

  /** Stops every computation (server shutdown). */
  async close(): Promise<void> {
    const all = [...this.jobs.values()];
    this.jobs.clear();
    await Promise.all(all.map((j) => j.worker.terminate()));
    await this.idle();
  }
}
