import { resolve } from 'node:path';
import { createExtractTeacher } from '../../data/extract/extract-teacher.js';
import { ConfigError, InterruptedError } from '../../errors.js';
import { Emitter } from '../../events.js';
import { readExtractGold, readExtractPool } from '../../loop/extract/pool.js';
import { runExtractLoop } from '../../loop/extract/run-extract-loop.js';
import type { ExtractDistillSummary } from '../../report/extract/types.js';
import { openStore } from '../../store/index.js';
import type { Task } from '../../task/schema.js';
import { CallGate } from '../../teacher/call-gate.js';
import { runPrice } from '../../teacher/pricing.js';
import { RUN_FILES, RunDir, uniqueRunId } from '../index.js';
import { correctionsFileFor } from '../human-corrections.js';
import type { DistillOptions } from '../types.js';
import { withHumanSpans } from './human-rows.js';
import { writeExtractOutputs } from './write-extract-outputs.js';

/**
 * `distill` for a `kind: extract` task: the same run directory, cache, budget and events as a
 * classification run, with the extraction teacher, loop and outputs.
 */
export async function distillExtract(task: Task, options: DistillOptions): Promise<ExtractDistillSummary> {
  const started = performance.now();
  const emitter = options.emitter ?? new Emitter();
  const runId = uniqueRunId(task.name);
  const dir = resolve(options.outDir);
  const run = RunDir.create(dir, { runId, task, overwrite: options.overwrite });
  const unsubscribe = emitter.on((e) => run.appendEvent(e));
  const ownStore = !options.store;
  const store = options.store ?? openStore(options.cachePath);
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
    const taskDir = task.file ? resolve(task.file, '..') : process.cwd();
    const teacher = await createExtractTeacher(task, {
      gate,
      taskDir,
      seed: task.seed,
      emitter,
      signal: options.signal,
    });
    emitter.emit({
      type: 'run-start',
      runId,
      task: task.name,
      teacher: teacher.id,
      teacherKind: teacher.kind,
      student: task.student.kind,
      dir,
    });
    const types = task.labels.map((l) => l.name);
    const gold = task.eval ? readExtractGold(task.eval, types) : undefined;
    if (!task.pool)
      throw new ConfigError('an extraction task needs a pool of texts to annotate', {
        file: task.file,
        field: 'pool',
        hint: 'set pool: to a file of texts (one per line, JSONL "text", or a labeled CoNLL/JSONL file whose texts are used)',
      });
    const read = readExtractPool(task.pool);
    // Reviewers' span corrections: their texts join as rows the teacher is never asked about.
    const correctionsFile = correctionsFileFor(dir, options.corrections);
    const human = withHumanSpans(task, read.texts, gold, correctionsFile);
    emitter.emit({
      type: 'data-loaded',
      pool: human.pool.length,
      gold: gold?.length ?? 0,
      seeds: task.spanSeeds?.length ?? 0,
      ...(human.used ? { human: human.used.reviewers.size, unusable: human.used.unusable } : {}),
    });
    const outcome = await runExtractLoop({
      task: human.task,
      teacher,
      gate,
      pool: human.pool,
      gold,
      emitter,
      signal: options.signal,
      duplicates: read.duplicates,
    });
    const summary = writeExtractOutputs({
      run,
      runId,
      dir,
      task,
      teacher,
      gate,
      outcome,
      gold,
      started,
      ...(human.used ? { human: human.used } : {}),
    });
    emitter.emit({ type: 'run-end', status: 'complete', reason: outcome.stopReason, ms: summary.ms });
    run.markComplete({ stopReason: outcome.stopReason });
    return summary;
  } catch (e) {
    const interrupted = options.signal?.aborted === true;
    emitter.emit({ type: 'run-end', status: 'failed', reason: 'error', ms: Math.round(performance.now() - started) });
    run.markFailed(
      interrupted
        ? new InterruptedError('interrupted: the run was stopped before it finished', {
            hint: 'run the same command again: every answer already paid for comes from the cache',
            cause: options.signal!.reason,
          })
        : e,
    );
    throw interrupted ? options.signal!.reason : e;
  } finally {
    unsubscribe();
    if (ownStore) store.close();
  }
}
