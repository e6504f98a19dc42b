import { dirname, join, resolve } from 'node:path';
import { InterruptedError } from '../errors.js';
import { Emitter, type StopReason } from '../events.js';
import { MemoryStore } from '../store/memory-store.js';
import { openStore } from '../store/index.js';
import type { Task } from '../task/schema.js';
import { CallGate } from '../teacher/call-gate.js';
import { runPrice } from '../teacher/pricing.js';
import type { TeacherContext } from '../teacher/registry.js';
import type { Teacher } from '../teacher/types.js';
import { RunDir } from './run-dir.js';
import { RUN_FILES } from './run-files.js';
import { uniqueRunId } from './run-id.js';
import type { DistillOptions } from './types.js';

/** What a task kind's distill body gets from the frame around it. */
export interface DistillFrame {
  run: RunDir;
  runId: string;
  dir: string;
  /** The cache, ledger and budget every teacher call of the run goes through. */
  gate: CallGate;
  emitter: Emitter;
  /**
   * What every teacher of the run is opened with: the gate, the task file's directory (relative
   * `dataset:` paths resolve against it, else the working directory), the run's seed, emitter and stop signal.
   */
  teacherContext: Omit<TeacherContext, 'task'>;
  /** performance.now() when the run began. */
  started: number;
  /** Emits `run-start` once the teacher is open. */
  announce: (teacher: Pick<Teacher, 'id' | 'kind'>) => void;
  /** Something to close when the run ends, however it ends (a pool index); the last registered closes first. */
  onClose: (close: () => void) => void;
}

/**
 * The run every task kind's `distill` shares: a new run directory whose events.jsonl gets every
 * event, the teacher's cache and ledger (opened here unless the caller gave a store), the call gate
 * with the task's budget and price, then the kind's body. The directory is marked complete only
 * after the body has written everything; a body that throws, or a run stopped by its signal
 * (Ctrl-C), leaves it marked failed, and the caller sees the signal's own reason.
 */
export async function distillFrame<S extends { ms: number }>(
  task: Task,
  options: DistillOptions,
  body: (frame: DistillFrame) => Promise<{ summary: S; stopReason: StopReason }>,
): Promise<S> {
  const started = performance.now();
  const emitter = options.emitter ?? new Emitter();
  const runId = uniqueRunId(task.name);
  const dir = resolve(options.outDir);
  const run = RunDir.create(dir, { runId, task, overwrite: options.overwrite });
  const unsubscribe = emitter.on((e) => run.appendEvent(e));
  const ownStore = !options.store;
  const store = options.store ?? openStore(options.cachePath);
  const closers: (() => void)[] = [];
  try {
    run.writeJson(RUN_FILES.task, task);
    const gate = new CallGate({
      store,
      runId,
      teacherId: task.teacher.model,
      budget: task.budget,
      price: runPrice(task.teacher),
      emitter,
    });
    const { summary, stopReason } = await body({
      run,
      runId,
      dir,
      gate,
      emitter,
      teacherContext: {
        gate,
        taskDir: task.file ? resolve(task.file, '..') : process.cwd(),
        seed: task.seed,
        emitter,
        signal: options.signal,
      },
      started,
      announce: (teacher) =>
        emitter.emit({
          type: 'run-start',
          runId,
          task: task.name,
          teacher: teacher.id,
          teacherKind: teacher.kind,
          student: task.student.kind,
          dir,
        }),
      onClose: (close) => closers.push(close),
    });
    emitter.emit({ type: 'run-end', status: 'complete', reason: stopReason, ms: summary.ms });
    run.markComplete({ stopReason });
    return summary;
  } catch (e) {
    const interrupted = options.signal?.aborted === true;
    emitter.emit({ type: 'run-end', status: 'failed', reason: 'error', ms: Math.round(performance.now() - started) });
    run.markFailed(interrupted ? runInterrupted(options.signal!.reason) : e);
    // Whatever the stop broke on its way out (a request, a wait), the caller sees its own reason,
    // as fetch does.
    throw interrupted ? options.signal!.reason : e;
  } finally {
    unsubscribe();
    // Last opened, first closed (a pool derived from the caller's closes before it).
    for (const close of closers.reverse()) close();
    if (ownStore) store.close();
  }
}

/** What run.json records for a run stopped by its signal (Ctrl-C): it was not an error of the run. */
function runInterrupted(reason: unknown): InterruptedError {
  return new InterruptedError('interrupted: the run was stopped before it finished', {
    hint: 'run the same command again: every answer already paid for comes from the cache',
    cause: reason,
  });
}

/** What a retrain body gets: the new run's directory and a gate that buys nothing. */
export interface RetrainFrame {
  run: RunDir;
  runId: string;
  dir: string;
  /** A gate over an empty in-memory store: it records no calls, so the run's ledger, answers and dollars are zero. */
  gate: CallGate;
}

/**
 * The run every task kind's "Retrain now" shares: a new complete run directory beside the original
 * (or at `outDir`), written by the kind's body, whose summary.json adds `retrain` (what it was
 * retrained from and the scores before and after). Marked complete only after the summary is
 * written; a body that throws leaves it marked failed.
 */
export function retrainFrame<S, R>(
  source: string,
  task: Task,
  options: { outDir?: string; teacherId: string },
  body: (frame: RetrainFrame) => { summary: S; retrain: R },
): { dir: string; summary: S & { retrain: R } } {
  const runId = uniqueRunId(task.name);
  const dir = resolve(options.outDir ?? join(dirname(source), runId));
  const run = RunDir.create(dir, { runId, task });
  try {
    run.writeJson(RUN_FILES.task, task);
    const gate = new CallGate({ store: new MemoryStore(), runId, teacherId: options.teacherId, budget: task.budget });
    const { summary, retrain } = body({ run, runId, dir, gate });
    const retrained = { ...summary, retrain };
    run.writeJson(RUN_FILES.summary, retrained);
    run.markComplete({ stopReason: 'retrain' });
    return { dir, summary: retrained };
  } catch (e) {
    run.markFailed(e);
    throw e;
  }
}

/** The original run's teacher, named in the report, which a retrain never asks: any call throws. */
export function refuseTeacherCall(): never {
  throw new Error('retrain asks no teacher: it trains on the rows the run already has');
}
